use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig};
use burn::tensor::{Bool, Device, Tensor};
use convirt_kernels::{dropout_module, layer_norm_module, softmax};

use super::BertConfig;

/// Multi-head self-attention (Hugging Face's `attention.self`).
#[derive(Module, Debug)]
pub struct BertSelfAttention {
    /// Query projection.
    pub query: Linear,
    /// Key projection.
    pub key: Linear,
    /// Value projection.
    pub value: Linear,
    /// Dropout on the attention weights.
    pub dropout: Dropout,
    /// Number of heads.
    pub heads: usize,
}

/// The attention's output projection, residual and LayerNorm (`attention.output`).
#[derive(Module, Debug)]
pub struct BertSelfOutput {
    /// Output projection.
    pub dense: Linear,
    /// LayerNorm after the residual.
    pub layer_norm: LayerNorm,
    /// ε of `layer_norm`, kept here because `burn::nn::LayerNorm` keeps its own private and the
    /// layer norm runs through `convirt_kernels::layer_norm_module`.
    pub layer_norm_eps: f64,
    /// Dropout before the residual.
    pub dropout: Dropout,
}

/// Self-attention with its output block (`attention`).
#[derive(Module, Debug)]
pub struct BertAttention {
    /// Hugging Face's `attention.self`.
    pub self_attention: BertSelfAttention,
    /// Hugging Face's `attention.output`.
    pub output: BertSelfOutput,
}

impl BertAttention {
    pub(crate) fn new(c: &BertConfig, device: &Device) -> Self {
        let h = c.hidden_size;
        Self {
            self_attention: BertSelfAttention {
                query: LinearConfig::new(h, h).init(device),
                key: LinearConfig::new(h, h).init(device),
                value: LinearConfig::new(h, h).init(device),
                dropout: DropoutConfig::new(c.attention_probs_dropout_prob).init(),
                heads: c.num_attention_heads,
            },
            output: BertSelfOutput {
                dense: LinearConfig::new(h, h).init(device),
                layer_norm: LayerNormConfig::new(h)
                    .with_epsilon(c.layer_norm_eps)
                    .init(device),
                layer_norm_eps: c.layer_norm_eps,
                dropout: DropoutConfig::new(c.hidden_dropout_prob).init(),
            },
        }
    }

    /// `x`: `[N, L, H]`; `padding`: `[N, L]`, true where the token is padding.
    pub fn forward(&self, x: Tensor<3>, padding: Tensor<2, Bool>) -> Tensor<3> {
        let context = self.self_attention.forward(x.clone(), padding);
        let out = dropout_module(&self.output.dropout, self.output.dense.forward(context));
        layer_norm_module(&self.output.layer_norm, out + x, self.output.layer_norm_eps)
    }
}

impl BertSelfAttention {
    /// Scaled dot-product attention over all heads; padded keys get no weight.
    pub fn forward(&self, x: Tensor<3>, padding: Tensor<2, Bool>) -> Tensor<3> {
        let [n, len, hidden] = x.dims();
        let head_dim = hidden / self.heads;
        let split = |t: Tensor<3>| t.reshape([n, len, self.heads, head_dim]).swap_dims(1, 2);
        let q = split(self.query.forward(x.clone()));
        let k = split(self.key.forward(x.clone()));
        let v = split(self.value.forward(x));
        let scores = q
            .matmul(k.swap_dims(2, 3))
            .div_scalar((head_dim as f64).sqrt());
        // Hugging Face adds finfo(f32).min to padded keys' scores; so do we, broadcast over heads
        // and queries (one vectorised add, where a fill through an expanded mask runs serially).
        let key_bias = padding.float().mul_scalar(f32::MIN).reshape([n, 1, 1, len]);
        let scores = scores + key_bias;
        let weights = dropout_module(&self.dropout, softmax(scores, 3));
        weights.matmul(v).swap_dims(1, 2).reshape([n, len, hidden])
    }
}
