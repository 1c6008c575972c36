//! # convirt-plot
//!
//! PNG charts that need no system fonts, for the crates that draw them (the loss curve of a
//! pretraining run, convirt-eval's ROC curves). Below both pretraining and evaluation in the
//! crate graph, so that each can draw.
//!
//! | file | what it holds |
//! |---|---|
//! | [`font`] | [`register_font`]: DejaVu Sans, compiled in, as plotters' `sans-serif` |
//! | [`lines`] | [`plot_lines()`]: named line series → PNG (loss curves) |
//! | [`error`] | [`PlotError`] |

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod error;
pub mod font;
pub mod lines;

pub use error::PlotError;
pub use font::register_font;
pub use lines::{LINE_PLOT_SIZE, Series, plot_lines};
