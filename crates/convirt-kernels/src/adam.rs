//! One Adam step on one parameter, as a backend extension.
//!
//! [`AdamKernels::adam_step`] updates a parameter and its two moments in one operation, with
//! PyTorch's semantics (`torch.optim.Adam`: L2 weight decay added to the gradient before the
//! moments, bias-corrected moments, ε added to the corrected √v̂). Its default body is that
//! update in burn's tensor primitives (about ten passes). burn's own Adam runs about fifteen,
//! each into a new tensor. flex's kernel is one parallel pass, in place where the tensors are
//! owned alone; libtorch's is `at::_fused_adam_`, the kernel `torch.optim.Adam(fused=True)` runs.
//!
//! The optimiser that calls it, with burn's `AdamState` so that checkpoints are unchanged, is
//! `convirt_train::FusedAdam`. [`adam_step`] is the call it makes.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::tensor::Tensor;

/// Adam's settings for one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamHyper {
    /// The learning rate of this step.
    pub lr: f64,
    /// The first moment's decay, β₁.
    pub beta_1: f64,
    /// The second moment's decay, β₂.
    pub beta_2: f64,
    /// ε, added to the bias-corrected √v̂.
    pub epsilon: f64,
    /// The L2 penalty added to the gradient (`weight_decay · θ`); 0 for none.
    pub weight_decay: f64,
    /// The step number, counting this one (1 on the first step): the bias corrections are
    /// `1 − β₁ᵗ` and `1 − β₂ᵗ`.
    pub time: usize,
}

impl AdamHyper {
    /// `(lr / (1 − β₁ᵗ), √(1 − β₂ᵗ))`: the step size and the second moment's bias correction.
    pub fn corrections(&self) -> (f64, f64) {
        let t = self.time.min(i32::MAX as usize) as i32;
        let bias_1 = 1.0 - self.beta_1.powi(t);
        let bias_2 = 1.0 - self.beta_2.powi(t);
        (self.lr / bias_1, bias_2.sqrt())
    }
}

/// One Adam step, chosen per backend.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait AdamKernels: Backend {
    /// `(θ', m', v')` from the parameter θ, its gradient g and the moments m, v (zeros before the
    /// first step): `g ← g + λθ`, `m' = β₁m + (1 − β₁)g`, `v' = β₂v + (1 − β₂)g²`,
    /// `θ' = θ − lr/(1 − β₁ᵗ) · m' / (√v' / √(1 − β₂ᵗ) + ε)`.
    fn adam_step(
        param: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        hyper: AdamHyper,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        composed_step::<Self>(param, grad, moment_1, moment_2, &hyper)
    }
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl AdamKernels for burn::backend::Cube {}

/// An optimiser works on the parameters' inner values; with autodiff tensors, the step runs on
/// the inner backend and its results are untracked.
impl<B: Backend + AdamKernels, C: CheckpointStrategy> AdamKernels for Autodiff<B, C> {
    fn adam_step(
        param: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        hyper: AdamHyper,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let (param, moment_1, moment_2) = B::adam_step(
            param.into_primitive(),
            grad.into_primitive(),
            moment_1.into_primitive(),
            moment_2.into_primitive(),
            hyper,
        );
        (
            FloatTensor::<Self>::new(param),
            FloatTensor::<Self>::new(moment_1),
            FloatTensor::<Self>::new(moment_2),
        )
    }
}

/// The step's default body, in `B`'s tensor primitives.
pub(crate) fn composed_step<B: Backend>(
    param: FloatTensor<B>,
    grad: FloatTensor<B>,
    moment_1: FloatTensor<B>,
    moment_2: FloatTensor<B>,
    hyper: &AdamHyper,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let grad = if hyper.weight_decay == 0.0 {
        grad
    } else {
        B::float_add(
            grad,
            B::float_mul_scalar(param.clone(), hyper.weight_decay.into()),
        )
    };
    let moment_1 = B::float_add(
        B::float_mul_scalar(moment_1, hyper.beta_1.into()),
        B::float_mul_scalar(grad.clone(), (1.0 - hyper.beta_1).into()),
    );
    let moment_2 = B::float_add(
        B::float_mul_scalar(moment_2, hyper.beta_2.into()),
        B::float_mul_scalar(
            B::float_mul(grad.clone(), grad),
            (1.0 - hyper.beta_2).into(),
        ),
    );
    let (step_size, bias_2_sqrt) = hyper.corrections();
    let denom = B::float_add_scalar(
        B::float_div_scalar(B::float_sqrt(moment_2.clone()), bias_2_sqrt.into()),
        hyper.epsilon.into(),
    );
    let update = B::float_mul_scalar(B::float_div(moment_1.clone(), denom), step_size.into());
    (B::float_sub(param, update), moment_1, moment_2)
}

/// One Adam step through [`AdamKernels`]: `(θ', m', v')`. `moment_1` and `moment_2` are zeros
/// before the first step. The tensors are taken by value, so that a backend can update them in
/// place when nothing else holds them.
///
/// ```
/// use burn::tensor::{Device, Tensor};
/// use convirt_kernels::{AdamHyper, adam_step};
///
/// let device = Device::default();
/// let theta = Tensor::<1>::from_floats([1.0, -2.0], &device);
/// let grad = Tensor::<1>::from_floats([0.5, 0.5], &device);
/// let hyper = AdamHyper { lr: 0.1, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8, weight_decay: 0.0, time: 1 };
/// let (theta, m, v) = adam_step(theta, grad.clone(), grad.zeros_like(), grad.zeros_like(), hyper);
/// // The first step moves each weight by lr against its gradient's sign.
/// let theta = theta.into_data().to_vec::<f32>().unwrap();
/// assert!((theta[0] - 0.9).abs() < 1e-6 && (theta[1] + 2.1).abs() < 1e-6);
/// # let _ = (m, v);
/// ```
pub fn adam_step<const D: usize>(
    param: Tensor<D>,
    grad: Tensor<D>,
    moment_1: Tensor<D>,
    moment_2: Tensor<D>,
    hyper: AdamHyper,
) -> (Tensor<D>, Tensor<D>, Tensor<D>) {
    let (param, moment_1, moment_2) = <burn::backend::Dispatch as AdamKernels>::adam_step(
        param.into_dispatch(),
        grad.into_dispatch(),
        moment_1.into_dispatch(),
        moment_2.into_dispatch(),
        hyper,
    );
    (
        Tensor::from_dispatch(param),
        Tensor::from_dispatch(moment_1),
        Tensor::from_dispatch(moment_2),
    )
}
