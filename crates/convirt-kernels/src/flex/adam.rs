//! Adam on flex, f32: one parallel pass over the parameter, its gradient and both moments,
//! updating them in place.

use rayon::prelude::*;

use crate::adam::AdamHyper;

/// Elements per parallel task.
const CHUNK: usize = 1 << 14;

/// One step of [`AdamKernels::adam_step`](crate::AdamKernels::adam_step) on `param`,
/// `moment_1` and `moment_2` in place, all of `grad`'s length. Rounding as PyTorch's
/// single-tensor Adam: `θ −= step · m / (√v / √(1 − β₂ᵗ) + ε)`, in f32.
pub(crate) fn step(
    param: &mut [f32],
    grad: &[f32],
    moment_1: &mut [f32],
    moment_2: &mut [f32],
    hyper: &AdamHyper,
) {
    let (step_size, bias_2_sqrt) = hyper.corrections();
    let (step_size, bias_2_sqrt) = (step_size as f32, bias_2_sqrt as f32);
    let (b1, b2) = (hyper.beta_1 as f32, hyper.beta_2 as f32);
    // 1 − β in f64 before rounding: 1 − (0.999 as f32) is 1.3e-5 away from 0.001.
    let (c1, c2) = ((1.0 - hyper.beta_1) as f32, (1.0 - hyper.beta_2) as f32);
    let (eps, wd) = (hyper.epsilon as f32, hyper.weight_decay as f32);
    param
        .par_chunks_mut(CHUNK)
        .zip(moment_1.par_chunks_mut(CHUNK))
        .zip(moment_2.par_chunks_mut(CHUNK))
        .zip(grad.par_chunks(CHUNK))
        .for_each(|(((p, m), v), g)| {
            for (((p, m), v), &g) in p.iter_mut().zip(m).zip(v).zip(g) {
                let g = g + wd * *p;
                *m = b1 * *m + c1 * g;
                *v = b2 * *v + c2 * (g * g);
                *p -= step_size * (*m / (v.sqrt() / bias_2_sqrt + eps));
            }
        });
}
