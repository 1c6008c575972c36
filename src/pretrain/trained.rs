//! A finished (or interrupted) run's model, loaded back from its folder.

use std::path::Path;

use burn::tensor::Device;
use convirt_train::checkpoint::read_model;
use convirt_train::{Checkpoints, ConvirtModel, Which};

use crate::pretrain::{PretrainError, PretrainOptions, model};

/// The settings and model of the run in `run_dir`, from checkpoint `which` (last or best), on
/// `device`. The checkpoint is verified against its manifest first, and its own copy of the
/// settings (`config.toml` inside the checkpoint) rebuilds the model; checkpoints written
/// before they carried one use the run folder's `config.toml`.
pub fn load_run(
    run_dir: &Path,
    which: Which,
    device: &Device,
) -> Result<(PretrainOptions, ConvirtModel), PretrainError> {
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
    let fresh = model(&options, device)?;
    let trained = read_model(fresh, &folder.join("model.bpk"))?;
    Ok((options, trained))
}
