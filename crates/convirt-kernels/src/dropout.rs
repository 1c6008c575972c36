//! Dropout's mask as a backend extension.
//!
//! `burn::nn::Dropout` draws its mask with `random_like(Bernoulli)`, which flex samples one
//! element at a time on one thread through a ChaCha generator: about a seventh of MiniLM's
//! training step on this project's 2-core machine. [`DropoutKernels::dropout_mask`] returns the
//! scaled mask (`1 / keep` with probability `keep`, else 0) for a tensor's shape, device and
//! dtype. The default body is burn's own Bernoulli draw; flex draws one seed from the backend's
//! generator and expands it with a counter-based hash in parallel, so a reseeded device
//! (`Device::seed`, which the trainer calls per step and the feature cache per micro-batch) still
//! gives the same masks.
//!
//! [`dropout_module`] is `Dropout::forward` through this extension.

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, TensorMetadata, backend_extension};
use burn::nn::Dropout;
use burn::tensor::{Distribution, Scalar, Tensor};

/// The dropout mask, chosen per backend.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait DropoutKernels: Backend {
    /// A tensor shaped, placed and typed like `like` whose elements are `1 / keep` with
    /// probability `keep` and 0 otherwise, independently. `like`'s values are not read.
    fn dropout_mask(like: FloatTensor<Self>, keep: f64) -> FloatTensor<Self> {
        bernoulli_mask::<Self>(like, keep)
    }
}

/// The default body: burn's own Bernoulli draw, scaled by `1 / keep`.
pub(crate) fn bernoulli_mask<B: Backend>(like: FloatTensor<B>, keep: f64) -> FloatTensor<B> {
    let dtype = like.dtype();
    let mask = B::float_random(
        like.shape(),
        Distribution::Bernoulli(keep),
        &like.device(),
        dtype.into(),
    );
    B::float_mul_scalar(mask, Scalar::new(1.0 / keep, &dtype))
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl DropoutKernels for burn::backend::Cube {}

impl<
    B: Backend + DropoutKernels,
    C: burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy,
> DropoutKernels for burn::backend::autodiff::Autodiff<B, C>
{
    /// The mask is a constant of the graph: drawn on the inner backend, tracked by nothing.
    fn dropout_mask(like: FloatTensor<Self>, keep: f64) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::dropout_mask(like.into_primitive(), keep))
    }
}

/// The scaled dropout mask for `like` through [`DropoutKernels`]: `1 / keep` with probability
/// `keep`, else 0.
pub fn dropout_mask<const D: usize>(like: &Tensor<D>, keep: f64) -> Tensor<D> {
    Tensor::from_dispatch(<burn::backend::Dispatch as DropoutKernels>::dropout_mask(
        like.clone().detach().into_dispatch(),
        keep,
    ))
}

/// `dropout.forward(x)` for a `burn::nn::Dropout`, through [`DropoutKernels`]: the input
/// unchanged unless the layer's training flag is on, the device is an autodiff one and the
/// probability is not zero (as burn's), and otherwise `x · mask`.
///
/// ```
/// use burn::nn::DropoutConfig;
/// use burn::tensor::{Device, Tensor};
///
/// let device = Device::default().autodiff();
/// let dropout = DropoutConfig::new(0.25).init();
/// let x = Tensor::<2>::ones([64, 64], &device);
/// let y = convirt_kernels::dropout_module(&dropout, x).into_data().to_vec::<f32>().unwrap();
/// // Every element is either dropped or scaled by 1 / 0.75, and about a quarter are dropped.
/// assert!(y.iter().all(|&v| v == 0.0 || (v - 1.0 / 0.75).abs() < 1e-6));
/// let dropped = y.iter().filter(|&&v| v == 0.0).count() as f64 / y.len() as f64;
/// assert!((dropped - 0.25).abs() < 0.03, "{dropped}");
/// ```
pub fn dropout_module<const D: usize>(dropout: &Dropout, x: Tensor<D>) -> Tensor<D> {
    if crate::choice::burns() {
        return dropout.forward(x);
    }
    if !dropout.training.is_enabled() || !x.device().is_autodiff() || dropout.prob == 0.0 {
        return x;
    }
    let mask = dropout_mask(&x, 1.0 - dropout.prob);
    x * mask
}
