//! The paper's optimiser.

use burn::optim::AdamConfig;
use burn::optim::decay::WeightDecayConfig;

/// ConVIRT's learning rate.
pub const PAPER_LEARNING_RATE: f64 = 1e-4;
/// ConVIRT's weight decay.
pub const PAPER_WEIGHT_DECAY: f32 = 1e-6;

/// Adam as ConVIRT ran it in PyTorch: β = (0.9, 0.999), ε = 1e-8 (burn's default is 1e-5), and
/// weight decay 1e-6 added to the gradient before the moments (PyTorch `Adam`'s coupled L2, not
/// AdamW's decoupled decay; burn's `WeightDecay` does the same). Step it with
/// [`PAPER_LEARNING_RATE`], scaled by [`ReduceLrOnPlateau`](crate::ReduceLrOnPlateau).
///
/// ```
/// let mut optimizer = convirt_train::paper_adam().init();
/// # let _ = &mut optimizer;
/// ```
pub fn paper_adam() -> AdamConfig {
    AdamConfig::new()
        .with_beta_1(0.9)
        .with_beta_2(0.999)
        .with_epsilon(1e-8)
        .with_weight_decay(Some(WeightDecayConfig::new(PAPER_WEIGHT_DECAY)))
}
