//! ConVIRT's objective: bidirectional InfoNCE over cosine similarities.

use burn::module::Module;
use burn::tensor::{Device, Tensor};

use crate::logits::{cosine_matrix, diagonal, l2_normalize, log_sum_exp, log_sum_exp_rows_cols};
use crate::{ContrastiveLoss, LossError, LossOutput, Temperature, check};

/// ConVIRT's loss (Zhang et al. 2022, eq. 2–4):
///
/// `L = mean_i [ λ·ℓ_i(v→u) + (1−λ)·ℓ_i(u→v) ]`, with
/// `ℓ_i(v→u) = −log( exp(⟨v_i,u_i⟩/τ) / Σ_k exp(⟨v_i,u_k⟩/τ) )` over cosine similarities `⟨·,·⟩`.
///
/// The paper's defaults are τ = 0.1 and λ = 0.75 ([`ConvirtLoss::paper`]). The log-sum-exp is taken
/// after subtracting the row maximum, so it is stable for any τ > 0.
///
/// ```
/// use burn::tensor::{Device, Distribution, Tensor};
/// use convirt_loss::{ContrastiveLoss, ConvirtLoss};
///
/// let device = Device::flex();
/// let v = Tensor::<2>::random([8, 512], Distribution::Normal(0.0, 1.0), &device);
/// let u = Tensor::<2>::random([8, 512], Distribution::Normal(0.0, 1.0), &device);
/// let out = ConvirtLoss::paper().forward(v, u)?;
/// let (total, v2u, u2v): (f32, f32, f32) = (
///     out.total.into_scalar(),
///     out.image_to_text.unwrap().into_scalar(),
///     out.text_to_image.unwrap().into_scalar(),
/// );
/// assert!((total - (0.75 * v2u + 0.25 * u2v)).abs() < 1e-5);
/// # Ok::<(), convirt_loss::LossError>(())
/// ```
#[derive(Module, Debug)]
pub struct ConvirtLoss {
    /// τ, fixed or learnable.
    pub temperature: Temperature,
    /// Weight of the image→text direction.
    pub lambda: f64,
    /// Whether to check the inputs for NaN/inf (one boolean read back per input).
    pub check_finite: bool,
}

impl ConvirtLoss {
    /// The paper's τ = 0.1.
    pub const PAPER_TEMPERATURE: f64 = 0.1;
    /// The paper's λ = 0.75.
    pub const PAPER_LAMBDA: f64 = 0.75;

    /// A loss with fixed temperature `tau` and weight `lambda`. Errors unless τ > 0 is finite and
    /// λ ∈ [0, 1].
    pub fn new(tau: f64, lambda: f64) -> Result<Self, LossError> {
        Ok(Self {
            temperature: Temperature::fixed(tau)?,
            lambda: check::lambda(lambda)?,
            check_finite: true,
        })
    }

    /// The paper's configuration: τ = 0.1, λ = 0.75.
    // Constants inside the valid ranges: `new` cannot refuse them.
    #[allow(clippy::expect_used)]
    pub fn paper() -> Self {
        Self::new(Self::PAPER_TEMPERATURE, Self::PAPER_LAMBDA).expect("paper defaults are valid")
    }

    /// Makes τ learnable, CLIP-style, starting from the current τ, with `1/τ ≤ max_scale`.
    pub fn with_learnable_temperature(
        mut self,
        max_scale: f64,
        device: &Device,
    ) -> Result<Self, LossError> {
        self.temperature = Temperature::learnable(self.temperature.initial, max_scale, device)?;
        Ok(self)
    }

    /// Turns the NaN/inf input check on or off (on by default).
    pub fn with_finite_check(mut self, check_finite: bool) -> Self {
        self.check_finite = check_finite;
        self
    }
}

impl Default for ConvirtLoss {
    fn default() -> Self {
        Self::paper()
    }
}

impl ContrastiveLoss for ConvirtLoss {
    fn forward(&self, v: Tensor<2>, u: Tensor<2>) -> Result<LossOutput, LossError> {
        check::pair("v", &v, "u", &u, self.check_finite)?;
        let logits = self
            .temperature
            .apply(cosine_matrix(l2_normalize(v), l2_normalize(u)));
        let positives = diagonal(logits.clone());
        let (by_row, by_col) = match self.temperature.shared_shift() {
            // One exp for both directions, shifted by the logits' bound 1/τ.
            Some(bound) => log_sum_exp_rows_cols(logits, bound),
            // Learnable or very small τ: shift each row and column by its own maximum.
            None => (
                log_sum_exp(logits.clone(), 1),
                log_sum_exp(logits.transpose(), 1),
            ),
        };
        let image_to_text = (by_row - positives.clone()).mean();
        let text_to_image = (by_col - positives).mean();
        let total = image_to_text.clone().mul_scalar(self.lambda)
            + text_to_image.clone().mul_scalar(1.0 - self.lambda);
        Ok(LossOutput {
            total,
            image_to_text: Some(image_to_text),
            text_to_image: Some(text_to_image),
        })
    }
}
