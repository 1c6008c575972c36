//! [`paired_comparison`]: method A against method B over the same seeds (or folds), by the
//! paired t interval of the per-seed differences.

use crate::matrix::check_finite;
use crate::{EvalError, t_cdf, t_quantile};

/// The paired comparison of two methods run on the same `n` seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDifference {
    /// The number of pairs.
    pub n: usize,
    /// The mean of `a[i] − b[i]`.
    pub mean: f64,
    /// The sample standard deviation of the differences.
    pub sd: f64,
    /// The lower end of the two-sided t interval of the mean difference.
    pub lower: f64,
    /// The upper end.
    pub upper: f64,
    /// The t statistic `mean / (sd / √n)` (infinite when all differences are equal and non-zero).
    pub t: f64,
    /// The two-sided p-value of "mean difference = 0" (scipy's `ttest_rel`).
    pub p_value: f64,
}

/// The mean of `a[i] − b[i]` with its `confidence` (e.g. 0.95) t interval on `n − 1` degrees of
/// freedom. Needs at least 2 pairs, of equal length and finite.
///
/// ```
/// use convirt_eval::paired_comparison;
/// let d = paired_comparison(&[0.86, 0.88, 0.87], &[0.84, 0.85, 0.85], 0.95)?;
/// // Differences 0.02, 0.03, 0.02: mean 0.0233, sd 0.00577, t quantile 4.303 (df 2).
/// assert!((d.mean - 0.07 / 3.0).abs() < 1e-12);
/// assert!((d.upper - d.mean - 4.302_652_73 * d.sd / 3f64.sqrt()).abs() < 1e-8);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn paired_comparison(
    a: &[f64],
    b: &[f64],
    confidence: f64,
) -> Result<PairedDifference, EvalError> {
    if a.len() != b.len() {
        return Err(EvalError::LengthMismatch {
            what: "paired runs",
            left: a.len(),
            right: b.len(),
        });
    }
    if a.len() < 2 {
        return Err(EvalError::BadParameter {
            name: "pairs",
            value: a.len().to_string(),
            expected: "at least 2",
        });
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(EvalError::BadParameter {
            name: "confidence",
            value: confidence.to_string(),
            expected: "strictly between 0 and 1",
        });
    }
    check_finite(a, "a")?;
    check_finite(b, "b")?;
    let n = a.len();
    let differences: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let mean = differences.iter().sum::<f64>() / n as f64;
    let sd = (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let df = (n - 1) as f64;
    let standard_error = sd / (n as f64).sqrt();
    let half_width = t_quantile(0.5 + confidence / 2.0, df)? * standard_error;
    let (t, p_value) = if standard_error > 0.0 {
        let t = mean / standard_error;
        (t, 2.0 * t_cdf(-t.abs(), df))
    } else if mean == 0.0 {
        (0.0, 1.0)
    } else {
        (mean.signum() * f64::INFINITY, 0.0)
    };
    Ok(PairedDifference {
        n,
        mean,
        sd,
        lower: mean - half_width,
        upper: mean + half_width,
        t,
        p_value,
    })
}
