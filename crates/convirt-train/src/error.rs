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
    /// A checkpoint was written from other towers than the model it is loaded into (a
    /// ResNet50 run resumed as a DenseNet121, or with another number of input channels).
    #[error(
        "checkpoint {path} holds a model of other towers: it was written from {checkpoint}, the model to load it into is {model}; build the run's own towers (its config.toml) to load it"
    )]
    TowerMismatch {
        /// The checkpoint folder.
        path: std::path::PathBuf,
        /// The towers the checkpoint records.
        checkpoint: String,
        /// The towers of the model given.
        model: String,
    },
    /// A checkpoint does not fit the run it is resumed into.
    #[error("checkpoint {path}: {message}")]
    Checkpoint {
        /// The checkpoint folder.
        path: std::path::PathBuf,
        /// What does not fit.
        message: String,
    },
    /// A checkpoint file fails verification: missing, truncated, or its checksum differs from
    /// the manifest's.
    #[error("corrupted checkpoint {path}: {message}")]
    Corrupt {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Another process holds the run folder.
    #[error("run folder {path} is in use by another process (its .lock is held)")]
    Locked {
        /// The run folder.
        path: std::path::PathBuf,
    },
    /// A weight is NaN or infinite; no checkpoint was written.
    #[error("the model's {parameter} holds a NaN or an infinity: not checkpointed")]
    NonFiniteWeights {
        /// The parameter's module path.
        parameter: String,
    },
    /// A resume with settings other than the run's.
    #[error(
        "{path}: the run was started with other settings ({}); resume with the same settings, or allow the change explicitly (--allow-changed KEY)",
        keys.join(", ")
    )]
    ChangedSettings {
        /// The run's settings file.
        path: std::path::PathBuf,
        /// The settings that differ, as `key: old -> new`.
        keys: Vec<String>,
    },
    /// A fault injected by a [`FaultPlan`](crate::FaultPlan) (tests only): the writer stopped
    /// here as if the process had died.
    #[error("{path}: injected fault ({what})")]
    InjectedFault {
        /// The file being written.
        path: std::path::PathBuf,
        /// Which operation.
        what: String,
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
