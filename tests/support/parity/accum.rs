//! The feature-cache step against the full-batch step: same gradient, bounded memory.

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor};
use convirt_encoders::{Bert, BertConfig, ResNet, ResNetConfig};
use convirt_loss::ConvirtLoss;
use convirt_train::{
    Collective, ConvirtModel, ConvirtModelConfig, HostBatch, MicroContext, Objective, TrainError,
    cached_gradients, data_parallel_gradients, ghost_gradients,
};

/// How far the cached gradient is from the reference, over every trainable tensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccumErrors {
    /// Largest absolute difference of one gradient entry.
    pub max_abs_err: f64,
    /// Largest difference of a tensor relative to that tensor's largest reference gradient entry.
    pub max_rel_err: f64,
    /// Parameters with a reference gradient, compared.
    pub tensors: usize,
    /// The largest reference gradient entry over all parameters (the scale for
    /// `max_abs_err` when some tensors' gradients are near zero and only rounding remains).
    pub max_scale: f64,
}

/// The small model of these checks.
pub type SmallModel = ConvirtModel<ResNet, Bert>;

/// A small two-tower model with BatchNorm and `dropout` in the text tower, fixed by `seed`.
pub fn small_model(device: &Device, seed: u64, dropout: f64) -> Result<SmallModel, TrainError> {
    device.seed(seed);
    let image = ResNetConfig::resnet18()
        .with_base_width(8)
        .with_in_channels(1)
        .init(device);
    let text = BertConfig {
        vocab_size: 100,
        hidden_size: 32,
        num_hidden_layers: 2,
        num_attention_heads: 4,
        intermediate_size: 64,
        max_position_embeddings: 16,
        hidden_dropout_prob: dropout,
        attention_probs_dropout_prob: dropout,
        ..BertConfig::base()
    }
    .init(device);
    ConvirtModelConfig::new()
        .with_embed_dim(16)
        .with_frozen_layers(1)
        .init(image, text, device)
}

/// A batch of `n` random 32×32 images and sentences of 3–10 tokens, fixed by `seed`.
pub fn random_batch(n: usize, seed: u64) -> HostBatch {
    let mut z = seed;
    let mut next = move || {
        z = convirt_train::step_seed(z, 1);
        z
    };
    let images = (0..n * 32 * 32)
        .map(|_| (next() % 2000) as f32 / 1000.0 - 1.0)
        .collect();
    let seq = 10;
    let (mut ids, mut mask) = (vec![0i64; n * seq], vec![0i64; n * seq]);
    for i in 0..n {
        let len = 3 + (next() % 8) as usize;
        for t in 0..len {
            ids[i * seq + t] = 1 + (next() % 99) as i64;
            mask[i * seq + t] = 1;
        }
    }
    HostBatch {
        images,
        image_shape: [n, 1, 32, 32],
        second_view: None,
        ids,
        mask,
        seq_len: seq,
    }
}

/// Visits every float parameter and compares its two gradients.
struct Gap<'a> {
    reference: &'a GradientsParams,
    other: &'a GradientsParams,
    errors: AccumErrors,
}

impl ModuleVisitor for Gap<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let values = |g: &GradientsParams| {
            g.get::<D>(param.id).map(|t| {
                t.into_data()
                    .convert::<f32>()
                    .try_into_vec::<f32>()
                    .unwrap_or_default()
            })
        };
        let (Some(r), other) = (values(self.reference), values(self.other)) else {
            return;
        };
        let scale = r.iter().fold(0.0f64, |m, x| m.max(x.abs() as f64));
        let diff = match other {
            Some(o) if o.len() == r.len() => r
                .iter()
                .zip(&o)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs() as f64)),
            _ => f64::INFINITY,
        };
        self.errors.max_abs_err = self.errors.max_abs_err.max(diff);
        self.errors.max_scale = self.errors.max_scale.max(scale);
        if scale > 0.0 {
            self.errors.max_rel_err = self.errors.max_rel_err.max(diff / scale);
        }
        self.errors.tensors += 1;
    }
}

/// Compares one step's gradient computed `micro` pairs at a time (the feature cache) against the
/// full-batch gradient with ghost batch norm, on `batch` random pairs.
pub fn accum(
    batch: usize,
    micro: usize,
    device: &Device,
    seed: u64,
) -> Result<AccumErrors, TrainError> {
    let device = device.clone().autodiff();
    let model = small_model(&device, seed, 0.1)?;
    let data = random_batch(batch, seed ^ 0xDA7A);
    let loss = ConvirtLoss::paper();
    let context = || MicroContext {
        objective: Objective::Convirt,
        loss: &loss,
        cache: None,
        device: &device,
        step: 7,
    };
    let (reference, _) = ghost_gradients(&model, &data, micro, context())?;
    let (cached, _) = cached_gradients(&model, &data, micro, context())?;
    Ok(gradient_gap(&model, &reference, &cached))
}

/// How far `other` is from `reference`, both gradients of `model`'s parameters, parameter by
/// parameter; a parameter the reference has and `other` lacks counts as an infinite error.
pub fn gradient_gap(
    model: &SmallModel,
    reference: &GradientsParams,
    other: &GradientsParams,
) -> AccumErrors {
    let mut gap = Gap {
        reference,
        other,
        errors: AccumErrors {
            max_abs_err: 0.0,
            max_rel_err: 0.0,
            tensors: 0,
            max_scale: 0.0,
        },
    };
    model.visit(&mut gap);
    gap.errors
}

/// Compares a data-parallel step over `devices` (one shard each; repeat a device to simulate
/// ranks on it) with `dropout` in the text tower (use 0 across backends: a shard's dropout masks
/// come from its device's generator, which the reference on the main device does not share)
/// against the single-device full-batch step with ghost batch norm over shards of
/// the same size, on `batch` random pairs.
pub fn data_parallel(
    batch: usize,
    devices: &[Device],
    seed: u64,
    collective: Collective,
    dropout: f64,
) -> Result<AccumErrors, TrainError> {
    let devices: Vec<Device> = devices.iter().map(|d| d.clone().autodiff()).collect();
    let main = devices
        .first()
        .ok_or_else(|| TrainError::Model("no device".into()))?;
    let model = small_model(main, seed, dropout)?;
    let data = random_batch(batch, seed ^ 0xDA7A);
    let loss = ConvirtLoss::paper();
    let (parallel, _) = data_parallel_gradients(
        &model,
        &devices,
        &data,
        Objective::Convirt,
        &loss,
        7,
        collective,
    )?;
    let shard = batch / devices.len().max(1);
    let (reference, _) = ghost_gradients(
        &model,
        &data,
        shard.max(1),
        MicroContext {
            objective: Objective::Convirt,
            loss: &loss,
            cache: None,
            device: main,
            step: 7,
        },
    )?;
    Ok(gradient_gap(&model, &reference, &parallel))
}
