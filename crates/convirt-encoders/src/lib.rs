//! # convirt-encoders
//!
//! The two towers and the two heads of ConVIRT, `v = g_v(f_v(x̃_v))` and `u = g_u(f_u(x̃_u))`:
//!
//! | file | what it holds |
//! |---|---|
//! | [`traits`] | the seams: [`ImageEncoder`], [`TextEncoder`], [`Projection`] |
//! | [`resnet`] | f_v: ResNet18/34/50 with torchvision's structure and parameter names |
//! | [`bert`] | f_u: a Hugging Face `BertModel`-compatible encoder, pooling, layer freezing |
//! | [`projection`] | g_v, g_u: [`MlpProjection`] (Linear–ReLU–Linear) and [`LinearProjection`] |
//! | [`weights`] | loading PyTorch / Hugging Face checkpoints and exporting under PyTorch names |
//! | [`error`] | [`EncoderError`] |
//!
//! Models are plain burn modules; weight loading lives apart from them, in [`weights`].

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod bert;
pub mod error;
pub mod projection;
pub mod resnet;
pub mod traits;
pub mod weights;

pub use bert::{Bert, BertConfig, Pooling};
pub use error::EncoderError;
pub use projection::{LinearProjection, MlpProjection, MlpProjectionConfig};
pub use resnet::{ResNet, ResNetConfig};
pub use traits::{ImageEncoder, Projection, TextEncoder};
