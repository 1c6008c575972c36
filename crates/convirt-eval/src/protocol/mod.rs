//! The evaluation protocols, on a model of any towers
//! ([`ConvirtModel<I, T>`](convirt_train::ConvirtModel)): what `convirt eval` runs, for a Rust
//! user to evaluate an encoder of their own without the CLI. Behind the `protocols` feature (on
//! by default); without it this crate is the metrics alone, without burn.
//!
//! | file | what it holds |
//! |---|---|
//! | [`embed`] | images and sentences → embeddings (pooled f_v features or projected v, u) |
//! | [`probe`] | the linear probe: label fractions, seeds, mean AUROC ([`probe::linear_probe`]) |
//! | [`finetune`] | fine-tuning the image tower with a linear classifier ([`finetune::fine_tune`]) |
//! | [`retrieval`] | zero-shot image→image and text→image Precision@k, 8×200 format ([`retrieval::evaluate`]) |
//! | [`zeroshot`] | zero-shot classification with positive and negative prompts ([`zeroshot::zero_shot`]) |

pub mod embed;
pub mod finetune;
pub mod probe;
pub mod retrieval;
pub mod zeroshot;
