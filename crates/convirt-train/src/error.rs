//! Errors of the training crate.

use thiserror::Error;

/// What went wrong while configuring or running training.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TrainError {
    /// A hyperparameter is out of range.
    #[error("{name} must be {requirement}, got {value}")]
    InvalidParameter {
        /// Which hyperparameter.
        name: &'static str,
        /// What it must be.
        requirement: &'static str,
        /// The value given.
        value: f64,
    },
    /// The training loss was NaN or infinite; the model was not updated.
    #[error("training loss is not finite ({value}) at step {step}")]
    NonFiniteLoss {
        /// The step.
        step: u64,
        /// The loss.
        value: f32,
    },
    /// Building or running the model failed.
    #[error("model: {0}")]
    Model(String),
    /// A validation loss was NaN or infinite.
    #[error("validation loss is not finite ({0}) at validation {1}")]
    NonFiniteMetric(f64, usize),
    /// The data source failed (a missing file, an unreadable image, a malformed report).
    #[error("data at step {step}: {message}")]
    Data {
        /// The step being assembled.
        step: u64,
        /// The source's error, naming the file.
        message: String,
    },
    /// Reading or writing a checkpoint, a log or a plot failed.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: std::path::PathBuf,
        /// What happened.
        message: String,
    },
    /// A checkpoint does not fit the run it is resumed into.
    #[error("checkpoint {path}: {message}")]
    Checkpoint {
        /// The checkpoint folder.
        path: std::path::PathBuf,
        /// What does not fit.
        message: String,
    },
}

impl TrainError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<std::path::PathBuf>, error: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.into(),
            message: error.to_string(),
        }
    }
}
