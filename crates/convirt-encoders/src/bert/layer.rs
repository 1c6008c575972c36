use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::{Bool, Device, Tensor};
use convirt_kernels::gelu;
use convirt_kernels::{dropout_module, layer_norm_module};

use super::{BertAttention, BertConfig};

/// The feed-forward expansion with exact GELU (`intermediate`).
#[derive(Module, Debug)]
pub struct BertIntermediate {
    /// hidden → intermediate.
    pub dense: Linear,
}

/// The feed-forward contraction, residual and LayerNorm (`output`).
#[derive(Module, Debug)]
pub struct BertOutput {
    /// intermediate → hidden.
    pub dense: Linear,
    /// LayerNorm after the residual.
    pub layer_norm: LayerNorm,
    /// ε of `layer_norm`, kept here because `burn::nn::LayerNorm` keeps its own private and the
    /// layer norm runs through `convirt_kernels::layer_norm_module`.
    pub layer_norm_eps: f64,
    /// Dropout before the residual.
    pub dropout: Dropout,
}

/// One transformer layer (`encoder.layer.N`).
#[derive(Module, Debug)]
pub struct BertLayer {
    /// Self-attention block.
    pub attention: BertAttention,
    /// Feed-forward expansion.
    pub intermediate: BertIntermediate,
    /// Feed-forward contraction.
    pub output: BertOutput,
}

/// The stack of layers (`encoder`).
#[derive(Module, Debug)]
pub struct BertEncoder {
    /// Hugging Face's `encoder.layer`.
    pub layer: Vec<BertLayer>,
}

impl BertLayer {
    fn new(c: &BertConfig, device: &Device) -> Self {
        Self {
            attention: BertAttention::new(c, device),
            intermediate: BertIntermediate {
                dense: LinearConfig::new(c.hidden_size, c.intermediate_size).init(device),
            },
            output: BertOutput {
                dense: LinearConfig::new(c.intermediate_size, c.hidden_size).init(device),
                layer_norm: LayerNormConfig::new(c.hidden_size)
                    .with_epsilon(c.layer_norm_eps)
                    .init(device),
                layer_norm_eps: c.layer_norm_eps,
                dropout: DropoutConfig::new(c.hidden_dropout_prob).init(),
            },
        }
    }

    /// `[N, L, H]` → `[N, L, H]`.
    pub fn forward(&self, x: Tensor<3>, padding: Tensor<2, Bool>) -> Tensor<3> {
        let a = self.attention.forward(x, padding);
        let h = gelu(self.intermediate.dense.forward(a.clone()));
        let out = dropout_module(&self.output.dropout, self.output.dense.forward(h));
        layer_norm_module(&self.output.layer_norm, out + a, self.output.layer_norm_eps)
    }
}

impl BertEncoder {
    pub(crate) fn new(c: &BertConfig, device: &Device) -> Self {
        Self {
            layer: (0..c.num_hidden_layers)
                .map(|_| BertLayer::new(c, device))
                .collect(),
        }
    }
}
