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
    /// An image file that cannot be decoded (corrupt, truncated, unsupported layout or DICOM
    /// transfer syntax).
    #[error("{file}: cannot read image: {message}")]
    Image {
        /// The file.
        file: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// A report without text to sample (no Findings or Impression sentence).
    #[error("{file}: report has no Findings or Impression text")]
    EmptyReport {
        /// The report's file, or its id when it came from an archive or CSV.
        file: PathBuf,
    },
    /// An image whose transformed size differs from the rest of its batch.
    #[error("{file}: transformed to {found:?}, the batch is {expected:?} (width, height)")]
    ImageSize {
        /// The image file.
        file: PathBuf,
        /// The batch's size.
        expected: (usize, usize),
        /// This image's size.
        found: (usize, usize),
    },
    /// A field outside the free-text columns holds a line break: an unbalanced quote has merged
    /// the rows after it into this one (or the file is not the CSV it should be).
    #[error(
        "{file}:{line}: column {column:?} spans {lines} lines (an unbalanced quote?); only free-text columns may hold line breaks"
    )]
    SpansLines {
        /// The file.
        file: PathBuf,
        /// The 1-based line where the record begins.
        line: u64,
        /// The column.
        column: String,
        /// How many lines the field spans.
        lines: usize,
    },
    /// The file ends inside a quoted field: an unbalanced quote swallowed everything after it.
    #[error(
        "{file}:{line}: the record beginning here has an unterminated quote: it runs to the end of the file"
    )]
    UnterminatedQuote {
        /// The file.
        file: PathBuf,
        /// The 1-based line where the record begins.
        line: u64,
    },
    /// A text (a retrieval or zero-shot query) that is empty or only whitespace.
    #[error("{file}:{line}: column {column:?} is empty; a query needs text")]
    EmptyText {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column.
        column: String,
    },
    /// A file with a header and no data rows, where rows are needed (a query file).
    #[error("{file}: no rows below the header")]
    NoRows {
        /// The file.
        file: PathBuf,
    },
    /// A model's embedding of an input holds NaN or an infinity; it is not written or scored.
    #[error(
        "the embedding of {input} is not finite (NaN or infinite): the model's output for it is unusable"
    )]
    NonFiniteEmbedding {
        /// The input: an image file, or a description of the image.
        input: String,
    },
    /// A loader setting that cannot work (zero batch size, zero threads, no examples).
    #[error("invalid loader setting: {0}")]
    Config(String),
    /// A loader worker panicked while building a batch (a bug, not bad input).
    #[error("loader worker panicked: {0}")]
    Worker(String),
    /// An error from convirt-text-sampler: a missing asset (run `scripts/fetch-assets.sh`) or an
    /// unreadable report.
    #[error(transparent)]
    Text(#[from] convirt_text_sampler::TextError),
}

impl DataError {
    /// The file the error is about (for errors from a text file, the one the text error names),
    /// `None` for a setting, a worker panic or an embedding.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Self::Io { file, .. }
            | Self::Csv { file, .. }
            | Self::MissingColumn { file, .. }
            | Self::ColumnCount { file, .. }
            | Self::BadLabel { file, .. }
            | Self::BadField { file, .. }
            | Self::BadPath { file, .. }
            | Self::Missing { file, .. }
            | Self::Archive { file, .. }
            | Self::Image { file, .. }
            | Self::EmptyReport { file }
            | Self::ImageSize { file, .. }
            | Self::SpansLines { file, .. }
            | Self::UnterminatedQuote { file, .. }
            | Self::EmptyText { file, .. }
            | Self::NoRows { file } => Some(file),
            Self::Text(e) => e.file(),
            Self::Config(_) | Self::Worker(_) | Self::NonFiniteEmbedding { .. } => None,
        }
    }

    /// The 1-based line of the file the error is about, for row errors (0 when unknown).
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Csv { line, .. }
            | Self::ColumnCount { line, .. }
            | Self::BadLabel { line, .. }
            | Self::BadField { line, .. }
            | Self::BadPath { line, .. }
            | Self::SpansLines { line, .. }
            | Self::UnterminatedQuote { line, .. }
            | Self::EmptyText { line, .. } => Some(*line),
            Self::Text(e) => e.line(),
            _ => None,
        }
    }

    /// A short name of the error's kind, for logs (`"io"`, `"image"`, `"bad_field"`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::Csv { .. } => "csv",
            Self::MissingColumn { .. } => "missing_column",
            Self::ColumnCount { .. } => "column_count",
            Self::BadLabel { .. } => "bad_label",
            Self::BadField { .. } => "bad_field",
            Self::BadPath { .. } => "bad_path",
            Self::Missing { .. } => "missing",
            Self::Archive { .. } => "archive",
            Self::Image { .. } => "image",
            Self::EmptyReport { .. } => "empty_report",
            Self::ImageSize { .. } => "image_size",
            Self::SpansLines { .. } => "spans_lines",
            Self::UnterminatedQuote { .. } => "unterminated_quote",
            Self::EmptyText { .. } => "empty_text",
            Self::NoRows { .. } => "no_rows",
            Self::NonFiniteEmbedding { .. } => "non_finite_embedding",
            Self::Config(_) => "config",
            Self::Worker(_) => "worker",
            Self::Text(_) => "text",
        }
    }

    /// [`DataError::Io`] for `file`.
    pub fn io(file: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            file: file.into(),
            source,
        }
    }
}
