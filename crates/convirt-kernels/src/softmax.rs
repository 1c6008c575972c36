//! Softmax over one dimension, as a backend extension.
//!
//! [`SoftmaxKernels`] has two operations: the forward and its input gradient from the output,
//! `y · (grad − Σ grad · y)`. The forward's default body is the backend's own
//! `ActivationOps::softmax` (flex's is native and vectorised, libtorch's is its own kernel); the
//! gradient's is that formula in burn's tensor primitives. burn's autodiff has no softmax of its
//! own: it records the composition (a max, a shift, an exponential, a sum and a division) and
//! differentiates each piece, about ten passes over the attention scores. Here the forward
//! records one backward that keeps the output and calls the gradient operation on the inner
//! backend: flex's is one parallel pass per row, libtorch's is `_softmax_backward_data`, the
//! kernel PyTorch's own autograd calls.
//!
//! [`softmax`] is the call the BERT and ViT attention makes, in place of
//! `burn::tensor::activation::softmax`.

use burn::backend::ops::ActivationOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::tensor::Tensor;

/// Softmax over one dimension, chosen per backend.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait SoftmaxKernels: Backend {
    /// `e^(x − max) / Σ e^(x − max)` along `dim`.
    fn softmax_forward(x: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        <Self as ActivationOps<Self>>::softmax(x, dim)
    }

    /// The input gradient `y · (grad − Σ_dim grad · y)` from the forward's output `y` and the
    /// output gradient `grad`.
    fn softmax_input_grad(
        y: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        dim: usize,
    ) -> FloatTensor<Self> {
        composed_input_grad::<Self>(y, grad, dim)
    }
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl SoftmaxKernels for burn::backend::Cube {}

/// The gradient's default body, in `B`'s tensor primitives.
pub(crate) fn composed_input_grad<B: Backend>(
    y: FloatTensor<B>,
    grad: FloatTensor<B>,
    dim: usize,
) -> FloatTensor<B> {
    let dot = B::float_sum_dim(B::float_mul(grad.clone(), y.clone()), dim);
    B::float_mul(y, B::float_sub(grad, dot))
}

/// Softmax along `dim` through [`SoftmaxKernels`]: the same values as
/// `burn::tensor::activation::softmax`, with one backward of its own under autodiff.
///
/// ```
/// use burn::tensor::{Device, Tensor, Tolerance};
///
/// let x = Tensor::<2>::from_floats([[1.0, 2.0, 3.0], [-1.0, 0.0, 40.0]], &Device::default());
/// let ours = convirt_kernels::softmax(x.clone(), 1).into_data();
/// let burns = burn::tensor::activation::softmax(x, 1).into_data();
/// ours.assert_approx_eq::<f32>(&burns, Tolerance::absolute(1e-6));
/// ```
pub fn softmax<const D: usize>(x: Tensor<D>, dim: usize) -> Tensor<D> {
    assert!(dim < D, "softmax over dimension {dim} of a rank-{D} tensor");
    if crate::choice::burns() {
        return burn::tensor::activation::softmax(x, dim);
    }
    Tensor::from_dispatch(
        <burn::backend::Dispatch as SoftmaxKernels>::softmax_forward(x.into_dispatch(), dim),
    )
}
