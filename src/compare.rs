//! `convirt eval compare` on the built-in towers: everything of
//! [`convirt_eval::compare`] (which takes a model of any towers, [`compare_with`]), plus
//! [`compare`], whose units start from the built-in towers `config.pretrain.arch` names.

use std::path::Path;

use burn::tensor::Device;
use convirt_encoders::{DenseNet, ResNet, VisionTransformer};

pub use convirt_eval::compare::*;

use crate::pretrain::model_with;
use crate::towers::Family;

/// Runs (or continues) the comparison `config` in `out` on `device` with the built-in image
/// tower `config.pretrain.arch` names and BERT, then writes the report ([`compare_with`]).
pub fn compare(
    config: &CompareConfig,
    out: &Path,
    device: &Device,
    command: &str,
) -> Result<CompareRun, CompareError> {
    let family =
        Family::of(&config.pretrain.arch).map_err(|e| CompareError::Config(e.to_string()))?;
    match family {
        Family::ResNet => compare_with(config, out, device, command, &model_with::<ResNet>),
        Family::DenseNet => compare_with(config, out, device, command, &model_with::<DenseNet>),
        Family::Vit => compare_with(
            config,
            out,
            device,
            command,
            &model_with::<VisionTransformer>,
        ),
    }
}
