//! [`FirstSentence`]: the first sentence of Findings + Impression, the same at every draw (an
//! evaluation text).

use convirt_text_sampler::{Report, TextSampler, split_sentences};

/// The first sentence of the report's Findings + Impression; `None` when there is none.
///
/// ```
/// use convirt_data::FirstSentence;
/// use convirt_text_sampler::{TextSampler, parse_mimic};
///
/// let r = parse_mimic("FINDINGS: Clear lungs. Normal heart.\n\nIMPRESSION: Normal.", "s1");
/// assert_eq!(FirstSentence.sample(&r, 3, 9).as_deref(), Some("Clear lungs."));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirstSentence;

impl TextSampler for FirstSentence {
    fn sample(&self, report: &Report, _epoch: u64, _index: u64) -> Option<String> {
        split_sentences(&report.body()).into_iter().next()
    }
}
