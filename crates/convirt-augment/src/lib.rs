//! # convirt-augment
//!
//! ConVIRT's image transform family for chest X-rays (Zhang et al., MLHC 2022), with torchvision's
//! semantics: random resized crop → horizontal flip → affine → brightness/contrast → Gaussian blur.
//! Crop, flip and affine run as one antialiased inverse warp straight into the output size.
//! Every random transform splits drawing its parameters from applying them, so fixtures can replay
//! exact draws; batches run in parallel with per-sample RNGs from `(seed, epoch, index)`.
//!
//! | file | what it holds |
//! |---|---|
//! | [`image`] | [`Image`]: a gray image of 8-bit, 16-bit or float samples |
//! | [`load`] | [`open`] a PNG/JPEG as gray (RGB/RGBA → luma), [`save`] as 8-bit PNG |
//! | [`complete`] | [`check_complete`]: a JPEG/PNG runs to its end marker (not truncated) |
//! | [`transform`] | the [`Transform`] trait; [`Transform::apply_reporting_flip`]: the view and whether it is mirrored |
//! | [`crop`] | [`RandomResizedCrop`] and its [`CropBox`] |
//! | [`flip`] | [`HorizontalFlip`] |
//! | [`affine`] | [`RandomAffine`] and its [`AffineParams`] |
//! | [`warp`] | [`Warp`]: crop + flip + affine as one antialiased bilinear warp |
//! | [`jitter`] | [`ColorJitter`]: brightness, then contrast |
//! | [`blur`](mod@blur) | [`GaussianBlur`]: σ range, kernel `2⌈3σ⌉+1`, reflect padding |
//! | [`paper`] | [`ConvirtAugment::paper`] and its [`AugmentParams`] |
//! | [`compose`] | [`Compose`]: transforms in sequence |
//! | [`pad`], [`resize`], [`center_crop`], [`normalize`], [`eval`] | the evaluation transforms |
//! | [`seed`] | [`sample_rng`]: per-sample RNG from `(seed, epoch, index)` |
//! | [`batch`] | [`augment_batch`]: a batch in parallel |
//! | [`tensor`] | [`TensorLayout`]: a batch → `[N, C, H, W]` on any device |
//! | [`check`] | parameter validation |
//! | [`error`] | [`AugmentError`] |
//!
//! ```
//! use burn::tensor::Device;
//! use convirt_augment::{ConvirtAugment, Image, TensorLayout, augment_batch};
//!
//! let image = Image::from_u8(300, 200, vec![128; 300 * 200])?;
//! let views = augment_batch(&ConvirtAugment::paper(), &[image.clone(), image], 7, 0, 0);
//! assert_eq!((views[0].width(), views[0].height()), (224, 224));
//! let x = TensorLayout::gray().to_tensor(&views, &Device::flex())?;
//! assert_eq!(x.dims(), [2, 1, 224, 224]);
//! # Ok::<(), convirt_augment::AugmentError>(())
//! ```

// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod affine;
pub mod batch;
pub mod blur;
pub mod center_crop;
pub mod check;
pub mod complete;
pub mod compose;
pub mod crop;
pub mod error;
pub mod eval;
pub mod flip;
pub mod image;
pub mod jitter;
pub mod load;
pub mod normalize;
pub mod pad;
pub mod paper;
pub mod resize;
pub mod seed;
pub mod tensor;
pub mod transform;
pub mod warp;

pub use affine::{AffineParams, RandomAffine};
pub use batch::augment_batch;
pub use blur::{GaussianBlur, blur, gaussian_kernel};
pub use center_crop::CenterCrop;
pub use complete::check_complete;
pub use compose::Compose;
pub use crop::{CropBox, RandomResizedCrop};
pub use error::AugmentError;
pub use eval::evaluation;
pub use flip::{HorizontalFlip, flip_horizontal};
pub use image::{Image, Pixels};
pub use jitter::{ColorJitter, JitterParams, jitter};
pub use load::{decode, decode_dynamic, from_dynamic, open, save};
pub use normalize::Normalize;
pub use pad::PadToSquare;
pub use paper::{AugmentParams, ConvirtAugment};
pub use resize::Resize;
pub use seed::sample_rng;
pub use tensor::{Channels, TensorLayout};
pub use transform::Transform;
pub use warp::Warp;
