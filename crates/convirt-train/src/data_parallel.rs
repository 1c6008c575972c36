//! Data parallel across devices: each device embeds and backpropagates its shard, the loss sees
//! the global batch, and parameter gradients are summed on the main device.
//!
//! The design is the feature cache ([`feature_cache`](crate::feature_cache)) with one shard per
//! device: every device embeds its shard without a graph, the embeddings are gathered on the
//! main device (device 0), the N×N loss and its gradient with respect to every embedding are
//! computed there, each device backpropagates its own slice of that gradient, and the parameter
//! gradients are reduced onto the main device for one optimiser step; the replicas are then
//! refreshed from the main model. No gradient flows through a collective, so the gather is a
//! plain move of `[N/K, d]` embeddings and the reduction a sum of parameter gradients.
//!
//! burn 0.22 has one collective, `all_reduce`, implemented only for CUDA through NCCL, and no
//! all-gather or broadcast. This module therefore reduces by moving tensors to the main device,
//! which works on every backend (two CPU devices, flex and wgpu, in the tests, or K simulated
//! ranks on one device); on CUDA the same sum is what `all_reduce` computes in place.
//!
//! The gradient equals [`ghost_gradients`](crate::ghost_gradients) with micro-batch N/K: each
//! shard is normalised with its own BatchNorm statistics and dropout is seeded per shard.
//! BatchNorm's running statistics follow rank 0's shard (PyTorch DDP broadcasts rank 0's buffers
//! the same way).

use burn::module::Module;
use burn::optim::{GradientsAccumulator, GradientsParams};
use burn::tensor::{Device, Tensor};
use convirt_loss::ContrastiveLoss;

use crate::embed::embed_pair;
use crate::feature_cache::{checked_loss, micro_seed, slice_batch};
use crate::{ConvirtModel, HostBatch, Objective, StepLosses, TrainError};

/// The full batch's gradient over `devices` (device 0 holds `model`, the main copy), one shard
/// of N/K pairs per device; the gradients come back on the main device.
pub fn data_parallel_gradients(
    model: &ConvirtModel,
    devices: &[Device],
    batch: &HostBatch,
    objective: Objective,
    loss: &dyn ContrastiveLoss,
    step: u64,
) -> Result<(GradientsParams, StepLosses), TrainError> {
    let k = devices.len();
    let n = batch.len();
    if k == 0 || !n.is_multiple_of(k) {
        return Err(TrainError::InvalidParameter {
            name: "devices",
            requirement: "at least one, dividing the batch size",
            value: k as f64,
        });
    }
    if let Some(d) = devices.iter().find(|d| !d.is_autodiff()) {
        return Err(TrainError::Model(format!(
            "device {d:?} does not carry autodiff"
        )));
    }
    let main = &devices[0];
    let shard = n / k;
    let replicas: Vec<ConvirtModel> = devices.iter().map(|d| model.clone().to_device(d)).collect();
    let slices: Vec<HostBatch> = (0..k)
        .map(|r| slice_batch(batch, r * shard, (r + 1) * shard))
        .collect();
    // 1. Each rank embeds its shard without a graph; the embeddings gather on the main device.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (r, (replica, device)) in replicas.iter().zip(devices).enumerate() {
        let shadow = replica.valid().train().no_grad();
        device.seed(micro_seed(step, r));
        let (x, y) = embed_pair(&shadow, &slices[r], objective, None, device)?;
        a.push(x.detach().to_device(main));
        b.push(y.detach().to_device(main));
    }
    // 2. The global loss and its gradient with respect to every embedding, on the main device.
    let a = Tensor::cat(a, 0).require_grad();
    let b = Tensor::cat(b, 0).require_grad();
    let (total, reported) = checked_loss(loss, a.clone(), b.clone(), step)?;
    let mut grads = total.backward();
    let missing = || TrainError::Model(format!("step {step}: no gradient for the embeddings"));
    let ga = a.grad_remove(&mut grads).ok_or_else(missing)?;
    let gb = b.grad_remove(&mut grads).ok_or_else(missing)?;
    // 3. Each rank backpropagates its slice; the parameter gradients are summed on the main
    //    device (the reduction burn's CUDA `all_reduce` would do in place).
    let mut sum = GradientsAccumulator::new();
    for (r, (replica, device)) in replicas.iter().zip(devices).enumerate() {
        device.seed(micro_seed(step, r));
        let (x, y) = embed_pair(replica, &slices[r], objective, None, device)?;
        let rows = r * shard..(r + 1) * shard;
        let ga_r = ga.clone().slice(rows.clone()).to_device(device);
        let gb_r = gb.clone().slice(rows).to_device(device);
        let surrogate = (x * ga_r).sum() + (y * gb_r).sum();
        // Gradients are found by parameter id, which every replica shares with the main model.
        let local = GradientsParams::from_grads(surrogate.backward(), model);
        sum.accumulate(model, local.to_device(main, model));
    }
    Ok((sum.grads(), reported))
}
