//! # convirt-train
//!
//! Pretraining ConVIRT. This first part holds the model, one train step and the paper's
//! optimisation recipe; the loop, checkpoints and progress reporting build on them.
//!
//! | file | what it holds |
//! |---|---|
//! | [`model`] | [`ConvirtModel`]: f_v, f_u, g_v, g_u |
//! | [`step`] | [`train_step`]: forward, loss, backward, optimiser step; NaN-safe |
//! | [`optimizer`] | [`paper_adam`]: Adam with PyTorch's semantics, lr 1e-4, weight decay 1e-6 |
//! | [`plateau`] | [`ReduceLrOnPlateau`]: PyTorch's scheduler on validation loss (burn has none) |
//! | [`error`] | [`TrainError`] |

#![warn(missing_docs)]

pub mod error;
pub mod model;
pub mod optimizer;
pub mod plateau;
pub mod step;

pub use error::TrainError;
pub use model::{ConvirtModel, ConvirtModelConfig};
pub use optimizer::{PAPER_LEARNING_RATE, PAPER_WEIGHT_DECAY, paper_adam};
pub use plateau::{PlateauConfig, ReduceLrOnPlateau, ThresholdMode};
pub use step::{PairBatch, StepLosses, StepOutcome, train_step};
