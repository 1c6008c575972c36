//! [`PairLoaderConfig`]: batch size, seed, threads, prefetch depth, skip policy, output layout.

use convirt_augment::TensorLayout;

use crate::{SkipPolicy, ThreadBudget};

/// Which image of a multi-image example a batch uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageChoice {
    /// One uniformly at random per (seed, epoch, example), as ConVIRT trains.
    Random,
    /// Always the first (evaluation).
    First,
}

/// How a [`PairLoader`](crate::PairLoader) builds its batches.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLoaderConfig {
    /// Examples per batch (at least 1).
    pub batch_size: usize,
    /// The run's seed: with the epoch and the example's index it decides the shuffle, the image
    /// choice and the augmentation. (The sentence draw uses the text sampler's own seed.)
    pub seed: u64,
    /// Worker threads (at least 1); the output does not depend on it.
    pub threads: usize,
    /// Batches built ahead of the consumer, at most (at least 1).
    pub prefetch: usize,
    /// Drop a short last batch (its examples are counted in the epoch's summary).
    pub drop_last: bool,
    /// Shuffle each epoch (false: dataset order, for evaluation).
    pub shuffle: bool,
    /// Which image of an example.
    pub image_choice: ImageChoice,
    /// A missing file, unreadable image or empty report: fail the epoch
    /// ([`SkipPolicy::Fail`], the default) or leave the example out of its batch and count it
    /// ([`SkipPolicy::SkipAndCount`]).
    pub skip_policy: SkipPolicy,
    /// Channels and per-channel normalisation of the image buffer.
    pub layout: TensorLayout,
    /// Also draw a second, independent augmentation of every image (the SimCLR objective's two
    /// views), in [`PairBatch::second_images`](crate::PairBatch::second_images).
    pub two_views: bool,
    /// The laterality-aware flip (off by default; the paper's t_v flips blindly): when the
    /// transform mirrors an example's view, its text gets its sides swapped by the committed
    /// rule table ([`LateralityRules`](convirt_text_sampler::LateralityRules): left ↔ right,
    /// levo- ↔ dextro-, right middle lobe ↔ lingula, ...), so the pair stays true. The view the
    /// text is paired with governs: the one image drawn for the example
    /// ([`PairBatch::images`](crate::PairBatch::images)); the SimCLR second view meets no text and
    /// is drawn as before. Images and every draw are those of the loader without it; only the
    /// texts of mirrored views differ. The transform must report its flips
    /// ([`Transform::reports_flips`](convirt_augment::Transform::reports_flips), as
    /// [`ConvirtAugment`](convirt_augment::ConvirtAugment) does).
    pub flip_swaps_sides: bool,
}

impl Default for PairLoaderConfig {
    /// Training: batch 32, seed 0, [`ThreadBudget::detect`]'s loader threads, prefetch
    /// `threads + 1`, shuffled, random image, last batch kept, failing on bad input, one gray
    /// channel as it is, one view, texts never swapped.
    fn default() -> Self {
        let threads = ThreadBudget::detect().loader;
        Self {
            batch_size: 32,
            seed: 0,
            threads,
            prefetch: threads + 1,
            drop_last: false,
            shuffle: true,
            image_choice: ImageChoice::Random,
            skip_policy: SkipPolicy::Fail,
            layout: TensorLayout::gray(),
            two_views: false,
            flip_swaps_sides: false,
        }
    }
}

impl PairLoaderConfig {
    /// The evaluation setting: the default with dataset order and the first image.
    pub fn evaluation() -> Self {
        Self {
            shuffle: false,
            image_choice: ImageChoice::First,
            ..Self::default()
        }
    }
}
