//! [`bootstrap_auroc`]: a percentile bootstrap confidence interval for AUROC over the test set.
//!
//! Each resample draws `n` examples with replacement from its own seeded stream (ChaCha8,
//! `seed`, stream = resample index), so the result does not depend on thread scheduling.
//! Resamples that hold a single class have no AUROC: they are skipped and counted. The interval
//! is the `(1 − confidence)/2` and `(1 + confidence)/2` percentiles of the resampled AUROCs,
//! linearly interpolated (numpy's default `percentile`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::auroc::{auroc_unchecked, check_binary};
use crate::{EvalError, Matrix};

/// How to bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapConfig {
    /// The number of resamples (1000 by default).
    pub resamples: usize,
    /// The interval's coverage (0.95 by default).
    pub confidence: f64,
    /// The seed.
    pub seed: u64,
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        Self {
            resamples: 1000,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// A bootstrap confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapInterval {
    /// AUROC on the full test set.
    pub estimate: f64,
    /// The lower percentile.
    pub lower: f64,
    /// The upper percentile.
    pub upper: f64,
    /// Resamples that had both classes and were used.
    pub used: usize,
    /// Resamples skipped for holding a single class.
    pub skipped: usize,
}

/// The percentile bootstrap interval of [`auroc`](crate::auroc())`(scores, labels)`.
///
/// Fails like [`auroc`](crate::auroc()), on a bad configuration, and when every resample is a
/// single class.
///
/// ```
/// use convirt_eval::{BootstrapConfig, bootstrap_auroc};
/// let scores: Vec<f64> = (0..200).map(|i| ((i * 37) % 100) as f64).collect();
/// let labels: Vec<bool> = (0..200).map(|i| (i * 37) % 100 > 40 && i % 3 != 0).collect();
/// let ci = bootstrap_auroc(&scores, &labels, BootstrapConfig::default())?;
/// assert!(ci.lower < ci.estimate && ci.estimate < ci.upper);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn bootstrap_auroc(
    scores: &[f64],
    labels: &[bool],
    config: BootstrapConfig,
) -> Result<BootstrapInterval, EvalError> {
    check_binary(scores, labels, 0)?;
    let scores = Matrix::new(scores, 1, "scores")?;
    let labels = Matrix::new(labels, 1, "labels")?;
    resample_mean_auroc(scores, labels, config)
}

/// The percentile bootstrap interval of [`mean_auroc`](crate::mean_auroc())`(scores, labels)`:
/// rows (test examples) are resampled together, so the interval keeps the correlation between
/// labels. A resample in which any label column holds a single class is skipped and counted.
///
/// Fails like [`mean_auroc`](crate::mean_auroc()), on a bad configuration, and when every
/// resample is skipped.
///
/// ```
/// use convirt_eval::{BootstrapConfig, Matrix, bootstrap_mean_auroc, mean_auroc};
/// let scores: Vec<f64> = (0..400).map(|i| ((i * 37) % 100) as f64).collect();
/// let labels: Vec<bool> = (0..400).map(|i| (i * 37) % 100 > 40 && i % 3 != 0).collect();
/// let (s, l) = (Matrix::new(&scores, 2, "scores")?, Matrix::new(&labels, 2, "labels")?);
/// let ci = bootstrap_mean_auroc(s, l, BootstrapConfig { resamples: 200, ..Default::default() })?;
/// assert_eq!(ci.estimate, mean_auroc(s, l)?.mean);
/// assert!(ci.lower < ci.estimate && ci.estimate < ci.upper);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn bootstrap_mean_auroc(
    scores: Matrix<f64>,
    labels: Matrix<bool>,
    config: BootstrapConfig,
) -> Result<BootstrapInterval, EvalError> {
    crate::mean_auroc(scores, labels)?;
    resample_mean_auroc(scores, labels, config)
}

/// The bootstrap of checked inputs (shapes agree, scores finite, both classes in every column).
fn resample_mean_auroc(
    scores: Matrix<f64>,
    labels: Matrix<bool>,
    config: BootstrapConfig,
) -> Result<BootstrapInterval, EvalError> {
    if config.resamples == 0 {
        return Err(EvalError::BadParameter {
            name: "resamples",
            value: "0".into(),
            expected: "at least 1",
        });
    }
    if !(config.confidence > 0.0 && config.confidence < 1.0) {
        return Err(EvalError::BadParameter {
            name: "confidence",
            value: config.confidence.to_string(),
            expected: "strictly between 0 and 1",
        });
    }
    let (n, columns) = (scores.rows(), scores.cols());
    let score_columns: Vec<Vec<f64>> = (0..columns).map(|j| scores.column(j)).collect();
    let label_columns: Vec<Vec<bool>> = (0..columns).map(|j| labels.column(j)).collect();
    let mean_of = |rows: Option<&[usize]>| -> Option<f64> {
        let mut total = 0.0;
        for (s, l) in score_columns.iter().zip(&label_columns) {
            let (s, l): (Vec<f64>, Vec<bool>) = match rows {
                Some(rows) => rows.iter().map(|&i| (s[i], l[i])).unzip(),
                None => (s.clone(), l.clone()),
            };
            let positives = l.iter().filter(|&&x| x).count();
            if positives == 0 || positives == n {
                return None;
            }
            total += auroc_unchecked(&s, &l);
        }
        Some(total / columns as f64)
    };
    let resampled: Vec<Option<f64>> = (0..config.resamples)
        .into_par_iter()
        .map(|b| {
            let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
            rng.set_stream(b as u64);
            let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            mean_of(Some(&rows))
        })
        .collect();
    let mut values: Vec<f64> = resampled.iter().flatten().copied().collect();
    let estimate = mean_of(None).ok_or(EvalError::Empty { what: "scores" })?;
    if values.is_empty() {
        return Err(EvalError::SingleClass {
            label: 0,
            count: n,
            positive: label_columns[0][0],
        });
    }
    values.sort_unstable_by(f64::total_cmp);
    let alpha = 1.0 - config.confidence;
    Ok(BootstrapInterval {
        estimate,
        lower: percentile(&values, alpha / 2.0),
        upper: percentile(&values, 1.0 - alpha / 2.0),
        used: values.len(),
        skipped: config.resamples - values.len(),
    })
}

/// The `q`-quantile (0..=1) of sorted values, linearly interpolated between order statistics.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}
