//! Layer normalisation's backward on flex, f32, over the last dimension of a contiguous
//! `[rows, d]` view: one task per block of rows (the row's statistics, then its input gradient,
//! each row in cache), with per-block partial sums of dγ and dβ added at the end. The forward is
//! burn-flex's own `layer_norm`, already native and parallel.

use rayon::prelude::*;

/// Rows per parallel task.
const ROWS: usize = 64;

/// `(mean, 1 / √(var + ε))` of one row, two passes in f32.
#[inline]
fn moments(row: &[f32], epsilon: f64) -> (f32, f32) {
    let d = row.len() as f32;
    let mean = row.iter().sum::<f32>() / d;
    let var = row.iter().map(|&v| (v - mean) * (v - mean)).sum::<f32>() / d;
    (mean, (1.0 / (f64::from(var) + epsilon).sqrt()) as f32)
}

/// The backward: `(dx, dγ, dβ)`.
pub(crate) fn backward(
    x: &[f32],
    gamma: &[f32],
    dy: &[f32],
    epsilon: f64,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let d = gamma.len().max(1);
    let inv_d = 1.0 / d as f32;
    let mut dx = vec![0.0f32; x.len()];
    let partials: Vec<(Vec<f32>, Vec<f32>)> = dx
        .par_chunks_mut(ROWS * d)
        .zip(x.par_chunks(ROWS * d).zip(dy.par_chunks(ROWS * d)))
        .map(|(dx, (x, dy))| {
            let (mut dgamma, mut dbeta) = (vec![0.0f32; d], vec![0.0f32; d]);
            let mut xhat = vec![0.0f32; d];
            for ((dx, x), dy) in dx.chunks_mut(d).zip(x.chunks(d)).zip(dy.chunks(d)) {
                let (mean, r) = moments(x, epsilon);
                let (mut sum_g, mut sum_gx) = (0.0f32, 0.0f32);
                for j in 0..d {
                    let h = (x[j] - mean) * r;
                    xhat[j] = h;
                    let g = dy[j] * gamma[j];
                    sum_g += g;
                    sum_gx += g * h;
                    dgamma[j] += dy[j] * h;
                    dbeta[j] += dy[j];
                }
                let (a, b) = (sum_g * inv_d, sum_gx * inv_d);
                for j in 0..d {
                    dx[j] = r * (dy[j] * gamma[j] - a - xhat[j] * b);
                }
            }
            (dgamma, dbeta)
        })
        .collect();
    let (mut dgamma, mut dbeta) = (vec![0.0f32; d], vec![0.0f32; d]);
    for (g, b) in partials {
        dgamma.iter_mut().zip(g).for_each(|(t, v)| *t += v);
        dbeta.iter_mut().zip(b).for_each(|(t, v)| *t += v);
    }
    (dx, dgamma, dbeta)
}
