//! Replays PyTorch golden files through convirt-rs and prints one JSON line per check.
//!
//! ```text
//! cargo run --release --example parity -- loss      tests/fixtures/golden/convirt_loss.json
//! cargo run --release --example parity -- baselines tests/fixtures/golden/baseline_losses.json
//! ```
//!
//! Exits 1 when an error exceeds the tolerance, 2 when the file cannot be replayed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use convirt::Backend;
use convirt::parity::{self, ErrorStats};

#[derive(Parser)]
#[command(about = "Compare convirt-rs with PyTorch golden values")]
struct Args {
    /// Backend to run on: flex, tch, wgpu, wgpu:cpu, cuda[:N].
    #[arg(long, global = true, default_value = "flex")]
    backend: Backend,
    #[command(subcommand)]
    check: Check,
}

#[derive(Subcommand)]
enum Check {
    /// ConVIRT loss cases (value, both directions, both gradients).
    Loss {
        /// A golden file in `convirt_loss.json` format.
        file: PathBuf,
        /// Largest relative error accepted.
        #[arg(long, default_value_t = 1e-5)]
        tolerance: f64,
    },
    /// NT-Xent, Contrastive-Binary and SigLIP cases.
    Baselines {
        /// A golden file in `baseline_losses.json` format.
        file: PathBuf,
        /// Largest relative error accepted.
        #[arg(long, default_value_t = 1e-5)]
        tolerance: f64,
    },
}

fn report(what: &str, stats: ErrorStats, tolerance: f64) -> ExitCode {
    println!(
        "{}",
        serde_json::json!({
            "what": what,
            "cases": stats.cases,
            "max_abs_err": stats.max_abs_err,
            "max_rel_err": stats.max_rel_err,
        })
    );
    if stats.max_rel_err <= tolerance && stats.cases > 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "parity {what}: max_rel_err {} > {tolerance}",
            stats.max_rel_err
        );
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let device = match args.backend.device() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (what, result, tolerance) = match &args.check {
        Check::Loss { file, tolerance } => {
            ("loss", parity::loss::convirt(file, &device), *tolerance)
        }
        Check::Baselines { file, tolerance } => (
            "baselines",
            parity::loss::baselines(file, &device),
            *tolerance,
        ),
    };
    match result {
        Ok(stats) => report(what, stats, tolerance),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
