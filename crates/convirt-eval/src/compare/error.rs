//! [`CompareError`]: why a comparison stopped. Every unit finished before the error stays on
//! disk, so running again continues from there.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why `convirt eval compare` stopped.
#[derive(Debug, Error)]
pub enum CompareError {
    /// The configuration is inconsistent or could not be (de)serialised.
    #[error("compare configuration: {0}")]
    Config(String),
    /// A file could not be read or written.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Pretraining one method failed.
    #[error("pretraining {unit}: {source}")]
    Pretrain {
        /// `method-seedN`.
        unit: String,
        /// The cause.
        source: Box<convirt_pretrain::PretrainError>,
    },
    /// The linear probe, fine-tuning or zero-shot evaluation of one unit failed.
    #[error("evaluating {unit}: {source}")]
    Probe {
        /// `method-seedN`.
        unit: String,
        /// The cause.
        source: Box<crate::protocol::probe::ProbeError>,
    },
    /// Retrieval failed.
    #[error("retrieval of {unit}: {source}")]
    Retrieval {
        /// `method-seedN`.
        unit: String,
        /// The cause.
        source: Box<crate::protocol::retrieval::RetrievalError>,
    },
    /// A metric, statistic or plot failed.
    #[error("{context}: {source}")]
    Eval {
        /// What was being computed.
        context: String,
        /// The cause.
        source: crate::EvalError,
    },
}

impl CompareError {
    /// An I/O-like failure on `file`.
    pub fn io(file: &Path, message: impl std::fmt::Display) -> Self {
        Self::Io {
            file: file.to_path_buf(),
            message: message.to_string(),
        }
    }

    pub(crate) fn eval(context: impl Into<String>) -> impl FnOnce(crate::EvalError) -> Self {
        let context = context.into();
        move |source| Self::Eval { context, source }
    }
}
