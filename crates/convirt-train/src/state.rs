//! Where a run stands: everything besides the weights and Adam's moments that exact resume needs.

use serde::{Deserialize, Serialize};

use crate::ReduceLrOnPlateau;

/// The loop's position and the schedule's memory. Saved with every checkpoint as `state.json`.
///
/// Randomness needs no state of its own: the data path draws per (seed, epoch, item) and dropout
/// is reseeded from (seed, step) before every step, so the cursor below fixes every draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainState {
    /// Optimiser steps taken.
    pub step: u64,
    /// The epoch in progress.
    pub epoch: usize,
    /// The next batch within that epoch.
    pub batch: usize,
    /// Pairs trained on so far.
    pub pairs_seen: u64,
    /// The learning-rate schedule.
    pub plateau: ReduceLrOnPlateau,
    /// Validations run so far.
    pub validations: usize,
    /// The best validation loss so far.
    pub best_val: Option<f64>,
    /// Validations since the best one (early stopping counts these).
    pub flat_validations: usize,
    /// The first validation loss (before any improvement could be credited to training).
    pub val_first: Option<f64>,
    /// The latest validation loss.
    pub val_last: Option<f64>,
    /// Whether the run ended (all epochs, the step limit or early stopping).
    pub finished: bool,
    /// Training items the data source skipped so far (each named in `metrics.jsonl`).
    #[serde(default)]
    pub skipped_train: u64,
    /// Validation items skipped at the latest validation (named at the first).
    #[serde(default)]
    pub skipped_val: usize,
}

impl TrainState {
    /// A run that has not started, with its schedule.
    pub fn new(plateau: ReduceLrOnPlateau) -> Self {
        Self {
            step: 0,
            epoch: 0,
            batch: 0,
            pairs_seen: 0,
            plateau,
            validations: 0,
            best_val: None,
            flat_validations: 0,
            val_first: None,
            val_last: None,
            finished: false,
            skipped_train: 0,
            skipped_val: 0,
        }
    }

    /// Records a validation loss; returns whether it is the best so far.
    pub fn record_validation(&mut self, loss: f64) -> bool {
        self.validations += 1;
        self.val_first.get_or_insert(loss);
        self.val_last = Some(loss);
        let improved = self.best_val.is_none_or(|best| loss < best);
        if improved {
            self.best_val = Some(loss);
            self.flat_validations = 0;
        } else {
            self.flat_validations += 1;
        }
        improved
    }
}
