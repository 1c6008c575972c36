//! Batches larger than memory: the exact full-batch gradient of a contrastive loss over N pairs,
//! computed M pairs at a time (GradCache; open_clip's `--accum-freq`).
//!
//! Summing gradients over micro-batches is not a larger batch for InfoNCE: each micro-batch
//! would see only its own negatives. Instead:
//!
//! 1. embed every micro-batch without keeping the graph;
//! 2. compute the N×N loss on those embeddings and its gradient with respect to them;
//! 3. re-run each micro-batch with the graph and backpropagate its slice of that gradient
//!    (`Σ a·∂L/∂a`), accumulating the parameter gradients; then take one optimiser step.
//!
//! Memory is bounded by M; the cost is one extra forward pass. Dropout replays identically
//! because the device is reseeded per micro-batch ([`micro_seed`]) before passes 1 and 3.
//!
//! BatchNorm in training mode normalises with its batch's statistics, so a micro-batch's output
//! depends on its batch-mates. The reference semantics here are **ghost batch norm**: each
//! micro-batch is normalised with its own statistics — in [`ghost_gradients`] (the reference,
//! which keeps the whole graph) as in [`cached_gradients`] — and the running statistics are
//! updated once per micro-batch, in pass 3 only (pass 1 runs on a shadow copy whose running
//! statistics are thrown away).

use burn::module::Module;
use burn::optim::{GradientsAccumulator, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};
use convirt_encoders::FrozenPrefixCache;
use convirt_loss::ContrastiveLoss;

use crate::embed::embed_pair;
use crate::step::apply_gradients;
use crate::{ConvirtModel, HostBatch, Objective, StepContext, StepLosses, StepOutcome, TrainError};
use convirt_encoders::{ImageTower, TextTower};

/// The dropout seed of micro-batch `index` of step `step`.
pub fn micro_seed(step: u64, index: usize) -> u64 {
    crate::step_seed(step ^ 0x6A09_E667_F3BC_C908, index as u64)
}

/// Rows `start..end` of a batch.
pub fn slice_batch(batch: &HostBatch, start: usize, end: usize) -> HostBatch {
    let [_, c, h, w] = batch.image_shape;
    let image = c * h * w;
    let rows = |v: &[f32]| v[start * image..end * image].to_vec();
    let l = batch.seq_len;
    HostBatch {
        images: rows(&batch.images),
        image_shape: [end - start, c, h, w],
        second_view: batch.second_view.as_deref().map(rows),
        ids: batch.ids[start * l..end * l].to_vec(),
        mask: batch.mask[start * l..end * l].to_vec(),
        seq_len: l,
    }
}

fn check_micro(n: usize, micro: usize) -> Result<usize, TrainError> {
    if micro == 0 || !n.is_multiple_of(micro) {
        return Err(TrainError::InvalidParameter {
            name: "micro_batch",
            requirement: "a positive divisor of the batch size",
            value: micro as f64,
        });
    }
    Ok(n / micro)
}

/// The loss of the gathered embeddings and what a step reports of it; a loss that is not
/// finite is an error naming the step.
pub(crate) fn checked_loss(
    loss: &dyn ContrastiveLoss,
    a: Tensor<2>,
    b: Tensor<2>,
    step: u64,
) -> Result<(Tensor<1>, StepLosses), TrainError> {
    let out = loss
        .forward(a, b)
        .map_err(|e| TrainError::Model(format!("step {step}: {e}")))?;
    let part = |t: &Option<Tensor<1>>| {
        t.as_ref()
            .map_or(f32::NAN, |t| t.clone().detach().into_scalar())
    };
    let reported = StepLosses {
        total: out.total.clone().detach().into_scalar(),
        image_to_text: part(&out.image_to_text),
        text_to_image: part(&out.text_to_image),
    };
    if !reported.total.is_finite() {
        let value = reported.total;
        return Err(TrainError::NonFiniteLoss { step, value });
    }
    Ok((out.total, reported))
}

/// Everything the two gradient computations share.
pub struct MicroContext<'a> {
    /// What is optimised.
    pub objective: Objective,
    /// Its loss.
    pub loss: &'a dyn ContrastiveLoss,
    /// The frozen BERT prefix cache, if used.
    pub cache: Option<&'a mut FrozenPrefixCache>,
    /// The autodiff device.
    pub device: &'a Device,
    /// The step (seeds dropout per micro-batch).
    pub step: u64,
}

