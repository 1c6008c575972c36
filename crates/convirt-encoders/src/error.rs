//! Errors from building encoders and moving their weights.

use std::path::PathBuf;

use thiserror::Error;

/// What went wrong while configuring an encoder or loading or saving its weights.
#[derive(Debug, Error)]
pub enum EncoderError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A `config.json` could not be parsed or describes an unsupported model.
    #[error("{path}: invalid config: {reason}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The checkpoint folder holds no weights file we can read.
    #[error("{0}: no model.safetensors or pytorch_model.bin found")]
    NoWeights(PathBuf),
    /// The model expects parameters the checkpoint does not have.
    #[error("{path}: {} missing key(s), first: {}", keys.len(), keys.first().map(String::as_str).unwrap_or("?"))]
    MissingKeys {
        /// The checkpoint.
        path: PathBuf,
        /// The model paths with no tensor in the checkpoint.
        keys: Vec<String>,
    },
    /// A tensor exists but cannot be applied (wrong shape or dtype).
    #[error("{path}: key {key}: {reason}")]
    BadTensor {
        /// The checkpoint.
        path: PathBuf,
        /// The model path.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The storage layer failed (corrupt file, unsupported format).
    #[error("{path}: {reason}")]
    Store {
        /// The checkpoint.
        path: PathBuf,
        /// The store's message.
        reason: String,
    },
    /// An argument is out of range (for example freezing more layers than the model has).
    #[error("{0}")]
    Invalid(String),
}
