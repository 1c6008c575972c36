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
    /// A bad argument (an empty batch, a zero maximum length, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl TextError {
    /// Wraps an I/O error with the file it came from.
    pub fn io(file: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            file: file.into(),
            source,
        }
    }
}
