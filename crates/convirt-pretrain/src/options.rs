//! `convirt pretrain`'s settings: a TOML file, overridden on the command line, saved resolved
//! into the run folder.

use std::path::{Path, PathBuf};

use convirt_train::TrainConfig;
use serde::{Deserialize, Serialize};

use crate::{AugmentOptions, PretrainError};

/// The longest time budget accepted, in seconds (about 31 years).
pub const MAX_TIME_BUDGET_S: f64 = 1e9;

/// Everything a pretraining run needs. [`PretrainOptions::paper`] is the paper's configuration;
/// [`PretrainOptions::cpu`] the one the `pretrain_chexpert` example runs on two cores.
///
/// ```
/// let paper = convirt_pretrain::PretrainOptions::paper();
/// assert_eq!((paper.arch.as_str(), paper.image_size, paper.batch_size), ("resnet50", 224, 32));
/// let toml = paper.to_toml().unwrap();
/// let back = convirt_pretrain::PretrainOptions::from_toml(&toml).unwrap();
/// assert_eq!(back, paper);
/// // The paper's t_v is left out of the TOML (files from before the setting read the same).
/// assert!(!toml.contains("augment"));
/// // Early stopping switched off survives TOML (written as 0).
/// let mut cpu = convirt_pretrain::PretrainOptions::cpu();
/// cpu.train.early_stopping = None;
/// let back = convirt_pretrain::PretrainOptions::from_toml(&cpu.to_toml().unwrap()).unwrap();
/// assert_eq!(back, cpu);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PretrainOptions {
    /// The data source: `synthcxr[:DIR]`, `mimic-cxr:ROOT`, `chexpert-plus:ROOT`, `iu-xray:ROOT`.
    pub data: String,
    /// The BERT checkpoint folder (config.json, model.safetensors, tokenizer.json); `None`: the
    /// MiniLM in the assets folder.
    pub text_model: Option<PathBuf>,
    /// torchvision weights of `arch` (.safetensors or .pth) to start the image tower from, e.g.
    /// ImageNet's as in the paper; `None`: random init. Images then get 3 ImageNet channels.
    pub image_weights: Option<PathBuf>,
    /// The image tower: `resnet18/34/50`, `densenet121/169` or `vit_b_16/32` (the root crate's `convirt::towers`).
    pub arch: String,
    /// Side of the square training view, pixels.
    pub image_size: usize,
    /// Tokens per sentence, at most.
    pub seq_len: usize,
    /// Pairs per step.
    pub batch_size: usize,
    /// BERT layers frozen with the embeddings.
    pub frozen_layers: usize,
    /// How BERT's token states are pooled: `max` (the paper), `mean` or `cls`.
    pub text_pooling: convirt_encoders::Pooling,
    /// What text of a report each pair gets: `sentence` (one sampled uniformly from Findings +
    /// Impression, the paper) or `report` (all of Findings + Impression, cut at `seq_len`).
    pub text_unit: TextUnit,
    /// BatchNorm inside both projection heads (Linear–BN–ReLU–Linear); the paper's heads have
    /// none.
    pub head_batch_norm: bool,
    /// Size of v and u.
    pub embed_dim: usize,
    /// The ranges of the image transform t_v (the paper's by default). Left out of the TOML when
    /// they are the paper's, so files written before this setting existed read and hash the same.
    #[serde(skip_serializing_if = "AugmentOptions::is_paper")]
    pub augment: AugmentOptions,
    /// Loader worker threads; `None`: the thread budget's share.
    pub loader_threads: Option<usize>,
    /// Validation pairs used, at most (the first ones of the split); `None`: all.
    pub val_pairs: Option<usize>,
    /// Stop (resumably) after this many seconds of training.
    pub time_budget_s: Option<f64>,
    /// The training recipe.
    pub train: TrainConfig,
}

/// The text a pair gets from its report ([`PretrainOptions::text_unit`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextUnit {
    /// One sentence of Findings + Impression, drawn uniformly per epoch (the paper).
    #[default]
    Sentence,
    /// Findings + Impression whole.
    Report,
}

impl Default for PretrainOptions {
    fn default() -> Self {
        Self::paper()
    }
}

impl PretrainOptions {
    /// The paper: ResNet50 at 224², BERT with embeddings + 6 layers frozen, batch 32, sentences up
    /// to 128 tokens, the paper's [`TrainConfig`].
    pub fn paper() -> Self {
        Self {
            data: "synthcxr".into(),
            text_model: None,
            image_weights: None,
            arch: "resnet50".into(),
            image_size: 224,
            seq_len: 128,
            batch_size: 32,
            frozen_layers: 6,
            text_pooling: convirt_encoders::Pooling::Max,
            text_unit: TextUnit::Sentence,
            head_batch_norm: false,
            embed_dim: 512,
            augment: AugmentOptions::paper(),
            loader_threads: None,
            val_pairs: None,
            time_budget_s: None,
            train: TrainConfig::paper(),
        }
    }

