//! # convirt
//!
//! ConVIRT (Zhang et al., MLHC 2022): contrastive pretraining of medical image encoders from paired
//! images and radiology reports, on burn 0.22. This root crate re-exports the library crates, picks
//! the compute backend, and holds the tools shared by the examples and the `convirt` binary.
//!
//! The data path, crate by crate:
//!
//! | crate | re-exported as | role |
//! |---|---|---|
//! | `convirt-loss` | [`loss`] | ConVIRT's bidirectional InfoNCE and the baselines |
//! | `convirt-augment` | [`augment`] | the paper's X-ray transforms, fused and seeded; batch → tensor |
//! | `convirt-text-sampler` | [`text`] | reports → sections → sentences → token batches |
//! | `convirt-encoders` | [`encoders`] | the tower traits; ResNet, DenseNet, ViT and BERT towers, projection heads, PyTorch weights |
//! | `convirt-data` | [`data`] | the real dataset layouts (CheXpert, MIMIC-CXR, RSNA…) → typed records |
//! | `convirt-train` | [`train`] | the model, the step, the loop, checkpoints, the paper's optimiser and LR schedule |
//! | `convirt-pretrain` | [`pretrain`] | settings, data sources, loaders and the run on a model of any towers |
//! | `convirt-eval` | [`eval`] | AUROC, precision@k, bootstrap/paired statistics, label fractions, logistic probe, plots; the protocols (embed, linear probe, fine-tuning, retrieval, zero-shot) and the comparison on a model of any towers |
//!
//! | module | role |
//! |---|---|
//! | [`backend`] | `--backend flex|tch|wgpu|cuda` → a burn [`Device`](burn::tensor::Device) |
//! | [`allocator`] | glibc malloc's thresholds raised for flex training, which the binaries ask for |
//! | [`pretrain`] | `convirt pretrain`: `convirt-pretrain` (settings, data sources, loaders, the run on any towers) plus the built-in towers by name |
//! | [`compare`] | `convirt eval compare`: four encoders, both protocols, retrieval, the claims |
//! | [`overrides`] | `--set KEY=VALUE` on TOML-shaped settings (from `convirt-pretrain`) |
//! | [`embed`], [`probe`], [`finetune`], [`retrieval`], [`zeroshot`] | the evaluation protocols, re-exported from `convirt_eval::protocol` |
//! | [`setup`] | first run: fetch the assets, generate SynthCXR |
//! | [`towers`] | the built-in towers by name (`arch`), [`BuiltinModel`](towers::BuiltinModel) and [`with_model!`] |

// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub use convirt_augment as augment;
pub use convirt_data as data;
pub use convirt_encoders as encoders;
pub use convirt_eval as eval;
pub use convirt_loss as loss;
pub use convirt_text_sampler as text;
pub use convirt_train as train;

pub mod allocator;
pub mod backend;
// The protocols live in convirt-eval; their old paths stay.
pub use convirt_eval::protocol::{embed, finetune, probe, retrieval, zeroshot};
pub mod compare;
pub use convirt_pretrain::overrides;
pub mod pretrain;
pub mod setup;
pub mod towers;

pub use backend::{Backend, BackendError, DeviceSpec};
