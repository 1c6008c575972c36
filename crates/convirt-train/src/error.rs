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
    /// A validation loss was NaN or infinite.
    #[error("validation loss is not finite ({0}) at validation {1}")]
    NonFiniteMetric(f64, usize),
}
