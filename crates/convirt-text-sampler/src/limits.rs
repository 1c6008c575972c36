//! [`Limits`]: how much input one report may be.

/// Size limits that keep a huge or hostile input from exhausting memory.
///
/// A real report is a few kilobytes (the largest IU XML file is under 10 kB, a MIMIC-CXR report
/// under 20 kB), so the default of 1 MiB leaves a wide margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one report may have: a MIMIC `.txt` file, an IU `.xml` file or archive
    /// member, or one CheXpert Plus CSV row. Larger ones give
    /// [`TextError::TooLarge`](crate::TextError::TooLarge).
    pub max_report_bytes: u64,
}

impl Limits {
    /// 1 MiB per report.
    pub const DEFAULT_MAX_REPORT_BYTES: u64 = 1 << 20;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_report_bytes: Self::DEFAULT_MAX_REPORT_BYTES,
        }
    }
}
