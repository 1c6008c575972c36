//! [`MeanSd`]: the mean ± sample standard deviation of a few runs (seeds), as papers report.

use std::fmt;

use crate::EvalError;
use crate::matrix::check_finite;

/// The mean and the sample standard deviation (`n − 1` denominator) of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanSd {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation; `None` for a single value.
    pub sd: Option<f64>,
    /// The number of values.
    pub n: usize,
}

/// The mean ± sample sd of `values`. Fails when empty or not finite.
///
/// ```
/// let m = convirt_eval::mean_sd(&[0.80, 0.82, 0.84])?;
/// assert!((m.mean - 0.82).abs() < 1e-12 && (m.sd.unwrap() - 0.02).abs() < 1e-12);
/// assert_eq!(m.to_string(), "0.8200 ± 0.0200");
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn mean_sd(values: &[f64]) -> Result<MeanSd, EvalError> {
    if values.is_empty() {
        return Err(EvalError::Empty { what: "values" });
    }
    check_finite(values, "values")?;
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (n > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        (squares / (n - 1) as f64).sqrt()
    });
    Ok(MeanSd { mean, sd, n })
}

impl fmt::Display for MeanSd {
    /// `mean ± sd` with 4 decimals (or the precision asked, `{:.2}`); a lone value prints alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = f.precision().unwrap_or(4);
        match self.sd {
            Some(sd) => write!(f, "{:.digits$} ± {:.digits$}", self.mean, sd),
            None => write!(f, "{:.digits$}", self.mean),
        }
    }
}