/// The reference: the full-batch loss over all micro-batches' embeddings with the whole graph
/// kept (memory grows with N), ghost batch norm, per-micro-batch dropout seeds.
pub fn ghost_gradients<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    batch: &HostBatch,
    micro: usize,
    context: MicroContext<'_>,
) -> Result<(GradientsParams, StepLosses), TrainError> {
    let MicroContext {
        objective,
        loss,
        mut cache,
        device,
        step,
    } = context;
    let parts = check_micro(batch.len(), micro)?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for j in 0..parts {
        device.seed(micro_seed(step, j));
        let slice = slice_batch(batch, j * micro, (j + 1) * micro);
        let (x, y) = embed_pair(model, &slice, objective, cache.as_deref_mut(), device)?;
        a.push(x);
        b.push(y);
    }
    let (total, reported) = checked_loss(loss, Tensor::cat(a, 0), Tensor::cat(b, 0), step)?;
    Ok((
        GradientsParams::from_grads(total.backward(), model),
        reported,
    ))
}

/// The feature-cache gradient: the same gradient as [`ghost_gradients`], in memory bounded by
/// one micro-batch.
pub fn cached_gradients<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    batch: &HostBatch,
    micro: usize,
    context: MicroContext<'_>,
) -> Result<(GradientsParams, StepLosses), TrainError> {
    let MicroContext {
        objective,
        loss,
        mut cache,
        device,
        step,
    } = context;
    let parts = check_micro(batch.len(), micro)?;
    let slices: Vec<HostBatch> = (0..parts)
        .map(|j| slice_batch(batch, j * micro, (j + 1) * micro))
        .collect();
    // 1. Embeddings without a graph (no parameter of the shadow requires a gradient, so autodiff
    //    records nothing), BatchNorm on batch statistics; the shadow's running statistics are
    //    discarded.
    let shadow = model.valid().train().no_grad();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (j, slice) in slices.iter().enumerate() {
        device.seed(micro_seed(step, j));
        let (x, y) = embed_pair(&shadow, slice, objective, cache.as_deref_mut(), device)?;
        a.push(x.detach());
        b.push(y.detach());
    }
    drop(shadow);
    // 2. The full loss and its gradient with respect to the embeddings.
    let a = Tensor::cat(a, 0).require_grad();
    let b = Tensor::cat(b, 0).require_grad();
    let (total, reported) = checked_loss(loss, a.clone(), b.clone(), step)?;
    let mut grads = total.backward();
    let missing = || TrainError::Model(format!("step {step}: no gradient for the embeddings"));
    let ga = a.grad_remove(&mut grads).ok_or_else(missing)?;
    let gb = b.grad_remove(&mut grads).ok_or_else(missing)?;
    // 3. Each micro-batch again, with its graph, pulled by its slice of that gradient.
    let mut accumulator = GradientsAccumulator::new();
    for (j, slice) in slices.iter().enumerate() {
        device.seed(micro_seed(step, j));
        let (x, y) = embed_pair(model, slice, objective, cache.as_deref_mut(), device)?;
        let rows = j * micro..(j + 1) * micro;
        let ga_j = ga.clone().slice(rows.clone()).to_device(device);
        let gb_j = gb.clone().slice(rows).to_device(device);
        let surrogate = (x * ga_j).sum() + (y * gb_j).sum();
        accumulator.accumulate(
            model,
            GradientsParams::from_grads(surrogate.backward(), model),
        );
    }
    Ok((accumulator.grads(), reported))
}

/// One optimiser step on the full batch's exact gradient, computed `micro` pairs at a time.
/// Refused steps leave the model unchanged.
pub fn cached_step<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    batch: &HostBatch,
    micro: usize,
    context: StepContext<'_>,
) -> StepOutcome<I, T> {
    let micro_context = MicroContext {
        objective: context.objective,
        loss: context.loss,
        cache: context.cache,
        device: context.device,
        step: context.step,
    };
    let gradients = cached_gradients(&model, batch, micro, micro_context);
    apply_gradients(model, optimizer, context.lr, gradients)
}
