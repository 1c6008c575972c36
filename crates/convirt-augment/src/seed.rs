//! Per-sample RNGs derived from `(seed, epoch, index)`, so results never depend on scheduling or
//! thread count.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The RNG for sample `index` of `epoch` under `seed`: ChaCha8 keyed by the three numbers, so
/// distinct triples give independent streams.
pub fn sample_rng(seed: u64, epoch: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&epoch.to_le_bytes());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    key[24..].copy_from_slice(b"cvaug\0\0\x01");
    ChaCha8Rng::from_seed(key)
}
