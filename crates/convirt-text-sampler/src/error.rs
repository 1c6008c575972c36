//! The error every parser, reader and tokenizer call returns.

use std::path::PathBuf;

use thiserror::Error;

/// What went wrong while reading reports or encoding text. Every variant that comes from a file
/// names it (for archive members and CSV rows: `archive.tgz:member` or the row's line number).
#[derive(Debug, Error)]
pub enum TextError {
    /// The file could not be opened or read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not UTF-8 (reports are UTF-8 text; nothing is decoded lossily).
    #[error("{file}: not UTF-8 (first invalid byte at offset {offset})")]
    NotUtf8 {
        /// The file.
        file: PathBuf,
        /// Byte offset of the first invalid byte (for CSV: within the row).
        offset: usize,
    },
    /// The bytes hold NUL or other control characters that text never has: a binary file.
    #[error("{file}: binary data, not a text report ({reason})")]
    Binary {
        /// The file.
        file: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// One report is larger than [`Limits::max_report_bytes`](crate::Limits).
    #[error("{file}: report of {size} bytes or more exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        file: PathBuf,
        /// Its size (at least this many bytes).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is empty where a format needs content (an IU XML file, a CSV without a header).
    #[error("{file}: empty file")]
    Empty {
        /// The file.
        file: PathBuf,
    },
    /// Malformed IU X-ray XML.
    #[error("{file}: malformed XML at byte {position}: {message}")]
    Xml {
        /// The file.
        file: PathBuf,
        /// Byte position of the error.
        position: u64,
        /// quick-xml's message.
        message: String,
    },
    /// A CSV file could not be parsed.
    #[error("{file}:{line}: malformed CSV: {message}")]
    Csv {
        /// The file.
        file: PathBuf,
        /// 1-based line number, 0 when unknown.
        line: u64,
        /// The csv crate's message.
        message: String,
    },
    /// A CSV field outside the free-text columns holds a line break: an unbalanced quote has
    /// merged the rows after it into this one.
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
    /// A CSV file ends inside a quoted field: an unbalanced quote swallowed everything after it.
    #[error(
        "{file}:{line}: the record beginning here has an unterminated quote: it runs to the end of the file"
    )]
    UnterminatedQuote {
        /// The file.
        file: PathBuf,
        /// The 1-based line where the record begins.
        line: u64,
    },
    /// A CSV file lacks a column the format needs.
    #[error("{file}: missing CSV column {column:?}")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A folder holds no reports of any known format, or reports of more than one.
    #[error("{file}: {message}")]
    UnknownFormat {
        /// The path.
        file: PathBuf,
        /// Why no format could be chosen.
        message: String,
    },
    /// A file of the real assets is missing.
    #[error(
        "{file} is missing: run scripts/fetch-assets.sh (it fetches into $CONVIRT_ASSETS, default ~/.cache/convirt/assets)"
    )]
    MissingAsset {
        /// The expected path.
        file: PathBuf,
    },
    /// The tokenizer could not be loaded or configured, or encoding failed.
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    /// A model's embedding of a text holds NaN or an infinity; it is not written or scored.
    #[error(
        "the embedding of text {index} ({text:?}) is not finite (NaN or infinite): the model's output for it is unusable"
    )]
    NonFiniteEmbedding {
        /// The text's 0-based position in its list.
        index: usize,
        /// The text (its first 80 characters).
        text: String,
    },
    /// A bad argument (an empty batch, a zero maximum length, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl TextError {
    /// The file the error names (for CSV rows, `file:line`, as the message has it), `None` for
    /// tokenizer, argument and embedding errors.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Self::Io { file, .. }
            | Self::NotUtf8 { file, .. }
            | Self::Binary { file, .. }
            | Self::TooLarge { file, .. }
            | Self::Empty { file }
            | Self::Xml { file, .. }
            | Self::Csv { file, .. }
            | Self::SpansLines { file, .. }
            | Self::UnterminatedQuote { file, .. }
            | Self::MissingColumn { file, .. }
            | Self::UnknownFormat { file, .. }
            | Self::MissingAsset { file } => Some(file),
            Self::Tokenizer(_) | Self::InvalidArgument(_) | Self::NonFiniteEmbedding { .. } => None,
        }
    }

    /// The 1-based line, for CSV errors.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Csv { line, .. }
            | Self::SpansLines { line, .. }
            | Self::UnterminatedQuote { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// Wraps an I/O error with the file it came from.
    pub fn io(file: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            file: file.into(),
            source,
        }
    }
}
