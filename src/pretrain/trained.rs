//! A finished (or interrupted) run's model, loaded back from its folder.

use std::path::Path;

use burn::tensor::Device;
use convirt_train::checkpoint::read_model;
use convirt_train::{Checkpoints, ConvirtModel, Which};

use crate::pretrain::{PretrainError, PretrainOptions, model};

/// The settings and model of the run in `run_dir`, from its `config.toml` and checkpoint
/// `which` (last or best), on `device`.
pub fn load_run(
    run_dir: &Path,
    which: Which,
    device: &Device,
) -> Result<(PretrainOptions, ConvirtModel), PretrainError> {
    let options = PretrainOptions::from_file(&run_dir.join("config.toml"))?;
    let checkpoints = Checkpoints::new(run_dir.join("checkpoints"));
    let folder = checkpoints
        .folder(which)?
        .ok_or_else(|| PretrainError::io(checkpoints.dir(), format!("no {which:?} checkpoint")))?;
    let fresh = model(&options, device)?;
    let trained = read_model(fresh, &folder.join("model.bpk"))?;
    Ok((options, trained))
}
