//! [`ReportStats`]: counts over a collection of reports (`convirt reports stats`).

use serde::Serialize;

use crate::{Report, ReportSource, TextError, split_sentences};

/// How many reports have Findings, Impression, neither, and how many sentences they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReportStats {
    /// Reports read.
    pub reports: usize,
    /// Reports with non-empty Findings.
    pub with_findings: usize,
    /// Reports with non-empty Impression (for MIMIC, the fallback paragraph counts).
    pub with_impression: usize,
    /// Reports with neither: nothing to sample.
    pub empty: usize,
    /// Sentences of Findings + Impression per report, averaged over all reports (0 when there
    /// are none).
    pub sentences_mean: f64,
    #[serde(skip)]
    sentences: usize,
}

impl ReportStats {
    /// Counts one more report.
    pub fn add(&mut self, report: &Report) {
        self.reports += 1;
        self.with_findings += usize::from(report.has_findings());
        self.with_impression += usize::from(report.has_impression());
        self.empty += usize::from(report.is_empty());
        self.sentences += split_sentences(&report.body()).len();
        self.sentences_mean = self.sentences as f64 / self.reports as f64;
    }

    /// Total sentences over all reports.
    pub fn sentences(&self) -> usize {
        self.sentences
    }

    /// Reads every report of `source` and counts them.
    pub fn of(source: &ReportSource) -> Result<Self, TextError> {
        let mut stats = Self::default();
        source.for_each(&mut |r| {
            stats.add(&r);
            Ok(())
        })?;
        Ok(stats)
    }

    /// One JSON line: `{"reports":N,"with_findings":..,"with_impression":..,"empty":..,"sentences_mean":..}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
