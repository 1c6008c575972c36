//! The run's loss curve: training loss per step (and its running mean) with validation loss,
//! from `metrics.jsonl`, as `loss.png`.

use std::path::{Path, PathBuf};

use convirt_train::{Record, read_records};

use crate::PretrainError;

/// Reads `run_dir/metrics.jsonl` and writes `run_dir/loss.png`; returns its path.
pub fn plot_loss_curve(run_dir: &Path) -> Result<PathBuf, PretrainError> {
    let records = read_records(&run_dir.join("metrics.jsonl"))?;
    let mut train = Vec::new();
    let mut val = Vec::new();
    for record in &records {
        match record {
            Record::Train { step, loss, .. } => train.push((*step as f64, *loss as f64)),
            Record::Val { step, loss, .. } => val.push((*step as f64, *loss)),
            Record::Epoch { .. } | Record::Skip { .. } => {}
        }
    }
    let window = 20usize;
    let smooth: Vec<(f64, f64)> = (0..train.len())
        .map(|i| {
            let from = i.saturating_sub(window - 1);
            let part = &train[from..=i];
            (
                train[i].0,
                part.iter().map(|p| p.1).sum::<f64>() / part.len() as f64,
            )
        })
        .collect();
    let path = run_dir.join("loss.png");
    convirt_plot::plot_lines(
        "ConVIRT pretraining",
        "step",
        "loss",
        &[
            ("train (per step)", &train),
            ("train (mean of 20 steps)", &smooth),
            ("validation", &val),
        ],
        &path,
    )
    .map_err(|e| PretrainError::io(&path, e))?;
    Ok(path)
}
