//! [`FrozenPrefixCache`]: the frozen bottom of a text tower with the [`FrozenPrefix`]
//! capability (BERT), computed once per sentence.

use std::collections::HashMap;

use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::{EncoderError, FrozenPrefix};

/// Caches, per sentence, the output of BERT's frozen bottom (embeddings + first k layers), so a
/// training step runs only the trainable layers. A sentence's frozen output is the same every time
/// it is seen, so this is exact; PyTorch's reference recomputes it each step.
///
/// The frozen part runs in evaluation mode (no dropout), so its output is a function of the
/// sentence alone. Real tokens never attend to padding, so each sentence is cached without
/// padding and re-padded with zeros when a batch is assembled: the trainable layers and the
/// pooling see exactly what the uncached model gives them.
///
/// ```
/// use burn::tensor::Device;
/// use convirt_encoders::{BertConfig, FrozenPrefixCache};
///
/// let device = Device::flex();
/// let bert = BertConfig { num_hidden_layers: 2, hidden_size: 8, num_attention_heads: 2,
///     intermediate_size: 16, vocab_size: 30, max_position_embeddings: 8, ..BertConfig::base() }
///     .init(&device);
/// let mut cache = FrozenPrefixCache::new(1, 1000);
/// let h = cache.encode_text(&bert, &[vec![2, 5, 3], vec![2, 3]], &device)?;
/// assert_eq!(h.dims(), [2, 8]);
/// assert_eq!((cache.hits(), cache.misses()), (0, 2));
/// # Ok::<(), convirt_encoders::EncoderError>(())
/// ```
#[derive(Debug)]
pub struct FrozenPrefixCache {
    frozen: usize,
    capacity: usize,
    entries: HashMap<Vec<i64>, Vec<f32>>,
    hits: u64,
    misses: u64,
}

impl FrozenPrefixCache {
    /// A cache for a model whose embeddings and first `frozen_layers` layers are frozen, holding
    /// at most `capacity` sentences (when full, new sentences are computed but not stored).
    pub fn new(frozen_layers: usize, capacity: usize) -> Self {
        Self {
            frozen: frozen_layers,
            capacity,
            entries: HashMap::new(),
            hits: 0,
            misses: 0,
        }
    }

    /// Sentences served from the cache so far.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// Sentences computed so far.
    pub fn misses(&self) -> u64 {
        self.misses
    }

    /// Sentences held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Pooled features `[N, H]` of unpadded token sequences, on `device` (which may carry
    /// autodiff: gradients reach the trainable layers). Errors on an empty sentence or when
    /// more layers are frozen than `bert` has.
    pub fn encode_text(
        &mut self,
        bert: &dyn FrozenPrefix,
        sentences: &[Vec<i64>],
        device: &Device,
    ) -> Result<Tensor<2>, EncoderError> {
        if self.frozen > bert.num_layers() {
            return Err(EncoderError::Invalid(format!(
                "{} frozen layers in a {}-layer BERT",
                self.frozen,
                bert.num_layers()
            )));
        }
        if let Some(i) = sentences.iter().position(Vec::is_empty) {
            return Err(EncoderError::Invalid(format!("sentence {i} has no tokens")));
        }
        let fresh = self.compute_missing(bert, sentences, device)?;
        let h = bert.hidden_size();
        let len = sentences.iter().map(Vec::len).max().unwrap_or(0);
        let n = sentences.len();
        let mut hidden = vec![0f32; n * len * h];
        let mut mask = vec![0i64; n * len];
        for (i, s) in sentences.iter().enumerate() {
            let cached = self
                .entries
                .get(s)
                .or_else(|| fresh.get(s))
                .ok_or_else(|| {
                    EncoderError::Invalid(format!("sentence {i} was neither cached nor computed"))
                })?;
            hidden[i * len * h..i * len * h + cached.len()].copy_from_slice(cached);
            mask[i * len..i * len + s.len()].fill(1);
        }
        for (s, v) in fresh {
            if self.entries.len() >= self.capacity {
                break;
            }
            self.entries.insert(s, v);
        }
        let hidden = Tensor::<3>::from_data(TensorData::new(hidden, [n, len, h]), device);
        let mask = Tensor::<2, Int>::from_data(TensorData::new(mask, [n, len]), device);
        Ok(bert.encode_from(self.frozen, hidden, mask))
    }

    /// Computes the frozen output of every sentence not cached yet, each on its own, as a batch
    /// of one without padding. A sentence's cached value is then a function of the sentence
    /// alone, never of the batch it first appeared in: GEMM kernels (libtorch's especially)
    /// choose their blocking and reduction order by the matrix shape, so a sentence computed in
    /// another batch differs in the last digits. A resumed run, whose cache starts empty, thus
    /// computes bitwise what the uninterrupted run had cached. The cost is one small forward
    /// per distinct sentence, paid once.
    fn compute_missing(
        &mut self,
        bert: &dyn FrozenPrefix,
        sentences: &[Vec<i64>],
        device: &Device,
    ) -> Result<HashMap<Vec<i64>, Vec<f32>>, EncoderError> {
        let mut missing: Vec<&[i64]> = Vec::new();
        for s in sentences {
            if self.entries.contains_key(s) || missing.contains(&s.as_slice()) {
                self.hits += 1;
            } else {
                self.misses += 1;
                missing.push(s);
            }
        }
        let states = bert.prefix_states(&missing, self.frozen, device)?;
        Ok(missing
            .into_iter()
            .map(<[i64]>::to_vec)
            .zip(states)
            .collect())
    }
}
