//! [`roc_curve`]: the full ROC curve, one point per distinct score.

use crate::EvalError;
use crate::auroc::check_binary;

/// A ROC curve: `fpr[i]`, `tpr[i]` are the rates when every score `>= thresholds[i]` is called
/// positive.
#[derive(Debug, Clone, PartialEq)]
pub struct RocCurve {
    /// False-positive rates, non-decreasing from 0 to 1.
    pub fpr: Vec<f64>,
    /// True-positive rates, non-decreasing from 0 to 1.
    pub tpr: Vec<f64>,
    /// Thresholds, decreasing: `+∞` first (nothing called positive), then each distinct score.
    pub thresholds: Vec<f64>,
}

impl RocCurve {
    /// The trapezoidal area under the curve (equal to [`auroc`](crate::auroc())).
    pub fn area(&self) -> f64 {
        self.fpr
            .windows(2)
            .zip(self.tpr.windows(2))
            .map(|(f, t)| (f[1] - f[0]) * (t[1] + t[0]) / 2.0)
            .sum()
    }
}

/// The ROC curve of `scores` against `labels`, as scikit-learn's
/// `roc_curve(labels, scores, drop_intermediate=False)`: a first point `(0, 0)` at threshold
/// `+∞`, then one point per distinct score, in decreasing order of score.
///
/// Fails like [`auroc`](crate::auroc()).
///
/// ```
/// use convirt_eval::roc_curve;
/// let roc = roc_curve(&[0.1, 0.4, 0.4, 0.8], &[false, false, true, true])?;
/// assert_eq!(roc.thresholds, [f64::INFINITY, 0.8, 0.4, 0.1]);
/// assert_eq!(roc.tpr, [0.0, 0.5, 1.0, 1.0]);
/// assert_eq!(roc.fpr, [0.0, 0.0, 0.5, 1.0]);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn roc_curve(scores: &[f64], labels: &[bool]) -> Result<RocCurve, EvalError> {
    check_binary(scores, labels, 0)?;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let n_pos = labels.iter().filter(|&&l| l).count() as f64;
    let n_neg = labels.len() as f64 - n_pos;
    let mut curve = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f64::INFINITY],
    };
    let (mut true_pos, mut false_pos) = (0usize, 0usize);
    for (k, &i) in order.iter().enumerate() {
        if labels[i] {
            true_pos += 1;
        } else {
            false_pos += 1;
        }
        let last_of_value = order.get(k + 1).is_none_or(|&j| scores[j] != scores[i]);
        if last_of_value {
            curve.fpr.push(false_pos as f64 / n_neg);
            curve.tpr.push(true_pos as f64 / n_pos);
            curve.thresholds.push(scores[i]);
        }
    }
    Ok(curve)
}
