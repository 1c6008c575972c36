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
//! cargo run --release --example pretrain_chexpert -- --data chexpert-plus:/data/chexpert \
//!     --text-model /models/Bio_ClinicalBERT [--image-weights resnet50-imagenet.safetensors]
//!     [--run-dir DIR] [--resume] [--backend tch] [--set train.epochs=100]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use convirt::Backend;
use convirt::data::synth::{Family, SynthSet};
use convirt::embed::ImageSpace;
use convirt::pretrain::{PretrainOptions, initial_model, layout, pretrain, synth_pairs, tokenizer};
use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
use convirt::setup;

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.iter().any(|a| a == "--data") {
        real(&args)
    } else {
        demo(&args)
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
fn demo(args: &[String]) -> Result<String, Error> {
    let mut overrides = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match (flag.as_str(), it.next()) {
            ("--set", Some(value)) => overrides.push(value.clone()),
            _ => {
                return Err(
                    format!("unknown argument {flag:?} (--set KEY=VALUE or --data ...)").into(),
                );
            }
        }
    }
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
    .with_overrides(&overrides)?;
    let device = Backend::from_env()?.device()?;
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
fn real(args: &[String]) -> Result<String, Error> {
    let mut overrides = Vec::new();
    let mut run_dir = PathBuf::from("runs/pretrain_chexpert_real");
    let mut resume = false;
    let mut backend = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => overrides.push(format!("data={:?}", value()?)),
            "--text-model" => overrides.push(format!("text_model={:?}", value()?)),
            "--image-weights" => overrides.push(format!("image_weights={:?}", value()?)),
            "--set" => overrides.push(value()?.clone()),
            "--run-dir" => run_dir = PathBuf::from(value()?),
            "--backend" => backend = Some(value()?.parse::<Backend>()?),
            "--resume" => resume = true,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let options = PretrainOptions::paper().with_overrides(&overrides)?;
    let device = match backend {
        Some(b) => b.device()?,
        None => Backend::from_env()?.device()?,
    };
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
