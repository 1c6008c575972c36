//! GELU, `x · Φ(x)`, as a backend extension.
//!
//! [`GeluKernels`] has two operations, the forward and its input gradient
//! `Φ(x) + x · φ(x)`. Their default bodies are the backend's own `ActivationOps` (`gelu`,
//! `gelu_backward`). flex's own GELU evaluates libm's scalar `erff` once per element, on one
//! thread (about 5% of the #7 train step, in BERT's feed-forward layers); flex overrides both with
//! a rational approximation of erf (Φ within 3e-7) that shares one `exp` between
//! erf and the normal density, in parallel. Under `Autodiff` the forward records a backward that
//! calls the gradient operation on the inner backend.
//!
//! [`gelu`] is the call the BERT and ViT towers make, in place of
//! `burn::tensor::activation::gelu`.

use burn::backend::ops::ActivationOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::tensor::Tensor;

/// GELU, chosen per backend.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait GeluKernels: Backend {
    /// `x · Φ(x)`, Φ the standard normal distribution function (the exact GELU, not the tanh
    /// approximation).
    fn gelu_forward(x: FloatTensor<Self>) -> FloatTensor<Self> {
        <Self as ActivationOps<Self>>::gelu(x)
    }

    /// `grad · (Φ(x) + x · φ(x))`, the input gradient from the output gradient `grad`.
    fn gelu_input_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        <Self as ActivationOps<Self>>::gelu_backward(x, grad)
    }
}

#[cfg(feature = "tch")]
impl GeluKernels for burn::backend::LibTorch {}
#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl GeluKernels for burn::backend::Cube {}

/// GELU through [`GeluKernels`]: the same values as `burn::tensor::activation::gelu`, to 1e-6.
///
/// ```
/// use burn::tensor::{Device, Tensor};
///
/// let x = Tensor::<1>::from_floats([-3.0, -1.0, 0.0, 0.5, 2.0], &Device::default());
/// let ours = convirt_kernels::gelu(x.clone()).into_data();
/// let burns = burn::tensor::activation::gelu(x).into_data();
/// ours.assert_approx_eq::<f32>(&burns, burn::tensor::Tolerance::absolute(1e-6));
/// ```
pub fn gelu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    if crate::choice::burns() {
        return burn::tensor::activation::gelu(x);
    }
    Tensor::from_dispatch(<burn::backend::Dispatch as GeluKernels>::gelu_forward(
        x.into_dispatch(),
    ))
}
