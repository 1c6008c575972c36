//! [`DataError`]: every way a dataset file can be wrong, naming the file and, for rows, the line.

use std::path::PathBuf;

/// An error reading a dataset file. Row errors carry the 1-based line of the file.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file is missing or unreadable.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid CSV (or not a readable archive).
    #[error("{file}:{line}: {message}")]
    Csv {
        /// The file.
        file: PathBuf,
        /// The 1-based line (0 when the reader could not tell).
        line: u64,
        /// What the CSV or archive reader said.
        message: String,
    },
    /// The header lacks a column this loader needs.
    #[error("{file}: missing column {column:?}")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column's name.
        column: String,
    },
    /// A row has the wrong number of fields.
    #[error("{file}:{line}: {found} fields, the header has {expected}")]
    ColumnCount {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The header's field count.
        expected: usize,
        /// The row's field count.
        found: usize,
    },
    /// A label that is not `1.0`, `0.0`, `-1.0` or blank.
    #[error("{file}:{line}: column {column:?}: label {value:?} is not 1.0, 0.0, -1.0 or blank")]
    BadLabel {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The label's column.
        column: String,
        /// The text found.
        value: String,
    },
    /// A field that does not parse (a number, a split name, an id).
    #[error("{file}:{line}: column {column:?}: {message}")]
    BadField {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A path that is not in the dataset's expected layout.
    #[error("{file}:{line}: path {path:?} is not in the layout {expected}")]
    BadPath {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The path found.
        path: String,
        /// The layout expected, for the message.
        expected: &'static str,
    },
    /// A file the dataset needs is not there (an image, a report).
    #[error("{file}: missing ({what})")]
    Missing {
        /// The file expected.
        file: PathBuf,
        /// What it was expected for.
        what: String,
    },
    /// An archive (a `.zip`) that cannot be opened or read.
    #[error("{file}: archive: {message}")]
    Archive {
        /// The archive.
        file: PathBuf,
        /// What the archive reader said.
        message: String,
    },
    /// An image that cannot be decoded or written (`archive.zip:member.png` for archive members).
    #[error("{file}: image: {message}")]
    Image {
        /// The image file.
        file: PathBuf,
        /// What the decoder or encoder said.
        message: String,
    },
    /// An error from convirt-text-sampler: a missing asset (run `scripts/fetch-assets.sh`) or an
    /// unreadable report.
    #[error(transparent)]
    Text(#[from] convirt_text_sampler::TextError),
}

impl DataError {
    /// [`DataError::Io`] for `file`.
    pub fn io(file: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            file: file.into(),
            source,
        }
    }
}
