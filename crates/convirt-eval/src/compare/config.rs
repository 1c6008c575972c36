//! [`CompareConfig`]: what `convirt eval compare` runs — the methods, the seeds, one pretraining
//! recipe for all of them, and the evaluation budgets.

use std::path::{Path, PathBuf};

use convirt_train::{Objective, PlateauConfig, TrainConfig};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::protocol::embed::ImageSpace;
use convirt_pretrain::PretrainOptions;

use super::CompareError;

/// An image encoder under comparison: untrained, or pretrained with one of the objectives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The architecture at its seed's initialisation, untrained.
    Random,
    /// Image-only NT-Xent between two views (`--objective simclr`).
    Simclr,
    /// Contrastive-Binary: image–text pairs scored as matching or not.
    Binary,
    /// ConVIRT's bidirectional image–text InfoNCE.
    Convirt,
}

impl Method {
    /// The four, in the report's order.
    pub const ALL: [Method; 4] = [
        Method::Random,
        Method::Simclr,
        Method::Binary,
        Method::Convirt,
    ];

    /// The lowercase name used in file names and `results.json`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Random => "random",
            Self::Simclr => "simclr",
            Self::Binary => "binary",
            Self::Convirt => "convirt",
        }
    }

    /// The pretraining objective (`None`: no pretraining).
    pub fn objective(self) -> Option<Objective> {
        match self {
            Self::Random => None,
            Self::Simclr => Some(Objective::Simclr),
            Self::Binary => Some(Objective::Binary),
            Self::Convirt => Some(Objective::Convirt),
        }
    }

    /// Whether pretraining shaped a text tower, so text→image retrieval means something.
    pub fn has_text(self) -> bool {
        matches!(self, Self::Binary | Self::Convirt)
    }
}

/// Fine-tuning's budget per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FinetuneBudget {
    /// Optimiser steps per fraction and seed.
    pub steps: usize,
    /// Examples per step.
    pub batch: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
}

impl Default for FinetuneBudget {
    fn default() -> Self {
        Self {
            steps: 20,
            batch: 32,
            learning_rate: 1e-4,
        }
    }
}

/// The whole comparison. [`CompareConfig::synthcxr`] is the committed run's configuration.
///
/// ```
/// use convirt_eval::compare::{CompareConfig, Method};
/// let config = CompareConfig::synthcxr(std::path::Path::new("/data/synthcxr"), "q.csv".as_ref());
/// assert_eq!(config.methods, Method::ALL);
/// assert_eq!((config.seeds, config.fractions.as_slice()), (5, &[1.0, 10.0, 100.0][..]));
/// // It survives its file: no setting falls back to a default on the way.
/// assert_eq!(CompareConfig::from_toml(&config.to_toml().unwrap()).unwrap(), config);
/// // The hash ignores where the data lives.
/// let elsewhere = CompareConfig::synthcxr(std::path::Path::new("/mnt/x"), "q.csv".as_ref());
/// assert_eq!(config.config_hash().unwrap(), elsewhere.config_hash().unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompareConfig {
    /// The encoders compared.
    pub methods: Vec<Method>,
    /// Seeds `0..seeds`: seed `s` pretrains every method from the same initial weights (the
    /// random method *is* those weights) and draws the label subsets and fine-tuning batches.
    pub seeds: u64,
    /// The pretraining recipe shared by every pretrained method (`train.objective` and
    /// `train.seed` are set per run; `data` is the SynthCXR `pairs` parent folder).
    pub pretrain: PretrainOptions,
    /// SynthCXR's `cls` folder (linear probe and fine-tuning).
    pub cls: PathBuf,
    /// SynthCXR's `retrieval` folder (candidate.csv, query.csv).
    pub retrieval: PathBuf,
    /// The text queries (`Variable,Text`).
    pub text_queries: PathBuf,
    /// Label fractions, in percent.
    pub fractions: Vec<f64>,
    /// Bootstrap resamples of the test set for each first-seed AUROC interval.
    pub bootstrap: usize,
    /// Fine-tuning's budget.
    pub finetune: FinetuneBudget,
    /// The `k`s of Precision@k.
    pub ks: Vec<usize>,
    /// The space of image→image retrieval (text→image always uses the projections).
    pub image_space: ImageSpace,
}

