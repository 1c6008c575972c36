//! A finished (or interrupted) run's model, loaded back from its folder.

use std::path::{Path, PathBuf};

use convirt_encoders::{ImageTower, TextTower};
use convirt_train::checkpoint::read_model;
use convirt_train::{Checkpoints, ConvirtModel, Which};

use crate::{PretrainError, PretrainOptions};

/// The settings and the verified checkpoint folder `which` (last or best) of the run in
/// `run_dir`. The checkpoint's own copy of the settings (`config.toml` inside it) is used;
/// checkpoints written before they carried one use the run folder's `config.toml`.
pub fn run_checkpoint(
    run_dir: &Path,
    which: Which,
) -> Result<(PretrainOptions, PathBuf), PretrainError> {
    let checkpoints = Checkpoints::new(run_dir.join("checkpoints"));
    let folder = checkpoints
        .verified_folder(which)?
        .ok_or_else(|| PretrainError::io(checkpoints.dir(), format!("no {which:?} checkpoint")))?;
    let own = folder.join("config.toml");
    let options = if own.is_file() {
        PretrainOptions::from_file(&own)?
    } else {
        PretrainOptions::from_file(&run_dir.join("config.toml"))?
    };
    Ok((options, folder))
}

/// The run in `run_dir`, from checkpoint `which` (last or best), for a model of any towers: the
/// settings, and the checkpoint's weights read into `fresh`, built with the run's towers. Towers other than the checkpoint's are refused
/// ([`convirt_train::TrainError::TowerMismatch`]).
pub fn load_run_into<I: ImageTower, T: TextTower>(
    run_dir: &Path,
    which: Which,
    fresh: ConvirtModel<I, T>,
) -> Result<(PretrainOptions, ConvirtModel<I, T>), PretrainError> {
    let (options, folder) = run_checkpoint(run_dir, which)?;
    let trained = read_model(fresh, &folder.join("model.bpk"))?;
    Ok((options, trained))
}
