//! `convirt eval`: the protocols on a run's model (trained, untrained, or with ImageNet
//! weights), and what they share.

use std::path::PathBuf;

use clap::Subcommand;

use crate::common::{WhichArg, device_for};

pub(crate) mod compare;
pub(crate) mod finetune;
pub(crate) mod probe;
pub(crate) mod retrieve;
pub(crate) mod zeroshot;

use compare::CompareArgs;
use finetune::FinetuneArgs;
use probe::ProbeArgs;
use retrieve::RetrieveArgs;
use zeroshot::ZeroshotArgs;

#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Zero-shot retrieval by cosine similarity in ConVIRT's 8×200 format: image→image and
    /// text→image Precision@5/10/50 with the chance level; prints one JSON line.
    Retrieve(RetrieveArgs),
    /// Linear probe of the frozen image encoder (pooled h_v) on SynthCXR `cls`: logistic
    /// regression on 1/10/100 % of the training labels (nested, stratified subsets per seed),
    /// mean AUROC over the five families on the test split; prints one JSON line.
    Probe(ProbeArgs),
    /// Zero-shot classification with prompts (CheXzero-style): each test image of SynthCXR `cls`
    /// scored by its similarity to positive against negative prompts per family; AUROC per
    /// family and their mean; prints one JSON line.
    Zeroshot(ZeroshotArgs),
    /// Fine-tuning: the image encoder with a new linear classifier, trained together for a fixed
    /// number of steps on 1/10/100 % of SynthCXR `cls`'s training labels, mean AUROC on its test
    /// split; prints one JSON line.
    Finetune(FinetuneArgs),
    /// The whole comparison: random init, SimCLR, Contrastive-Binary and ConVIRT, each
    /// pretrained with the same recipe on SynthCXR `pairs`, judged by the linear probe and
    /// fine-tuning at 1/10/100 % of `cls` and by retrieval, over 5 seeds, with the paper's claims
    /// tested; resumable (finished units are skipped); writes results.json, report.md and
    /// figures into --out and prints one JSON line.
    Compare(CompareArgs),
}

/// What `probe` and `finetune` share: a model, SynthCXR `cls`, label fractions and seeds.
#[derive(clap::Args)]
pub(crate) struct ClsArgs {
    /// The model: a run's checkpoint, or its architecture untrained.
    #[command(flatten)]
    model: ModelArgs,
    /// The SynthCXR `cls` folder (`convirt synth --set cls`).
    #[arg(long)]
    set: PathBuf,
    /// Label fractions in percent.
    #[arg(long, value_delimiter = ',', default_value = "1,10,100")]
    fractions: Vec<f64>,
    /// Seeds (each draws its own subsets and, in fine-tuning, its own head and batches).
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// The split scored: `test` (reporting) or `val` (calibration and choosing settings).
    #[arg(long, default_value = "test", value_parser = ["test", "val"])]
    eval_split: String,
}

impl ClsArgs {
    /// The device, the model, the set and the evaluation settings (`bootstrap` resamples).
    #[allow(clippy::type_complexity)]
    fn load(
        &self,
        bootstrap: usize,
    ) -> Result<
        (
            burn::tensor::Device,
            convirt::towers::BuiltinModel,
            convirt::probe::ProbeSet,
            convirt::probe::ProbeSettings,
        ),
        Box<dyn std::error::Error>,
    > {
        let (device, options, net) = self.model.load()?;
        let split = if self.eval_split == "val" {
            convirt::data::Split::Validate
        } else {
            convirt::data::Split::Test
        };
        let set = convirt::probe::ProbeSet::synthcxr_cls_on(&self.set, split)?;
        let settings = eval_settings(&options, &self.fractions, self.seeds, bootstrap);
        Ok((device, net, set, settings))
    }
}

/// The JSON line a command prints, also written (pretty) to `out` when given.
pub(crate) fn report_line(
    json: serde_json::Value,
    out: Option<&std::path::Path>,
) -> Result<String, Box<dyn std::error::Error>> {
    if let Some(out) = out {
        std::fs::write(out, serde_json::to_string_pretty(&json)?)?;
    }
    Ok(json.to_string())
}

/// The evaluation settings shared by `probe`, `zeroshot` and `finetune`: fractions in percent,
/// the run's image size and layout.
pub(crate) fn eval_settings(
    options: &convirt::pretrain::PretrainOptions,
    fractions_percent: &[f64],
    seeds: u64,
    bootstrap: usize,
) -> convirt::probe::ProbeSettings {
    convirt::probe::ProbeSettings {
        fractions: fractions_percent.iter().map(|p| p / 100.0).collect(),
        seeds: 0..seeds,
        size: options.image_size,
        layout: convirt::pretrain::layout(options),
        batch: 64,
        bootstrap,
        regression: convirt::eval::ProbeConfig::default(),
    }
}

/// `--init`: the run's checkpoint, its architecture untrained, or its architecture with
/// torchvision ImageNet weights.
#[derive(Clone, Debug)]
pub(crate) enum InitArg {
    Trained,
    Random,
    Imagenet(PathBuf),
}

impl std::str::FromStr for InitArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "trained" => Ok(Self::Trained),
            "random" => Ok(Self::Random),
            _ => match s.strip_prefix("imagenet:") {
                Some(path) if !path.is_empty() => Ok(Self::Imagenet(PathBuf::from(path))),
                _ => Err(format!(
                    "{s:?}: expected trained, random or imagenet:PATH (torchvision weights of the run's arch)"
                )),
            },
        }
    }
}

/// Which model an `eval` command evaluates.
#[derive(clap::Args)]
pub(crate) struct ModelArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// `trained` (the checkpoint), `random` (the run's architecture before training, from the
    /// run's seed: the model it started from) or
    /// `imagenet:PATH` (the run's architecture with torchvision weights, .safetensors or
    /// .pth; images then get ImageNet's 3 channels).
    #[arg(long, default_value = "trained")]
    init: InitArg,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
}

impl ModelArgs {
    /// The device, the run's settings and the model (trained, or fresh with the run's settings).
    fn load(
        &self,
    ) -> Result<
        (
            burn::tensor::Device,
            convirt::pretrain::PretrainOptions,
            convirt::towers::BuiltinModel,
        ),
        Box<dyn std::error::Error>,
    > {
        use convirt::pretrain::{PretrainOptions, initial_model, load_run, model};
        let device = device_for(&self.backend)?;
        let (options, net) = match &self.init {
            InitArg::Trained => load_run(&self.run_dir, self.checkpoint.into(), &device)?,
            InitArg::Random => {
                // The run's own starting point (its seed), as in `compare` and the demo.
                let options = PretrainOptions::from_file(&self.run_dir.join("config.toml"))?;
                let net = initial_model(&options, &device)?;
                (options, net)
            }
            InitArg::Imagenet(weights) => {
                let mut options = PretrainOptions::from_file(&self.run_dir.join("config.toml"))?;
                options.image_weights = Some(weights.clone());
                let net = model(&options, &device)?;
                (options, net)
            }
        };
        Ok((device, options, net))
    }

    /// `"trained"`, `"random"` or `"imagenet"`, for the JSON lines.
    fn init_name(&self) -> &'static str {
        match self.init {
            InitArg::Trained => "trained",
            InitArg::Random => "random",
            InitArg::Imagenet(_) => "imagenet",
        }
    }
}
