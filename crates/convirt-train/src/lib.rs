//! # convirt-train
//!
//! Pretraining ConVIRT: the model, the step, the paper's optimisation recipe, and the loop that
//! validates, schedules, stops early, checkpoints and resumes exactly.
//!
//! | file | what it holds |
//! |---|---|
//! | [`model`] | [`ConvirtModel<I, T>`](ConvirtModel): f_v, f_u (any towers), g_v, g_u; [`TowerSpec`], what checkpoints record |
//! | [`config`] | [`TrainConfig`]: the run's settings, the paper's by default |
//! | [`objective`] | [`Objective`]: ConVIRT, or the SimCLR / Contrastive-Binary baselines |
//! | [`batch`] | [`HostBatch`] from the data path, and the [`BatchSource`] trait |
//! | [`step`] | [`train_step`] / [`host_step`]: forward, loss, backward, optimiser step; NaN-safe |
//! | [`feature_cache`] | [`cached_step`]: batches larger than memory, exact (GradCache) |
//! | [`collective`] | [`Collective`]: a sum across devices (burn's `all_reduce`, or via the host) |
//! | [`data_parallel`] | [`data_parallel_gradients`]: one shard per device, global negatives |
//! | [`validate`] | [`validation_loss`] through `model.valid()` |
//! | [`trainer`] | [`Trainer`]: the loop |
//! | [`state`] | [`TrainState`]: the loop's cursor and the schedule's memory |
//! | [`run_folder`] | [`RunFolder`]: the run's lock, its id, nothing written before the checks |
//! | [`checkpoint`] | [`Checkpoints`]: atomic writes, last and best, portable across backends |
//! | [`manifest`] | [`Manifest`]: each checkpoint's run id, towers and per-file SHA-256, verified on load |
//! | [`finite`] | [`check_finite`]: no checkpoint of a NaN model |
//! | [`faults`] | [`FaultPlan`]: deterministic faults in the checkpoint writer, for tests |
//! | [`log`] | [`MetricsLog`]: `metrics.jsonl` |
//! | [`observer`] | [`Observer`]: hooks for a progress bar |
//! | [`optimizer`] | [`paper_adam`]: Adam with PyTorch's semantics, lr 1e-4, weight decay 1e-6; [`FusedAdam`], its step one fused operation per parameter |
//! | [`plateau`] | [`ReduceLrOnPlateau`]: PyTorch's scheduler on validation loss (burn has none) |
//! | [`error`] | [`TrainError`] |

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod batch;
pub mod checkpoint;
pub mod collective;
pub mod config;
pub mod data_parallel;
mod embed;
pub mod error;
pub mod faults;
pub mod feature_cache;
pub mod finite;
pub mod log;
pub mod manifest;
pub mod model;
pub mod objective;
pub mod observer;
pub mod optimizer;
pub mod plateau;
pub mod run_folder;
pub mod state;
pub mod step;
pub mod trainer;
pub mod validate;

pub use batch::{BatchSource, HostBatch};
pub use checkpoint::{Checkpoints, Pointer, Which};
pub use collective::Collective;
pub use config::TrainConfig;
pub use data_parallel::{data_parallel_gradients, data_parallel_step};
pub use error::TrainError;
pub use faults::{FaultPlan, FaultPoint};
pub use feature_cache::{MicroContext, cached_gradients, cached_step, ghost_gradients};
pub use finite::check_finite;
pub use log::{MetricsLog, Record, read_records};
pub use manifest::{FileDigest, Manifest};
pub use model::{ConvirtModel, ConvirtModelConfig, TowerSpec};
pub use objective::Objective;
pub use observer::{Observer, Silent};
pub use optimizer::{
    FusedAdam, FusedAdamConfig, PAPER_LEARNING_RATE, PAPER_WEIGHT_DECAY, paper_adam,
};
pub use plateau::{PlateauConfig, ReduceLrOnPlateau, ThresholdMode};
pub use run_folder::RunFolder;
pub use state::TrainState;
pub use step::{PairBatch, StepContext, StepLosses, StepOutcome, host_step, train_step};
pub use trainer::{StopReason, Summary, Trainer, step_seed};
pub use validate::validation_loss;
