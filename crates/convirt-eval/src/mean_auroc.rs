//! [`mean_auroc`]: AUROC per label column of a multi-label problem, and their mean.

use crate::auroc::auroc_of_label;
use crate::{EvalError, Matrix};

/// AUROC of each label column and their unweighted mean (CheXpert's "mean AUC").
#[derive(Debug, Clone, PartialEq)]
pub struct MeanAuroc {
    /// The AUROC of each column, in column order.
    pub per_label: Vec<f64>,
    /// Their unweighted mean.
    pub mean: f64,
}

/// AUROC per column of `scores` `[n, labels]` against `labels` `[n, labels]`, and their mean.
///
/// Fails when the shapes differ, when any score is not finite, or when a column holds a single
/// class ([`EvalError::SingleClass`] names the column): drop such columns before calling.
///
/// ```
/// use convirt_eval::{Matrix, mean_auroc};
/// let scores = Matrix::new(&[0.9, 0.1, 0.2, 0.8, 0.6, 0.7], 2, "scores")?;
/// let labels = Matrix::new(&[true, false, false, true, false, false], 2, "labels")?;
/// let m = mean_auroc(scores, labels)?;
/// assert_eq!(m.per_label, [1.0, 1.0]);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn mean_auroc(scores: Matrix<f64>, labels: Matrix<bool>) -> Result<MeanAuroc, EvalError> {
    if scores.cols() != labels.cols() {
        return Err(EvalError::LengthMismatch {
            what: "score columns against label columns",
            left: scores.cols(),
            right: labels.cols(),
        });
    }
    if scores.rows() != labels.rows() {
        return Err(EvalError::LengthMismatch {
            what: "score rows against label rows",
            left: scores.rows(),
            right: labels.rows(),
        });
    }
    let per_label = (0..scores.cols())
        .map(|j| auroc_of_label(&scores.column(j), &labels.column(j), j))
        .collect::<Result<Vec<_>, _>>()?;
    let mean = per_label.iter().sum::<f64>() / per_label.len() as f64;
    Ok(MeanAuroc { per_label, mean })
}
