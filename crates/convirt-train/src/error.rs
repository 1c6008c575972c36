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
}
