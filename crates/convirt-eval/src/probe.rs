//! [`LinearProbe`]: logistic regression on frozen (cached) image features, ConVIRT's linear
//! evaluation.
//!
//! Features are standardized (training mean and sd), then:
//! - [`Targets::Classes`] with 2 classes: one sigmoid (scikit-learn's binary
//!   `LogisticRegression`), probabilities `[1 − p, p]`;
//! - [`Targets::Classes`] with more: a multinomial softmax;
//! - [`Targets::MultiLabel`]: one independent sigmoid per column (one-vs-rest), fitted in
//!   parallel.
//!
//! Each is fitted full-batch in f64 by L-BFGS on the L2-regularised objective of
//! scikit-learn's `LogisticRegression(C=c)` (intercept not penalised), from zero, so the fit is
//! deterministic.

use rayon::prelude::*;

use crate::lbfgs::{LbfgsOptions, LbfgsReport, minimize};
use crate::logistic::{Objective, logits, sigmoid};
use crate::matrix::check_finite;
use crate::{EvalError, Matrix, Standardizer};

/// What the probe is trained to predict.
#[derive(Debug, Clone, Copy)]
pub enum Targets<'a> {
    /// One class per example, each `< classes`.
    Classes {
        /// The class of each example.
        labels: &'a [usize],
        /// The number of classes (at least 2, each present in `labels`).
        classes: usize,
    },
    /// Several binary labels per example, `[n, labels]`; each column needs both values.
    MultiLabel(Matrix<'a, bool>),
}

/// The probe's hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbeConfig {
    /// Inverse L2 strength, scikit-learn's `C` (1.0 by default).
    pub c: f64,
    /// The L-BFGS iteration cap per head (1000 by default).
    pub max_iterations: usize,
    /// Stop when the largest gradient component of the (mean-loss) objective is at most this
    /// (1e-8 by default).
    pub tolerance: f64,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        Self {
            c: 1.0,
            max_iterations: 1000,
            tolerance: 1e-8,
        }
    }
}

/// How the fit of one head (the softmax, or one sigmoid) ended.
pub type HeadReport = LbfgsReport;

/// A fitted logistic-regression probe.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearProbe {
    standardizer: Standardizer,
    heads: Vec<Head>,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// One sigmoid, reported as two class probabilities.
    Binary,
    /// One softmax over this many classes.
    Softmax(usize),
    /// One sigmoid per label.
    MultiLabel,
}

/// Parameters of one head: `[outputs, d]` weights then `outputs` intercepts.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    params: Vec<f64>,
    outputs: usize,
}

impl LinearProbe {
    /// Fits the probe on `features` `[n, d]`. Returns it with one [`HeadReport`] per head (a
    /// head that hit the iteration cap says `converged: false`).
    ///
    /// ```
    /// use convirt_eval::{LinearProbe, Matrix, ProbeConfig, Targets};
    /// let x = Matrix::new(&[0.0_f32, 1.0, 2.0, 3.0], 1, "features")?;
    /// let (probe, reports) = LinearProbe::fit(
    ///     x,
    ///     Targets::Classes { labels: &[0, 0, 1, 1], classes: 2 },
    ///     ProbeConfig::default(),
    /// )?;
    /// assert!(reports[0].converged);
    /// let p = probe.predict_proba(x)?; // [n, 2]
    /// assert!(p[1] < 0.5 && p[7] > 0.5 && (p[6] + p[7] - 1.0).abs() < 1e-12);
    /// # Ok::<(), convirt_eval::EvalError>(())
    /// ```
    pub fn fit(
        features: Matrix<f32>,
        targets: Targets,
        config: ProbeConfig,
    ) -> Result<(Self, Vec<HeadReport>), EvalError> {
        if features.rows() == 0 {
            return Err(EvalError::Empty { what: "features" });
        }
        check_finite(features.data(), "features")?;
        if !(config.c > 0.0 && config.c.is_finite()) {
            return Err(EvalError::BadParameter {
                name: "c",
                value: config.c.to_string(),
                expected: "positive and finite",
            });
        }
        let n = features.rows();
        let standardizer = Standardizer::fit(features);
        let options = LbfgsOptions {
            max_iterations: config.max_iterations,
            tolerance: config.tolerance,
            memory: 10,
        };
        let objective = |binary, classes, outputs| Objective {
            features,
            standardizer: &standardizer,
            binary,
            classes,
            outputs,
            lambda: 1.0 / (config.c * n as f64),
        };
        let (kind, fitted): (Kind, Vec<(Head, LbfgsReport)>) = match targets {
            Targets::Classes { labels, classes } => {
                check_classes(labels, classes, n)?;
                if classes == 2 {
                    let positive: Vec<bool> = labels.iter().map(|&c| c == 1).collect();
                    let fit = fit_head(&objective(Some(&positive), &[], 1), options);
                    (Kind::Binary, vec![fit])
                } else {
                    let fit = fit_head(&objective(None, labels, classes), options);
                    (Kind::Softmax(classes), vec![fit])
                }
            }
            Targets::MultiLabel(labels) => {
                check_multilabel(labels, n)?;
                let columns: Vec<Vec<bool>> =
                    (0..labels.cols()).map(|j| labels.column(j)).collect();
                let fits = columns
                    .par_iter()
                    .map(|column| fit_head(&objective(Some(column), &[], 1), options))
                    .collect();
                (Kind::MultiLabel, fits)
            }
        };
        let (heads, reports) = fitted.into_iter().unzip();
        Ok((
            Self {
                standardizer,
                heads,
                kind,
            },
            reports,
        ))
    }

