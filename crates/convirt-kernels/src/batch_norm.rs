//! Batch normalisation as a backend extension.
//!
//! [`BatchNormKernels`] has three operations: training's forward (normalise by the batch's own
//! statistics and return them), its backward (the input, γ and β gradients), and inference's
//! forward (normalise by given statistics). Their default bodies are the backend's own
//! `ModuleOps` (`batch_norm_train`, `batch_norm_train_backward`, `batch_norm`), which burn composes
//! from about ten tensor passes each way; flex overrides all three with two-pass kernels. Under
//! `Autodiff` training's forward records a backward that calls the gradient operation on the
//! inner backend.
//!
//! [`batch_norm_module`] is `BatchNorm::forward` through this extension: the same choice of path
//! (training on an autodiff device with the layer's training flag on, inference otherwise) and the
//! same running-statistics update, so a model's behaviour and checkpoints are unchanged.

use burn::backend::ops::ModuleOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::nn::BatchNorm;
use burn::tensor::Tensor;

/// The batch-normalisation operations whose kernels this crate chooses per backend.
///
/// `x` is `[N, C, ...]`; `gamma`, `beta`, `mean` and `variance` are `[C]`. The variance is the
/// biased one (÷ N·H·W), as burn's `batch_norm_train` returns it.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait BatchNormKernels: Backend {
    /// Training's forward: `(output, batch mean, batch variance)`.
    fn batch_norm_train_forward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        composed_train_forward::<Self>(x, gamma, beta, epsilon)
    }

    /// Training's backward: `(x gradient, γ gradient, β gradient)` from the output gradient
    /// `grad` and the statistics the forward returned.
    fn batch_norm_train_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
        grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        composed_train_grads::<Self>(x, gamma, mean, variance, epsilon, grad)
    }

    /// Inference's forward: `(x − mean) / √(variance + ε) · γ + β`.
    fn batch_norm_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        <Self as ModuleOps<Self>>::batch_norm(x, gamma, beta, mean, variance, epsilon)
    }
}

/// Training's forward by `B`'s own `ModuleOps` (the default body, and flex's for other dtypes).
pub(crate) fn composed_train_forward<B: Backend>(
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    beta: FloatTensor<B>,
    epsilon: f64,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let out = <B as ModuleOps<B>>::batch_norm_train(x, gamma, beta, epsilon);
    (out.output, out.mean, out.variance)
}

/// Training's backward by `B`'s own `ModuleOps` (the default body, and flex's for other dtypes).
pub(crate) fn composed_train_grads<B: Backend>(
    x: FloatTensor<B>,
    gamma: FloatTensor<B>,
    mean: FloatTensor<B>,
    variance: FloatTensor<B>,
    epsilon: f64,
    grad: FloatTensor<B>,
) -> (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>) {
    let out =
        <B as ModuleOps<B>>::batch_norm_train_backward(x, gamma, mean, variance, epsilon, grad);
    (out.x_grad, out.gamma_grad, out.beta_grad)
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl BatchNormKernels for burn::backend::Cube {}

/// Batch normalisation by the batch's own statistics, through [`BatchNormKernels`]:
/// `(output, mean, variance)`, the same values as `burn::tensor::module::batch_norm_train`. The
/// statistics come back detached.
pub fn batch_norm_train<const D: usize>(
    x: Tensor<D>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    epsilon: f64,
) -> (Tensor<D>, Tensor<1>, Tensor<1>) {
    let (out, mean, variance) =
        <burn::backend::Dispatch as BatchNormKernels>::batch_norm_train_forward(
            x.into_dispatch(),
            gamma.into_dispatch(),
            beta.into_dispatch(),
            epsilon,
        );
    (
        Tensor::from_dispatch(out),
        Tensor::<1>::from_dispatch(mean).detach(),
        Tensor::<1>::from_dispatch(variance).detach(),
    )
}

/// Batch normalisation by given statistics, through [`BatchNormKernels`]: the same values as
/// `burn::tensor::module::batch_norm`.
pub fn batch_norm_eval<const D: usize>(
    x: Tensor<D>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    mean: Tensor<1>,
    variance: Tensor<1>,
    epsilon: f64,
) -> Tensor<D> {
    Tensor::from_dispatch(
        <burn::backend::Dispatch as BatchNormKernels>::batch_norm_eval(
            x.into_dispatch(),
            gamma.into_dispatch(),
            beta.into_dispatch(),
            mean.into_dispatch(),
            variance.into_dispatch(),
            epsilon,
        ),
    )
}

/// `bn.forward(x)` for a `burn::nn::BatchNorm`, through [`BatchNormKernels`].
///
/// It follows `BatchNorm::forward` step for step: training statistics on an autodiff device when
/// the layer's training flag is on (a frozen layer keeps its running statistics), and the running
/// statistics updated with the layer's momentum from the batch's mean and biased variance.
///
/// ```
/// use burn::nn::BatchNormConfig;
/// use burn::tensor::{Device, Distribution, Tensor};
///
/// let device = Device::default().autodiff();
/// let ours = BatchNormConfig::new(3).init(&device);
/// let burns = BatchNormConfig::new(3).init(&device); // a clone would share running statistics
/// let x = Tensor::<4>::random([2, 3, 5, 5], Distribution::Default, &device);
/// let a = convirt_kernels::batch_norm_module(&ours, x.clone());
/// let b = burns.forward(x);
/// a.into_data().assert_approx_eq::<f32>(&b.into_data(), Default::default());
/// let (ra, rb) = (ours.running_var.value_sync(), burns.running_var.value_sync());
/// ra.into_data().assert_approx_eq::<f32>(&rb.into_data(), Default::default());
/// ```
pub fn batch_norm_module<const D: usize>(bn: &BatchNorm, x: Tensor<D>) -> Tensor<D> {
    if crate::choice::burns() {
        return bn.forward(x);
    }
    let device = x.device();
    if !(device.is_autodiff() && bn.training.is_enabled()) {
        let mean = bn.running_mean.value().to_device(&device);
        let variance = bn.running_var.value().to_device(&device);
        return batch_norm_eval(x, bn.gamma.val(), bn.beta.val(), mean, variance, bn.epsilon);
    }
    let (out, mean, variance) = batch_norm_train(x, bn.gamma.val(), bn.beta.val(), bn.epsilon);
    let running = |state: &burn::module::RunningState<Tensor<1>>, batch: Tensor<1>| {
        let old = state.value_sync().to_device(&device);
        let new = old
            .mul_scalar(1.0 - bn.momentum)
            .add(batch.mul_scalar(bn.momentum));
        state.update(new.detach());
    };
    running(&bn.running_mean, mean);
    running(&bn.running_var, variance);
    out
}
