use std::path::Path;

use burn::tensor::Device;
use serde::Deserialize;

use super::{Bert, BertEmbeddings, BertEncoder};
use crate::EncoderError;

/// How token states become one feature vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pooling {
    /// Maximum over the unmasked tokens: ConVIRT's choice.
    #[default]
    Max,
    /// Mean over the unmasked tokens.
    Mean,
    /// The first token's state (`[CLS]`).
    Cls,
}

/// The size of a BERT model, as in a Hugging Face `config.json`.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct BertConfig {
    /// Vocabulary size.
    pub vocab_size: usize,
    /// Hidden size.
    pub hidden_size: usize,
    /// Number of transformer layers.
    pub num_hidden_layers: usize,
    /// Number of attention heads.
    pub num_attention_heads: usize,
    /// Feed-forward size.
    pub intermediate_size: usize,
    /// Longest sequence.
    pub max_position_embeddings: usize,
    /// Number of segment types.
    #[serde(default = "two")]
    pub type_vocab_size: usize,
    /// LayerNorm epsilon.
    #[serde(default = "eps")]
    pub layer_norm_eps: f64,
    /// Dropout on hidden states.
    #[serde(default = "dropout")]
    pub hidden_dropout_prob: f64,
    /// Dropout on attention weights.
    #[serde(default = "dropout")]
    pub attention_probs_dropout_prob: f64,
    /// Activation; only `"gelu"` (exact) is supported.
    #[serde(default = "gelu")]
    pub hidden_act: String,
}

fn two() -> usize {
    2
}
fn eps() -> f64 {
    1e-12
}
fn dropout() -> f64 {
    0.1
}
fn gelu() -> String {
    "gelu".into()
}

impl BertConfig {
    /// BERT-base: 12 layers, hidden 768 (the size of Bio_ClinicalBERT).
    pub fn base() -> Self {
        Self {
            vocab_size: 30522,
            hidden_size: 768,
            num_hidden_layers: 12,
            num_attention_heads: 12,
            intermediate_size: 3072,
            max_position_embeddings: 512,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
            hidden_dropout_prob: 0.1,
            attention_probs_dropout_prob: 0.1,
            hidden_act: "gelu".into(),
        }
    }

    /// all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads.
    pub fn minilm_l6() -> Self {
        Self {
            hidden_size: 384,
            num_hidden_layers: 6,
            intermediate_size: 1536,
            ..Self::base()
        }
    }

    /// Reads a Hugging Face `config.json`.
    pub fn from_file(path: &Path) -> Result<Self, EncoderError> {
        let text = std::fs::read_to_string(path).map_err(|source| EncoderError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let config: Self = serde_json::from_str(&text).map_err(|e| EncoderError::Config {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        config.validate().map_err(|reason| EncoderError::Config {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.hidden_act != "gelu" {
            return Err(format!(
                "hidden_act '{}' is not supported (only gelu)",
                self.hidden_act
            ));
        }
        if self.num_attention_heads == 0
            || !self.hidden_size.is_multiple_of(self.num_attention_heads)
        {
            return Err(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                self.hidden_size, self.num_attention_heads
            ));
        }
        Ok(())
    }

    /// Builds a randomly initialised model on `device`.
    pub fn init(&self, device: &Device) -> Bert {
        Bert {
            embeddings: BertEmbeddings::new(self, device),
            encoder: BertEncoder::new(self, device),
            pooling: Pooling::Max,
            hidden_size: self.hidden_size,
        }
    }
}
