//! The error returned when an image cannot be loaded or a transform is misconfigured.

use std::path::PathBuf;

use thiserror::Error;

/// What went wrong when loading an image or building a transform.
#[derive(Debug, Error)]
pub enum AugmentError {
    /// An image has zero width or zero height.
    #[error("{source_name}: image is empty ({width}×{height}); at least 1×1 is required")]
    EmptyImage {
        /// The file, or a description of where the image came from.
        source_name: String,
        /// Its width.
        width: usize,
        /// Its height.
        height: usize,
    },
    /// A pixel buffer does not hold `width × height` samples.
    #[error("pixel buffer holds {len} samples but the image is {width}×{height}")]
    BufferSize {
        /// Samples given.
        len: usize,
        /// The image width.
        width: usize,
        /// The image height.
        height: usize,
    },
    /// The file could not be read or decoded.
    #[error("cannot decode image {path}: {source}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: image::ImageError,
    },
    /// A JPEG or PNG file that stops before its end marker: cut short in a copy or a download
    /// (decoders would pad the missing part silently).
    #[error("cannot decode image {path}: {message}")]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Where the data stops.
        message: String,
    },
    /// The decoder itself failed on malformed data (a panic inside it, caught).
    #[error("cannot decode image {path}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What happened.
        message: String,
    },
    /// The file could not be encoded or written.
    #[error("cannot write image {path}: {source}")]
    Encode {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: image::ImageError,
    },
    /// The decoded image has a pixel layout we do not convert to gray (e.g. 32-bit float RGB).
    #[error("image {path}: unsupported pixel layout {layout}")]
    UnsupportedLayout {
        /// The file.
        path: PathBuf,
        /// The layout, as the `image` crate names it.
        layout: String,
    },
    /// A transform parameter is out of its allowed range.
    #[error("{name} must be {requirement}, got {value}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// What it must be.
        requirement: &'static str,
        /// The value given.
        value: f64,
    },
    /// Images of one batch differ in size, or the batch is empty.
    #[error("cannot stack batch: {0}")]
    Batch(String),
}
