//! SimCLR's NT-Xent, the paper's image-only baseline.

use burn::module::Module;
use burn::tensor::{Bool, Tensor};

use crate::logits::{cosine_matrix, l2_normalize, row_cross_entropy, take_per_row};
use crate::{ContrastiveLoss, LossError, LossOutput, Temperature, check};

/// NT-Xent (Chen et al. 2020) over the 2N views `z = [z1; z2]` of N images.
///
/// Each view's positive is the other view of its image; the other 2N − 2 views are its negatives;
/// a view is never compared with itself. The loss is the mean cross-entropy over all 2N views of
/// the cosine similarities divided by τ.
///
/// ```
/// use burn::tensor::{Device, Distribution, Tensor};
/// use convirt_loss::{ContrastiveLoss, NtXentLoss};
///
/// let device = Device::flex();
/// let z1 = Tensor::<2>::random([4, 16], Distribution::Normal(0.0, 1.0), &device);
/// let loss = NtXentLoss::new(0.5)?.forward(z1.clone(), z1)?;
/// // identical views: each positive has cosine 1, the best any pair can have
/// assert!(loss.total.into_scalar::<f32>() < (2.0f32 * 4.0 - 1.0).ln());
/// # Ok::<(), convirt_loss::LossError>(())
/// ```
#[derive(Module, Debug)]
pub struct NtXentLoss {
    /// τ, fixed or learnable.
    pub temperature: Temperature,
    /// Whether to check the inputs for NaN/inf.
    pub check_finite: bool,
}

impl NtXentLoss {
    /// A loss with fixed temperature `tau` (SimCLR used 0.5 at small batch sizes, 0.1 at large).
    pub fn new(tau: f64) -> Result<Self, LossError> {
        Ok(Self {
            temperature: Temperature::fixed(tau)?,
            check_finite: true,
        })
    }

    /// Uses the given temperature (for example a learnable one).
    pub fn with_temperature(mut self, temperature: Temperature) -> Self {
        self.temperature = temperature;
        self
    }
}

impl ContrastiveLoss for NtXentLoss {
    /// `a` and `b` are the two views `z1`, `z2` of the same N images.
    fn forward(&self, z1: Tensor<2>, z2: Tensor<2>) -> Result<LossOutput, LossError> {
        check::pair("z1", &z1, "z2", &z2, self.check_finite)?;
        let n = z1.dims()[0];
        let z = l2_normalize(Tensor::cat(vec![z1, z2], 0));
        let device = z.device();
        let logits = self.temperature.apply(cosine_matrix(z.clone(), z));
        // burn's diag_mask is true off the diagonal; we want the diagonal itself.
        let self_pairs = Tensor::<2, Bool>::diag_mask([2 * n, 2 * n], 0, &device).bool_not();
        let logits = logits.mask_fill(self_pairs, f32::NEG_INFINITY);
        let partner: Vec<i64> = (0..2 * n).map(|i| ((i + n) % (2 * n)) as i64).collect();
        let positives = take_per_row(logits.clone(), partner);
        Ok(LossOutput::total_only(row_cross_entropy(logits, positives)))
    }
}
