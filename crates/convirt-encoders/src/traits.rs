//! The seams between the towers, the heads and the trainer. Implement them to bring your own.

use burn::tensor::{Int, Tensor};

/// An image tower f_v: images `[N, C, H, W]` → features `[N, feature_dim]`.
pub trait ImageEncoder {
    /// Encodes a batch of images.
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2>;
    /// The size of one feature vector (2048 for ResNet50).
    fn feature_dim(&self) -> usize;
}

/// A text tower f_u: token ids and attention mask `[N, L]` → features `[N, feature_dim]`.
pub trait TextEncoder {
    /// Encodes a batch of token sequences; `mask` is 1 for real tokens and 0 for padding.
    fn encode_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2>;
    /// The size of one feature vector (the hidden size for BERT).
    fn feature_dim(&self) -> usize;
}

/// A projection head g: features `[N, in]` → embeddings `[N, out]`.
pub trait Projection {
    /// Projects a batch of features.
    fn project(&self, features: Tensor<2>) -> Tensor<2>;
    /// The embedding size.
    fn output_dim(&self) -> usize;
}
