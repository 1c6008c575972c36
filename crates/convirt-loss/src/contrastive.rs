//! The seam every contrastive objective plugs into.

use burn::tensor::Tensor;

use crate::LossError;

/// The result of a contrastive loss: the scalar to minimise, and its directional parts when the
/// loss has directions.
///
/// Each tensor has shape `[1]`. Call `.into_scalar::<f32>()` to read one, or `.backward()` on
/// `total` when the inputs carry autodiff.
#[derive(Debug, Clone)]
pub struct LossOutput {
    /// The loss to minimise.
    pub total: Tensor<1>,
    /// The mean image→text (a→b) InfoNCE, for bidirectional losses.
    pub image_to_text: Option<Tensor<1>>,
    /// The mean text→image (b→a) InfoNCE, for bidirectional losses.
    pub text_to_image: Option<Tensor<1>>,
}

impl LossOutput {
    /// An output with no directional parts.
    pub fn total_only(total: Tensor<1>) -> Self {
        Self {
            total,
            image_to_text: None,
            text_to_image: None,
        }
    }
}

/// A contrastive objective over a batch of `N` pairs `(a[i], b[i])`.
///
/// `a` and `b` are `[N, D]` embeddings, not necessarily normalised: row `i` of `a` is paired with
/// row `i` of `b`, and every other row is a negative. For ConVIRT, `a` holds the image embeddings
/// `v` and `b` the text embeddings `u`; for SimCLR's NT-Xent they are the two views of one image.
///
/// Implement it to plug your own objective into `convirt-train`.
pub trait ContrastiveLoss {
    /// Evaluates the loss. Errors on empty, mismatched or non-finite inputs; never panics on them.
    fn forward(&self, a: Tensor<2>, b: Tensor<2>) -> Result<LossOutput, LossError>;
}
