//! The run's metrics log: one JSON object per line.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::TrainError;

/// One line of `metrics.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Record {
    /// A training step.
    Train {
        /// Steps taken, this one included.
        step: u64,
        /// The epoch.
        epoch: usize,
        /// The loss minimised.
        loss: f32,
        /// Its image→text part (ConVIRT only).
        #[serde(skip_serializing_if = "Option::is_none")]
        image_to_text: Option<f32>,
        /// Its text→image part (ConVIRT only).
        #[serde(skip_serializing_if = "Option::is_none")]
        text_to_image: Option<f32>,
        /// The learning rate used.
        lr: f64,
        /// Pairs in the batch.
        pairs: usize,
        /// Seconds since the run (or its resumption) started.
        elapsed_s: f64,
    },
    /// A validation.
    Val {
        /// Steps taken.
        step: u64,
        /// The epoch.
        epoch: usize,
        /// Mean validation loss over the validation pairs.
        loss: f64,
        /// The learning rate after the schedule saw this loss.
        lr: f64,
        /// Whether it is the best so far.
        best: bool,
        /// Validation items the source skipped (named by [`Record::Skip`] lines at the first
        /// validation).
        #[serde(default, skip_serializing_if = "is_zero")]
        skipped: usize,
    },
    /// An item the data source skipped, named.
    Skip {
        /// Steps taken.
        step: u64,
        /// The epoch.
        epoch: usize,
        /// `train` or `val`.
        split: String,
        /// The item (its file) and why.
        reason: String,
    },
    /// The end of an epoch, with the data source's skips.
    Epoch {
        /// Steps taken.
        step: u64,
        /// The epoch that ended.
        epoch: usize,
        /// Training items the source skipped so far in the run.
        skipped: usize,
    },
}

impl Record {
    /// The step the record was written after.
    pub fn step(&self) -> u64 {
        match self {
            Self::Train { step, .. }
            | Self::Val { step, .. }
            | Self::Epoch { step, .. }
            | Self::Skip { step, .. } => *step,
        }
    }
}

/// Appends [`Record`]s to a JSONL file, one per line, flushed as written.
#[derive(Debug)]
pub struct MetricsLog {
    path: PathBuf,
    file: fs::File,
}

impl MetricsLog {
    /// Opens `path`. With `resume_step`, keeps only the records up to that step (what a resumed
    /// run continues from) and appends after them; without, starts an empty log.
    pub fn open(path: impl Into<PathBuf>, resume_step: Option<u64>) -> Result<Self, TrainError> {
        let path = path.into();
        let kept = match resume_step {
            Some(step) if path.exists() => read_records(&path)?
                .into_iter()
                .filter(|r| r.step() <= step)
                .collect(),
            _ => Vec::new(),
        };
        let mut file = fs::File::create(&path).map_err(|e| TrainError::io(&path, e))?;
        for record in &kept {
            writeln!(file, "{}", line(record)).map_err(|e| TrainError::io(&path, e))?;
        }
        Ok(Self { path, file })
    }

    /// Appends one record.
    pub fn write(&mut self, record: &Record) -> Result<(), TrainError> {
        writeln!(self.file, "{}", line(record)).map_err(|e| TrainError::io(&self.path, e))
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn line(record: &Record) -> String {
    // Records hold only numbers and strings; serialising them cannot fail.
    serde_json::to_string(record).unwrap_or_default()
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Reads every record of a metrics log, naming the line of a malformed one.
pub fn read_records(path: &Path) -> Result<Vec<Record>, TrainError> {
    let file = fs::File::open(path).map_err(|e| TrainError::io(path, e))?;
    let mut records = Vec::new();
    for (i, text) in BufReader::new(file).lines().enumerate() {
        let text = text.map_err(|e| TrainError::io(path, e))?;
        if text.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(&text)
            .map_err(|e| TrainError::io(path, format!("line {}: {e}", i + 1)))?;
        records.push(record);
    }
    Ok(records)
}
