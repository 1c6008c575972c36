//! ReduceLROnPlateau with PyTorch's exact semantics (mode "min"), since burn has no such scheduler.

use serde::{Deserialize, Serialize};

use crate::TrainError;

/// How a new loss must beat the best one to count as an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThresholdMode {
    /// `loss < best · (1 − threshold)` (PyTorch's default).
    Relative,
    /// `loss < best − threshold`.
    Absolute,
}

/// The scheduler's settings. [`PlateauConfig::paper`] is ConVIRT's: factor 0.5, patience 5.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlateauConfig {
    /// Multiplies the learning rate on a plateau.
    pub factor: f64,
    /// Validations without improvement tolerated before reducing.
    pub patience: usize,
    /// Minimum improvement, see [`ThresholdMode`].
    pub threshold: f64,
    /// Relative or absolute threshold.
    pub threshold_mode: ThresholdMode,
    /// Validations to wait after a reduction before counting again.
    pub cooldown: usize,
    /// The learning rate never goes below this.
    pub min_lr: f64,
    /// Reductions smaller than this are skipped.
    pub eps: f64,
}

impl PlateauConfig {
    /// ConVIRT's schedule, with PyTorch's other defaults (threshold 1e-4 relative, no cooldown).
    pub fn paper() -> Self {
        Self {
            factor: 0.5,
            patience: 5,
            threshold: 1e-4,
            threshold_mode: ThresholdMode::Relative,
            cooldown: 0,
            min_lr: 0.0,
            eps: 1e-8,
        }
    }

    /// A scheduler starting at `initial_lr`. Errors unless 0 < factor < 1, the threshold is ≥ 0
    /// and the learning rates are finite and ≥ 0.
    pub fn init(self, initial_lr: f64) -> Result<ReduceLrOnPlateau, TrainError> {
        let bad = |name, requirement, value| TrainError::InvalidParameter {
            name,
            requirement,
            value,
        };
        if !(self.factor > 0.0 && self.factor < 1.0) {
            return Err(bad("factor", "in (0, 1)", self.factor));
        }
        if !(self.threshold >= 0.0 && self.threshold.is_finite()) {
            return Err(bad("threshold", "finite and ≥ 0", self.threshold));
        }
        for (name, v) in [
            ("initial_lr", initial_lr),
            ("min_lr", self.min_lr),
            ("eps", self.eps),
        ] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(bad(name, "finite and ≥ 0", v));
            }
        }
        Ok(ReduceLrOnPlateau {
            config: self,
            lr: initial_lr,
            best: f64::INFINITY,
            bad_validations: 0,
            cooldown_left: 0,
            validations: 0,
        })
    }
}

/// Lowers the learning rate when the validation loss stops improving. Step it once per
/// validation; its whole state serialises, so a resumed run continues the same schedule.
///
/// ```
/// use convirt_train::PlateauConfig;
///
/// let mut s = PlateauConfig::paper().init(1e-4)?;
/// for _ in 0..6 {
///     s.step(1.0)?; // the first sets the best; five more without improvement are tolerated
/// }
/// assert_eq!(s.lr(), 1e-4);
/// s.step(1.0)?; // the sixth in a row without improvement halves it
/// assert_eq!(s.lr(), 5e-5);
/// # Ok::<(), convirt_train::TrainError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReduceLrOnPlateau {
    config: PlateauConfig,
    lr: f64,
    #[serde(with = "infinity_as_null")]
    best: f64,
    bad_validations: usize,
    cooldown_left: usize,
    validations: usize,
}

impl ReduceLrOnPlateau {
    /// The current learning rate.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// The best validation loss so far (∞ before the first).
    pub fn best(&self) -> f64 {
        self.best
    }

    /// Validations since the last improvement.
    pub fn bad_validations(&self) -> usize {
        self.bad_validations
    }

    /// Records one validation loss and returns the learning rate to use from now on.
    /// A NaN or infinite loss is an error and leaves the state unchanged.
    pub fn step(&mut self, loss: f64) -> Result<f64, TrainError> {
        if !loss.is_finite() {
            return Err(TrainError::NonFiniteMetric(loss, self.validations + 1));
        }
        self.validations += 1;
        if self.is_better(loss) {
            self.best = loss;
            self.bad_validations = 0;
        } else {
            self.bad_validations += 1;
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.bad_validations = 0;
        }
        if self.bad_validations > self.config.patience {
            let reduced = (self.lr * self.config.factor).max(self.config.min_lr);
            if self.lr - reduced > self.config.eps {
                self.lr = reduced;
            }
            self.cooldown_left = self.config.cooldown;
            self.bad_validations = 0;
        }
        Ok(self.lr)
    }

    fn is_better(&self, loss: f64) -> bool {
        match self.config.threshold_mode {
            ThresholdMode::Relative => loss < self.best * (1.0 - self.config.threshold),
            ThresholdMode::Absolute => loss < self.best - self.config.threshold,
        }
    }
}

/// JSON has no infinity: the best loss before the first validation (∞) is written as `null`.
mod infinity_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_some(value)
        } else {
            serializer.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::INFINITY))
    }
}
