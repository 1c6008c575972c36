//! [`TextTokenizer`]: a Hugging Face `tokenizer.json`, batch-encoding with truncation and
//! padding to the longest text in the batch.

use std::path::Path;

use tokenizers::utils::padding::pad_encodings;
use tokenizers::{
    Encoding, PaddingDirection, PaddingParams, PaddingStrategy, Tokenizer, TruncationDirection,
    TruncationParams, TruncationStrategy,
};

use crate::{TextError, TokenBatch};

/// How a batch is padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// To the longest sequence in the batch (the default: short sentences cost little).
    Longest,
    /// Always to the maximum length, as BERT tokenizers such as MiniLM's are configured.
    Fixed,
}

/// A `tokenizers` tokenizer set up for ConVIRT's text tower.
///
/// [`from_file`](Self::from_file) overrides the padding and truncation stored in the
/// `tokenizer.json`: all-MiniLM-L6-v2's, for instance, pads every sequence to 128. Here the
/// batch is padded to its longest sequence, on the right, with the tokenizer's own pad id (else
/// the id of `[PAD]`, else 0), and every sequence, special tokens included, is cut to
/// `max_len` tokens (default 128).
///
/// Encoding runs on the calling thread by default, so a data loader's thread budget holds;
/// [`with_parallel`](Self::with_parallel) hands each batch to the `tokenizers` crate's rayon
/// pool instead. The output is the same either way.
#[derive(Debug, Clone)]
pub struct TextTokenizer {
    inner: Tokenizer,
    max_len: usize,
    padding: Padding,
    parallel: bool,
}

impl TextTokenizer {
    /// The default maximum sequence length, special tokens included.
    pub const DEFAULT_MAX_LEN: usize = 128;

    /// Loads a `tokenizer.json`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, TextError> {
        let path = path.as_ref();
        let inner = Tokenizer::from_file(path)
            .map_err(|e| TextError::Tokenizer(format!("{}: {e}", path.display())))?;
        Self::new(inner)
    }

    /// Wraps a tokenizer built in memory (for instance with `Tokenizer::from_bytes`).
    pub fn new(inner: Tokenizer) -> Result<Self, TextError> {
        let mut me = Self {
            inner,
            max_len: Self::DEFAULT_MAX_LEN,
            padding: Padding::Longest,
            parallel: false,
        };
        me.configure()?;
        Ok(me)
    }

    /// Cuts sequences to `max_len` tokens, special tokens included (must be at least 2).
    pub fn with_max_len(mut self, max_len: usize) -> Result<Self, TextError> {
        if max_len < 2 {
            return Err(TextError::InvalidArgument(format!(
                "max_len must be at least 2 (room for [CLS] and [SEP]), got {max_len}"
            )));
        }
        self.max_len = max_len;
        self.configure()?;
        Ok(self)
    }

    /// Pads to the longest in the batch or always to `max_len`.
    pub fn with_padding(mut self, padding: Padding) -> Result<Self, TextError> {
        self.padding = padding;
        self.configure()?;
        Ok(self)
    }

    /// Encodes each batch on rayon's threads (`true`) or on the calling thread (`false`, the
    /// default).
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// The maximum sequence length.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The pad id used.
    pub fn pad_id(&self) -> u32 {
        self.inner.get_padding().map_or(0, |p| p.pad_id)
    }

    /// The wrapped `tokenizers` tokenizer.
    pub fn inner(&self) -> &Tokenizer {
        &self.inner
    }

    /// Encodes `texts` (with the special tokens) into one padded batch. An empty list is
    /// [`TextError::InvalidArgument`].
    pub fn encode<S: AsRef<str>>(&self, texts: &[S]) -> Result<TokenBatch, TextError> {
        if texts.is_empty() {
            return Err(TextError::InvalidArgument(
                "cannot encode an empty batch".into(),
            ));
        }
        let inputs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let encodings = if self.parallel {
            self.inner.encode_batch(inputs, true)
        } else {
            self.encode_sequential(inputs)
        }
        .map_err(|e| TextError::Tokenizer(e.to_string()))?;
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(texts.len() * len);
        let mut mask = Vec::with_capacity(texts.len() * len);
        for e in &encodings {
            if e.get_ids().len() != len {
                return Err(TextError::Tokenizer(format!(
                    "padding gave rows of {} and {} tokens",
                    len,
                    e.get_ids().len()
                )));
            }
            ids.extend(e.get_ids().iter().map(|&i| i64::from(i)));
            mask.extend(e.get_attention_mask().iter().map(|&m| i64::from(m)));
        }
        Ok(TokenBatch {
            ids,
            mask,
            shape: [texts.len(), len],
        })
    }

    /// `encode_batch` without rayon: encode one by one, then pad the batch.
    fn encode_sequential(&self, inputs: Vec<&str>) -> tokenizers::Result<Vec<Encoding>> {
        let mut encodings = inputs
            .into_iter()
            .map(|text| self.inner.encode(text, true))
            .collect::<tokenizers::Result<Vec<Encoding>>>()?;
        if let Some(params) = self.inner.get_padding() {
            pad_encodings(&mut encodings, params)?;
        }
        Ok(encodings)
    }

    fn configure(&mut self) -> Result<(), TextError> {
        let (pad_id, pad_token, pad_type_id) = match self.inner.get_padding() {
            Some(p) => (p.pad_id, p.pad_token.clone(), p.pad_type_id),
            None => {
                let id = self.inner.token_to_id("[PAD]").unwrap_or(0);
                (id, "[PAD]".to_string(), 0)
            }
        };
        let strategy = match self.padding {
            Padding::Longest => PaddingStrategy::BatchLongest,
            Padding::Fixed => PaddingStrategy::Fixed(self.max_len),
        };
        self.inner.with_padding(Some(PaddingParams {
            strategy,
            direction: PaddingDirection::Right,
            pad_to_multiple_of: None,
            pad_id,
            pad_type_id,
            pad_token,
        }));
        self.inner
            .with_truncation(Some(TruncationParams {
                direction: TruncationDirection::Right,
                max_length: self.max_len,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
            }))
            .map_err(|e| TextError::Tokenizer(e.to_string()))?;
        Ok(())
    }
}
