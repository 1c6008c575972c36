use burn::module::{Module, Param};
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::tensor::{Device, Tensor, TensorData};
use convirt_kernels::conv2d_module;
use serde::{Deserialize, Serialize};

use super::{VitEncoder, grid_side, resample_grid};
use crate::{EncoderError, ImageEncoder};

/// How the token states become one feature vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VitPooling {
    /// The class token's final state (torchvision, the original ViT).
    #[default]
    Cls,
    /// The mean of the patch tokens' final states (class token left out).
    Mean,
}

/// The shape of a Vision Transformer (torchvision's `VisionTransformer` arguments) and the
/// image size it reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VitConfig {
    /// Image side in pixels, a multiple of `patch_size` (224).
    pub image_size: usize,
    /// Patch side (16).
    pub patch_size: usize,
    /// Transformer layers (12).
    pub num_layers: usize,
    /// Attention heads (12).
    pub num_heads: usize,
    /// Token width (768).
    pub hidden_dim: usize,
    /// MLP width (3072).
    pub mlp_dim: usize,
    /// Input channels: 3 (ImageNet-style, gray replicated) or 1.
    pub in_channels: usize,
    /// Class-token or mean pooling.
    pub pooling: VitPooling,
}

impl VitConfig {
    /// ViT-B/16 at 224²: 12 layers, 12 heads, 768 wide, 86 M parameters.
    pub fn vit_b_16() -> Self {
        Self {
            image_size: 224,
            patch_size: 16,
            num_layers: 12,
            num_heads: 12,
            hidden_dim: 768,
            mlp_dim: 3072,
            in_channels: 3,
            pooling: VitPooling::Cls,
        }
    }

    /// ViT-B/32 at 224².
    pub fn vit_b_32() -> Self {
        Self {
            patch_size: 32,
            ..Self::vit_b_16()
        }
    }

    /// By name: `vit_b_16` or `vit_b_32`.
    pub fn by_name(name: &str) -> Result<Self, EncoderError> {
        match name {
            "vit_b_16" => Ok(Self::vit_b_16()),
            "vit_b_32" => Ok(Self::vit_b_32()),
            other => Err(EncoderError::Invalid(format!(
                "unknown architecture '{other}': expected vit_b_16 or vit_b_32"
            ))),
        }
    }

    /// Sets the image size (a multiple of the patch size).
    pub fn with_image_size(mut self, size: usize) -> Self {
        self.image_size = size;
        self
    }

    /// Sets the input channels (1 or 3).
    pub fn with_in_channels(mut self, channels: usize) -> Self {
        self.in_channels = channels;
        self
    }

    /// Sets the patch side.
    pub fn with_patch(mut self, patch: usize) -> Self {
        self.patch_size = patch;
        self
    }

    /// Sets the pooling.
    pub fn with_pooling(mut self, pooling: VitPooling) -> Self {
        self.pooling = pooling;
        self
    }

    /// Sets depth and widths (smaller for tests).
    pub fn with_widths(mut self, layers: usize, heads: usize, hidden: usize, mlp: usize) -> Self {
        (self.num_layers, self.num_heads) = (layers, heads);
        (self.hidden_dim, self.mlp_dim) = (hidden, mlp);
        self
    }

    /// Checks that the patches tile the image and the heads divide the width.
    pub fn validate(&self) -> Result<(), EncoderError> {
        if self.patch_size == 0 || !self.image_size.is_multiple_of(self.patch_size) {
            return Err(EncoderError::Invalid(format!(
                "ViT image size {} is not a multiple of its patch size {}",
                self.image_size, self.patch_size
            )));
        }
        if self.num_heads == 0 || !self.hidden_dim.is_multiple_of(self.num_heads) {
            return Err(EncoderError::Invalid(format!(
                "ViT width {} is not a multiple of its {} heads",
                self.hidden_dim, self.num_heads
            )));
        }
        Ok(())
    }

    /// Builds a randomly initialised model on `device`; errors when [`VitConfig::validate`]
    /// does.
    pub fn init(&self, device: &Device) -> Result<VisionTransformer, EncoderError> {
        self.validate()?;
        let grid = self.image_size / self.patch_size;
        let p = self.patch_size;
        Ok(VisionTransformer {
            conv_proj: Conv2dConfig::new([self.in_channels, self.hidden_dim], [p, p])
                .with_stride([p, p])
                .with_padding(PaddingConfig2d::Valid)
                .init(device),
            class_token: Param::from_tensor(Tensor::zeros([1, 1, self.hidden_dim], device)),
            encoder: VitEncoder::new(
                1 + grid * grid,
                self.hidden_dim,
                self.num_layers,
                self.num_heads,
                self.mlp_dim,
                device,
            ),
            pooling: self.pooling,
            patch_size: p,
            hidden_dim: self.hidden_dim,
        })
    }
}

