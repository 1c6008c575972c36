//! The transformer encoder: torchvision's `EncoderBlock` (pre-norm attention and MLP, each with
//! a residual) and `Encoder` (position embedding, the blocks, a final LayerNorm).

use burn::module::{Module, Param};
use burn::nn::{LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::{gelu, layer_norm_module};

use super::MultiheadAttention;

/// torchvision's `MLPBlock`: Linear–GELU–Linear (`mlp.0`, `mlp.3` there; `linear_1`,
/// `linear_2` here, mapped by [`crate::weights`]).
#[derive(Module, Debug)]
pub struct Mlp {
    /// Hidden → MLP width.
    pub linear_1: Linear,
    /// MLP width → hidden.
    pub linear_2: Linear,
}

/// One pre-norm transformer layer.
#[derive(Module, Debug)]
pub struct EncoderBlock {
    /// LayerNorm before attention.
    pub ln_1: LayerNorm,
    /// Self-attention.
    pub self_attention: MultiheadAttention,
    /// LayerNorm before the MLP.
    pub ln_2: LayerNorm,
    /// The MLP.
    pub mlp: Mlp,
}

impl EncoderBlock {
    /// A layer of `hidden` channels, `heads` heads and an MLP `mlp` wide.
    pub fn new(hidden: usize, heads: usize, mlp: usize, device: &Device) -> Self {
        Self {
            ln_1: layer_norm(hidden, device),
            self_attention: MultiheadAttention::new(hidden, heads, device),
            ln_2: layer_norm(hidden, device),
            mlp: Mlp {
                linear_1: LinearConfig::new(hidden, mlp).init(device),
                linear_2: LinearConfig::new(mlp, hidden).init(device),
            },
        }
    }

    /// `x + attention(ln_1(x))`, then `+ mlp(ln_2(·))`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let x = x.clone()
            + self
                .self_attention
                .forward(layer_norm_module(&self.ln_1, x, LN_EPS));
        let y = self
            .mlp
            .linear_2
            .forward(gelu(self.mlp.linear_1.forward(layer_norm_module(
                &self.ln_2,
                x.clone(),
                LN_EPS,
            ))));
        x + y
    }
}

/// torchvision's `Encoder`: learned position embedding `[1, 1 + patches, D]`, the layers
/// (`layers.encoder_layer_0…` there, `layers.0…` here), the final LayerNorm `ln`.
#[derive(Module, Debug)]
pub struct VitEncoder {
    /// Position embedding, class token first.
    pub pos_embedding: Param<Tensor<3>>,
    /// The layers.
    pub layers: Vec<EncoderBlock>,
    /// Final LayerNorm.
    pub ln: LayerNorm,
}

impl VitEncoder {
    /// `layers` layers over `tokens` positions.
    pub fn new(
        tokens: usize,
        hidden: usize,
        layers: usize,
        heads: usize,
        mlp: usize,
        device: &Device,
    ) -> Self {
        Self {
            pos_embedding: Param::from_tensor(Tensor::random(
                [1, tokens, hidden],
                Distribution::Normal(0.0, 0.02),
                device,
            )),
            layers: (0..layers)
                .map(|_| EncoderBlock::new(hidden, heads, mlp, device))
                .collect(),
            ln: layer_norm(hidden, device),
        }
    }

    /// Adds the position embedding, runs the layers and normalises: `[N, S, D]` → `[N, S, D]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let x = x + self.pos_embedding.val();
        let x = self.layers.iter().fold(x, |x, layer| layer.forward(x));
        layer_norm_module(&self.ln, x, LN_EPS)
    }
}

/// torchvision's LayerNorm ε. `burn::nn::LayerNorm` keeps its own private, and the norms run
/// through `convirt_kernels::layer_norm_module`, which takes it from the caller.
const LN_EPS: f64 = 1e-6;

/// torchvision's LayerNorm: ε = 1e-6.
fn layer_norm(d: usize, device: &Device) -> LayerNorm {
    LayerNormConfig::new(d).with_epsilon(LN_EPS).init(device)
}
