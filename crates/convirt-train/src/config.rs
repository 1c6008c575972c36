//! The training run's settings, with the paper's defaults.

use serde::{Deserialize, Serialize};

use crate::{Objective, PAPER_LEARNING_RATE, PlateauConfig, TrainError};

/// Everything that decides how a run trains (not what it trains on). Serialises to the run
/// folder's `config.json`; a resumed run must carry the same settings.
///
/// ```
/// let config = convirt_train::TrainConfig::paper();
/// assert_eq!((config.learning_rate, config.tau, config.lambda), (1e-4, 0.1, 0.75));
/// assert_eq!(config.plateau.patience, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Passes over the training pairs.
    pub epochs: usize,
    /// Stop after this many steps in all, if set.
    pub max_steps: Option<u64>,
    /// Adam's initial learning rate (the paper: 1e-4).
    pub learning_rate: f64,
    /// InfoNCE temperature τ (the paper: 0.1).
    pub tau: f64,
    /// Weight λ of the image→text direction (the paper: 0.75).
    pub lambda: f64,
    /// What is optimised.
    pub objective: Objective,
    /// The learning-rate schedule on validation loss (the paper: factor 0.5, patience 5).
    pub plateau: PlateauConfig,
    /// Validate every this many steps; `None` validates once per epoch. Patience counts
    /// validations.
    pub val_every: Option<u64>,
    /// Stop when the validation loss has not improved for this many validations; `None` (0 in a
    /// file, since TOML has no null) never stops early.
    #[serde(with = "off_as_zero")]
    pub early_stopping: Option<usize>,
    /// Ramp the learning rate linearly from lr/warmup_steps to lr over this many steps (0: none;
    /// the paper uses none).
    pub warmup_steps: u64,
    /// Compute each step's gradient this many pairs at a time, exactly (feature cache; see
    /// [`feature_cache`](crate::feature_cache)); must divide the batch size. `None`: whole batch.
    pub micro_batch: Option<usize>,
    /// Clip the global gradient norm to this value, if set.
    pub grad_clip_norm: Option<f32>,
    /// Write a checkpoint every this many steps (and at every validation and at the end).
    pub checkpoint_every: Option<u64>,
    /// Sentences whose frozen BERT prefix is cached (0: no cache). Exact; see
    /// `convirt_encoders::FrozenPrefixCache`.
    pub text_cache: usize,
    /// Seeds dropout per step, so a resumed run draws what the uninterrupted one would have.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self::paper()
    }
}

impl TrainConfig {
    /// The paper's recipe: Adam at 1e-4, τ 0.1, λ 0.75, ReduceLROnPlateau(0.5, 5) on
    /// validation loss once per epoch, 200 epochs at most, early stopping after 10 flat
    /// validations, no clipping.
    pub fn paper() -> Self {
        Self {
            epochs: 200,
            max_steps: None,
            learning_rate: PAPER_LEARNING_RATE,
            tau: 0.1,
            lambda: 0.75,
            objective: Objective::Convirt,
            plateau: PlateauConfig::paper(),
            val_every: None,
            early_stopping: Some(10),
            warmup_steps: 0,
            micro_batch: None,
            grad_clip_norm: None,
            checkpoint_every: None,
            text_cache: 200_000,
            seed: 0,
        }
    }

    /// Checks the ranges the loop relies on.
    pub fn validate(&self) -> Result<(), TrainError> {
        let bad = |name, requirement, value: f64| {
            Err(TrainError::InvalidParameter {
                name,
                requirement,
                value,
            })
        };
        if self.epochs == 0 && self.max_steps.is_none() {
            return bad("epochs", "at least 1", 0.0);
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad("learning_rate", "positive", self.learning_rate);
        }
        if self.val_every == Some(0) {
            return bad("val_every", "at least 1", 0.0);
        }
        if self.micro_batch == Some(0) {
            return bad("micro_batch", "at least 1", 0.0);
        }
        if self.checkpoint_every == Some(0) {
            return bad("checkpoint_every", "at least 1", 0.0);
        }
        if let Some(c) = self.grad_clip_norm
            && !(c > 0.0 && c.is_finite())
        {
            return bad("grad_clip_norm", "positive", c as f64);
        }
        self.objective.loss(self.tau, self.lambda).map(|_| ())
    }
}

/// An optional count written as a number with 0 for `None`: the paper's default is on, so an
/// omitted key could not say "off" in TOML.
mod off_as_zero {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<usize>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(value.unwrap_or(0) as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
        Ok(Option::<usize>::deserialize(d)?.filter(|&n| n > 0))
    }
}
