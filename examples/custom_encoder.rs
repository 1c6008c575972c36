//! Bring your own towers: a small CNN image tower and a bag-of-embeddings text tower, defined in
//! this file alone, pretrained with ConVIRT by the real trainer, checkpointed, resumed, loaded
//! back from the checkpoint, linear-probed and used for zero-shot retrieval, with no change to
//! any convirt crate. The last line is one JSON object.
//!
//! ```text
//! cargo run --release --example custom_encoder -- [--steps 200] [--image-size 32] [--batch 32]
//! ```
//!
//! What a tower implements is [`ImageEncoder`] or [`TextEncoder`] on a burn `Module`: the
//! encoder, its feature size, and optionally a `describe` for checkpoints. The trainer, the
//! checkpoints and every protocol take the resulting `ConvirtModel<SmallCnn, BagOfWords>` as
//! they take ConVIRT's ResNet50 + BERT.

use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Embedding, EmbeddingConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Int, Tensor};
use clap::Parser;
use convirt::data::synth::{Family, SynthOptions, SynthSet, generate};
use convirt::embed::ImageSpace;
use convirt::encoders::{ImageEncoder, TextEncoder};
use convirt::pretrain::{
    PretrainOptions, join_towers, layout, load_run_into, pretrain_model, tokenizer,
};
use convirt::probe::{ProbeSet, ProbeSettings, linear_probe};
use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
use convirt::train::{ConvirtModel, Which};

type Error = Box<dyn std::error::Error>;

/// f_v: three strided 3×3 convolutions with ReLU, then the global mean.
#[derive(Module, Debug)]
pub struct SmallCnn {
    conv1: Conv2d,
    conv2: Conv2d,
    conv3: Conv2d,
}

impl SmallCnn {
    /// `width`, `2·width` and `4·width` channels from gray images.
    pub fn new(width: usize, device: &Device) -> Self {
        let conv = |cin, cout| {
            Conv2dConfig::new([cin, cout], [3, 3])
                .with_stride([2, 2])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device)
        };
        Self {
            conv1: conv(1, width),
            conv2: conv(width, 2 * width),
            conv3: conv(2 * width, 4 * width),
        }
    }
}

impl ImageEncoder for SmallCnn {
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2> {
        let x = relu(self.conv1.forward(images));
        let x = relu(self.conv2.forward(x));
        let x = relu(self.conv3.forward(x));
        let [n, c, _, _] = x.dims();
        x.mean_dims(&[2, 3]).reshape([n, c])
    }

    fn feature_dim(&self) -> usize {
        self.conv3.weight.lazy_shape().dims::<4>()[0]
    }

    fn describe(&self) -> String {
        format!("small_cnn(width={})", self.feature_dim() / 4)
    }
}

/// f_u: the mean of the token embeddings over the real tokens.
#[derive(Module, Debug)]
pub struct BagOfWords {
    embedding: Embedding,
}

impl BagOfWords {
    /// `dim`-wide embeddings of a `vocab`-token vocabulary (MiniLM's tokenizer: 30,522).
    pub fn new(vocab: usize, dim: usize, device: &Device) -> Self {
        Self {
            embedding: EmbeddingConfig::new(vocab, dim).init(device),
        }
    }
}

impl TextEncoder for BagOfWords {
    fn encode_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2> {
        let [n, len] = ids.dims();
        let dim = self.feature_dim();
        let m = mask.float().reshape([n, len, 1]);
        let count = m.clone().sum_dim(1).clamp_min(1.0);
        ((self.embedding.forward(ids) * m).sum_dim(1) / count).reshape([n, dim])
    }

    fn feature_dim(&self) -> usize {
        self.embedding.weight.lazy_shape().dims::<2>()[1]
    }
}

/// The example's settings.
#[derive(Parser, Debug, Clone)]
#[command(about = "Pretrain, resume, probe and retrieve with towers defined in this file")]
pub struct Args {
    /// Training steps in all; the run stops half-way and is resumed.
    #[arg(long, default_value_t = 200)]
    pub steps: u64,
    /// Side of the training view.
    #[arg(long, default_value_t = 32)]
    pub image_size: usize,
    /// Pairs per step.
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// Width of the CNN's first layer.
    #[arg(long, default_value_t = 16)]
    pub width: usize,
    /// SynthCXR folder (pairs, cls and retrieval are generated there when missing).
    #[arg(long)]
    pub synth_dir: Option<PathBuf>,
    /// The run folder (replaced).
    #[arg(long, default_value = "runs/custom_encoder")]
    pub run_dir: PathBuf,
    /// Small `cls` and `retrieval` sets (train, val, test per set), for a quick check.
    #[arg(long, num_args = 3, value_delimiter = ',')]
    pub counts: Option<Vec<usize>>,
}

/// Model of the example's own towers, fixed by `seed`.
pub fn fresh_model(
    options: &PretrainOptions,
    width: usize,
    device: &Device,
) -> Result<ConvirtModel<SmallCnn, BagOfWords>, Error> {
    let device = device.clone().autodiff();
    device.seed(options.train.seed);
    let image = SmallCnn::new(width, &device);
    let text = BagOfWords::new(30_522, 64, &device);
    Ok(join_towers(options, image, text, &device)?)
}

