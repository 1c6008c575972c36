//! The main job: ConVIRT pretraining.
//!
//! With no arguments (or only `--set KEY=VALUE` overrides) it runs anywhere, on two CPU cores in about ten minutes: it fetches the
//! assets if they are missing, generates SynthCXR (`pairs` and `retrieval`) if needed, pretrains
//! the CPU configuration ([`PretrainOptions::cpu`]: ResNet18 at 32², MiniLM frozen and cached,
//! batch 32, a softer t_v) on the `pairs` train split, then measures zero-shot retrieval on
//! SynthCXR's `retrieval` set with the committed text queries, against chance and against the
//! same model before training. The last line is one JSON object.
//!
//! ```text
//! cargo run --release --example pretrain_chexpert
//! ```
//!
//! With a data source it runs the paper's configuration (ResNet50 at 224², the paper's
//! hyperparameters) on real data, with the given BERT checkpoint:
//!
//! ```text
//! cargo run --release --example pretrain_chexpert -- --help
//! cargo run --release --example pretrain_chexpert -- --data chexpert-plus:/data/chexpert \
//!     --text-model /models/Bio_ClinicalBERT [--image-weights resnet50-imagenet.safetensors]
//!     [--run-dir DIR] [--resume] [--backend tch] [--set train.epochs=100]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use convirt::Backend;
use convirt::data::synth::{Family, SynthSet};
use convirt::embed::ImageSpace;
use convirt::pretrain::{PretrainOptions, initial_model, layout, pretrain, synth_pairs, tokenizer};
use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
use convirt::setup;

type Error = Box<dyn std::error::Error>;

