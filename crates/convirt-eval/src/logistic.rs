//! The L2-regularised logistic objectives of the [`LinearProbe`](crate::LinearProbe), on
//! standardized features, and their gradients.
//!
//! With `n` examples and inverse regularisation `C` (scikit-learn's), the minimised objective is
//! scikit-learn's `C·Σ loss + ½‖W‖²` divided by `C·n`: the mean loss plus `‖W‖² / (2Cn)`. The
//! intercepts are not penalised. Sums run over fixed chunks of examples in parallel and are
//! added in chunk order, so results do not depend on the thread count.

use rayon::prelude::*;

use crate::{Matrix, Standardizer};

/// Examples per parallel chunk (fixed, for a deterministic summation order).
const CHUNK: usize = 256;

/// The linear scores `W x + b` of one standardized example: `weights` is `[outputs, d]`,
/// followed by the `outputs` intercepts.
pub(crate) fn logits(params: &[f64], x: &[f64], outputs: usize, out: &mut [f64]) {
    let d = x.len();
    for (k, o) in out.iter_mut().enumerate().take(outputs) {
        let w = &params[k * d..(k + 1) * d];
        *o = params[outputs * d + k] + w.iter().zip(x).map(|(a, b)| a * b).sum::<f64>();
    }
}

/// A logistic objective over a training set.
pub(crate) struct Objective<'a> {
    pub features: Matrix<'a, f32>,
    pub standardizer: &'a Standardizer,
    /// `Some(targets)`: one sigmoid on `targets[i]`; `None`: softmax on `classes`.
    pub binary: Option<&'a [bool]>,
    pub classes: &'a [usize],
    /// Softmax outputs (1 for a sigmoid).
    pub outputs: usize,
    /// `1 / (C n)`.
    pub lambda: f64,
}

impl Objective<'_> {
    /// The parameter count: `outputs × (d + 1)`.
    pub fn dimension(&self) -> usize {
        self.outputs * (self.features.cols() + 1)
    }

    /// The objective at `params`, with its gradient written to `gradient`.
    pub fn evaluate(&self, params: &[f64], gradient: &mut [f64]) -> f64 {
        let n = self.features.rows();
        let d = self.features.cols();
        let partials: Vec<(f64, Vec<f64>)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let mut loss = 0.0;
                let mut grad = vec![0.0; params.len()];
                let mut x = vec![0.0; d];
                let mut z = vec![0.0; self.outputs];
                for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(n) {
                    self.standardizer.apply(self.features.row(i), &mut x);
                    logits(params, &x, self.outputs, &mut z);
                    loss += self.residuals(i, &mut z);
                    // z now holds ∂loss/∂logit for each output.
                    for (k, &r) in z.iter().enumerate() {
                        grad[k * d..(k + 1) * d]
                            .iter_mut()
                            .zip(&x)
                            .for_each(|(g, xi)| *g += r * xi);
                        grad[self.outputs * d + k] += r;
                    }
                }
                (loss, grad)
            })
            .collect();
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (chunk_loss, chunk_grad) in &partials {
            loss += chunk_loss;
            gradient
                .iter_mut()
                .zip(chunk_grad)
                .for_each(|(g, c)| *g += c);
        }
        let inverse_n = 1.0 / n as f64;
        gradient.iter_mut().for_each(|g| *g *= inverse_n);
        let weights = self.outputs * d;
        let mut penalty = 0.0;
        for (g, w) in gradient[..weights].iter_mut().zip(&params[..weights]) {
            *g += self.lambda * w;
            penalty += w * w;
        }
        loss * inverse_n + 0.5 * self.lambda * penalty
    }

    /// Example `i`'s loss at logits `z`; replaces `z` by the loss gradient in the logits.
    fn residuals(&self, i: usize, z: &mut [f64]) -> f64 {
        match self.binary {
            Some(targets) => {
                let y = if targets[i] { 1.0 } else { 0.0 };
                let loss = softplus(z[0]) - y * z[0];
                z[0] = sigmoid(z[0]) - y;
                loss
            }
            None => {
                let max = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                let total: f64 = z.iter().map(|v| (v - max).exp()).sum();
                let log_total = max + total.ln();
                let loss = log_total - z[self.classes[i]];
                z.iter_mut().for_each(|v| *v = (*v - log_total).exp());
                z[self.classes[i]] -= 1.0;
                loss
            }
        }
    }
}

/// `1 / (1 + e^{−z})`, stable for large `|z|`.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)`, stable for large `|z|`.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}