/// The SynthCXR v1 `pairs`, `cls` and `retrieval` sets in `--synth-dir`, generated when missing.
pub fn synth_sets(args: &Args) -> Result<PathBuf, Error> {
    let synth = args
        .synth_dir
        .clone()
        .unwrap_or_else(convirt::pretrain::synth_pairs::default_dir);
    for set in [SynthSet::Pairs, SynthSet::Cls, SynthSet::Retrieval] {
        let counts = match (&args.counts, set) {
            (Some(c), SynthSet::Cls | SynthSet::Retrieval) => Some([c[0], c[1], c[2]]),
            _ => None,
        };
        generate(
            set,
            &SynthOptions {
                counts,
                ..SynthOptions::v1(synth.join(set.name()))
            },
        )?;
    }
    Ok(synth)
}

/// Everything the example does; returns its JSON line.
pub fn run(args: &Args) -> Result<serde_json::Value, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    convirt::setup::fetch_assets(root)?;
    let synth = synth_sets(args)?;

    // The CPU preset with nothing frozen (the bag of words has no layers to freeze).
    let mut options = PretrainOptions::cpu();
    options.data = format!("synthcxr:{}", synth.display());
    options.image_size = args.image_size;
    options.batch_size = args.batch;
    options.frozen_layers = 0;
    options.seq_len = 32;
    options.val_pairs = Some(64);
    options.time_budget_s = None;
    options.train.max_steps = Some(args.steps / 2);
    options.train.val_every = Some((args.steps / 4).max(1));
    let device = convirt::Backend::from_env()?.device()?;
    if args.run_dir.exists() {
        std::fs::remove_dir_all(&args.run_dir)?;
    }

    // Half the steps, then a resume to the end: the checkpoint carries the towers' weights, Adam's
    // moments and the loop's cursor.
    let model = fresh_model(&options, args.width, &device)?;
    let towers = model.towers();
    let first = pretrain_model(&options, model, &args.run_dir, &device, None)?;
    let stopped_at = first.summary.state.step;
    options.train.max_steps = Some(args.steps);
    let allowed = ["train.max_steps".to_string()];
    let fresh = fresh_model(&options, args.width, &device)?;
    let resumed = pretrain_model(&options, fresh, &args.run_dir, &device, Some(&allowed))?;
    let summary = &resumed.summary;

    // The last checkpoint, loaded back into towers of the same kind.
    let (_, trained) = load_run_into(
        &args.run_dir,
        Which::Last,
        fresh_model(&options, args.width, &device)?,
    )?;
    let untrained = fresh_model(&options, args.width, &device)?;

    let probe_set = ProbeSet::synthcxr_cls(&synth.join("cls"))?;
    let probe_settings = ProbeSettings {
        fractions: vec![0.1, 1.0],
        seeds: 0..1,
        size: args.image_size,
        layout: layout(&options),
        batch: 64,
        bootstrap: 0,
        regression: convirt::eval::ProbeConfig::default(),
    };
    let probe = |m: &ConvirtModel<SmallCnn, BagOfWords>| -> Result<Vec<f64>, Error> {
        let report = linear_probe(m, &probe_set, &probe_settings, &device)?;
        Ok(report.fractions.iter().map(|f| f.mean).collect())
    };
    let (probe_trained, probe_untrained) = (probe(&trained)?, probe(&untrained)?);

    let names: Vec<&str> = Family::NAMES.to_vec();
    let queries = root.join("data/synthcxr/text_queries.csv");
    let set = RetrievalSet::read(&synth.join("retrieval"), &names, Some(&queries))?;
    let config = RetrievalConfig {
        size: args.image_size,
        layout: layout(&options),
        image_space: ImageSpace::Projected,
        ks: vec![5, 10, 50],
        batch: 64,
    };
    let tok = tokenizer(&options)?;
    let scores = evaluate(&trained, &set, &tok, &config, &device)?;
    let text_image = scores.text_image.as_ref().ok_or("no text queries")?;
    Ok(serde_json::json!({
        "what": "custom_encoder",
        "image_tower": towers.image,
        "text_tower": towers.text,
        "steps": summary.state.step,
        "resumed_from": stopped_at,
        "pairs_seen": summary.state.pairs_seen,
        "val_loss_first": summary.state.val_first,
        "val_loss_last": summary.state.val_last,
        "probe_mean_auroc_10": probe_trained[0],
        "probe_mean_auroc_100": probe_trained[1],
        "probe_mean_auroc_10_untrained": probe_untrained[0],
        "probe_mean_auroc_100_untrained": probe_untrained[1],
        "p_at_10_text_image": text_image.mean[1],
        "p_at_10_image_image": scores.image_image.mean[1],
        "chance": scores.image_image.mean_chance,
    }))
}

#[allow(dead_code)] // The test includes this file for `run` and has its own entry point.
fn main() -> std::process::ExitCode {
    match run(&Args::parse()) {
        Ok(line) => {
            println!("{line}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
