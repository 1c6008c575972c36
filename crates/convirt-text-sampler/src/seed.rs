//! Per-draw random generators, keyed by (seed, epoch, index).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator for report `index` in `epoch` of a run seeded with `seed`.
///
/// The three numbers form the generator's key directly, so each draw depends on them alone: not
/// on the thread that makes it, nor on the draws made before. A data loader gets the same text
/// for a report whatever its thread count or batch order.
///
/// ```
/// use rand::Rng;
/// use convirt_text_sampler::rng_for;
///
/// let a: u64 = rng_for(7, 1, 42).random();
/// assert_eq!(a, rng_for(7, 1, 42).random::<u64>());
/// assert_ne!(a, rng_for(7, 2, 42).random::<u64>());
/// ```
pub fn rng_for(seed: u64, epoch: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&epoch.to_le_bytes());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    key[24..].copy_from_slice(b"convirtT");
    ChaCha8Rng::from_seed(key)
}
