//! [`Report`]: one radiology report, split into the sections ConVIRT uses.

use serde::{Deserialize, Serialize};

use crate::MeshTerm;

/// One named section of a report other than Findings and Impression (Indication, Comparison, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The header as written, upper-cased, without the colon (`"INDICATION"`).
    pub name: String,
    /// The section's text, whitespace-normalised by [`normalize_lines`](crate::normalize_lines).
    pub text: String,
}

/// One radiology report, whatever format it came from.
///
/// `findings` and `impression` are whitespace-normalised by
/// [`normalize_lines`](crate::normalize_lines): spaces collapse, line breaks survive (they mark
/// list items and paragraphs for the [sentence splitter](crate::split_sentences)). An absent
/// section is the empty string. De-identification tokens (IU's `XXXX`, MIMIC's `___`) are kept
/// as they are: the tokenizer sees them as ordinary word pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// A stable id: the IU `uId` (`"CXR3029"`), the MIMIC study file stem (`"s50414267"`), or the
    /// CheXpert Plus `path_to_image` (else the CSV line number).
    pub id: String,
    /// The Findings section.
    pub findings: String,
    /// The Impression section (for MIMIC, possibly the [fallback](crate::mimic) paragraph).
    pub impression: String,
    /// Whether `impression` came from the MIMIC last-paragraph fallback rather than a header.
    pub fallback: bool,
    /// The other sections, in the order they appear.
    pub sections: Vec<Section>,
    /// IU X-ray only: the MeSH `<major>` terms, with their qualifiers.
    pub mesh: Vec<MeshTerm>,
    /// IU X-ray only: the ids of the report's images (`parentImage id`, e.g. `"CXR3029_IM-1404-1001"`).
    pub images: Vec<String>,
}

impl Report {
    /// Whether the Findings section has text.
    pub fn has_findings(&self) -> bool {
        !self.findings.trim().is_empty()
    }

    /// Whether the Impression section has text.
    pub fn has_impression(&self) -> bool {
        !self.impression.trim().is_empty()
    }

    /// Whether neither Findings nor Impression has text: nothing for ConVIRT to sample. (The
    /// samplers also return `None` for text without a sentence, such as punctuation only.)
    pub fn is_empty(&self) -> bool {
        !self.has_findings() && !self.has_impression()
    }

    /// Findings then Impression, separated by a blank line (a sentence break), the text ConVIRT
    /// samples from. Empty when [`is_empty`](Self::is_empty).
    pub fn body(&self) -> String {
        match (self.has_findings(), self.has_impression()) {
            (true, true) => format!("{}\n\n{}", self.findings, self.impression),
            (true, false) => self.findings.clone(),
            (false, true) => self.impression.clone(),
            (false, false) => String::new(),
        }
    }

    /// The named section's text (case-insensitive), if the report has it. `"FINDINGS"` and
    /// `"IMPRESSION"` look at the dedicated fields.
    pub fn section(&self, name: &str) -> Option<&str> {
        let upper = name.trim().to_ascii_uppercase();
        match upper.as_str() {
            "FINDINGS" => Some(self.findings.as_str()).filter(|_| self.has_findings()),
            "IMPRESSION" => Some(self.impression.as_str()).filter(|_| self.has_impression()),
            _ => self
                .sections
                .iter()
                .find(|s| s.name == upper)
                .map(|s| s.text.as_str()),
        }
    }
}
