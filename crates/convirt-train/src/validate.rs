//! Validation loss, computed without autodiff.

use burn::module::Module;
use burn::tensor::Device;
use convirt_encoders::FrozenPrefixCache;
use convirt_loss::ContrastiveLoss;

use crate::embed::embed_pair;
use crate::{BatchSource, ConvirtModel, Objective, TrainError};
use convirt_encoders::{ImageTower, TextTower};

/// The mean loss over every pair of `source`'s epoch 0, weighted by batch size. The model runs
/// through `valid()` (no autodiff graph, BatchNorm on running statistics, no dropout) on the
/// plain version of `device`.
pub fn validation_loss<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    source: &dyn BatchSource,
    objective: Objective,
    loss: &dyn ContrastiveLoss,
    mut cache: Option<&mut FrozenPrefixCache>,
    device: &Device,
) -> Result<f64, TrainError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let (mut sum, mut pairs) = (0.0f64, 0usize);
    for (i, batch) in source.epoch(0, 0).enumerate() {
        let batch = batch.map_err(|message| TrainError::Data {
            step: i as u64,
            message: format!("validation batch {i}: {message}"),
        })?;
        let (a, b) = embed_pair(&model, &batch, objective, cache.as_deref_mut(), &device)?;
        let value: f32 = loss
            .forward(a, b)
            .map_err(|e| TrainError::Model(format!("validation batch {i}: {e}")))?
            .total
            .into_scalar();
        sum += value as f64 * batch.len() as f64;
        pairs += batch.len();
    }
    if pairs == 0 {
        return Err(TrainError::Model(
            "the validation source gave no pairs".into(),
        ));
    }
    Ok(sum / pairs as f64)
}
