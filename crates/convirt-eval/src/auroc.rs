//! [`auroc`]: the exact area under the ROC curve, ties scored one half (Mann–Whitney U).
//!
//! Scores are ranked together with average ranks for ties; with `R₊` the rank sum of the `n₊`
//! positives, AUROC = `(R₊ − n₊(n₊+1)/2) / (n₊ n₋)`. This equals the trapezoidal area under the
//! ROC curve of [`roc_curve`](crate::roc_curve) and scikit-learn's `roc_auc_score`.

use crate::EvalError;
use crate::matrix::check_finite;

/// The exact AUROC of `scores` (higher = more likely positive) against binary `labels`.
///
/// Fails on a length mismatch, an empty input, a NaN or infinite score, and labels of a single
/// class.
///
/// ```
/// use convirt_eval::auroc;
/// // One tie between a positive and a negative counts one half: (3 + 0.5) / 4.
/// let a = auroc(&[0.1, 0.4, 0.4, 0.8], &[false, false, true, true])?;
/// assert_eq!(a, 0.875);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn auroc(scores: &[f64], labels: &[bool]) -> Result<f64, EvalError> {
    auroc_of_label(scores, labels, 0)
}

/// [`auroc`], with `label` named in a [`EvalError::SingleClass`] error.
pub(crate) fn auroc_of_label(
    scores: &[f64],
    labels: &[bool],
    label: usize,
) -> Result<f64, EvalError> {
    check_binary(scores, labels, label)?;
    Ok(auroc_unchecked(scores, labels))
}

/// Checks lengths, finiteness and that both classes occur.
pub(crate) fn check_binary(scores: &[f64], labels: &[bool], label: usize) -> Result<(), EvalError> {
    if scores.len() != labels.len() {
        return Err(EvalError::LengthMismatch {
            what: "scores against labels",
            left: scores.len(),
            right: labels.len(),
        });
    }
    if scores.is_empty() {
        return Err(EvalError::Empty { what: "scores" });
    }
    check_finite(scores, "scores")?;
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 || positives == labels.len() {
        return Err(EvalError::SingleClass {
            label,
            count: labels.len(),
            positive: positives > 0,
        });
    }
    Ok(())
}

/// The Mann–Whitney AUROC of checked inputs (both classes present, finite scores).
pub(crate) fn auroc_unchecked(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut positive_rank_sum = 0.0_f64;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        // Ranks start..end (0-based) share the 1-based average rank (start + 1 + end) / 2.
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let positives = order[start..end].iter().filter(|&&i| labels[i]).count();
        positive_rank_sum += average_rank * positives as f64;
        start = end;
    }
    let n_pos = labels.iter().filter(|&&l| l).count() as f64;
    let n_neg = labels.len() as f64 - n_pos;
    (positive_rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)
}
