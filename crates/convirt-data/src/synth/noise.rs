//! Cheap seeded noise for the renderer: a per-pixel hash and smooth value noise.

use rand::Rng;

/// A uniform value in [0, 1) from `(seed, x, y)` (a 64-bit mix; no state, so any thread order
/// gives the same image).
pub fn hash01(seed: u64, x: u32, y: u32) -> f32 {
    let mut z = seed ^ ((x as u64) << 32 | y as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 40) as f32 / (1u64 << 24) as f32
}

/// Two independent uniform values in [0, 1) from `(seed, x, y)`, from one hash.
pub fn hash2(seed: u64, x: u32, y: u32) -> (f32, f32) {
    let mut z = seed ^ ((x as u64) << 32 | y as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let scale = 1.0 / (1u32 << 24) as f32;
    (
        (z >> 40) as f32 * scale,
        ((z >> 8) & 0xff_ffff) as f32 * scale,
    )
}

/// Smooth value noise on the unit square: a `cells × cells` grid of values in [−1, 1],
/// interpolated with smoothstep weights.
#[derive(Debug, Clone)]
pub struct ValueNoise {
    cells: usize,
    values: Vec<f32>,
}

impl ValueNoise {
    /// A grid of `cells × cells` values drawn from `rng`.
    pub fn new(cells: usize, rng: &mut impl Rng) -> Self {
        let n = cells + 1;
        let values = (0..n * n).map(|_| rng.random_range(-1.0..1.0)).collect();
        Self { cells, values }
    }

    /// The noise at (`u`, `v`), clamped to the unit square.
    pub fn at(&self, u: f32, v: f32) -> f32 {
        let c = self.cells as f32;
        let x = (u.clamp(0.0, 1.0) * c).min(c - 1e-3);
        let y = (v.clamp(0.0, 1.0) * c).min(c - 1e-3);
        let (xi, yi) = (x as usize, y as usize);
        let (fx, fy) = (x - xi as f32, y - yi as f32);
        let sx = fx * fx * (3.0 - 2.0 * fx);
        let sy = fy * fy * (3.0 - 2.0 * fy);
        let n = self.cells + 1;
        let g = |i: usize, j: usize| self.values[j * n + i];
        let top = g(xi, yi) + (g(xi + 1, yi) - g(xi, yi)) * sx;
        let bottom = g(xi, yi + 1) + (g(xi + 1, yi + 1) - g(xi, yi + 1)) * sx;
        top + (bottom - top) * sy
    }
}
