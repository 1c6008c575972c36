//! [`PlotError`]: a chart that could not be drawn or written, with its file.

use std::path::PathBuf;

use thiserror::Error;

/// Why a chart was not written.
#[derive(Debug, Error)]
pub enum PlotError {
    /// The chart could not be drawn (no finite point, a backend failure).
    #[error("plot {path}: {message}")]
    Draw {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The PNG could not be encoded or written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The encoder's error.
        source: image::ImageError,
    },
}
