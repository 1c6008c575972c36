//! [`FullReport`]: the whole of Findings + Impression.

use crate::{Report, TextSampler, normalize, split_sentences};

/// Findings then Impression, whitespace collapsed to single spaces; the same text at every
/// draw. `None` when they hold no sentence (as for the other samplers), for instance when they
/// are only punctuation. Long reports are cut by the tokenizer's truncation (128 tokens by default).
///
/// ```
/// use convirt_text_sampler::{parse_mimic, FullReport, TextSampler};
///
/// let r = parse_mimic("FINDINGS: Clear\n lungs.\n\nIMPRESSION: Normal.", "s1");
/// assert_eq!(FullReport.sample(&r, 0, 0).as_deref(), Some("Clear lungs. Normal."));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FullReport;

impl TextSampler for FullReport {
    fn sample(&self, report: &Report, _epoch: u64, _index: u64) -> Option<String> {
        let body = report.body();
        if split_sentences(&body).is_empty() {
            return None;
        }
        Some(normalize(&body))
    }
}
