//! SigLIP's pairwise sigmoid loss.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};

use crate::logits::{cosine_matrix, l2_normalize, softplus};
use crate::{ContrastiveLoss, LossError, LossOutput, check};

/// SigLIP (Zhai et al. 2023): every pair `(v_i, u_j)` is an independent binary decision with logit
/// `scale·cos(v_i, u_j) + bias`, label +1 when `i = j` and −1 otherwise:
/// `L = −(1/N) Σ_ij log σ(label_ij · logit_ij)`.
///
/// `scale` is stored as `log(scale)`, `bias` as is; both are burn parameters, trained when
/// [`SigmoidLoss::learnable`] is set. SigLIP initialises them at scale 10, bias −10
/// ([`SigmoidLoss::siglip`]).
#[derive(Module, Debug)]
pub struct SigmoidLoss {
    /// `log(scale)`.
    pub log_scale: Param<Tensor<1>>,
    /// The logit bias.
    pub bias: Param<Tensor<1>>,
    /// Whether to check the inputs for NaN/inf.
    pub check_finite: bool,
}

impl SigmoidLoss {
    /// A loss with the given scale (> 0) and bias, both fixed.
    pub fn new(scale: f64, bias: f64, device: &Device) -> Result<Self, LossError> {
        let scale = check::positive("scale", scale)?;
        let bias = check::finite("bias", bias)?;
        Ok(Self {
            log_scale: Param::from_tensor(Tensor::from_floats([scale.ln() as f32], device))
                .set_require_grad(false),
            bias: Param::from_tensor(Tensor::from_floats([bias as f32], device))
                .set_require_grad(false),
            check_finite: true,
        })
    }

    /// SigLIP's initialisation, learnable: scale 10, bias −10.
    // Constants inside the valid ranges: `new` cannot refuse them.
    #[allow(clippy::expect_used)]
    pub fn siglip(device: &Device) -> Self {
        Self::new(10.0, -10.0, device)
            .expect("SigLIP defaults are valid")
            .learnable(true)
    }

    /// Trains the scale and bias (or stops training them).
    pub fn learnable(mut self, learnable: bool) -> Self {
        self.log_scale = self.log_scale.set_require_grad(learnable);
        self.bias = self.bias.set_require_grad(learnable);
        self
    }
}

impl ContrastiveLoss for SigmoidLoss {
    fn forward(&self, v: Tensor<2>, u: Tensor<2>) -> Result<LossOutput, LossError> {
        check::pair("v", &v, "u", &u, self.check_finite)?;
        let n = v.dims()[0];
        let device = v.device();
        let cos = cosine_matrix(l2_normalize(v), l2_normalize(u));
        let scale = self.log_scale.val().exp().unsqueeze::<2>();
        let logits = cos * scale + self.bias.val().unsqueeze::<2>();
        // label·logit is −logit off the diagonal and +logit on it; −log σ(y) = softplus(−y).
        let sign = Tensor::<2>::eye(n, &device).mul_scalar(2.0).sub_scalar(1.0);
        let total = softplus((logits * sign).neg()).sum() / n as f32;
        Ok(LossOutput::total_only(total))
    }
}
