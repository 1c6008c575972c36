//! Data parallel across devices: each device embeds and backpropagates its shard, the loss sees
//! the global batch, and parameter gradients are summed across devices.
//!
//! The design is the feature cache ([`feature_cache`](crate::feature_cache)) with one shard per
//! device, so no gradient has to flow through a collective:
//!
//! 1. every device embeds its shard without a graph;
//! 2. the embeddings are all-gathered ([`Collective::all_gather`]: a sum of zero-padded slices);
//! 3. every device computes the global N×N loss and its gradient with respect to the gathered
//!    embeddings, and keeps its own rows;
//! 4. every device re-embeds its shard with the graph and backpropagates those rows;
//! 5. the parameter gradients are summed across devices ([`Collective::sum`]) for one optimiser
//!    step on the main model; the replicas are refreshed from it at the next step.
//!
//! [`Collective::AllReduce`] runs steps 2 and 5 through burn's `all_reduce` (NCCL, CUDA only);
//! [`Collective::Host`] moves the tensors through the main device and runs everywhere (two CPU
//! devices, flex and wgpu, in the tests, or K simulated ranks on one device). The code path is
//! otherwise the same.
//!
//! The gradient equals [`ghost_gradients`](crate::ghost_gradients) with micro-batch N/K: each
//! shard is normalised with its own BatchNorm statistics and dropout is seeded per shard.
//! BatchNorm's running statistics follow rank 0's shard (PyTorch DDP broadcasts rank 0's buffers
//! the same way).

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};
use convirt_loss::ContrastiveLoss;

use crate::collective::Collective;
use crate::embed::embed_pair;
use crate::feature_cache::{checked_loss, micro_seed, slice_batch};
use crate::step::apply_gradients;
use crate::{ConvirtModel, HostBatch, Objective, StepContext, StepLosses, StepOutcome, TrainError};
use convirt_encoders::{ImageTower, TextTower};

/// The full batch's gradient over `devices` (device 0 holds `model`, the main copy), one shard
/// of N/K pairs per device, summed across devices with `collective`; the gradients come back on
/// the main device.
pub fn data_parallel_gradients<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    devices: &[Device],
    batch: &HostBatch,
    objective: Objective,
    loss: &dyn ContrastiveLoss,
    step: u64,
    collective: Collective,
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
    let shard = n / k;
    let replicas: Vec<ConvirtModel<I, T>> =
        devices.iter().map(|d| model.clone().to_device(d)).collect();
    let slices: Vec<HostBatch> = (0..k)
        .map(|r| slice_batch(batch, r * shard, (r + 1) * shard))
        .collect();
    // 1. Each rank embeds its shard without a graph.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (r, (replica, device)) in replicas.iter().zip(devices).enumerate() {
        let shadow = replica.valid().train().no_grad();
        device.seed(micro_seed(step, r));
        let (x, y) = embed_pair(&shadow, &slices[r], objective, None, device)?;
        a.push(x.detach());
        b.push(y.detach());
    }
    // 2. All-gather: every rank holds the global batch's embeddings.
    let a = collective.all_gather(a, devices);
    let b = collective.all_gather(b, devices);
    // 3. Every rank: the global loss, and its gradient with respect to its own rows.
    let mut rows_grad = Vec::with_capacity(k);
    let mut reported = None;
    for (r, (a, b)) in a.into_iter().zip(b).enumerate() {
        let (a, b) = (a.require_grad(), b.require_grad());
        let (total, losses) = checked_loss(loss, a.clone(), b.clone(), step)?;
        reported.get_or_insert(losses);
        let mut grads = total.backward();
        let missing = || TrainError::Model(format!("step {step}: no gradient for the embeddings"));
        let rows = r * shard..(r + 1) * shard;
        let ga = a.grad_remove(&mut grads).ok_or_else(missing)?;
        let gb = b.grad_remove(&mut grads).ok_or_else(missing)?;
        rows_grad.push((ga.slice(rows.clone()), gb.slice(rows)));
    }
    // 4. Every rank backpropagates its rows through its replica.
    let mut local = Vec::with_capacity(k);
    for (r, ((replica, device), (ga, gb))) in
        replicas.iter().zip(devices).zip(rows_grad).enumerate()
    {
        device.seed(micro_seed(step, r));
        let (x, y) = embed_pair(replica, &slices[r], objective, None, device)?;
        let surrogate = (x * ga.to_device(device)).sum() + (y * gb.to_device(device)).sum();
        // Gradients are found by parameter id, which every replica shares with the main model.
        local.push(GradientsParams::from_grads(surrogate.backward(), model));
    }
    // 5. Sum the parameter gradients across devices.
    let plain: Vec<Device> = devices
        .iter()
        .map(|d| d.clone().without_autodiff())
        .collect();
    let mut reduce = Reduce {
        local,
        devices: &plain,
        collective,
        out: GradientsParams::new(),
    };
    model.visit(&mut reduce);
    let reported =
        reported.ok_or_else(|| TrainError::Model("data parallel over no device".into()))?;
    Ok((reduce.out, reported))
}

/// Sums one parameter's gradients across ranks, parameter by parameter (the order every rank
/// visits them in, as NCCL requires).
struct Reduce<'a> {
    local: Vec<GradientsParams>,
    devices: &'a [Device],
    collective: Collective,
    out: GradientsParams,
}

impl ModuleVisitor for Reduce<'_> {
    // Invariant: `devices` is not empty (checked before the visit), so the sum has a first part.
    #[allow(clippy::expect_used)]
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let parts: Vec<Option<Tensor<D>>> = self
            .local
            .iter_mut()
            .map(|g| g.remove::<D>(param.id))
            .collect();
        let Some(shape) = parts.iter().flatten().next().map(|t| t.shape()) else {
            return; // frozen: no rank has a gradient
        };
        let parts = parts
            .into_iter()
            .zip(self.devices)
            .map(|(p, device)| p.unwrap_or_else(|| Tensor::zeros(shape.clone(), device)))
            .collect();
        let sum = self.collective.sum(parts, self.devices);
        let main = sum.into_iter().next().expect("one device at least");
        self.out
            .register::<D>(param.id, main.to_device(&self.devices[0]));
    }
}

/// One optimiser step on the main model with the data-parallel gradient over `devices`
/// (device 0 is the main device, `context.device`). The text cache is not used across devices.
/// Refused steps leave the model unchanged.
pub fn data_parallel_step<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    batch: &HostBatch,
    devices: &[Device],
    collective: Collective,
    context: StepContext<'_>,
) -> StepOutcome<I, T> {
    let gradients = data_parallel_gradients(
        &model,
        devices,
        batch,
        context.objective,
        context.loss,
        context.step,
        collective,
    );
    apply_gradients(model, optimizer, context.lr, gradients)
}
