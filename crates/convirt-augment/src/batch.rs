//! Augmenting a batch in parallel (rayon), each sample with its own `(seed, epoch, index)` RNG.

use rayon::prelude::*;

use crate::{Image, Transform, sample_rng};

/// Applies `transform` to every image in parallel. Image `k` draws from
/// [`sample_rng`]`(seed, epoch, first_index + k)`, so the output is the same for any thread count.
pub fn augment_batch(
    transform: &dyn Transform,
    images: &[Image],
    seed: u64,
    epoch: u64,
    first_index: u64,
) -> Vec<Image> {
    images
        .par_iter()
        .enumerate()
        .map(|(k, image)| {
            let mut rng = sample_rng(seed, epoch, first_index + k as u64);
            transform.apply_ref(image, &mut rng)
        })
        .collect()
}
