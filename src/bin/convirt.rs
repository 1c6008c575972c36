//! The `convirt` command line. Each subcommand group is one enum below.
//!
//! ```text
//! convirt synth --set pairs --out ~/.cache/convirt/synthcxr/pairs
//! convirt eval retrieve --run-dir runs/demo --set ~/.cache/convirt/synthcxr/retrieval \
//!     --text-queries data/synthcxr/text_queries.csv
//! convirt pretrain --preset cpu --data synthcxr --run-dir runs/demo
//! convirt pretrain --data mimic-cxr:/data/mimic-cxr-jpg --text-model /models/bioclinicalbert
//! convirt reports stats ~/.cache/convirt/assets/iu/NLMCXR_reports.tgz
//! {"reports":3955,"with_findings":3425,"with_impression":3921,"empty":28,"sentences_mean":...}
//! ```

// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use convirt::text::{Format, Limits, ReportSource, ReportStats, TextError};

#[derive(Parser)]
#[command(
    name = "convirt",
    version,
    about = "ConVIRT: contrastive image-text pretraining of medical image encoders"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Pretrains ConVIRT: progress bar, metrics.jsonl, checkpoints, loss curve in the run folder;
    /// prints one JSON line at the end.
    Pretrain(PretrainArgs),
    /// Embeds a folder of images or a file of sentences (one per line) with a trained run's
    /// model; writes safetensors (`embeddings` [rows, dim]; row names in the metadata).
    Embed(EmbedArgs),
    /// Evaluates a trained run (or its untrained model, with `--init random`).
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// Writes a trained run's towers as PyTorch-named safetensors (torchvision ResNet,
    /// Hugging Face BERT) with the heads beside them.
    Export(ExportArgs),
    /// Generates a SynthCXR set (cached: same parameters → no-op); prints one JSON line.
    Synth {
        /// Which set.
        #[arg(long, value_enum)]
        set: SetArg,
        /// The set's folder, e.g. ~/.cache/convirt/synthcxr/cls.
        #[arg(long)]
        out: PathBuf,
        /// Image side in pixels.
        #[arg(long, default_value_t = 256)]
        size: usize,
        /// `pairs`: renderings per report.
        #[arg(long, default_value_t = 2)]
        per_report: usize,
        /// Image format.
        #[arg(long, value_enum, default_value_t = ImageArg::Png)]
        format: ImageArg,
        /// The set seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// SynthCXR version: 2 (default, issue 17) or 1 (issue 6, kept bit for bit).
        #[arg(long = "synth-version", default_value_t = 2)]
        version: u32,
    },
    /// Radiology reports: MIMIC-CXR, IU X-ray, CheXpert Plus.
    Reports {
        #[command(subcommand)]
        command: ReportsCommand,
    },
}

