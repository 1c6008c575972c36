//! The two embeddings an objective compares, for one host batch.

use burn::tensor::{Device, Tensor};
use convirt_encoders::FrozenPrefixCache;
use convirt_encoders::Projection;

use crate::{ConvirtModel, HostBatch, Objective, TrainError};
use convirt_encoders::{ImageTower, TextTower};

/// The two embeddings the objective compares, for one batch.
pub(crate) fn embed_pair<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    batch: &HostBatch,
    objective: Objective,
    cache: Option<&mut FrozenPrefixCache>,
    device: &Device,
) -> Result<(Tensor<2>, Tensor<2>), TrainError> {
    let v = model.embed_images(batch.image_tensor(device));
    if objective.needs_two_views() {
        let second = batch
            .second_view_tensor(device)
            .ok_or_else(|| TrainError::Model(format!("{objective} needs two views")))?;
        return Ok((v, model.embed_images(second)));
    }
    let u = match cache.zip(model.text.frozen_prefix()) {
        Some((cache, prefix)) => model.text_head.project(
            cache
                .encode_text(prefix, &batch.sentences(), device)
                .map_err(|e| TrainError::Model(e.to_string()))?,
        ),
        None => {
            let t = batch.to_pair_batch(device);
            model.embed_text(t.ids, t.mask)
        }
    };
    Ok((v, u))
}
