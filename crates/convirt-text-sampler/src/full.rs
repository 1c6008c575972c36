//! [`FullReport`]: the whole of Findings + Impression.

use crate::{Report, TextSampler, normalize};

/// Findings then Impression, whitespace collapsed to single spaces; the same text at every
/// draw. Long reports are cut by the tokenizer's truncation (128 tokens by default).
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
        Some(normalize(&report.body())).filter(|t| !t.is_empty())
    }
}
