//! # convirt-kernels
//!
//! How the heavy operations of a ConVIRT train step run fast on each backend. Each operation is a
//! burn 0.22 backend extension (`#[backend_extension]`): a native implementation where we have
//! one, the backend's own op otherwise, and a backward of our own under `Autodiff`, so that the
//! gradient reaches the native kernels too.
//!
//! | file | what it holds |
//! |---|---|
//! | [`conv`] | [`ConvKernels`], the 2-D convolution extension, and [`conv2d`] / [`conv2d_module`], the calls the towers make |
//! | `conv_autodiff` | the convolution's backward under `Autodiff<B, C>`: input and weight gradients through [`ConvKernels`] |
//! | `flex` | the native flex kernels: im2col / col2im and one GEMM per image for the input and weight gradients (feature `flex`) |
//!
//! Backends: one feature each (`flex`, `tch`, `wgpu`, `cuda`), switched on by the root package's
//! backend features and by nothing else. On a backend without a native kernel the extension runs
//! the backend's own `ModuleOps` implementation, so every backend reaches an implementation.

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod conv;
mod conv_autodiff;
#[cfg(feature = "flex")]
mod flex;

pub use conv::{ConvKernels, conv2d, conv2d_module, conv_padding};
