//! The seams between the towers, the heads and the trainer. Implement them to bring your own.
//!
//! A tower is any burn [`Module`] that implements [`ImageEncoder`] or [`TextEncoder`]; the
//! blanket traits [`ImageTower`] and [`TextTower`] name that pair of bounds. Two things only some
//! towers can do stay optional, as default methods a tower overrides when it can:
//! - [`TextEncoder::freeze_bottom`]: freezing the embeddings and the bottom k layers (BERT: the
//!   paper's 6 of 12); a tower without layers to freeze accepts only k = 0.
//! - [`TextEncoder::frozen_prefix`]: the [`FrozenPrefix`] capability, through which the trainer
//!   caches the frozen bottom's output per sentence (exact, and faster). `None` by default: the
//!   trainer then runs the whole tower every step.
//!
//! A tower of your own, in a dozen lines:
//!
//! ```
//! use burn::module::Module;
//! use burn::nn::{Linear, LinearConfig};
//! use burn::tensor::{Device, Tensor};
//! use convirt_encoders::ImageEncoder;
//!
//! /// Mean intensity per channel, then one linear layer.
//! #[derive(Module, Debug)]
//! struct TinyImage {
//!     linear: Linear,
//! }
//!
//! impl ImageEncoder for TinyImage {
//!     fn encode_images(&self, images: Tensor<4>) -> Tensor<2> {
//!         let [n, c, _, _] = images.dims();
//!         self.linear.forward(images.mean_dims(&[2, 3]).reshape([n, c]))
//!     }
//!     fn feature_dim(&self) -> usize {
//!         16
//!     }
//! }
//!
//! let device = Device::flex();
//! let tower = TinyImage { linear: LinearConfig::new(1, 16).init(&device) };
//! assert_eq!(tower.encode_images(Tensor::zeros([2, 1, 8, 8], &device)).dims(), [2, 16]);
//! assert!(tower.describe().ends_with("TinyImage"));
//! ```

use burn::module::{Module, ModuleDisplay};
use burn::tensor::{Device, Int, Tensor};

use crate::EncoderError;

/// An image tower f_v: images `[N, C, H, W]` → features `[N, feature_dim]`.
pub trait ImageEncoder {
    /// Encodes a batch of images.
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2>;
    /// The size of one feature vector (2048 for ResNet50).
    fn feature_dim(&self) -> usize;
    /// What the tower is, as checkpoints record it (`resnet50(in=1)`, `vit_b_16(in=3,224)`): a
    /// checkpoint is only loaded into a tower that describes itself the same way. By default the
    /// type's name; a tower whose shape varies with its settings should say them.
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_string()
    }
}

/// A text tower f_u: token ids and attention mask `[N, L]` → features `[N, feature_dim]`.
pub trait TextEncoder {
    /// Encodes a batch of token sequences; `mask` is 1 for real tokens and 0 for padding.
    fn encode_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2>;
    /// The size of one feature vector (the hidden size for BERT).
    fn feature_dim(&self) -> usize;
    /// What the tower is, as checkpoints record it; see [`ImageEncoder::describe`].
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_string()
    }
    /// Freezes the embeddings and the bottom `layers` layers (their parameters stop requiring
    /// gradients). A tower without layers to freeze keeps this default, which accepts only 0.
    fn freeze_bottom(self, layers: usize) -> Result<Self, EncoderError>
    where
        Self: Sized,
    {
        match layers {
            0 => Ok(self),
            k => Err(EncoderError::Invalid(format!(
                "{}: cannot freeze {k} layers: this text tower has no frozen-layer support (set frozen_layers = 0)",
                self.describe()
            ))),
        }
    }
    /// The tower's frozen-prefix capability, when it has one (BERT does); `None` by default.
    fn frozen_prefix(&self) -> Option<&dyn FrozenPrefix> {
        None
    }
}

/// A text tower that runs as a frozen bottom followed by trainable layers, so that the bottom's
/// output can be computed once per sentence and cached
/// ([`FrozenPrefixCache`](crate::bert::FrozenPrefixCache)).
pub trait FrozenPrefix {
    /// Number of layers above the embeddings.
    fn num_layers(&self) -> usize;
    /// The width of the hidden states the bottom hands over.
    fn hidden_size(&self) -> usize;
    /// The hidden states after the embeddings and the first `layers` layers, for each sentence
    /// on its own (a batch of one, unpadded), in evaluation mode and without autodiff, on
    /// `device`: each entry is `len × hidden_size` values, row-major.
    fn prefix_states(
        &self,
        sentences: &[&[i64]],
        layers: usize,
        device: &Device,
    ) -> Result<Vec<Vec<f32>>, EncoderError>;
    /// Runs the layers `from..` on hidden states `[N, L, H]` that the bottom produced, then pools
    /// over the unmasked tokens: the features [`TextEncoder::encode_text`] would give.
    fn encode_from(&self, from: usize, hidden: Tensor<3>, mask: Tensor<2, Int>) -> Tensor<2>;
}

/// A projection head g: features `[N, in]` → embeddings `[N, out]`.
pub trait Projection {
    /// Projects a batch of features.
    fn project(&self, features: Tensor<2>) -> Tensor<2>;
    /// The embedding size.
    fn output_dim(&self) -> usize;
}

/// A burn [`Module`] that is an [`ImageEncoder`]: what the model, the trainer and every
/// protocol take as f_v. Implemented for every such type.
pub trait ImageTower: ImageEncoder + Module + ModuleDisplay + 'static {}
impl<M: ImageEncoder + Module + ModuleDisplay + 'static> ImageTower for M {}

/// A burn [`Module`] that is a [`TextEncoder`]: what the model, the trainer and every protocol
/// take as f_u. Implemented for every such type.
pub trait TextTower: TextEncoder + Module + ModuleDisplay + 'static {}
impl<M: TextEncoder + Module + ModuleDisplay + 'static> TextTower for M {}