/// ConVIRT pretraining: the CPU demo on SynthCXR without `--data`, the paper's configuration on
/// a real data source with it.
#[derive(Parser, Debug)]
#[command(name = "pretrain_chexpert")]
struct Args {
    /// A real data source (`mimic-cxr:ROOT`, `chexpert-plus:ROOT`, `iu-xray:ROOT`): the paper's
    /// configuration on it. Without it, the 10-minute CPU demo on SynthCXR.
    #[arg(long)]
    data: Option<String>,
    /// The BERT checkpoint folder (with `--data`).
    #[arg(long, requires = "data")]
    text_model: Option<PathBuf>,
    /// torchvision weights of the image tower to start from (with `--data`).
    #[arg(long, requires = "data")]
    image_weights: Option<PathBuf>,
    /// A setting, `KEY=VALUE` (repeatable), e.g. `--set train.max_steps=20` for a quick check.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// The run folder (with `--data`).
    #[arg(long, requires = "data", default_value = "runs/pretrain_chexpert_real")]
    run_dir: PathBuf,
    /// Continue the run in `--run-dir` (with `--data`).
    #[arg(long, requires = "data")]
    resume: bool,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex; with `--data`).
    #[arg(long, requires = "data")]
    backend: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = if args.data.is_some() {
        real(&args)
    } else {
        demo(&args.overrides)
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The embedded default on SynthCXR; `--set key=value` overrides a setting (a quick check:
/// `--set train.max_steps=20`).
fn demo(overrides: &[String]) -> Result<String, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fetch_s = setup::fetch_assets(root)?;
    let synth = synth_pairs::default_dir();
    let generate_s = setup::synthcxr(&synth, &[SynthSet::Pairs, SynthSet::Retrieval])?;
    eprintln!("assets {fetch_s:.1} s; SynthCXR {generate_s:.1} s");
    let retrieval_dir = synth.join("retrieval");

    let options = PretrainOptions {
        data: format!("synthcxr:{}", synth.display()),
        ..PretrainOptions::cpu()
    }
    .with_overrides(overrides)?;
    let backend = Backend::from_env()?;
    // Freed tensors reused from the heap rather than faulted in again (src/allocator.rs).
    convirt::allocator::tune_for(backend);
    let device = backend.device()?;
    let run_dir = root.join("runs/pretrain_chexpert");
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    // The untrained baseline is the trained model's own start.
    let initial = initial_model(&options, &device)?;
    let run = pretrain(&options, &run_dir, &device, false)?;
    let summary = &run.summary;
    eprintln!(
        "trained {} steps ({} pairs) in {:.1} s, stopped: {:?}",
        summary.state.step, summary.state.pairs_seen, summary.wall_s, summary.stop
    );

    let names: Vec<&str> = Family::NAMES.to_vec();
    let queries = root.join("data/synthcxr/text_queries.csv");
    let set = RetrievalSet::read(&retrieval_dir, &names, Some(&queries))?;
    let config = RetrievalConfig {
        size: options.image_size,
        layout: layout(&options),
        image_space: ImageSpace::Projected,
        ks: vec![5, 10, 50],
        batch: 64,
    };
    let tok = tokenizer(&options)?;
    let trained = convirt::with_model!(&run.model, |m| evaluate(m, &set, &tok, &config, &device))?;
    let random = convirt::with_model!(&initial, |m| evaluate(m, &set, &tok, &config, &device))?;
    let p10 = |r: &convirt::eval::RetrievalReport| r.mean[1];
    let text_image = trained.text_image.as_ref().ok_or("no text queries")?;
    let text_image_random = random.text_image.as_ref().ok_or("no text queries")?;
    let chance = trained.image_image.mean_chance;
    eprintln!("Precision@10        trained  before  chance");
    eprintln!(
        "text -> image       {:.3}    {:.3}   {chance:.3}",
        p10(text_image),
        p10(text_image_random)
    );
    eprintln!(
        "image -> image      {:.3}    {:.3}   {chance:.3}",
        p10(&trained.image_image),
        p10(&random.image_image)
    );
    Ok(format!(
        "{{\"what\":\"pretrain\",\"wall_s\":{:.1},\"pairs_seen\":{},\"val_loss_first\":{},\"val_loss_last\":{},\"p_at_10_text_image\":{:.4},\"p_at_10_image_image\":{:.4},\"p_at_10_text_image_random\":{:.4},\"p_at_10_image_image_random\":{:.4},\"chance\":{:.4}}}",
        summary.wall_s,
        summary.state.pairs_seen,
        number(summary.state.val_first),
        number(summary.state.val_last),
        p10(text_image),
        p10(&trained.image_image),
        p10(text_image_random),
        p10(&random.image_image),
        chance
    ))
}

/// The paper's configuration on a real data source.
fn real(args: &Args) -> Result<String, Error> {
    let mut overrides = Vec::new();
    if let Some(data) = &args.data {
        overrides.push(format!("data={data:?}"));
    }
    if let Some(dir) = &args.text_model {
        overrides.push(format!("text_model={:?}", dir.display().to_string()));
    }
    if let Some(path) = &args.image_weights {
        overrides.push(format!("image_weights={:?}", path.display().to_string()));
    }
    overrides.extend(args.overrides.iter().cloned());
    let (run_dir, resume) = (args.run_dir.clone(), args.resume);
    let backend = match &args.backend {
        Some(name) => Some(name.parse::<Backend>()?),
        None => None,
    };
    let options = PretrainOptions::paper().with_overrides(&overrides)?;
    let backend = match backend {
        Some(b) => b,
        None => Backend::from_env()?,
    };
    convirt::allocator::tune_for(backend);
    let device = backend.device()?;
    let run = pretrain(&options, &run_dir, &device, resume)?;
    let s = &run.summary;
    Ok(format!(
        "{{\"what\":\"pretrain\",\"wall_s\":{:.1},\"pairs_seen\":{},\"val_loss_first\":{},\"val_loss_last\":{},\"stop\":\"{:?}\"}}",
        s.wall_s,
        s.state.pairs_seen,
        number(s.state.val_first),
        number(s.state.val_last),
        s.stop
    ))
}

fn number(value: Option<f64>) -> String {
    value.map_or("null".into(), |v| format!("{v}"))
}
