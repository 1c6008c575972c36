use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig};
use burn::tensor::{Device, Int, Tensor};
use convirt_kernels::{dropout_module, layer_norm_module};

use super::BertConfig;

/// Word + position + segment embeddings, then LayerNorm and dropout.
#[derive(Module, Debug)]
pub struct BertEmbeddings {
    /// Token embeddings.
    pub word_embeddings: Embedding,
    /// Absolute position embeddings.
    pub position_embeddings: Embedding,
    /// Segment embeddings (all tokens use segment 0).
    pub token_type_embeddings: Embedding,
    /// Hugging Face's `LayerNorm`.
    pub layer_norm: LayerNorm,
    /// ε of `layer_norm`, kept here because `burn::nn::LayerNorm` keeps its own private and the
    /// layer norm runs through `convirt_kernels::layer_norm_module`.
    pub layer_norm_eps: f64,
    /// Dropout.
    pub dropout: Dropout,
}

impl BertEmbeddings {
    pub(crate) fn new(c: &BertConfig, device: &Device) -> Self {
        Self {
            word_embeddings: EmbeddingConfig::new(c.vocab_size, c.hidden_size).init(device),
            position_embeddings: EmbeddingConfig::new(c.max_position_embeddings, c.hidden_size)
                .init(device),
            token_type_embeddings: EmbeddingConfig::new(c.type_vocab_size, c.hidden_size)
                .init(device),
            layer_norm: LayerNormConfig::new(c.hidden_size)
                .with_epsilon(c.layer_norm_eps)
                .init(device),
            layer_norm_eps: c.layer_norm_eps,
            dropout: DropoutConfig::new(c.hidden_dropout_prob).init(),
        }
    }

    /// `[N, L]` ids → `[N, L, hidden]`.
    pub fn forward(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        let [n, len] = ids.dims();
        let device = ids.device();
        let positions = Tensor::<1, Int>::arange(0..len as i64, &device)
            .reshape([1, len])
            .repeat_dim(0, n);
        let segments = Tensor::<2, Int>::zeros([n, len], &device);
        let x = self.word_embeddings.forward(ids)
            + self.position_embeddings.forward(positions)
            + self.token_type_embeddings.forward(segments);
        dropout_module(
            &self.dropout,
            layer_norm_module(&self.layer_norm, x, self.layer_norm_eps),
        )
    }
}