impl Default for CompareConfig {
    fn default() -> Self {
        Self::synthcxr(
            Path::new("synthcxr"),
            Path::new("data/synthcxr/text_queries.csv"),
        )
    }
}

impl CompareConfig {
    /// The committed comparison on SynthCXR below `synth` (`pairs/`, `cls/`, `retrieval/`): the
    /// four methods, five seeds; pretraining as [`PretrainOptions::cpu`] but at 64² with
    /// sentences of up to 32 tokens, for a fixed 100 steps (no time budget, no early stopping,
    /// so every method gets the same number of steps and images); fine-tuning 20 steps of 32;
    /// 1/10/100 % of the labels; P@5/10/50 in the projected space.
    pub fn synthcxr(synth: &Path, text_queries: &Path) -> Self {
        // Spelled out rather than taken from `PretrainOptions::cpu()`, so that retuning the demo
        // leaves this comparison (and its config hash) as it was run.
        let paper = PretrainOptions::paper();
        let pretrain = PretrainOptions {
            data: format!("synthcxr:{}", synth.display()),
            arch: "resnet18".into(),
            image_size: 64,
            seq_len: 32,
            frozen_layers: 3,
            val_pairs: Some(256),
            time_budget_s: None,
            train: TrainConfig {
                epochs: 20,
                max_steps: Some(100),
                val_every: Some(50),
                plateau: PlateauConfig {
                    patience: 2,
                    ..PlateauConfig::paper()
                },
                early_stopping: None,
                ..paper.train.clone()
            },
            ..paper
        };
        Self {
            methods: Method::ALL.to_vec(),
            seeds: 5,
            pretrain,
            cls: synth.join("cls"),
            retrieval: synth.join("retrieval"),
            text_queries: text_queries.to_path_buf(),
            fractions: vec![1.0, 10.0, 100.0],
            bootstrap: 1000,
            finetune: FinetuneBudget::default(),
            ks: vec![5, 10, 50],
            image_space: ImageSpace::Projected,
        }
    }

    /// Parses TOML (missing keys keep [`CompareConfig::default`]'s values).
    pub fn from_toml(text: &str) -> Result<Self, CompareError> {
        toml::from_str(text).map_err(|e| CompareError::Config(e.to_string()))
    }

    /// Applies `--set KEY=VALUE` overrides (`seeds=2`, `pretrain.train.max_steps=300`,
    /// `finetune.steps=100`).
    pub fn with_overrides(self, overrides: &[String]) -> Result<Self, CompareError> {
        convirt_pretrain::overrides::with_overrides(&self, overrides).map_err(CompareError::Config)
    }

    /// The configuration as TOML.
    pub fn to_toml(&self) -> Result<String, CompareError> {
        toml::to_string_pretty(self).map_err(|e| CompareError::Config(e.to_string()))
    }

    /// SHA-256 (hex) of the TOML with every path blanked: two machines running the same
    /// comparison on differently placed data get the same hash.
    pub fn config_hash(&self) -> Result<String, CompareError> {
        let mut blank = self.clone();
        blank.pretrain.data = "synthcxr".into();
        blank.pretrain.text_model = None;
        blank.cls = PathBuf::new();
        blank.retrieval = PathBuf::new();
        blank.text_queries = PathBuf::new();
        Ok(hex(&Sha256::digest(blank.to_toml()?.as_bytes())))
    }
}

/// SHA-256 (hex) of a file's bytes.
pub fn file_sha256(path: &Path) -> Result<String, CompareError> {
    let bytes = std::fs::read(path).map_err(|e| CompareError::io(path, e))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published comparison (docs/results/synthcxr) was run with this code's
    /// `CompareConfig::synthcxr`: retuning the CPU demo must not change it silently.
    #[test]
    fn synthcxr_config_is_the_published_one() {
        // The workspace root, two folders above this crate.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let published = std::fs::read_to_string(root.join("docs/results/synthcxr/results.json"))
            .expect("the committed results.json");
        let published: serde_json::Value = serde_json::from_str(&published).unwrap();
        let config = CompareConfig::synthcxr(Path::new("/any/synth"), Path::new("/any/q.csv"));
        assert_eq!(
            published["config_hash"].as_str().unwrap(),
            config.config_hash().unwrap()
        );
    }
}
