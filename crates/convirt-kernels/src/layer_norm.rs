//! Layer normalisation over the last dimension, as a backend extension.
//!
//! [`LayerNormKernels`] has two operations: the forward and its three gradients (input, γ, β).
//! The forward's default body is the backend's own `ModuleOps::layer_norm`; the gradients' is
//! the closed form in burn's tensor primitives. burn's autodiff has no layer norm of its own: it
//! records the composition (two means, a centring, a square, a root, a division, a scale and a
//! shift) and differentiates each piece, about a dozen passes over the activations. flex
//! overrides the gradients with one pass per row; its forward is burn-flex's own, already native. Under `Autodiff` the forward records one
//! backward that calls the gradient operation on the inner backend.
//!
//! [`layer_norm`] is the call the BERT tower makes. `burn::nn::LayerNorm` keeps its ε private,
//! so the caller passes it (BERT keeps it from its config).

use burn::backend::ops::ModuleOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, TensorMetadata, backend_extension};
use burn::nn::LayerNorm;
use burn::tensor::{DType, Shape, Tensor};

/// Layer normalisation over the last dimension, chosen per backend.
///
/// `x` is `[..., d]`; `gamma` and `beta` are `[d]`.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait LayerNormKernels: Backend {
    /// `(x − mean) / √(var + ε) · γ + β`, the statistics over the last dimension (variance
    /// biased).
    fn layer_norm_forward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        <Self as ModuleOps<Self>>::layer_norm(x, gamma, Some(beta), epsilon)
    }

    /// `(x gradient, γ gradient, β gradient)` from the output gradient `grad`: with
    /// `x̂ = (x − mean) · r`, `r = 1 / √(var + ε)` and `g = grad · γ`,
    /// `dx = r · (g − mean(g) − x̂ · mean(g · x̂))`, `dγ = Σ grad · x̂`, `dβ = Σ grad`.
    fn layer_norm_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        composed_grads::<Self>(x, gamma, grad, epsilon)
    }
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl LayerNormKernels for burn::backend::Cube {}

/// The gradients' default body, in `B`'s tensor primitives.
pub(crate) fn composed_grads<B: Backend>(
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    grad: FloatTensor<B>,
    epsilon: f64,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let shape = x.shape();
    let last = shape.num_dims() - 1;
    let d = shape[last];
    let rows = shape.num_elements() / d.max(1);
    let mean = B::float_mean_dim(x.clone(), last);
    let centred = B::float_sub(x, mean);
    let var = B::float_mean_dim(B::float_mul(centred.clone(), centred.clone()), last);
    let r = B::float_recip(B::float_sqrt(B::float_add_scalar(var, epsilon.into())));
    let xhat = B::float_mul(centred, r.clone());
    let mut broadcast = vec![1usize; last + 1];
    broadcast[last] = d;
    let g = B::float_mul(
        grad.clone(),
        B::float_reshape(gamma, Shape::from(broadcast)),
    );
    let g_mean = B::float_mean_dim(g.clone(), last);
    let gx_mean = B::float_mean_dim(B::float_mul(g.clone(), xhat.clone()), last);
    let dx = B::float_mul(
        r,
        B::float_sub(B::float_sub(g, g_mean), B::float_mul(xhat.clone(), gx_mean)),
    );
    let per_feature = |t: FloatTensor<B>| {
        let t = B::float_sum_dim(B::float_reshape(t, Shape::from(vec![rows, d])), 0);
        B::float_reshape(t, Shape::from(vec![d]))
    };
    let dgamma = per_feature(B::float_mul(grad.clone(), xhat));
    let dbeta = per_feature(grad);
    (dx, dgamma, dbeta)
}

/// Layer normalisation over the last dimension through [`LayerNormKernels`]: the same values as
/// `burn::tensor::module::layer_norm`. Without `beta`, the shift is zero.
pub fn layer_norm<const D: usize>(
    x: Tensor<D>,
    gamma: Tensor<1>,
    beta: Option<Tensor<1>>,
    epsilon: f64,
) -> Tensor<D> {
    let beta = beta.unwrap_or_else(|| gamma.zeros_like());
    Tensor::from_dispatch(
        <burn::backend::Dispatch as LayerNormKernels>::layer_norm_forward(
            x.into_dispatch(),
            gamma.into_dispatch(),
            beta.into_dispatch(),
            epsilon,
        ),
    )
}

/// `norm.forward(x)` for a `burn::nn::LayerNorm` built with `epsilon`, through
/// [`LayerNormKernels`]. Inputs other than f32 take burn's own `forward` (which widens f16).
///
/// ```
/// use burn::nn::LayerNormConfig;
/// use burn::tensor::{Device, Distribution, Tensor, Tolerance};
///
/// let device = Device::default();
/// let norm = LayerNormConfig::new(16).with_epsilon(1e-12).init(&device);
/// let x = Tensor::<3>::random([2, 5, 16], Distribution::Default, &device);
/// let ours = convirt_kernels::layer_norm_module(&norm, x.clone(), 1e-12).into_data();
/// let burns = norm.forward(x).into_data();
/// ours.assert_approx_eq::<f32>(&burns, Tolerance::absolute(1e-5));
/// ```
pub fn layer_norm_module<const D: usize>(
    norm: &LayerNorm,
    x: Tensor<D>,
    epsilon: f64,
) -> Tensor<D> {
    if x.dtype() != DType::F32 || crate::choice::burns() {
        return norm.forward(x);
    }
    layer_norm(
        x,
        norm.gamma.val(),
        norm.beta.as_ref().map(|b| b.val()),
        epsilon,
    )
}
