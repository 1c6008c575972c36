//! # convirt-encoders
//!
//! The towers and the two heads of ConVIRT, `v = g_v(f_v(x̃_v))` and `u = g_u(f_u(x̃_u))`:
//!
//! | file | what it holds |
//! |---|---|
//! | [`traits`] | the seams: [`ImageEncoder`], [`TextEncoder`], [`Projection`]; [`ImageTower`] / [`TextTower`] (any module that is one); the [`FrozenPrefix`] capability |
//! | [`resnet`] | f_v: ResNet18/34/50 with torchvision's structure and parameter names |
//! | [`densenet`] | f_v: DenseNet121/169 with torchvision's structure and parameter names |
//! | [`vit`] | f_v: ViT-B/16 with torchvision's `vit_b_16` names; class-token or mean pooling; position embeddings resampled for another size |
//! | [`bert`] | f_u: a Hugging Face `BertModel`-compatible encoder, pooling, layer freezing |
//! | [`prefix_cache`] | [`FrozenPrefixCache`]: a text tower's frozen bottom, computed once per sentence |
//! | [`projection`] | g_v, g_u: [`MlpProjection`] (Linear–ReLU–Linear) and [`LinearProjection`] |
//! | [`weights`] | loading PyTorch / Hugging Face checkpoints and exporting under PyTorch names |
//! | `layers` | the CNN towers' shared layer builders (convolution, BatchNorm, stem pooling; private) |
//! | [`error`] | [`EncoderError`] |
//!
//! Models are plain burn modules; weight loading lives apart from them, in [`weights`].

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod bert;
pub mod densenet;
pub mod error;
mod layers;
pub mod prefix_cache;
pub mod projection;
pub mod resnet;
pub mod traits;
pub mod vit;
pub mod weights;

pub use bert::{Bert, BertConfig, Pooling};
pub use densenet::{DenseNet, DenseNetConfig};
pub use error::EncoderError;
pub use prefix_cache::FrozenPrefixCache;
pub use projection::{LinearProjection, MlpProjection, MlpProjectionConfig};
pub use resnet::{ResNet, ResNetConfig};
pub use traits::{FrozenPrefix, ImageEncoder, ImageTower, Projection, TextEncoder, TextTower};
pub use vit::{VisionTransformer, VitConfig, VitPooling};
