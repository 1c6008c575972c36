//! Side-by-side checks against PyTorch golden files.
//!
//! Each submodule reads one golden format and replays it through our implementation, returning an
//! [`ErrorStats`] under the issue tracker's definition of error:
//! per output tensor, `max|out − ref| / max|ref|`; per scalar, `|out − ref| / |ref|`.
//! Where the reference is exactly zero, the relative error falls back to the absolute error.

pub mod accum;
pub mod augment;
mod errors;
pub mod loss;
pub mod minilm;
pub mod resnet;

pub use errors::ErrorStats;
