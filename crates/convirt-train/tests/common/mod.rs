//! What the trainer tests share: a deterministic batch source, a tiny model with BatchNorm and
//! dropout, the run settings, and bitwise comparison of weights.
#![allow(dead_code)]

use burn::tensor::Device;
use convirt_encoders::{BertConfig, ResNetConfig};
use convirt_train::{
    BatchSource, ConvirtModel, ConvirtModelConfig, HostBatch, Observer, Record, TrainConfig,
};

pub const SEQ: usize = 6;

/// flex's random generator is global: tests that seed it must not interleave.
pub static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Batches that are a pure function of (epoch, index), like the real loader's.
pub struct Fixed {
    pub batches: usize,
    pub size: usize,
    pub salt: u64,
    pub poison: Option<(usize, usize)>,
}

pub fn hash(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Fixed {
    pub fn batch(&self, epoch: usize, index: usize) -> HostBatch {
        let n = self.size;
        let base = hash(self.salt ^ ((epoch as u64) << 32) ^ index as u64);
        let mut images: Vec<f32> = (0..n * 16 * 16)
            .map(|i| (hash(base ^ i as u64) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        if self.poison == Some((epoch, index)) {
            images[0] = f32::NAN;
        }
        let mut ids = vec![0i64; n * SEQ];
        let mut mask = vec![0i64; n * SEQ];
        for i in 0..n {
            let len = 2 + (hash(base ^ (1000 + i as u64)) % 4) as usize;
            for t in 0..len {
                ids[i * SEQ + t] = 1 + (hash(base ^ (i * 31 + t) as u64) % 40) as i64;
                mask[i * SEQ + t] = 1;
            }
        }
        HostBatch {
            images,
            image_shape: [n, 1, 16, 16],
            second_view: None,
            ids,
            mask,
            seq_len: SEQ,
        }
    }
}

impl BatchSource for Fixed {
    fn batches_per_epoch(&self) -> usize {
        self.batches
    }

    fn epoch(
        &self,
        epoch: usize,
        start: usize,
    ) -> Box<dyn Iterator<Item = Result<HostBatch, String>> + '_> {
        Box::new((start..self.batches).map(move |i| Ok(self.batch(epoch, i))))
    }
}

pub fn model(device: &Device) -> ConvirtModel<convirt_encoders::ResNet, convirt_encoders::Bert> {
    device.seed(7);
    let image = ResNetConfig::resnet18()
        .with_base_width(4)
        .with_in_channels(1)
        .init(device);
    let text = BertConfig {
        vocab_size: 50,
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 8,
        hidden_dropout_prob: 0.1,
        attention_probs_dropout_prob: 0.1,
        ..BertConfig::base()
    }
    .init(device);
    ConvirtModelConfig::new()
        .with_embed_dim(8)
        .with_frozen_layers(1)
        .init(image, text, device)
        .unwrap()
}

pub fn config() -> TrainConfig {
    TrainConfig {
        epochs: 2,
        learning_rate: 1e-3,
        val_every: Some(3),
        text_cache: 100,
        seed: 11,
        ..TrainConfig::paper()
    }
}

/// Every tensor of the model (parameters and BatchNorm statistics), by name, as raw bytes.
pub fn weights<I: convirt_encoders::ImageTower, T: convirt_encoders::TextTower>(
    model: &ConvirtModel<I, T>,
    _dir: &std::path::Path,
) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> =
        burn_store::ModuleSnapshot::collect(model, None, None, false)
            .into_iter()
            .map(|t| (t.name.clone(), t.to_bytes().unwrap().to_vec()))
            .collect();
    all.sort();
    all
}

pub fn first_difference(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Option<String> {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .map(|(x, _)| x.0.clone())
}

/// Stops the run after `at` steps.
pub struct StopAt {
    pub at: u64,
    pub seen: u64,
}

impl Observer for StopAt {
    fn on_record(&mut self, record: &Record) {
        if let Record::Train { step, .. } = record {
            self.seen = *step;
        }
    }

    fn should_stop(&mut self) -> bool {
        self.seen >= self.at
    }
}
