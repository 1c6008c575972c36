//! [`SpanSampler`]: a run of consecutive sentences.

use rand::Rng;

use crate::{Report, TextSampler, rng_for, split_sentences};

/// A random run of 1 to `max_sentences` consecutive sentences of Findings + Impression, joined
/// with spaces: its length is uniform over 1..=min(`max_sentences`, number of sentences), then
/// its start is uniform over the positions where it fits. More context than one sentence, less
/// than the whole report.
///
/// ```
/// use convirt_text_sampler::{parse_mimic, SpanSampler, TextSampler};
///
/// let r = parse_mimic("FINDINGS: A is here. B is here. C is here.", "s1");
/// let span = SpanSampler::new(3, 2).sample(&r, 0, 0).unwrap();
/// assert!(["A is here.", "B is here.", "C is here.", "A is here. B is here.", "B is here. C is here."]
///     .contains(&span.as_str()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanSampler {
    /// The run's seed.
    pub seed: u64,
    /// The longest span, in sentences (at least 1).
    pub max_sentences: usize,
}

impl SpanSampler {
    /// A sampler of spans of up to `max_sentences` sentences (0 is taken as 1).
    pub fn new(seed: u64, max_sentences: usize) -> Self {
        Self {
            seed,
            max_sentences: max_sentences.max(1),
        }
    }

    /// Samples from sentences split beforehand.
    pub fn sample_sentences(&self, sentences: &[String], epoch: u64, index: u64) -> Option<String> {
        if sentences.is_empty() {
            return None;
        }
        let mut rng = rng_for(self.seed, epoch, index);
        let longest = self.max_sentences.clamp(1, sentences.len());
        let len = rng.random_range(1..=longest);
        let start = rng.random_range(0..=sentences.len() - len);
        Some(sentences[start..start + len].join(" "))
    }
}

impl TextSampler for SpanSampler {
    fn sample(&self, report: &Report, epoch: u64, index: u64) -> Option<String> {
        self.sample_sentences(&split_sentences(&report.body()), epoch, index)
    }
}
