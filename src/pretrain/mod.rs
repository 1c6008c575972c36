//! `convirt pretrain`: settings, data sources and the run, on top of convirt-train's loop.
//!
//! | file | what it holds |
//! |---|---|
//! | [`augment`] | [`AugmentOptions`]: t_v's ranges as settings |
//! | [`options`] | [`PretrainOptions`]: TOML + overrides; the paper's and the CPU configuration |
//! | [`source`] | [`DataSource`]: `synthcxr[:DIR]`, `mimic-cxr:ROOT`, `chexpert-plus:ROOT`, `iu-xray:ROOT` |
//! | [`synth_pairs`] | SynthCXR's `pairs` set as image–report examples |
//! | [`other_sources`] | CheXpert Plus and IU X-ray as examples |
//! | [`batches`] | [`LoaderSource`]: the prefetching loader as the trainer's batch source |
//! | [`plot`] | [`plot_loss_curve`]: `loss.png` from `metrics.jsonl` |
//! | [`progress`] | [`Progress`]: the progress bar and the time budget |
//! | [`resume`] | [`check_resume`]: what a `--resume` may change, named key by key |
//! | [`run`] | [`pretrain`]: towers, loaders, the loop |
//! | [`trained`] | [`load_run`]: a run's settings and checkpointed model |
//! | [`error`] | [`PretrainError`] |

pub mod augment;
pub mod batches;
pub mod error;
pub mod options;
pub mod other_sources;
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
    Pretrained, initial_model, join_towers, layout, loader_config, loaders, model, model_with,
    pretrain, pretrain_model, pretrain_parallel, resume_allowing, text_model_dir, text_tower,
    tokenizer,
};
pub use source::DataSource;
pub use trained::{load_run, load_run_into, run_checkpoint};
