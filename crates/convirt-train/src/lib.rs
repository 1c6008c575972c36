//! # convirt-train
//!
//! Pretraining ConVIRT. This first part holds the paper's optimisation recipe; the training loop,
//! checkpoints and progress reporting build on it.
//!
//! | file | what it holds |
//! |---|---|
//! | [`optimizer`] | [`paper_adam`]: Adam with PyTorch's semantics, lr 1e-4, weight decay 1e-6 |
//! | [`plateau`] | [`ReduceLrOnPlateau`]: PyTorch's scheduler on validation loss (burn has none) |
//! | [`error`] | [`TrainError`] |

#![warn(missing_docs)]

pub mod error;
pub mod optimizer;
pub mod plateau;

pub use error::TrainError;
pub use optimizer::{PAPER_LEARNING_RATE, PAPER_WEIGHT_DECAY, paper_adam};
pub use plateau::{PlateauConfig, ReduceLrOnPlateau, ThresholdMode};
