//! f_v: a Vision Transformer with torchvision's `vit_b_16` structure and parameter names
//! (`conv_proj`, `class_token`, `encoder.pos_embedding`,
//! `encoder.layers.encoder_layer_0.self_attention.in_proj_weight`, `…mlp.0`, `encoder.ln`),
//! pooled on the class token (torchvision) or by the mean of the patch tokens, with its position
//! embeddings resampled for another image size the way torchvision's `interpolate_embeddings`
//! does (bicubic, corners aligned).

mod attention;
mod block;
mod model;
mod position;

pub use attention::MultiheadAttention;
pub use block::{EncoderBlock, Mlp, VitEncoder};
pub use model::{VisionTransformer, VitConfig, VitPooling};
pub(crate) use position::grid_side;
pub use position::resample_grid;
