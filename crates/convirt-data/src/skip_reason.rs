//! [`SkipReason`]: one dropped row or example, kept as text with the file and line it names, so
//! that every skip of a run can be written out (`skips.jsonl`), not only a count.

use std::path::PathBuf;

use crate::DataError;

/// Why one row or example was dropped under [`SkipPolicy::SkipAndCount`](crate::SkipPolicy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkipReason {
    /// The file the skip is about: the missing or unreadable image, the report, the CSV whose
    /// row was bad. `None` only for errors that name no file.
    pub file: Option<PathBuf>,
    /// The 1-based line of a CSV row (0 when the reader could not tell); `None` otherwise.
    pub line: Option<u64>,
    /// The error's kind ([`DataError::kind`]): `"io"` for a missing file, `"image"`, `"csv"`,
    /// `"bad_field"`, `"empty_report"`, ...
    pub kind: &'static str,
    /// The whole error message; it names the file too.
    pub message: String,
}

impl SkipReason {
    /// The reason for `error`.
    pub fn from_error(error: &DataError) -> Self {
        Self {
            file: error.file().map(std::path::Path::to_path_buf),
            line: error.line(),
            kind: error.kind(),
            message: error.to_string(),
        }
    }

    /// One JSON object: `{"kind": .., "file": .. | null, "line": .. | null, "message": ..}`
    /// (the path written lossily if it is not UTF-8), one line of a `skips.jsonl`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind,
            "file": self.file.as_ref().map(|f| f.to_string_lossy().into_owned()),
            "line": self.line,
            "message": self.message,
        })
    }
}

impl std::fmt::Display for SkipReason {
    /// The error message, which names the file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&DataError> for SkipReason {
    fn from(error: &DataError) -> Self {
        Self::from_error(error)
    }
}
