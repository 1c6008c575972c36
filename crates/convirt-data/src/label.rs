//! [`Label`]: a CheXpert-style label, `1.0`/`0.0`/`-1.0`/blank, and the [`UncertaintyPolicy`]
//! that turns it into a training target.

use crate::DataError;
use crate::table::Row;

/// The 14 CheXpert observations, in the column order of CheXpert's and MIMIC-CXR's label CSVs.
pub const CHEXPERT_LABELS: [&str; 14] = [
    "No Finding",
    "Enlarged Cardiomediastinum",
    "Cardiomegaly",
    "Lung Opacity",
    "Lung Lesion",
    "Edema",
    "Consolidation",
    "Pneumonia",
    "Atelectasis",
    "Pneumothorax",
    "Pleural Effusion",
    "Pleural Other",
    "Fracture",
    "Support Devices",
];

/// One observation's label as the labeler wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// `1.0`: mentioned as present.
    Positive,
    /// `0.0`: mentioned as absent.
    Negative,
    /// `-1.0`: mentioned with uncertainty.
    Uncertain,
    /// Blank: not mentioned.
    Blank,
}

impl Label {
    /// Parses `1.0`/`1`, `0.0`/`0`, `-1.0`/`-1` or blank; anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "" => Some(Self::Blank),
            "1.0" | "1" => Some(Self::Positive),
            "0.0" | "0" => Some(Self::Negative),
            "-1.0" | "-1" => Some(Self::Uncertain),
            _ => None,
        }
    }

    /// The label in column `index` of `row`, or [`DataError::BadLabel`] naming file and line.
    pub fn from_row(row: &Row, index: usize) -> Result<Self, DataError> {
        let text = row.get(index);
        Self::parse(text).ok_or_else(|| DataError::BadLabel {
            file: row.file.to_owned(),
            line: row.line,
            column: row.column_name(index).to_owned(),
            value: text.to_owned(),
        })
    }

    /// The training target under `policy`: `None` means "mask this label out".
    pub fn target(self, policy: UncertaintyPolicy) -> Option<f32> {
        match (self, policy) {
            (Self::Positive, _) => Some(1.0),
            (Self::Negative | Self::Blank, _) => Some(0.0),
            (Self::Uncertain, UncertaintyPolicy::UZeros) => Some(0.0),
            (Self::Uncertain, UncertaintyPolicy::UOnes) => Some(1.0),
            (Self::Uncertain, UncertaintyPolicy::Ignore) => None,
        }
    }
}

/// What an uncertain (`-1.0`) label becomes (Irvin et al., 2019).
///
/// Blank ("not mentioned") is a negative (0) under every policy, as in CheXpert's baselines:
/// only the uncertain labels change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UncertaintyPolicy {
    /// Uncertain is negative (the default).
    #[default]
    UZeros,
    /// Uncertain is positive.
    UOnes,
    /// Uncertain is masked out of the loss.
    Ignore,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_values_and_nothing_else() {
        assert_eq!(Label::parse("1.0"), Some(Label::Positive));
        assert_eq!(Label::parse("0"), Some(Label::Negative));
        assert_eq!(Label::parse("-1.0"), Some(Label::Uncertain));
        assert_eq!(Label::parse(" "), Some(Label::Blank));
        for bad in ["2.0", "yes", "1.5", "-0.5", "nan"] {
            assert_eq!(Label::parse(bad), None, "{bad}");
        }
    }
}
