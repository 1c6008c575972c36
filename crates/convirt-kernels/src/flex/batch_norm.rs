//! Batch normalisation on flex, f32, `[n, c, plane]` contiguous: training's forward in two passes
//! (the statistics, then the normalisation), its backward in two (two sums per channel, then the
//! input gradient), and inference's forward in one.
//!
//! Channel sums run in parallel over channels and accumulate in f64, so one pass of Σx and Σx²
//! gives the variance without the cancellation an f32 sum of squares would suffer. The elementwise
//! passes run in parallel over the `n · c` planes.

use rayon::prelude::*;

/// The sizes of one batch-normalised tensor: `n` images, `c` channels, `plane` elements per
/// channel and image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Planes {
    pub n: usize,
    pub c: usize,
    pub plane: usize,
}

impl Planes {
    /// Elements per channel over the whole batch.
    fn per_channel(&self) -> f64 {
        (self.n * self.plane) as f64
    }
}

/// Per channel, `(Σ x, Σ x²)` in f64 over every element of that channel.
fn channel_moments(x: &[f32], s: Planes) -> Vec<(f64, f64)> {
    (0..s.c)
        .into_par_iter()
        .map(|ch| {
            let mut total = (0.0f64, 0.0f64);
            for image in 0..s.n {
                let start = (image * s.c + ch) * s.plane;
                for &v in &x[start..start + s.plane] {
                    let v = f64::from(v);
                    total.0 += v;
                    total.1 += v * v;
                }
            }
            total
        })
        .collect()
}

/// `out = x · scale[c] + shift[c]`, plane by plane in parallel.
fn affine(x: &[f32], s: Planes, scale: &[f32], shift: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0f32; x.len()];
    out.par_chunks_mut(s.plane.max(1))
        .zip(x.par_chunks(s.plane.max(1)))
        .enumerate()
        .for_each(|(index, (out, x))| {
            let ch = index % s.c;
            let (a, b) = (scale[ch], shift[ch]);
            out.iter_mut().zip(x).for_each(|(o, &v)| *o = v * a + b);
        });
    out
}

/// `1 / √(variance + ε)` per channel.
fn inv_std(variance: &[f32], epsilon: f64) -> Vec<f64> {
    variance
        .iter()
        .map(|&v| 1.0 / (f64::from(v) + epsilon).sqrt())
        .collect()
}

/// Training's forward: `(output, mean, biased variance)`.
pub(crate) fn train_forward(
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    epsilon: f64,
    s: Planes,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let count = s.per_channel();
    let sums = channel_moments(x, s);
    let mean: Vec<f64> = sums.iter().map(|&(sum, _)| sum / count).collect();
    let variance: Vec<f64> = sums
        .iter()
        .zip(&mean)
        .map(|(&(_, squares), &m)| (squares / count - m * m).max(0.0))
        .collect();
    let (scale, shift) = scale_shift(gamma, beta, &mean, &variance, epsilon);
    let out = affine(x, s, &scale, &shift);
    let to_f32 = |v: &[f64]| v.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    (out, to_f32(&mean), to_f32(&variance))
}

/// The per-channel `scale = γ / √(var + ε)` and `shift = β − mean · scale`.
fn scale_shift(
    gamma: &[f32],
    beta: &[f32],
    mean: &[f64],
    variance: &[f64],
    epsilon: f64,
) -> (Vec<f32>, Vec<f32>) {
    let scale: Vec<f64> = gamma
        .iter()
        .zip(variance)
        .map(|(&g, &v)| f64::from(g) / (v + epsilon).sqrt())
        .collect();
    let shift = beta
        .iter()
        .zip(mean.iter().zip(&scale))
        .map(|(&b, (&m, &sc))| (f64::from(b) - m * sc) as f32)
        .collect();
    (scale.into_iter().map(|v| v as f32).collect(), shift)
}

/// Inference's forward by given statistics.
pub(crate) fn eval_forward(
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    mean: &[f32],
    variance: &[f32],
    epsilon: f64,
    s: Planes,
) -> Vec<f32> {
    let mean: Vec<f64> = mean.iter().map(|&v| f64::from(v)).collect();
    let variance: Vec<f64> = variance.iter().map(|&v| f64::from(v)).collect();
    let (scale, shift) = scale_shift(gamma, beta, &mean, &variance, epsilon);
    affine(x, s, &scale, &shift)
}

/// Training's backward: `(dx, dγ, dβ)`, with `x̂ = (x − mean) / √(var + ε)`,
/// `dβ = Σ dy`, `dγ = Σ dy · x̂` and `dx = γ / √(var + ε) · (dy − dβ / M − x̂ · dγ / M)`, `M` the
/// elements per channel.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train_backward(
    x: &[f32],
    gamma: &[f32],
    mean: &[f32],
    variance: &[f32],
    epsilon: f64,
    dy: &[f32],
    s: Planes,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let count = s.per_channel();
    let inv = inv_std(variance, epsilon);
    // Σ dy and Σ dy · (x − mean), per channel; the second is Σ dy · x̂ once scaled by 1/std.
    let sums: Vec<(f64, f64)> = (0..s.c)
        .into_par_iter()
        .map(|ch| {
            let m = mean[ch];
            let mut total = (0.0f64, 0.0f64);
            for image in 0..s.n {
                let start = (image * s.c + ch) * s.plane;
                let (mut p, mut q) = (0.0f64, 0.0f64);
                for (&g, &v) in dy[start..start + s.plane]
                    .iter()
                    .zip(&x[start..start + s.plane])
                {
                    p += f64::from(g);
                    q += f64::from(g) * f64::from(v - m);
                }
                total.0 += p;
                total.1 += q;
            }
            total
        })
        .collect();
    let dbeta: Vec<f32> = sums.iter().map(|&(sum, _)| sum as f32).collect();
    let dgamma_f64: Vec<f64> = sums.iter().zip(&inv).map(|(&(_, q), &i)| q * i).collect();
    let dgamma: Vec<f32> = dgamma_f64.iter().map(|&v| v as f32).collect();
    // dx = a · dy + b · (x − mean) + c per channel, with
    //   a = γ·inv, b = −γ·inv² · dγ / M, c = −γ·inv · dβ / M.
    let coefficients: Vec<(f32, f32, f32, f32)> = (0..s.c)
        .map(|ch| {
            let a = f64::from(gamma[ch]) * inv[ch];
            let b = -a * inv[ch] * dgamma_f64[ch] / count;
            let c = -a * sums[ch].0 / count;
            (a as f32, b as f32, c as f32, mean[ch])
        })
        .collect();
    let mut dx = vec![0.0f32; x.len()];
    dx.par_chunks_mut(s.plane.max(1))
        .zip(
            dy.par_chunks(s.plane.max(1))
                .zip(x.par_chunks(s.plane.max(1))),
        )
        .enumerate()
        .for_each(|(index, (dx, (dy, x)))| {
            let (a, b, c, m) = coefficients[index % s.c];
            for ((o, &g), &v) in dx.iter_mut().zip(dy).zip(x) {
                *o = a * g + b * (v - m) + c;
            }
        });
    (dx, dgamma, dbeta)
}
