//! [`accuracy`] for multi-class predictions, and [`argmax_rows`] to get them from scores.

use crate::matrix::check_finite;
use crate::{EvalError, Matrix};

/// The fraction of `predicted` equal to `truth`.
///
/// ```
/// assert_eq!(convirt_eval::accuracy(&[0, 2, 1, 1], &[0, 1, 1, 1])?, 0.75);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn accuracy(predicted: &[usize], truth: &[usize]) -> Result<f64, EvalError> {
    if predicted.len() != truth.len() {
        return Err(EvalError::LengthMismatch {
            what: "predictions against truth",
            left: predicted.len(),
            right: truth.len(),
        });
    }
    if truth.is_empty() {
        return Err(EvalError::Empty { what: "truth" });
    }
    let correct = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    Ok(correct as f64 / truth.len() as f64)
}

/// The column of each row's largest score; ties go to the lowest column (as numpy's `argmax`).
/// Fails on a NaN or infinite score.
pub fn argmax_rows(scores: Matrix<f64>) -> Result<Vec<usize>, EvalError> {
    check_finite(scores.data(), "scores")?;
    Ok((0..scores.rows())
        .map(|i| {
            let row = scores.row(i);
            (1..row.len()).fold(0, |best, j| if row[j] > row[best] { j } else { best })
        })
        .collect())
}
