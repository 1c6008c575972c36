//! [`TextSampler`]: which text of a report to encode at a given step.

use crate::Report;

/// Picks the text of `report` that the text encoder sees, for the draw (`epoch`, `index`).
///
/// `index` is the report's position in the dataset (not in the batch), so that a draw depends
/// only on the sampler's seed, the epoch and the report: the same for any thread count.
/// Implementations return `None` when the report has no text to give (see
/// [`Report::is_empty`]); the caller decides whether to skip the pair.
pub trait TextSampler: Send + Sync {
    /// The text for `report` in `epoch` at dataset position `index`.
    fn sample(&self, report: &Report, epoch: u64, index: u64) -> Option<String>;
}

/// The number of whitespace-separated tokens (words) in `sentence`.
pub fn word_count(sentence: &str) -> usize {
    sentence.split_whitespace().count()
}
