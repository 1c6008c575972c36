//! What can stop `convirt pretrain` before or while it trains.

use thiserror::Error;

/// A pretraining run's error: each names what failed (file, setting, step).
#[derive(Debug, Error)]
pub enum PretrainError {
    /// A setting is invalid (unknown data source, architecture, a bad override).
    #[error("configuration: {0}")]
    Config(String),
    /// Reading the dataset failed.
    #[error(transparent)]
    Data(#[from] convirt_data::DataError),
    /// Loading a tower or its weights failed.
    #[error(transparent)]
    Encoder(#[from] convirt_encoders::EncoderError),
    /// The tokenizer or a report failed.
    #[error(transparent)]
    Text(#[from] convirt_text_sampler::TextError),
    /// Training failed (NaN at a step, a checkpoint that does not fit, I/O).
    #[error(transparent)]
    Train(#[from] convirt_train::TrainError),
    /// SIGINT or SIGTERM stopped the run at a step boundary, after checkpointing it.
    #[error(
        "interrupted by {signal} after step {step}: checkpointed in {run_dir}; run again with --resume to continue exactly"
    )]
    Interrupted {
        /// `SIGINT` or `SIGTERM`.
        signal: &'static str,
        /// The last step taken.
        step: u64,
        /// The run folder.
        run_dir: std::path::PathBuf,
    },
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What happened.
        message: String,
    },
}

impl PretrainError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<std::path::PathBuf>, error: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.into(),
            message: error.to_string(),
        }
    }
}
