//! [`Standardizer`]: per-feature `(x − mean) / sd`, fitted on the training features.

use crate::Matrix;

/// Per-feature mean and scale from a training set (population sd, as scikit-learn's
/// `StandardScaler`; a constant feature keeps scale 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    /// The per-feature means.
    pub mean: Vec<f64>,
    /// The per-feature scales (sd, or 1 where the sd is 0).
    pub scale: Vec<f64>,
}

impl Standardizer {
    /// Fits the mean and scale of each column of `features`, in f64.
    pub fn fit(features: Matrix<f32>) -> Self {
        let (n, d) = (features.rows() as f64, features.cols());
        let mut mean = vec![0.0; d];
        for i in 0..features.rows() {
            mean.iter_mut()
                .zip(features.row(i))
                .for_each(|(m, &x)| *m += x as f64);
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut variance = vec![0.0; d];
        for i in 0..features.rows() {
            variance
                .iter_mut()
                .zip(features.row(i))
                .zip(&mean)
                .for_each(|((v, &x), m)| *v += (x as f64 - m).powi(2));
        }
        let scale = variance
            .iter()
            .map(|v| {
                let sd = (v / n).sqrt();
                if sd > 0.0 { sd } else { 1.0 }
            })
            .collect();
        Self { mean, scale }
    }

    /// Writes the standardized `row` into `out`.
    pub fn apply(&self, row: &[f32], out: &mut [f64]) {
        for (((o, &x), m), s) in out.iter_mut().zip(row).zip(&self.mean).zip(&self.scale) {
            *o = (x as f64 - m) / s;
        }
    }
}
