use burn::module::Module;
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};

use super::{BertEmbeddings, BertEncoder, Pooling};

use crate::{EncoderError, FrozenPrefix, TextEncoder};

/// A BERT encoder with a pooling rule: f_u of ConVIRT.
///
/// Parameter paths follow Hugging Face's `BertModel` (`embeddings.word_embeddings.weight`,
/// `encoder.layer.3.attention.self.query.weight`, …) except `LayerNorm` → `layer_norm` and
/// `attention.self` → `attention.self_attention`, which [`crate::weights`] maps both ways.
#[derive(Module, Debug)]
pub struct Bert {
    /// Token, position and segment embeddings.
    pub embeddings: BertEmbeddings,
    /// The transformer layers.
    pub encoder: BertEncoder,
    /// How token states are pooled into one vector.
    #[module(skip)]
    pub pooling: Pooling,
    /// Hidden size.
    pub hidden_size: usize,
}

impl Bert {
    /// Uses `pooling` for [`TextEncoder::encode_text`].
    pub fn with_pooling(mut self, pooling: Pooling) -> Self {
        self.pooling = pooling;
        self
    }

    /// Number of transformer layers.
    pub fn num_layers(&self) -> usize {
        self.encoder.layer.len()
    }

    /// Freezes the embeddings and the first `layers` transformer layers: their parameters stop
    /// requiring gradients, so backward computes none for them and the optimiser never touches
    /// them (ConVIRT freezes 6 of 12). Dropout keeps working in them, as in the paper's PyTorch
    /// code, which sets `requires_grad = False` and nothing else. Errors when `layers` exceeds the
    /// model's depth.
    pub fn freeze_bottom(mut self, layers: usize) -> Result<Self, EncoderError> {
        let depth = self.num_layers();
        if layers > depth {
            return Err(EncoderError::Invalid(format!(
                "cannot freeze {layers} layers of a {depth}-layer BERT"
            )));
        }
        self.embeddings = self.embeddings.no_grad();
        self.encoder.layer = self
            .encoder
            .layer
            .into_iter()
            .enumerate()
            .map(|(i, l)| if i < layers { l.no_grad() } else { l })
            .collect();
        Ok(self)
    }

    /// The last hidden states `[N, L, H]`.
    pub fn hidden_states(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<3> {
        let padding = mask.equal_elem(0);
        let mut x = self.embeddings.forward(ids);
        for layer in &self.encoder.layer {
            x = layer.forward(x, padding.clone());
        }
        x
    }

    /// The hidden states after the embeddings and the first `layers` layers (`[N, L, H]`).
    pub fn prefix_hidden_states(
        &self,
        ids: Tensor<2, Int>,
        mask: Tensor<2, Int>,
        layers: usize,
    ) -> Tensor<3> {
        let padding = mask.equal_elem(0);
        self.encoder
            .layer
            .iter()
            .take(layers)
            .fold(self.embeddings.forward(ids), |x, layer| {
                layer.forward(x, padding.clone())
            })
    }

    /// Runs the layers `from..` on hidden states that the layers before `from` produced: with
    /// frozen bottom layers, their output can be cached per sentence and fed here.
    pub fn hidden_states_from(
        &self,
        from: usize,
        hidden: Tensor<3>,
        mask: Tensor<2, Int>,
    ) -> Tensor<3> {
        let padding = mask.equal_elem(0);
        self.encoder
            .layer
            .iter()
            .skip(from)
            .fold(hidden, |x, layer| layer.forward(x, padding.clone()))
    }

    /// Pools hidden states `[N, L, H]` over the unmasked tokens.
    pub fn pool(&self, hidden: Tensor<3>, mask: Tensor<2, Int>) -> Tensor<2> {
        let [n, len, h] = hidden.dims();
        match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1).reshape([n, h]),
            Pooling::Max => {
                let padding: Tensor<3, Bool> =
                    mask.equal_elem(0).reshape([n, len, 1]).expand([n, len, h]);
                hidden
                    .mask_fill(padding, f32::MIN)
                    .max_dim(1)
                    .reshape([n, h])
            }
            Pooling::Mean => {
                let m = mask.float().reshape([n, len, 1]);
                let count = m.clone().sum_dim(1).clamp_min(1.0);
                ((hidden * m).sum_dim(1) / count).reshape([n, h])
            }
        }
    }
}

impl TextEncoder for Bert {
    fn encode_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2> {
        let hidden = self.hidden_states(ids, mask.clone());
        self.pool(hidden, mask)
    }

    fn feature_dim(&self) -> usize {
        self.hidden_size
    }

    fn describe(&self) -> String {
        format!(
            "bert(layers={},hidden={})",
            self.num_layers(),
            self.hidden_size
        )
    }

    fn freeze_bottom(self, layers: usize) -> Result<Self, EncoderError> {
        Bert::freeze_bottom(self, layers)
    }

    fn frozen_prefix(&self) -> Option<&dyn FrozenPrefix> {
        Some(self)
    }
}

impl FrozenPrefix for Bert {
    fn num_layers(&self) -> usize {
        Bert::num_layers(self)
    }

    fn hidden_size(&self) -> usize {
        self.hidden_size
    }

    fn prefix_states(
        &self,
        sentences: &[&[i64]],
        layers: usize,
        device: &Device,
    ) -> Result<Vec<Vec<f32>>, EncoderError> {
        let frozen = self.valid();
        let plain = device.clone().without_autodiff();
        sentences
            .iter()
            .map(|s| {
                let len = s.len();
                let ids =
                    Tensor::<2, Int>::from_data(TensorData::new(s.to_vec(), [1, len]), &plain);
                let mask = Tensor::<2, Int>::ones([1, len], &plain);
                frozen
                    .prefix_hidden_states(ids, mask, layers)
                    .into_data()
                    .convert::<f32>()
                    .try_into_vec::<f32>()
                    .map_err(|e| EncoderError::Invalid(format!("frozen prefix output: {e:?}")))
            })
            .collect()
    }

    fn encode_from(&self, from: usize, hidden: Tensor<3>, mask: Tensor<2, Int>) -> Tensor<2> {
        let out = self.hidden_states_from(from, hidden, mask.clone());
        self.pool(out, mask)
    }
}
