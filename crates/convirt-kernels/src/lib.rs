//! # convirt-kernels
//!
//! How the heavy operations of a ConVIRT train step run fast on each backend. Each operation is a
//! burn 0.22 backend extension (`#[backend_extension]`): a native implementation where we have
//! one, the backend's own op otherwise, and a backward of our own under `Autodiff`, so that the
//! gradient reaches the native kernels too.
//!
//! | file | what it holds |
//! |---|---|
//! | [`adam`] | [`AdamKernels`], one Adam step with PyTorch's semantics as one operation, and [`adam_step`], the call `convirt_train::FusedAdam` makes |
//! | [`conv`] | [`ConvKernels`], the 2-D convolution extension, and [`conv2d`] / [`conv2d_module`], the calls the towers make |
//! | [`batch_norm`] | [`BatchNormKernels`], batch normalisation's extension (training forward and backward, inference forward), and [`batch_norm_module`], the call the towers make |
//! | `batch_norm_autodiff` | training's batch normalisation under `Autodiff<B, C>`: its backward through [`BatchNormKernels`] |
//! | [`dropout`] | [`DropoutKernels`], dropout's mask, and [`dropout_module`], the call the BERT tower makes |
//! | [`gelu`] | [`GeluKernels`], GELU and its gradient, and [`gelu()`], the call the BERT and ViT towers make |
//! | `gelu_autodiff` | GELU under `Autodiff<B, C>`: its backward through [`GeluKernels`] |
//! | [`layer_norm`] | [`LayerNormKernels`], layer normalisation (forward and gradients), and [`layer_norm_module`], the call the BERT tower makes |
//! | `layer_norm_autodiff` | layer normalisation under `Autodiff<B, C>`: one backward through [`LayerNormKernels`] |
//! | [`softmax`] | [`SoftmaxKernels`], softmax and its input gradient, and [`softmax()`], the call the BERT and ViT attention makes |
//! | `softmax_autodiff` | softmax under `Autodiff<B, C>`: one backward, from the kept output, through [`SoftmaxKernels`] |
//! | `choice` | [`KernelChoice`]: whether the towers' calls run these extensions (the default) or burn's own modules (`CONVIRT_KERNELS=burn`), for before/after measurements |
//! | `conv_autodiff` | the convolution's backward under `Autodiff<B, C>`: input and weight gradients through [`ConvKernels`] |
//! | `libtorch` | libtorch's own kernels: `at::convolution_backward`, `at::native_batch_norm` and its backward, `at::native_layer_norm_backward`, softmax and `_softmax_backward_data`, `at::_fused_adam_`; the ones tch lacks through a small C++ shim (`csrc/tch_shim.cpp`; feature `tch`) |
//! | `flex` | the native flex kernels: im2col / col2im and GEMM for the convolution's forward and both gradients; two-pass batch normalisation; dropout's mask in parallel; GELU with one `exp` per element; layer normalisation's and softmax's backward by rows; Adam in one pass (feature `flex`) |
//!
//! Backends: one feature each (`flex`, `tch`, `wgpu`, `cuda`), switched on by the root package's
//! backend features and by nothing else. On a backend without a native kernel the extension runs
//! the backend's own `ModuleOps` implementation, so every backend reaches an implementation.

#![warn(missing_docs)]
// burn-tch is deprecated upstream in favour of CubeCL backends; this crate still serves it (the
// extensions list `LibTorch`), so with `tch` on its deprecation is expected here.
#![cfg_attr(feature = "tch", allow(deprecated))]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod adam;
pub mod batch_norm;
mod batch_norm_autodiff;
mod choice;
pub mod conv;
mod conv_autodiff;
pub mod dropout;
#[cfg(feature = "flex")]
mod flex;
pub mod gelu;
mod gelu_autodiff;
pub mod layer_norm;
mod layer_norm_autodiff;
#[cfg(feature = "tch")]
mod libtorch;
pub mod softmax;
mod softmax_autodiff;

pub use adam::{AdamHyper, AdamKernels, adam_step};
pub use batch_norm::{BatchNormKernels, batch_norm_eval, batch_norm_module, batch_norm_train};
pub use choice::{KernelChoice, kernel_choice, set_kernel_choice};
pub use conv::{ConvKernels, conv_padding, conv2d, conv2d_module};
pub use dropout::{DropoutKernels, dropout_mask, dropout_module};
pub use gelu::{GeluKernels, gelu};
pub use layer_norm::{LayerNormKernels, layer_norm, layer_norm_module};
pub use softmax::{SoftmaxKernels, softmax};