    /// Two CPU cores, ten minutes, chosen by measurement (docs/demo.md): ResNet18 at 32² (0.45 s
    /// per step of 32 with the text cached, ~1,200 steps in the budget; 1.0 s at 64², 2.1 s at
    /// 96²), MiniLM wholly frozen with its token states cached per sentence (only g_u trains on
    /// the text side), sentences up to 32 tokens, batch 32, the softer
    /// [`AugmentOptions::light`] t_v, validation on 256 pairs every 200 steps, the paper's
    /// learning rate 1e-4 (the schedule halves it after two flat validations).
    pub fn cpu() -> Self {
        Self {
            arch: "resnet18".into(),
            image_size: 32,
            seq_len: 32,
            frozen_layers: 6,
            augment: AugmentOptions::light(),
            val_pairs: Some(256),
            time_budget_s: Some(540.0),
            train: TrainConfig {
                epochs: 20,
                val_every: Some(200),
                plateau: convirt_train::PlateauConfig {
                    patience: 2,
                    ..convirt_train::PlateauConfig::paper()
                },
                early_stopping: Some(6),
                ..TrainConfig::paper()
            },
            ..Self::paper()
        }
    }

    /// Parses TOML (every key optional; missing ones keep the paper's values) and checks every
    /// numeric setting ([`PretrainOptions::validate`]).
    pub fn from_toml(text: &str) -> Result<Self, PretrainError> {
        let options: Self =
            toml::from_str(text).map_err(|e| PretrainError::Config(e.to_string()))?;
        options.validate()?;
        Ok(options)
    }

    /// Checks every numeric setting, here where settings are read, so that nothing later
    /// panics or runs on nonsense: sizes and counts at least 1 (batch at least 2, image side at
    /// least 8), the time budget a finite, positive number of seconds no larger than
    /// [`MAX_TIME_BUDGET_S`], and the training recipe's ranges ([`TrainConfig::validate`]).
    ///
    /// ```
    /// use convirt_pretrain::PretrainOptions;
    /// for bad in ["time_budget_s = -1.0", "time_budget_s = nan", "time_budget_s = inf",
    ///             "time_budget_s = 1e300", "batch_size = 0", "image_size = 0"] {
    ///     let error = PretrainOptions::from_toml(bad).unwrap_err().to_string();
    ///     assert!(error.contains(bad.split(' ').next().unwrap()), "{error}");
    /// }
    /// assert!(PretrainOptions::from_toml("time_budget_s = 540.0").is_ok());
    /// ```
    pub fn validate(&self) -> Result<(), PretrainError> {
        let bad = |key: &str, requirement: &str, value: String| {
            Err(PretrainError::Config(format!(
                "{key} must be {requirement}, got {value}"
            )))
        };
        if let Some(t) = self.time_budget_s
            && !(t.is_finite() && t > 0.0 && t <= MAX_TIME_BUDGET_S)
        {
            return bad(
                "time_budget_s",
                "a positive number of seconds up to 1e9",
                t.to_string(),
            );
        }
        let counts = [
            ("image_size", self.image_size, 8),
            ("seq_len", self.seq_len, 2),
            ("batch_size", self.batch_size, 2),
            ("embed_dim", self.embed_dim, 1),
        ];
        for (key, value, least) in counts {
            if value < least {
                return bad(key, &format!("at least {least}"), value.to_string());
            }
        }
        if self.image_size > 8192 {
            return bad("image_size", "at most 8192", self.image_size.to_string());
        }
        for (key, value) in [
            ("loader_threads", self.loader_threads),
            ("val_pairs", self.val_pairs),
        ] {
            if value == Some(0) {
                return bad(key, "at least 1 when set", "0".into());
            }
        }
        self.train.validate()?;
        Ok(())
    }

    /// Reads a TOML file.
    pub fn from_file(path: &Path) -> Result<Self, PretrainError> {
        let text = std::fs::read_to_string(path).map_err(|e| PretrainError::io(path, e))?;
        Self::from_toml(&text).map_err(|e| PretrainError::io(path, e))
    }

    /// The resolved settings as TOML.
    pub fn to_toml(&self) -> Result<String, PretrainError> {
        toml::to_string_pretty(self).map_err(|e| PretrainError::Config(e.to_string()))
    }

    /// Applies `key=value` overrides, keys dotted as in the TOML (`train.learning_rate=3e-4`,
    /// `arch=resnet50`). Values are TOML values; a bare word is taken as a string.
    pub fn with_overrides(self, overrides: &[String]) -> Result<Self, PretrainError> {
        let options =
            crate::overrides::with_overrides(&self, overrides).map_err(PretrainError::Config)?;
        options.validate()?;
        Ok(options)
    }
}
