//! The error every loss returns on bad arguments or bad inputs.

use thiserror::Error;

/// What went wrong when building or evaluating a contrastive loss.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LossError {
    /// The temperature must be finite and strictly positive.
    #[error("temperature must be finite and > 0, got {0}")]
    InvalidTemperature(f64),
    /// λ weights the image→text direction and must lie in [0, 1].
    #[error("lambda must lie in [0, 1], got {0}")]
    InvalidLambda(f64),
    /// A scale, bias or clamp bound that must be finite (and, for scales, positive) was not.
    #[error("{name} must be {requirement}, got {value}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// What it must be.
        requirement: &'static str,
        /// The value given.
        value: f64,
    },
    /// The batch has no rows, or the embeddings have no columns.
    #[error("empty batch: {which} has shape {shape:?}")]
    EmptyBatch {
        /// Which input (`"a"`/`"b"`, or the loss's own names).
        which: &'static str,
        /// Its shape.
        shape: [usize; 2],
    },
    /// The two inputs must have the same `[N, D]` shape.
    #[error("shape mismatch: {a_name} is {a:?} but {b_name} is {b:?}")]
    ShapeMismatch {
        /// Name of the first input.
        a_name: &'static str,
        /// Shape of the first input.
        a: [usize; 2],
        /// Name of the second input.
        b_name: &'static str,
        /// Shape of the second input.
        b: [usize; 2],
    },
    /// An input holds NaN or ±inf.
    #[error("{which} contains NaN or infinite values")]
    NonFiniteInput {
        /// Which input.
        which: &'static str,
    },
    /// A negative index for the Contrastive-Binary loss is out of range or the list has the wrong length.
    #[error("negative indices: {0}")]
    InvalidNegatives(String),
}
