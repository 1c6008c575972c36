//! [`stream_rng`]: the loader's own per-draw generators, keyed by `(seed, epoch, index)` and a
//! [`Stream`] tag.
//!
//! Three streams already exist elsewhere: augmentation
//! ([`convirt_augment::sample_rng`], tag `cvaug`) and the sentence draw
//! ([`convirt_text_sampler::rng_for`], tag `convirtT`). The loader adds two more (which image of a
//! study, and the epoch's shuffle) with tags of its own, so no two streams share a key.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Which of the loader's random choices a generator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Which image of a study or report an example uses.
    ImageChoice,
    /// The epoch's permutation of the examples.
    Shuffle,
}

impl Stream {
    fn tag(self) -> &'static [u8; 8] {
        match self {
            Stream::ImageChoice => b"cvimage\x01",
            Stream::Shuffle => b"cvorder\x01",
        }
    }
}

/// The generator of `stream` for `index` (a dataset position) in `epoch` under `seed`: ChaCha8
/// keyed by the three numbers and the stream's tag, so the draw depends on nothing else (not on
/// the thread, nor on earlier draws).
///
/// ```
/// use rand::Rng;
/// use convirt_data::{Stream, stream_rng};
///
/// let a: u64 = stream_rng(7, 1, 3, Stream::ImageChoice).random();
/// assert_eq!(a, stream_rng(7, 1, 3, Stream::ImageChoice).random::<u64>());
/// assert_ne!(a, stream_rng(7, 1, 3, Stream::Shuffle).random::<u64>());
/// ```
pub fn stream_rng(seed: u64, epoch: u64, index: u64, stream: Stream) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&epoch.to_le_bytes());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    key[24..].copy_from_slice(stream.tag());
    ChaCha8Rng::from_seed(key)
}
