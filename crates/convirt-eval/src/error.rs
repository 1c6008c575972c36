//! [`EvalError`]: every way an evaluation input can be wrong.

use std::path::PathBuf;

/// An evaluation input that cannot be scored, or a plot that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Two inputs that must pair up element by element have different lengths.
    #[error("{what}: {left} against {right} elements")]
    LengthMismatch {
        /// Which inputs, for the message.
        what: &'static str,
        /// The first input's length.
        left: usize,
        /// The second input's length.
        right: usize,
    },
    /// A row-major buffer whose length is not a multiple of its row width (or a zero width).
    #[error("{what}: {len} values do not form rows of {cols}")]
    Shape {
        /// Which input.
        what: &'static str,
        /// The buffer length.
        len: usize,
        /// The row width.
        cols: usize,
    },
    /// An input with no elements where at least one is needed.
    #[error("{what}: empty input")]
    Empty {
        /// Which input.
        what: &'static str,
    },
    /// A score (or feature) that is NaN or infinite.
    #[error("{what}: value at index {index} is {value}, not finite")]
    NotFinite {
        /// Which input.
        what: &'static str,
        /// The element's index in its buffer.
        index: usize,
        /// The value found.
        value: f64,
    },
    /// A label (column) with only positives or only negatives: AUROC is undefined.
    #[error("label {label}: all {count} examples are {}", if *positive { "positive" } else { "negative" })]
    SingleClass {
        /// The label column (0 for a single label).
        label: usize,
        /// The number of examples.
        count: usize,
        /// Whether they are all positive.
        positive: bool,
    },
    /// A class or category index outside the declared range.
    #[error("{what}: index {index} is out of range (there are {count})")]
    OutOfRange {
        /// Which input.
        what: &'static str,
        /// The index found.
        index: usize,
        /// The number of classes or categories.
        count: usize,
    },
    /// A class with no training example: its probe weights would diverge.
    #[error("class {class} has no training example")]
    AbsentClass {
        /// The class.
        class: usize,
    },
    /// An embedding row with zero norm: cosine similarity is undefined.
    #[error("{what}: row {row} has zero norm")]
    ZeroNorm {
        /// Which input.
        what: &'static str,
        /// The row.
        row: usize,
    },
    /// A parameter outside its allowed range (a fraction, a `k`, a confidence level…).
    #[error("{name} = {value}: {expected}")]
    BadParameter {
        /// The parameter.
        name: &'static str,
        /// The value given, printed.
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
    /// A plot could not be drawn.
    #[error("plot {path}: {message}")]
    Plot {
        /// The output file.
        path: PathBuf,
        /// What the drawing backend said.
        message: String,
    },
    /// A PNG could not be encoded or written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The cause.
        source: image::ImageError,
    },
}
