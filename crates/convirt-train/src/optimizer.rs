//! The paper's optimiser: Adam with PyTorch's semantics, each parameter's step one fused
//! operation ([`convirt_kernels::adam_step`]).

use burn::optim::decay::WeightDecayConfig;
use burn::optim::{
    AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer,
};
use burn::tensor::{Device, Tensor};
use convirt_kernels::{AdamHyper, KernelChoice, adam_step, kernel_choice};

/// ConVIRT's learning rate.
pub const PAPER_LEARNING_RATE: f64 = 1e-4;
/// ConVIRT's weight decay.
pub const PAPER_WEIGHT_DECAY: f32 = 1e-6;

/// Adam as ConVIRT ran it in PyTorch (`torch.optim.Adam`): β = (0.9, 0.999), ε = 1e-8 (burn's
/// default is 1e-5), and weight decay 1e-6 added to the gradient before the moments (coupled L2,
/// not AdamW's decoupled decay). Step it with [`PAPER_LEARNING_RATE`], scaled by
/// [`ReduceLrOnPlateau`](crate::ReduceLrOnPlateau).
///
/// ```
/// let mut optimizer = convirt_train::paper_adam().init();
/// # let _ = &mut optimizer;
/// ```
pub fn paper_adam() -> FusedAdamConfig {
    FusedAdamConfig {
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-8,
        weight_decay: f64::from(PAPER_WEIGHT_DECAY),
    }
}

/// The settings of a [`FusedAdam`]; [`paper_adam`] gives the paper's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusedAdamConfig {
    /// β₁, the first moment's decay.
    pub beta_1: f64,
    /// β₂, the second moment's decay.
    pub beta_2: f64,
    /// ε, added to the bias-corrected √v̂.
    pub epsilon: f64,
    /// The L2 penalty added to the gradient; 0 for none.
    pub weight_decay: f64,
}

impl FusedAdamConfig {
    /// The optimiser over a whole module.
    ///
    /// Under `CONVIRT_KERNELS=burn` (or [`set_kernel_choice`](convirt_kernels::set_kernel_choice)
    /// with `Burn`) this is burn's own `Adam` with the same settings, for before/after
    /// measurements. Both keep burn's `AdamState`, so either loads the other's checkpoints.
    pub fn init(&self) -> ModuleOptimizer {
        match kernel_choice() {
            KernelChoice::Native => ModuleOptimizer::from(FusedAdam { config: *self }),
            KernelChoice::Burn => self.burn().init(),
        }
    }

    /// burn's `Adam` with these settings (its β and ε in f32).
    pub fn burn(&self) -> AdamConfig {
        let decay =
            (self.weight_decay != 0.0).then(|| WeightDecayConfig::new(self.weight_decay as f32));
        AdamConfig::new()
            .with_beta_1(self.beta_1 as f32)
            .with_beta_2(self.beta_2 as f32)
            .with_epsilon(self.epsilon as f32)
            .with_weight_decay(decay)
    }
}

/// Adam whose step on each parameter is one [`convirt_kernels::adam_step`]: one pass on flex,
/// `at::_fused_adam_` on tch, burn's primitives elsewhere. Its state is burn's `AdamState`
/// (step count and both moments), so its checkpoints are burn `Adam`'s.
#[derive(Debug, Clone)]
pub struct FusedAdam {
    config: FusedAdamConfig,
}

impl Optimizer for FusedAdam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        let (time, moment_1, moment_2) = match state {
            Some(AdamState { momentum }) => {
                (momentum.time + 1, momentum.moment_1, momentum.moment_2)
            }
            None => (1, grad.zeros_like(), grad.zeros_like()),
        };
        let c = &self.config;
        let hyper = AdamHyper {
            lr,
            beta_1: c.beta_1,
            beta_2: c.beta_2,
            epsilon: c.epsilon,
            weight_decay: c.weight_decay,
            time,
        };
        let (tensor, moment_1, moment_2) = adam_step(tensor, grad, moment_1, moment_2, hyper);
        let momentum = AdaptiveMomentumState::new(time, moment_1, moment_2);
        (tensor, Some(AdamState::new(momentum)))
    }

    fn to_device<const D: usize>(mut state: Self::State<D>, device: &Device) -> Self::State<D> {
        state.momentum = state.momentum.to_device(device);
        state
    }
}
