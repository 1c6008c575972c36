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

/// The paper's comparison on SynthCXR (resumable unit by unit).
#[derive(clap::Parser, Debug)]
#[command(name = "eval_synthcxr")]
struct Args {
    /// A comparison setting, `KEY=VALUE` (repeatable), e.g. `--set seeds=2`; a run with settings
    /// is not published.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    /// The comparison's folder [default: runs/eval_synthcxr].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Do not copy the report into docs/results/synthcxr/.
    #[arg(long)]
    no_publish: bool,
}

fn main() -> ExitCode {
    match run(<Args as clap::Parser>::parse()) {
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

fn run(args: Args) -> Result<String, Error> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = args.out.unwrap_or_else(|| root.join("runs/eval_synthcxr"));
    let overrides = args.overrides;
    let publish_to = (!args.no_publish).then(|| root.join("docs/results/synthcxr"));
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
