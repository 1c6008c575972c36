//! The paper's comparison on SynthCXR, in full: random init, SimCLR, Contrastive-Binary and
//! ConVIRT (the same pretraining recipe, steps and images for each), judged by the linear probe
//! and fine-tuning at 1/10/100 % of `cls`'s labels and by zero-shot retrieval on `retrieval`,
//! over five seeds, with the paper's claims tested by paired comparisons across the seeds.
//!
//! It fetches the assets and generates SynthCXR if missing, runs (or continues: finished units
//! are skipped) the comparison in `runs/eval_synthcxr/`, and copies the report into
//! `docs/results/synthcxr/`. The budget and what it buys: `docs/compare.md`.
//!
//! ```text
//! cargo run --release --example eval_synthcxr [-- --set seeds=2 --out runs/x --no-publish]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use convirt::Backend;
use convirt::compare::{CompareConfig, compare, publish};
use convirt::data::synth::SynthSet;
use convirt::pretrain::synth_pairs;
use convirt::setup;

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
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

fn run(args: Vec<String>) -> Result<String, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = root.join("runs/eval_synthcxr");
    let mut overrides = Vec::new();
    let mut publish_to = Some(root.join("docs/results/synthcxr"));
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--set" => overrides.push(value()?.clone()),
            "--out" => out = PathBuf::from(value()?),
            "--no-publish" => publish_to = None,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let fetch_s = setup::fetch_assets(root)?;
    let synth = synth_pairs::default_dir();
    let generate_s = setup::synthcxr(
        &synth,
        &[SynthSet::Pairs, SynthSet::Cls, SynthSet::Retrieval],
    )?;
    eprintln!("assets {fetch_s:.1} s; SynthCXR {generate_s:.1} s");
    let queries = root.join("data/synthcxr/text_queries.csv");
    let config = CompareConfig::synthcxr(&synth, &queries).with_overrides(&overrides)?;
    let device = Backend::from_env()?.device()?;
    let mut command = "cargo run --release --example eval_synthcxr".to_string();
    if !overrides.is_empty() {
        command.push_str(" --");
        for o in &overrides {
            command.push_str(&format!(" --set {o}"));
        }
    }
    let run = compare(&config, &out, &device, &command)?;
    if let Some(dest) = publish_to.filter(|_| overrides.is_empty()) {
        publish(&out, &dest)?;
        eprintln!("report copied to {}", dest.display());
    }
    Ok(run.summary_line(&out))
}
