//! Dropout's mask on flex: element `i` is kept when the low 32 bits of
//! `splitmix64(seed + (i + 1) · γ)` fall below `keep · 2³²`. Counter-based, so the mask is the
//! same however rayon splits the work, and every element is independent of the others.

use rayon::prelude::*;

/// SplitMix64's increment, the golden ratio in 64 bits.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Elements per parallel task.
const CHUNK: usize = 1 << 14;

/// `len` mask values from `seed`: `1 / keep` with probability `keep`, else 0.
pub(crate) fn mask(seed: u64, len: usize, keep: f64) -> Vec<f32> {
    // Compared as u64 so that keep = 1 (threshold 2³²) keeps every element.
    let threshold = (keep.clamp(0.0, 1.0) * 4_294_967_296.0) as u64;
    let scale = if keep > 0.0 { (1.0 / keep) as f32 } else { 0.0 };
    let mut out = vec![0.0f32; len];
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(chunk, values)| {
            let start = (chunk * CHUNK) as u64;
            for (offset, v) in values.iter_mut().enumerate() {
                let counter = start + offset as u64 + 1;
                let bits = mix(seed.wrapping_add(counter.wrapping_mul(GAMMA))) & 0xFFFF_FFFF;
                *v = if bits < threshold { scale } else { 0.0 };
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_share_is_keep_and_the_values_are_scaled() {
        for keep in [0.1, 0.5, 0.9] {
            let m = mask(42, 200_000, keep);
            let kept = m.iter().filter(|&&v| v != 0.0).count() as f64 / m.len() as f64;
            // Binomial standard error at n = 200,000 is at most 0.0012: 5 of them.
            assert!((kept - keep).abs() < 0.006, "keep {keep}: kept {kept}");
            let scale = (1.0 / keep) as f32;
            assert!(m.iter().all(|&v| v == 0.0 || v == scale));
        }
    }

    #[test]
    fn keep_one_keeps_everything_and_seeds_differ() {
        assert!(mask(7, 10_000, 1.0).iter().all(|&v| v == 1.0));
        let (a, b) = (mask(1, 10_000, 0.5), mask(2, 10_000, 0.5));
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        // Two independent masks agree on about half their elements.
        assert!((4_500..5_500).contains(&same), "{same}");
        assert_eq!(mask(1, 10_000, 0.5), a, "one seed, one mask");
    }

    #[test]
    fn neighbours_are_uncorrelated() {
        // Element i and i + 1 kept together with probability keep², not more.
        let m = mask(3, 200_000, 0.5);
        let both = m.windows(2).filter(|w| w[0] != 0.0 && w[1] != 0.0).count() as f64
            / (m.len() - 1) as f64;
        assert!((both - 0.25).abs() < 0.006, "{both}");
    }
}
