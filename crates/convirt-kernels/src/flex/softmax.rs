//! Softmax's input gradient on flex, f32, over the last dimension: `y · (grad − Σ grad · y)` per
//! row, rows in parallel. (flex's own softmax forward is already native.)

use rayon::prelude::*;

/// Elements per parallel task (whole rows).
const CHUNK: usize = 1 << 14;

/// `Σ a · b` with eight partial sums, so that the loop vectorises.
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let (a_rest, b_rest) = (a8.remainder(), b8.remainder());
    for (a, b) in a8.zip(b8) {
        for k in 0..8 {
            lanes[k] += a[k] * b[k];
        }
    }
    let tail: f32 = a_rest.iter().zip(b_rest).map(|(a, b)| a * b).sum();
    lanes.iter().sum::<f32>() + tail
}

/// The input gradient of a softmax over rows of `row` values, from its output `y` and the output
/// gradient `grad`.
pub(crate) fn input_grad(y: &[f32], grad: &[f32], row: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; y.len()];
    if row == 0 {
        return out;
    }
    let task = (CHUNK / row).max(1) * row;
    out.par_chunks_mut(task)
        .zip(y.par_chunks(task))
        .zip(grad.par_chunks(task))
        .for_each(|((out, y), grad)| {
            for ((out, y), grad) in out.chunks_mut(row).zip(y.chunks(row)).zip(grad.chunks(row)) {
                let s = dot(y, grad);
                for ((o, &y), &g) in out.iter_mut().zip(y).zip(grad) {
                    *o = y * (g - s);
                }
            }
        });
    out
}
