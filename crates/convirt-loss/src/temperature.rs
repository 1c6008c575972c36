//! The temperature τ of InfoNCE: fixed (the paper's), or learnable as in CLIP.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};

use crate::{LossError, check};

/// The temperature τ that divides the cosine similarities.
///
/// * [`Temperature::fixed`]: a constant (ConVIRT uses 0.1).
/// * [`Temperature::learnable`]: CLIP's parameterisation. A parameter `s = log(1/τ)` is trained
///   and the logits are multiplied by `exp(min(s, log(max_scale)))`. The clamp bounds τ from below
///   (CLIP uses `max_scale = 100`, τ ≥ 0.01); above it the gradient of `s` is zero.
#[derive(Module, Debug)]
pub struct Temperature {
    /// The fixed τ, or the initial τ of a learnable one.
    pub initial: f64,
    /// `log(1/τ)`, present when τ is learnable.
    pub log_scale: Option<Param<Tensor<1>>>,
    /// The largest allowed `1/τ` of a learnable temperature.
    pub max_scale: f64,
}

impl Temperature {
    /// CLIP's bound on the learnable logit scale: τ never goes below 1/100.
    pub const CLIP_MAX_SCALE: f64 = 100.0;

    /// A constant τ. Errors unless τ is finite and > 0.
    pub fn fixed(tau: f64) -> Result<Self, LossError> {
        Ok(Self {
            initial: check::temperature(tau)?,
            log_scale: None,
            max_scale: f64::INFINITY,
        })
    }

    /// A learnable τ starting at `tau`, on `device`, never below `1 / max_scale`.
    pub fn learnable(tau: f64, max_scale: f64, device: &Device) -> Result<Self, LossError> {
        let tau = check::temperature(tau)?;
        let max_scale = check::positive("max_scale", max_scale)?;
        let start = (1.0 / tau).min(max_scale).ln() as f32;
        let param = Param::from_tensor(Tensor::<1>::from_floats([start], device));
        Ok(Self {
            initial: tau,
            log_scale: Some(param),
            max_scale,
        })
    }

    /// Whether τ is trained.
    pub fn is_learnable(&self) -> bool {
        self.log_scale.is_some()
    }

    /// The current τ, read back from the device for a learnable one.
    pub fn value(&self) -> f64 {
        match &self.log_scale {
            None => self.initial,
            Some(s) => {
                let s: f32 = s.val().detach().into_scalar();
                1.0 / (s as f64).min(self.max_scale.ln()).exp()
            }
        }
    }

    /// Largest spread `2/τ` of cosine logits for which one shared shift keeps every softmax row
    /// and column clear of underflow in f32 (`exp(−87)` is the smallest normal).
    pub const MAX_SHARED_SPREAD: f64 = 80.0;

    /// For a fixed τ with `2/τ ≤ 80`, the bound `1/τ` of the cosine logits, usable as the shift of
    /// a stable log-sum-exp in place of each row's maximum. `None` for a learnable τ, or a τ so
    /// small that rows would underflow: then the loss finds each row's maximum instead.
    pub fn shared_shift(&self) -> Option<f64> {
        let scale = 1.0 / self.initial;
        (self.log_scale.is_none() && 2.0 * scale <= Self::MAX_SHARED_SPREAD).then_some(scale)
    }

    /// Multiplies `logits` by `1/τ`, through the graph when τ is learnable.
    pub fn apply(&self, logits: Tensor<2>) -> Tensor<2> {
        match &self.log_scale {
            None => logits.mul_scalar(1.0 / self.initial),
            Some(s) => {
                let scale = s.val().clamp_max(self.max_scale.ln()).exp();
                logits * scale.unsqueeze::<2>()
            }
        }
    }
}