/// A torchvision-shaped Vision Transformer without its classification head: images → pooled
/// token features.
///
/// ```
/// use burn::tensor::{Device, Tensor};
/// use convirt_encoders::{ImageEncoder, VitConfig};
///
/// let device = Device::flex();
/// let vit = VitConfig::vit_b_16()
///     .with_widths(2, 2, 16, 32)
///     .with_image_size(64)
///     .with_in_channels(1)
///     .init(&device)?;
/// assert_eq!(vit.encode_images(Tensor::zeros([2, 1, 64, 64], &device)).dims(), [2, 16]);
/// // The same weights read 96² images once the position grid is resampled from 4×4 to 6×6.
/// let vit = vit.with_image_size(96)?;
/// assert_eq!(vit.encode_images(Tensor::zeros([1, 1, 96, 96], &device)).dims(), [1, 16]);
/// # Ok::<(), convirt_encoders::EncoderError>(())
/// ```
#[derive(Module, Debug)]
pub struct VisionTransformer {
    /// Patch embedding: a `p×p` convolution with stride `p`.
    pub conv_proj: Conv2d,
    /// The class token `[1, 1, D]`.
    pub class_token: Param<Tensor<3>>,
    /// Position embedding, layers and final LayerNorm.
    pub encoder: VitEncoder,
    /// Class-token or mean pooling.
    #[module(skip)]
    pub pooling: VitPooling,
    /// Patch side.
    pub patch_size: usize,
    /// Token width.
    pub hidden_dim: usize,
}

impl VisionTransformer {
    /// Uses `pooling` for [`ImageEncoder::encode_images`].
    pub fn with_pooling(mut self, pooling: VitPooling) -> Self {
        self.pooling = pooling;
        self
    }

    /// The side of the patch grid the position embedding is for.
    pub fn grid(&self) -> usize {
        let [_, tokens, _] = self.encoder.pos_embedding.lazy_shape().dims();
        grid_side(tokens)
    }

    /// The image side the model reads.
    pub fn image_size(&self) -> usize {
        self.grid() * self.patch_size
    }

    /// The same weights for images of side `size`: the position embedding's patch grid is
    /// resampled bicubically with aligned corners (torchvision's `interpolate_embeddings`);
    /// the class token's embedding is kept. Errors when `size` is not a multiple of the patch.
    pub fn with_image_size(mut self, size: usize) -> Result<Self, EncoderError> {
        if size == 0 || !size.is_multiple_of(self.patch_size) {
            return Err(EncoderError::Invalid(format!(
                "ViT image size {size} is not a multiple of its patch size {}",
                self.patch_size
            )));
        }
        let (from, to) = (self.grid(), size / self.patch_size);
        if from == to {
            return Ok(self);
        }
        let pos = self.encoder.pos_embedding.val();
        let device = pos.device();
        let d = self.hidden_dim;
        let values: Vec<f32> = pos
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .map_err(|e| EncoderError::Invalid(format!("position embedding: {e:?}")))?;
        // Tokens are row-major over the grid, `D` values each: planes per channel.
        let mut planes = vec![0f32; d * from * from];
        for t in 0..from * from {
            for c in 0..d {
                planes[c * from * from + t] = values[(1 + t) * d + c];
            }
        }
        let resampled = resample_grid(&planes, d, from, to);
        let mut out = values[..d].to_vec();
        out.resize(d * (1 + to * to), 0.0);
        for t in 0..to * to {
            for c in 0..d {
                out[(1 + t) * d + c] = resampled[c * to * to + t];
            }
        }
        let tensor = Tensor::<3>::from_data(TensorData::new(out, [1, 1 + to * to, d]), &device);
        self.encoder.pos_embedding = self.encoder.pos_embedding.map(|old| {
            let grad = old.is_require_grad();
            tensor.set_require_grad(grad)
        });
        Ok(self)
    }

    /// The final, normalised token states `[N, 1 + patches, D]`, class token first.
    pub fn tokens(&self, images: Tensor<4>) -> Tensor<3> {
        let x = conv2d_module(&self.conv_proj, images);
        let [n, d, gh, gw] = x.dims();
        let patches = x.reshape([n, d, gh * gw]).swap_dims(1, 2);
        let class = self.class_token.val().expand([n, 1, d]);
        self.encoder.forward(Tensor::cat(vec![class, patches], 1))
    }
}

impl ImageEncoder for VisionTransformer {
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2> {
        let x = self.tokens(images);
        let [n, s, d] = x.dims();
        match self.pooling {
            VitPooling::Cls => x.narrow(1, 0, 1).reshape([n, d]),
            VitPooling::Mean => x.narrow(1, 1, s - 1).mean_dim(1).reshape([n, d]),
        }
    }

    fn feature_dim(&self) -> usize {
        self.hidden_dim
    }

    /// `vit_b_16(in=1,size=64)`; other shapes are spelled out.
    fn describe(&self) -> String {
        let [_, cin, _, _] = self.conv_proj.weight.lazy_shape().dims();
        let layers = self.encoder.layers.len();
        let heads = self
            .encoder
            .layers
            .first()
            .map_or(0, |l| l.self_attention.num_heads);
        let mlp = self
            .encoder
            .layers
            .first()
            .map_or(0, |l| l.mlp.linear_1.weight.lazy_shape().dims::<2>()[1]);
        let size = self.image_size();
        match (self.patch_size, layers, heads, self.hidden_dim, mlp) {
            (16, 12, 12, 768, 3072) => format!("vit_b_16(in={cin},size={size})"),
            (32, 12, 12, 768, 3072) => format!("vit_b_32(in={cin},size={size})"),
            (p, l, h, d, m) => format!(
                "vit(patch={p},layers={l},heads={h},hidden={d},mlp={m},in={cin},size={size})"
            ),
        }
    }
}
