//! # convirt-loss
//!
//! The contrastive objectives of ConVIRT (Zhang et al., MLHC 2022) and the paper's baselines, for
//! burn 0.22. Every loss works on any [`Device`](burn::tensor::Device) (flex, tch, wgpu, cuda),
//! with or without autodiff, and implements [`ContrastiveLoss`].
//!
//! | file | what it holds |
//! |---|---|
//! | [`contrastive`] | the [`ContrastiveLoss`] trait and its [`LossOutput`] |
//! | [`convirt`] | [`ConvirtLoss`]: bidirectional InfoNCE, τ = 0.1, λ = 0.75 |
//! | [`temperature`] | [`Temperature`]: fixed, or CLIP's learnable log-scale, clamped |
//! | [`ntxent`] | [`NtXentLoss`]: SimCLR's image-only loss over 2N views |
//! | [`binary`] | [`BinaryContrastiveLoss`]: the Contrastive-Binary baseline |
//! | [`sigmoid`] | [`SigmoidLoss`]: SigLIP's pairwise sigmoid loss |
//! | [`logits`] | the shared pieces: L2 normalisation, log-sum-exp, softplus |
//! | [`check`] | input validation shared by all losses |
//! | [`error`] | [`LossError`] |
//!
//! ```
//! use burn::tensor::{Device, Tensor, TensorData};
//! use convirt_loss::{ContrastiveLoss, ConvirtLoss};
//!
//! let device = Device::flex();
//! let v = Tensor::<2>::from_data(TensorData::new(vec![1.0f32, 0.0, 0.0, 1.0], [2, 2]), &device);
//! let u = v.clone();
//! let loss = ConvirtLoss::new(0.1, 0.75)?;
//! let out = loss.forward(v, u)?;
//! let total: f32 = out.total.into_scalar();
//! assert!(total < 1e-3); // perfectly aligned, orthogonal pairs
//! # Ok::<(), convirt_loss::LossError>(())
//! ```

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod binary;
pub mod check;
pub mod contrastive;
pub mod convirt;
pub mod error;
pub mod logits;
pub mod ntxent;
pub mod sigmoid;
pub mod temperature;

pub use binary::BinaryContrastiveLoss;
pub use contrastive::{ContrastiveLoss, LossOutput};
pub use convirt::ConvirtLoss;
pub use error::LossError;
pub use ntxent::NtXentLoss;
pub use sigmoid::SigmoidLoss;
pub use temperature::Temperature;
