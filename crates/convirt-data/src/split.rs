//! [`Split`]: train, validate or test, as a dataset's split file names it.

use crate::DataError;
use crate::table::Row;

/// A dataset split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Split {
    /// `train`.
    Train,
    /// `validate` (MIMIC-CXR), `valid` (CheXpert) or `val`.
    Validate,
    /// `test`.
    Test,
}

impl Split {
    /// Parses `train`, `validate`/`valid`/`val` or `test` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "train" => Some(Self::Train),
            "validate" | "valid" | "val" => Some(Self::Validate),
            "test" => Some(Self::Test),
            _ => None,
        }
    }

    /// The split in column `index` of `row`, or [`DataError::BadField`].
    pub fn from_row(row: &Row, index: usize) -> Result<Self, DataError> {
        let text = row.get(index);
        Self::parse(text).ok_or_else(|| row.bad_field(index, format!("{text:?} is not a split")))
    }
}
