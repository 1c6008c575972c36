//! [`SentenceSampler`]: ConVIRT's text transform, one sentence uniformly at random.

use rand::Rng;

use crate::{Report, TextSampler, rng_for, split_sentences, word_count};

/// One sentence of Findings + Impression, uniformly at random, as in ConVIRT.
///
/// Sentences with fewer than `min_tokens` whitespace-separated tokens are left out (the filter
/// runs before the tokenizer, so it counts words). If no sentence passes the filter, all
/// sentences are candidates, so a report such as `"No pneumothorax."` still gives text.
///
/// ```
/// use convirt_text_sampler::{parse_mimic, SentenceSampler, TextSampler};
///
/// let r = parse_mimic("FINDINGS: Heart size is normal. Lungs are clear.\nIMPRESSION: Normal.", "s1");
/// let s = SentenceSampler::new(0).with_min_tokens(3);
/// let text = s.sample(&r, 0, 5).unwrap();
/// assert!(["Heart size is normal.", "Lungs are clear."].contains(&text.as_str()));
/// assert_eq!(s.sample(&r, 0, 5), Some(text)); // same (seed, epoch, index), same sentence
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSampler {
    /// The run's seed.
    pub seed: u64,
    /// Sentences with fewer words are skipped (unless every sentence is that short).
    pub min_tokens: usize,
}

impl SentenceSampler {
    /// The default minimum of 3 words per sentence.
    pub const DEFAULT_MIN_TOKENS: usize = 3;

    /// A sampler with the given seed and the default minimum of 3 words.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            min_tokens: Self::DEFAULT_MIN_TOKENS,
        }
    }

    /// Changes the minimum number of words (0 or 1 keeps every sentence).
    pub fn with_min_tokens(mut self, min_tokens: usize) -> Self {
        self.min_tokens = min_tokens;
        self
    }

    /// The candidates among `sentences`: the indices of those that pass the filter, or all.
    pub fn candidates(&self, sentences: &[String]) -> Vec<usize> {
        let long: Vec<usize> = (0..sentences.len())
            .filter(|&i| word_count(&sentences[i]) >= self.min_tokens)
            .collect();
        if long.is_empty() {
            (0..sentences.len()).collect()
        } else {
            long
        }
    }

    /// Samples from sentences split beforehand (a loader may cache them per report).
    pub fn sample_sentences(&self, sentences: &[String], epoch: u64, index: u64) -> Option<String> {
        let candidates = self.candidates(sentences);
        if candidates.is_empty() {
            return None;
        }
        let pick = rng_for(self.seed, epoch, index).random_range(0..candidates.len());
        Some(sentences[candidates[pick]].clone())
    }
}

impl TextSampler for SentenceSampler {
    fn sample(&self, report: &Report, epoch: u64, index: u64) -> Option<String> {
        self.sample_sentences(&split_sentences(&report.body()), epoch, index)
    }
}
