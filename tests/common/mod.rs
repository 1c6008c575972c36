//! Helpers shared by the integration tests.
#![allow(dead_code)]

use burn::tensor::{Device, Tensor, TensorData};
use convirt::Backend;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The device under test: `CONVIRT_BACKEND` (see `scripts/test-backends.sh`), else flex.
pub fn device() -> Device {
    let backend = Backend::from_env().expect("CONVIRT_BACKEND names a backend");
    backend.device().unwrap_or_else(|e| panic!("{e}"))
}

/// A `[rows, cols]` matrix of standard normal values from a seeded RNG (same on every backend).
pub fn normal(rows: usize, cols: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..rows * cols)
        .map(|_| {
            // Box–Muller: rand's StandardNormal lives in rand_distr, which we do not need otherwise.
            let (a, b): (f32, f32) = (rng.random::<f32>().max(1e-7), rng.random());
            (-2.0 * a.ln()).sqrt() * (std::f32::consts::TAU * b).cos()
        })
        .collect()
}

/// A tensor from row-major values.
pub fn tensor(values: Vec<f32>, rows: usize, cols: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// Reads a tensor back as f32 values.
pub fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_into_vec().expect("f32")
}

/// A repo fixture path.
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// flex's random generator is global: tests that seed it run one at a time.
#[allow(dead_code)]
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A tiny two-tower model: a ResNet18 of width 4 on gray images, a one-layer BERT with MiniLM's
/// vocabulary (so MiniLM's tokenizer fits it), 8-d embeddings; fixed by `seed`.
pub fn tiny_model(
    device: &Device,
    seed: u64,
) -> convirt::train::ConvirtModel<convirt::encoders::ResNet, convirt::encoders::Bert> {
    use convirt::encoders::{BertConfig, ResNetConfig};
    device.seed(seed);
    let image = ResNetConfig::resnet18()
        .with_base_width(4)
        .with_in_channels(1)
        .init(device);
    let text = BertConfig {
        vocab_size: 30522,
        hidden_size: 16,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 64,
        ..BertConfig::base()
    }
    .init(device);
    convirt::train::ConvirtModelConfig::new()
        .with_embed_dim(8)
        .with_frozen_layers(0)
        .init(image, text, device)
        .unwrap()
}

/// The CPU preset shrunk for tests: 32², sentences of 16 tokens, batch 8, 16 validation pairs,
/// no time budget, `steps` steps with a validation every `val_every`.
pub fn tiny_pretrain(steps: u64, val_every: u64) -> convirt::pretrain::PretrainOptions {
    let mut o = convirt::pretrain::PretrainOptions::cpu();
    o.image_size = 32;
    o.seq_len = 16;
    o.batch_size = 8;
    o.val_pairs = Some(16);
    o.time_budget_s = None;
    o.train.max_steps = Some(steps);
    o.train.val_every = Some(val_every);
    o
}

/// Every tensor of `model` (parameters and BatchNorm statistics), by name, as raw bytes: equal
/// lists mean bitwise equal models.
pub fn weights<I: convirt::encoders::ImageTower, T: convirt::encoders::TextTower>(
    model: &convirt::train::ConvirtModel<I, T>,
) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> =
        burn_store::ModuleSnapshot::collect(model, None, None, false)
            .into_iter()
            .map(|t| (t.name.clone(), t.to_bytes().unwrap().to_vec()))
            .collect();
    all.sort();
    all
}