#[derive(Subcommand)]
enum ReportsCommand {
    /// Counts reports with Findings, Impression and neither, and their mean sentence count;
    /// prints one JSON line.
    Stats {
        /// The IU `.tgz`, a folder of IU `.xml` files, a MIMIC-CXR `files/` tree (or one `.txt`),
        /// or a CheXpert Plus `.csv`.
        path: PathBuf,
        /// The layout of PATH; `auto` guesses it from the extension or the folder's files.
        #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
        format: FormatArg,
        /// The most bytes one report may have.
        #[arg(long, default_value_t = Limits::DEFAULT_MAX_REPORT_BYTES)]
        max_report_bytes: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SetArg {
    Pairs,
    Cls,
    Retrieval,
    /// v2 only: the validation retrieval set (calibration, presets).
    RetrievalVal,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageArg {
    Png,
    Jpg,
}

fn synth(
    set: SetArg,
    out: PathBuf,
    size: usize,
    per_report: usize,
    format: ImageArg,
    seed: u64,
    version: u32,
) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::data::synth::{ImageFormat, SynthOptions, SynthSet, SynthVersion, generate};
    let set = match set {
        SetArg::Pairs => SynthSet::Pairs,
        SetArg::Cls => SynthSet::Cls,
        SetArg::Retrieval => SynthSet::Retrieval,
        SetArg::RetrievalVal => SynthSet::RetrievalVal,
    };
    let mut options = SynthOptions::new(out);
    options.version = SynthVersion::from_number(version)
        .ok_or_else(|| format!("--version {version}: SynthCXR has versions 1 and 2"))?;
    options.size = size;
    options.per_report = per_report;
    options.seed = seed;
    options.format = match format {
        ImageArg::Png => ImageFormat::Png,
        ImageArg::Jpg => ImageFormat::Jpg,
    };
    let done = generate(set, &options)?;
    Ok(serde_json::json!({
        "set": set.name(),
        "version": options.version.number(),
        "out": options.out,
        "images": done.manifest.entries.len(),
        "cached": done.cached,
        "seconds": done.seconds,
        "images_per_s": if done.seconds > 0.0 { done.rendered as f64 / done.seconds } else { 0.0 },
        "threads": done.threads,
        "masks_skipped": done.masks_skipped,
    })
    .to_string())
}

#[derive(clap::Args)]
struct PretrainArgs {
    /// A TOML file of settings (see `convirt::pretrain::PretrainOptions`); flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Start from the paper's settings (ResNet50 at 224; the default) or the 2-core CPU ones.
    /// With --resume and neither --config nor --preset, the run's own settings.
    #[arg(long, value_enum)]
    preset: Option<Preset>,
    /// synthcxr[:DIR], mimic-cxr:ROOT, chexpert-plus:ROOT or iu-xray:ROOT.
    #[arg(long)]
    data: Option<String>,
    /// The BERT checkpoint folder (config.json, model.safetensors, tokenizer.json).
    #[arg(long)]
    text_model: Option<PathBuf>,
    /// torchvision ResNet weights to start the image tower from (e.g. ImageNet's).
    #[arg(long)]
    image_weights: Option<PathBuf>,
    /// resnet18, resnet34 or resnet50.
    #[arg(long)]
    arch: Option<String>,
    /// convirt, simclr or binary.
    #[arg(long)]
    objective: Option<String>,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
    /// Train data-parallel: K ranks on --backend's device(s) (on CUDA, cuda:0..K), or a list
    /// such as cuda:0,cuda:1. Each device embeds one shard; the loss sees the whole batch.
    #[arg(long)]
    devices: Option<convirt::DeviceSpec>,
    /// How data-parallel training sums across devices: all-reduce (burn's NCCL all_reduce, CUDA
    /// only) or host (through the first device, any backend). Default: all-reduce on CUDA.
    #[arg(long)]
    collective: Option<convirt::train::Collective>,
    /// The run folder.
    #[arg(long, default_value = "runs/pretrain")]
    run_dir: PathBuf,
    /// Continue the run in --run-dir from its last checkpoint. Settings that differ from the
    /// run's are refused, named, unless allowed with --allow-changed.
    #[arg(long)]
    resume: bool,
    /// With --resume: a dotted setting (e.g. train.max_steps, batch_size) that may differ from
    /// the run's own. time_budget_s and loader_threads may always change.
    #[arg(long, value_name = "KEY", requires = "resume", num_args = 1..)]
    allow_changed: Vec<String>,
    /// The laterality-aware flip: when t_v mirrors an image, its sentence gets its sides swapped
    /// (left <-> right, levo- <-> dextro-, right middle lobe <-> lingula). Off by default: the
    /// paper's t_v flips blindly. Same as --set augment.flip_swaps_sides=true.
    #[arg(long)]
    flip_swaps_sides: bool,
    /// Any setting as key=value, dotted like the TOML (train.learning_rate=3e-4).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
}

#[derive(clap::Args)]
struct EmbedArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// A folder of images (PNG, JPEG, DICOM; searched recursively).
    #[arg(long, conflicts_with = "texts", required_unless_present = "texts")]
    images: Option<PathBuf>,
    /// A text file, one sentence per line.
    #[arg(long)]
    texts: Option<PathBuf>,
    /// Images: the pooled h_v or the projected v (texts are always projected).
    #[arg(long, value_enum, default_value_t = SpaceArg::Projected)]
    space: SpaceArg,
    /// The output .safetensors file.
    #[arg(long)]
    out: PathBuf,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
}

#[derive(Subcommand)]
enum EvalCommand {
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

#[derive(clap::Args)]
struct CompareArgs {
    /// Output folder; running again continues where it stopped.
    #[arg(long, default_value = "runs/compare")]
    out: PathBuf,
    /// SynthCXR's folder: pairs/, cls/ and retrieval/ are generated there if missing (default:
    /// beside the assets).
    #[arg(long)]
    synth: Option<PathBuf>,
    /// The text queries (`Variable,Text`).
    #[arg(long, default_value = "data/synthcxr/text_queries.csv")]
    text_queries: PathBuf,
    /// A TOML comparison configuration (default: the committed run's, `CompareConfig::synthcxr`).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Overrides, `KEY=VALUE` as in the TOML (`seeds=2`, `pretrain.train.max_steps=300`).
    #[arg(long = "set")]
    overrides: Vec<String>,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
}

fn compare(args: CompareArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::compare::CompareConfig;
    use convirt::data::synth::SynthSet;
    let synth = args
        .synth
        .unwrap_or_else(convirt::pretrain::synth_pairs::default_dir);
    let config = match &args.config {
        Some(path) => CompareConfig::from_toml(&std::fs::read_to_string(path)?)?,
        None => {
            convirt::setup::synthcxr(
                &synth,
                &[SynthSet::Pairs, SynthSet::Cls, SynthSet::Retrieval],
            )?;
            CompareConfig::synthcxr(&synth, &args.text_queries)
        }
    }
    .with_overrides(&args.overrides)?;
    let device = device_for(&args.backend)?;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let run = convirt::compare::compare(&config, &args.out, &device, &command)?;
    Ok(run.summary_line(&args.out))
}

#[derive(clap::Args)]
struct FinetuneArgs {
    /// The model, the `cls` set, the fractions and the seeds.
    #[command(flatten)]
    cls: ClsArgs,
    /// Optimiser steps per run.
    #[arg(long, default_value_t = 200)]
    steps: usize,
    /// Examples per step.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    /// Write the report (JSON) here as well.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// What `probe` and `finetune` share: a model, SynthCXR `cls`, label fractions and seeds.
#[derive(clap::Args)]
struct ClsArgs {
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

fn finetune(args: FinetuneArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::finetune::{FinetuneSettings, fine_tune};
    let (device, net, set, probe) = args.cls.load(0)?;
    let settings = FinetuneSettings {
        probe,
        steps: args.steps,
        batch: args.batch,
        learning_rate: args.lr,
    };
    let report = convirt::with_model!(&net, |m| fine_tune(m, &set, &settings, &device))?;
    let json = serde_json::json!({
        "what": "finetune",
        "init": args.cls.model.init_name(),
        "steps": args.steps,
        "fractions": report,
    });
    report_line(json, args.out.as_deref())
}

#[derive(clap::Args)]
struct ZeroshotArgs {
    /// The model: a run's checkpoint, or its architecture untrained.
    #[command(flatten)]
    model: ModelArgs,
    /// The SynthCXR `cls` folder (`convirt synth --set cls`).
    #[arg(long)]
    set: PathBuf,
    /// Positive prompts, `Variable,Text`.
    #[arg(long, default_value = "data/synthcxr/text_queries.csv")]
    positives: PathBuf,
    /// Negative prompts, `Variable,Text`.
    #[arg(long, default_value = "data/synthcxr/negative_prompts.csv")]
    negatives: PathBuf,
}

fn zeroshot(args: ZeroshotArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::tokenizer;
    use convirt::probe::ProbeSet;
    let (device, options, net) = args.model.load()?;
    let set = ProbeSet::synthcxr_cls(&args.set)?;
    let settings = eval_settings(&options, &[100.0], 1, 0);
    let tokenizer = tokenizer(&options)?;
    let report = convirt::with_model!(&net, |m| convirt::zeroshot::zero_shot(
        m,
        &set,
        &args.positives,
        &args.negatives,
        &tokenizer,
        &settings,
        &device,
    ))?;
    Ok(serde_json::json!({
        "what": "zeroshot",
        "init": args.model.init_name(),
        "report": report,
    })
    .to_string())
}

#[derive(clap::Args)]
struct ProbeArgs {
    /// The model, the `cls` set, the fractions and the seeds.
    #[command(flatten)]
    cls: ClsArgs,
    /// Bootstrap resamples for the per-label intervals (0: none).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Write the full report (JSON) here as well.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The JSON line a command prints, also written (pretty) to `out` when given.
fn report_line(
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
fn eval_settings(
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

fn probe(args: ProbeArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::probe::linear_probe;
    let (device, net, set, settings) = args.cls.load(args.bootstrap)?;
    let report = convirt::with_model!(&net, |m| linear_probe(m, &set, &settings, &device))?;
    let json = serde_json::json!({
        "what": "probe",
        "init": args.cls.model.init_name(),
        "report": report,
    });
    report_line(json, args.out.as_deref())
}

#[derive(clap::Args)]
struct RetrieveArgs {
    /// The model: a run's checkpoint, or its architecture untrained.
    #[command(flatten)]
    model: ModelArgs,
    /// The folder holding candidate.csv and query.csv.
    #[arg(long)]
    set: PathBuf,
    /// The category columns: SynthCXR's seven or CheXpert's 8×200 eight.
    #[arg(long, value_enum, default_value_t = CategoriesArg::Synthcxr)]
    categories: CategoriesArg,
    /// Text queries (`Variable,Text`).
    #[arg(long)]
    text_queries: Option<PathBuf>,
    /// Image→image in the pooled h_v or the projected v (text→image always uses projections).
    #[arg(long, value_enum, default_value_t = SpaceArg::Projected)]
    space: SpaceArg,
}

/// `--init`: the run's checkpoint, its architecture untrained, or its architecture with
/// torchvision ImageNet weights.
#[derive(Clone, Debug)]
enum InitArg {
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
                    "{s:?}: expected trained, random or imagenet:PATH (torchvision ResNet weights)"
                )),
            },
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum CategoriesArg {
    /// SynthCXR v1's seven categories.
    Synthcxr,
    /// SynthCXR v2's eight retrieval categories.
    SynthcxrV2,
    /// CheXpert's 8×200 protocol.
    Chexpert8x200,
}

/// Which model an `eval` command evaluates.
#[derive(clap::Args)]
struct ModelArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// `trained` (the checkpoint), `random` (the run's architecture before training, from the
    /// run's seed: the model it started from) or
    /// `imagenet:PATH` (the run's architecture with torchvision ResNet weights, .safetensors or
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

fn retrieve(args: RetrieveArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::embed::ImageSpace;
    use convirt::pretrain::{layout, tokenizer};
    use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
    let (device, options, net) = args.model.load()?;
    let names: Vec<&str> = match args.categories {
        CategoriesArg::Synthcxr => convirt::data::synth::Family::NAMES.to_vec(),
        CategoriesArg::SynthcxrV2 => convirt::data::synth::v2::jobs::retrieval_names(),
        CategoriesArg::Chexpert8x200 => convirt::data::CHEXPERT_8X200.to_vec(),
    };
    let set = RetrievalSet::read(&args.set, &names, args.text_queries.as_deref())?;
    let config = RetrievalConfig {
        size: options.image_size,
        layout: layout(&options),
        image_space: match args.space {
            SpaceArg::Pooled => ImageSpace::Pooled,
            SpaceArg::Projected => ImageSpace::Projected,
        },
        ks: vec![5, 10, 50],
        batch: 64,
    };
    let tokenizer = tokenizer(&options)?;
    let scores = convirt::with_model!(&net, |m| evaluate(m, &set, &tokenizer, &config, &device))?;
    let report = |r: &convirt::eval::RetrievalReport| serde_json::json!({"p5": r.mean[0], "p10": r.mean[1], "p50": r.mean[2], "chance": r.mean_chance});
    Ok(serde_json::json!({
        "what": "retrieval",
        "init": args.model.init_name(),
        "image_image": report(&scores.image_image),
        "text_image": scores.text_image.as_ref().map(report),
    })
    .to_string())
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// The output folder: image_encoder.safetensors, text_encoder.safetensors, image_head.bpk,
    /// text_head.bpk.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum WhichArg {
    Best,
    Last,
}

impl From<WhichArg> for convirt::train::Which {
    fn from(w: WhichArg) -> Self {
        match w {
            WhichArg::Best => Self::Best,
            WhichArg::Last => Self::Last,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SpaceArg {
    Pooled,
    Projected,
}

fn device_for(
    backend: &Option<String>,
) -> Result<burn::tensor::Device, Box<dyn std::error::Error>> {
    let backend = match backend {
        Some(b) => b.parse::<convirt::Backend>()?,
        None => convirt::Backend::from_env()?,
    };
    Ok(backend.device()?)
}

fn embed(args: EmbedArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::embed::{ImageSpace, embed_images, embed_texts};
    use convirt::pretrain::{layout, load_run, tokenizer};
    let device = device_for(&args.backend)?;
    let (options, model) = load_run(&args.run_dir, args.checkpoint.into(), &device)?;
    let (names, embeddings) = match (&args.images, &args.texts) {
        (Some(dir), _) => {
            let files = convirt::embed::image_files(dir)?;
            let space = match args.space {
                SpaceArg::Pooled => ImageSpace::Pooled,
                SpaceArg::Projected => ImageSpace::Projected,
            };
            let layout = layout(&options);
            let e = convirt::with_model!(&model, |m| embed_images(
                m,
                &files,
                options.image_size,
                &layout,
                space,
                64,
                &device,
            ))?;
            (
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>(),
                e,
            )
        }
        (None, Some(file)) => {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let lines: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            let tokenizer = tokenizer(&options)?;
            let e =
                convirt::with_model!(&model, |m| embed_texts(m, &tokenizer, &lines, 64, &device))?;
            (lines, e)
        }
        (None, None) => return Err("give --images DIR or --texts FILE".into()),
    };
    let bytes: Vec<u8> = embeddings
        .data
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    let view = safetensors::tensor::TensorView::new(
        safetensors::Dtype::F32,
        vec![embeddings.rows, embeddings.dim],
        &bytes,
    )?;
    let mut metadata = std::collections::HashMap::new();
    metadata.insert("rows".to_string(), serde_json::to_string(&names)?);
    // Serialised in memory and published by rename: a failed write leaves no partial file.
    let bytes = safetensors::serialize([("embeddings", view)], Some(metadata))?;
    convirt::train::run_folder::write_atomically(&args.out, &bytes)?;
    Ok(format!(
        "{{\"what\":\"embed\",\"rows\":{},\"dim\":{},\"out\":{:?}}}",
        embeddings.rows,
        embeddings.dim,
        args.out.display().to_string()
    ))
}

fn export(args: ExportArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::load_run;
    let device = burn::tensor::Device::default();
    let (_, model) = load_run(&args.run_dir, args.checkpoint.into(), &device)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    convirt::with_model!(&model, |m| convirt::towers::export_model(m, &args.out))?;
    Ok(format!(
        "{{\"what\":\"export\",\"out\":{:?}}}",
        args.out.display().to_string()
    ))
}

#[derive(Clone, Copy, ValueEnum)]
enum Preset {
    Paper,
    Cpu,
}

fn pretrain(args: PretrainArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::{PretrainOptions, pretrain_parallel, resume_allowing};
    use convirt::train::Collective;
    let own = args.run_dir.join("config.toml");
    let mut options = match (&args.config, args.preset) {
        (Some(path), _) => PretrainOptions::from_file(path)?,
        (None, Some(Preset::Paper)) => PretrainOptions::paper(),
        (None, Some(Preset::Cpu)) => PretrainOptions::cpu(),
        (None, None) if args.resume && own.is_file() => PretrainOptions::from_file(&own)?,
        (None, None) => PretrainOptions::paper(),
    };
    let mut overrides = args.overrides.clone();
    let quoted = |k: &str, v: &str| format!("{k}={}", toml_string(v));
    if let Some(v) = &args.data {
        overrides.push(quoted("data", v));
    }
    if let Some(v) = &args.text_model {
        overrides.push(quoted("text_model", &v.to_string_lossy()));
    }
    if let Some(v) = &args.image_weights {
        overrides.push(quoted("image_weights", &v.to_string_lossy()));
    }
    if let Some(v) = &args.arch {
        overrides.push(quoted("arch", v));
    }
    if let Some(v) = &args.objective {
        overrides.push(quoted("train.objective", v));
    }
    if args.flip_swaps_sides {
        overrides.push("augment.flip_swaps_sides=true".into());
    }
    options = options.with_overrides(&overrides)?;
    let backend = match &args.backend {
        Some(b) => b.parse::<convirt::Backend>()?,
        None => convirt::Backend::from_env()?,
    };
    let collective = args.collective.unwrap_or(match backend {
        convirt::Backend::Cuda { .. } => Collective::AllReduce,
        _ => Collective::Host,
    });
    let devices = match &args.devices {
        Some(spec) => spec.devices_for(backend, collective)?,
        None => vec![backend.device()?],
    };
    let run = if args.resume {
        resume_allowing(
            &options,
            &args.run_dir,
            &devices,
            collective,
            &args.allow_changed,
        )?
    } else {
        pretrain_parallel(&options, &args.run_dir, &devices, collective, false)?
    };
    let s = &run.summary;
    Ok(format!(
        "{{\"what\":\"pretrain\",\"run_dir\":{:?},\"run_id\":{:?},\"stop\":\"{:?}\",\"steps\":{},\"pairs_seen\":{},\"skipped_train\":{},\"skipped_val\":{},\"val_loss_first\":{},\"val_loss_last\":{},\"wall_s\":{:.1}}}",
        run.run_dir.display().to_string(),
        s.run_id,
        s.stop,
        s.state.step,
        s.state.pairs_seen,
        s.state.skipped_train,
        s.state.skipped_val,
        json_number(s.state.val_first),
        json_number(s.state.val_last),
        s.wall_s
    ))
}

/// A TOML string literal.
fn toml_string(value: &str) -> String {
    format!("{value:?}")
}

fn json_number(value: Option<f64>) -> String {
    value.map_or("null".into(), |v| format!("{v}"))
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    IuTgz,
    IuXml,
    Mimic,
    ChexpertPlus,
}

fn reports_stats(
    path: PathBuf,
    format: FormatArg,
    max_report_bytes: u64,
) -> Result<String, TextError> {
    let source = match format {
        FormatArg::Auto => ReportSource::open(path)?,
        FormatArg::IuTgz => ReportSource::with_format(path, Format::IuArchive),
        FormatArg::IuXml => ReportSource::with_format(path, Format::IuXml),
        FormatArg::Mimic => ReportSource::with_format(path, Format::Mimic),
        FormatArg::ChexpertPlus => ReportSource::with_format(path, Format::ChexpertPlus),
    }
    .with_limits(Limits { max_report_bytes });
    Ok(ReportStats::of(&source)?.to_json())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Pretrain(args) => pretrain(args),
        Command::Synth {
            set,
            out,
            size,
            per_report,
            format,
            seed,
            version,
        } => synth(set, out, size, per_report, format, seed, version),
        Command::Embed(args) => embed(args),
        Command::Export(args) => export(args),
        Command::Eval {
            command: EvalCommand::Retrieve(args),
        } => retrieve(args),
        Command::Eval {
            command: EvalCommand::Probe(args),
        } => probe(args),
        Command::Eval {
            command: EvalCommand::Zeroshot(args),
        } => zeroshot(args),
        Command::Eval {
            command: EvalCommand::Finetune(args),
        } => finetune(args),
        Command::Eval {
            command: EvalCommand::Compare(args),
        } => compare(args),
        Command::Reports {
            command:
                ReportsCommand::Stats {
                    path,
                    format,
                    max_report_bytes,
                },
        } => reports_stats(path, format, max_report_bytes).map_err(Into::into),
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            // A run stopped by a signal (checkpointed, resumable) exits as the shell expects.
            match e.downcast_ref::<convirt::pretrain::PretrainError>() {
                Some(convirt::pretrain::PretrainError::Interrupted { signal, .. }) => {
                    ExitCode::from(if *signal == "SIGINT" { 130 } else { 143 })
                }
                _ => ExitCode::FAILURE,
            }
        }
    }
}
