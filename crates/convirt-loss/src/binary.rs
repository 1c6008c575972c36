//! The paper's Contrastive-Binary baseline: classify true pairs against mismatched ones.

use burn::module::Module;
use burn::tensor::{Int, Tensor, TensorData};

use crate::logits::{l2_normalize, softplus};
use crate::{ContrastiveLoss, LossError, LossOutput, Temperature, check};

/// Contrastive-Binary (ConVIRT §5): for each image `v_i`, a logit `cos(v_i, u_j)/τ` for its true
/// report (`j = i`, label 1) and for one other report (`j = negative[i]`, label 0), scored with
/// binary cross-entropy on logits, averaged over the 2N decisions.
///
/// [`ContrastiveLoss::forward`] pairs image `i` with report `(i + 1) mod N` as its negative: the
/// loader shuffles every batch, so that is a fresh random report each step, and the result is
/// deterministic. Use [`BinaryContrastiveLoss::forward_with_negatives`] to give your own, for
/// example a random derangement.
#[derive(Module, Debug)]
pub struct BinaryContrastiveLoss {
    /// τ, fixed or learnable.
    pub temperature: Temperature,
    /// Whether to check the inputs for NaN/inf.
    pub check_finite: bool,
}

impl BinaryContrastiveLoss {
    /// A loss with fixed temperature `tau`.
    pub fn new(tau: f64) -> Result<Self, LossError> {
        Ok(Self {
            temperature: Temperature::fixed(tau)?,
            check_finite: true,
        })
    }

    /// The loss with explicit negatives: image `i` is scored against report `negatives[i]`.
    /// Errors unless there is one index per row and each is `< N`.
    pub fn forward_with_negatives(
        &self,
        v: Tensor<2>,
        u: Tensor<2>,
        negatives: &[usize],
    ) -> Result<LossOutput, LossError> {
        check::pair("v", &v, "u", &u, self.check_finite)?;
        let n = v.dims()[0];
        if negatives.len() != n {
            return Err(LossError::InvalidNegatives(format!(
                "{} indices for a batch of {n}",
                negatives.len()
            )));
        }
        if let Some(bad) = negatives.iter().find(|&&j| j >= n) {
            return Err(LossError::InvalidNegatives(format!(
                "index {bad} out of range for a batch of {n}"
            )));
        }
        let (v, u) = (l2_normalize(v), l2_normalize(u));
        let device = u.device();
        let index: Vec<i64> = negatives.iter().map(|&j| j as i64).collect();
        let index = Tensor::<1, Int>::from_data(TensorData::new(index, [n]), &device);
        let u_neg = u.clone().select(0, index);
        let positive = self.temperature.apply((v.clone() * u).sum_dim(1));
        let negative = self.temperature.apply((v * u_neg).sum_dim(1));
        // BCE with logits: label 1 costs softplus(−x), label 0 costs softplus(x).
        let total = (softplus(positive.neg()).sum() + softplus(negative).sum()) / (2 * n) as f32;
        Ok(LossOutput::total_only(total))
    }
}

impl ContrastiveLoss for BinaryContrastiveLoss {
    fn forward(&self, v: Tensor<2>, u: Tensor<2>) -> Result<LossOutput, LossError> {
        let n = v.dims()[0];
        let negatives: Vec<usize> = (0..n).map(|i| (i + 1) % n.max(1)).collect();
        self.forward_with_negatives(v, u, &negatives)
    }
}
