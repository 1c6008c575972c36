//! # convirt-pretrain
//!
//! Pretraining as a library: a run's settings (TOML, `--set` overrides), its data sources and
//! loaders, and the run itself on a model of any towers, on top of convirt-train's loop.
//! convirt-eval's `compare` pretrains through it.
//! `convirt pretrain` and the examples are thin layers over it; the root crate `convirt` adds
//! the built-in towers chosen by name.
//!
//! ```no_run
//! # fn towers() -> (convirt_encoders::ResNet, convirt_encoders::Bert) { unimplemented!() }
//! use convirt_pretrain::{PretrainOptions, join_towers, pretrain_model};
//! let options = PretrainOptions::cpu();
//! let device = burn::tensor::Device::flex().autodiff();
//! let (image, text) = towers(); // any ImageTower and TextTower, e.g. your own
//! let model = join_towers(&options, image, text, &device)?;
//! let run = pretrain_model(&options, model, "runs/mine".as_ref(), &device, None)?;
//! println!("{} steps", run.summary.state.step);
//! # Ok::<(), convirt_pretrain::PretrainError>(())
//! ```
//!
//! | file | what it holds |
//! |---|---|
//! | [`options`] | [`PretrainOptions`]: TOML + overrides; the paper's and the CPU configuration |
//! | [`overrides`] | [`with_overrides`](overrides::with_overrides): `--set KEY=VALUE` on any TOML-shaped settings |
//! | [`augment`] | [`AugmentOptions`]: t_v's ranges as settings |
//! | [`source`] | [`DataSource`]: `synthcxr[:DIR]`, `mimic-cxr:ROOT`, `chexpert-plus:ROOT`, `iu-xray:ROOT` |
//! | [`synth_pairs`] | SynthCXR's `pairs` set as image–report examples |
//! | [`other_sources`] | CheXpert Plus and IU X-ray as examples |
//! | [`batches`] | [`LoaderSource`]: the prefetching loader as the trainer's batch source |
//! | [`run`] | [`pretrain_model`]: loaders → the loop, for a model of any towers |
//! | [`resume`] | [`check_resume`]: what a `--resume` may change, named key by key |
//! | [`trained`] | [`load_run_into`], [`run_checkpoint`]: a run's settings and checkpointed model |
//! | [`progress`] | [`Progress`]: the progress bar, the time budget, SIGINT/SIGTERM |
//! | [`plot`] | [`plot_loss_curve`]: `loss.png` from `metrics.jsonl` |
//! | [`error`] | [`PretrainError`] |

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod augment;
pub mod batches;
pub mod error;
pub mod options;
pub mod other_sources;
pub mod overrides;
pub mod plot;
pub mod progress;
pub mod resume;
pub mod run;
pub mod source;
pub mod synth_pairs;
pub mod trained;

pub use augment::AugmentOptions;
pub use batches::LoaderSource;
pub use error::PretrainError;
pub use options::{MAX_TIME_BUDGET_S, PretrainOptions, TextUnit};
pub use plot::plot_loss_curve;
pub use progress::{Progress, clear_signal, received_signal};
pub use resume::{ALWAYS_ALLOWED, check_resume};
pub use run::{
    Pretrained, check_run, join_towers, layout, loader_config, loaders, pretrain_model,
    pretrain_model_parallel, text_model_dir, tokenizer,
};
pub use source::DataSource;
pub use trained::{load_run_into, run_checkpoint};