    /// The number of probabilities per example: the classes, or the labels.
    pub fn outputs(&self) -> usize {
        match self.kind {
            Kind::Binary => 2,
            Kind::Softmax(classes) => classes,
            Kind::MultiLabel => self.heads.len(),
        }
    }

    /// Probabilities `[n, outputs]`, row-major: class probabilities summing to 1 (classes), or
    /// one independent probability per label (multi-label). Fails when the feature width
    /// differs from training or a feature is not finite.
    pub fn predict_proba(&self, features: Matrix<f32>) -> Result<Vec<f64>, EvalError> {
        let d = self.standardizer.mean.len();
        if features.cols() != d {
            return Err(EvalError::LengthMismatch {
                what: "feature width against the probe's",
                left: features.cols(),
                right: d,
            });
        }
        check_finite(features.data(), "features")?;
        let outputs = self.outputs();
        Ok((0..features.rows())
            .into_par_iter()
            .flat_map_iter(|i| {
                let mut x = vec![0.0; d];
                self.standardizer.apply(features.row(i), &mut x);
                let mut out = vec![0.0; outputs];
                match self.kind {
                    Kind::Binary => {
                        let mut z = [0.0];
                        logits(&self.heads[0].params, &x, 1, &mut z);
                        let p = sigmoid(z[0]);
                        out = vec![1.0 - p, p];
                    }
                    Kind::Softmax(classes) => {
                        logits(&self.heads[0].params, &x, classes, &mut out);
                        let max = out.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                        out.iter_mut().for_each(|v| *v = (*v - max).exp());
                        let total: f64 = out.iter().sum();
                        out.iter_mut().for_each(|v| *v /= total);
                    }
                    Kind::MultiLabel => {
                        for (o, head) in out.iter_mut().zip(&self.heads) {
                            let mut z = [0.0];
                            logits(&head.params, &x, head.outputs, &mut z);
                            *o = sigmoid(z[0]);
                        }
                    }
                }
                out
            })
            .collect())
    }

    /// The fitted standardization.
    pub fn standardizer(&self) -> &Standardizer {
        &self.standardizer
    }
}

fn fit_head(objective: &Objective, options: LbfgsOptions) -> (Head, LbfgsReport) {
    let mut params = vec![0.0; objective.dimension()];
    let report = minimize(&mut params, |p, g| objective.evaluate(p, g), options);
    (
        Head {
            params,
            outputs: objective.outputs,
        },
        report,
    )
}

fn check_classes(labels: &[usize], classes: usize, n: usize) -> Result<(), EvalError> {
    if labels.len() != n {
        return Err(EvalError::LengthMismatch {
            what: "labels against feature rows",
            left: labels.len(),
            right: n,
        });
    }
    if classes < 2 {
        return Err(EvalError::BadParameter {
            name: "classes",
            value: classes.to_string(),
            expected: "at least 2",
        });
    }
    let mut counts = vec![0usize; classes];
    for &label in labels {
        if label >= classes {
            return Err(EvalError::OutOfRange {
                what: "class label",
                index: label,
                count: classes,
            });
        }
        counts[label] += 1;
    }
    match counts.iter().position(|&c| c == 0) {
        Some(class) => Err(EvalError::AbsentClass { class }),
        None => Ok(()),
    }
}

fn check_multilabel(labels: Matrix<bool>, n: usize) -> Result<(), EvalError> {
    if labels.rows() != n {
        return Err(EvalError::LengthMismatch {
            what: "label rows against feature rows",
            left: labels.rows(),
            right: n,
        });
    }
    for j in 0..labels.cols() {
        let positives = labels.column(j).iter().filter(|&&l| l).count();
        if positives == 0 || positives == n {
            return Err(EvalError::SingleClass {
                label: j,
                count: n,
                positive: positives > 0,
            });
        }
    }
    Ok(())
}
