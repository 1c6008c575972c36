//! Replays PyTorch golden files through convirt-rs and prints one JSON line per check.
//!
//! ```text
//! cargo run --release --example parity -- loss      tests/fixtures/golden/convirt_loss.json
//! cargo run --release --example parity -- baselines tests/fixtures/golden/baseline_losses.json
//! cargo run --release --example parity -- augment   tests/fixtures/golden
//! ```
//!
//! Exits 1 when an error exceeds the tolerance, 2 when the file cannot be replayed.

// The golden-file replays, shared with the tests.
#[allow(dead_code)]
#[path = "../tests/support/parity/mod.rs"]
mod parity;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use convirt::Backend;
use parity::ErrorStats;

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
    /// The augmentation pipeline against torchvision (`augment_cases.{json,safetensors}`).
    /// A ResNet fixture from tools/make_resnet_fixtures.py: STEM.json, STEM.{safetensors,pth},
    /// STEM_io.safetensors.
    Resnet {
        /// The fixture path without extension, e.g. tests/fixtures/resnet/basic_w8.
        stem: PathBuf,
        /// Which weights file to load: safetensors or pth.
        #[arg(long, default_value = "safetensors")]
        weights: String,
        /// Largest relative error accepted.
        #[arg(long, default_value_t = 1e-4)]
        tolerance: f64,
    },
    /// all-MiniLM-L6-v2 (or any BERT folder) against `minilm_pooled.json`-format golden outputs.
    Minilm {
        /// A golden file in `minilm_pooled.json` format.
        file: PathBuf,
        /// The Hugging Face BERT folder (config.json + model.safetensors).
        #[arg(long)]
        model_dir: PathBuf,
        /// Largest absolute error accepted.
        #[arg(long, default_value_t = 1e-3)]
        max_abs: f64,
        /// Largest mean absolute error accepted.
        #[arg(long, default_value_t = 1e-4)]
        mean_abs: f64,
    },
    /// The feature-cache (GradCache) step's gradient against the full-batch step's.
    Accum {
        /// Pairs per step N.
        #[arg(long, default_value_t = 64)]
        batch: usize,
        /// Pairs per micro-batch M (divides N).
        #[arg(long, default_value_t = 8)]
        micro: usize,
        /// Largest relative error accepted.
        #[arg(long, default_value_t = 1e-4)]
        tolerance: f64,
        /// Seeds the model and the batch.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Compare a data-parallel step instead of the feature cache: K ranks on the backend's
        /// device (simulated; on CUDA, cuda:0..K), or a list such as `flex,wgpu:cpu`; one shard
        /// of batch/K pairs each.
        #[arg(long)]
        devices: Option<convirt::DeviceSpec>,
        /// How the data-parallel step sums across devices: host (through the main device, every
        /// backend) or all-reduce (burn's `all_reduce`, NCCL on CUDA).
        #[arg(long, default_value = "host")]
        collective: convirt::train::Collective,
    },
    Augment {
        /// The folder holding `augment_cases.json` and `augment_cases.safetensors`.
        dir: PathBuf,
        /// Lowest per-case PSNR accepted, in dB.
        #[arg(long, default_value_t = 33.0)]
        min_db: f64,
        /// Lowest mean PSNR accepted, in dB.
        #[arg(long, default_value_t = 38.0)]
        mean_db: f64,
    },
}

/// Prints the augmentation PSNR line; exits 1 below the thresholds, 2 when unreadable.
fn augment(dir: &std::path::Path, min_db: f64, mean_db: f64) -> ExitCode {
    match parity::augment::replay(dir) {
        Ok(s) => {
            println!(
                "{}",
                serde_json::json!({
                    "what": "augment",
                    "cases": s.cases,
                    "min_psnr_db": s.min_psnr_db,
                    "mean_psnr_db": s.mean_psnr_db,
                })
            );
            if s.cases > 0 && s.min_psnr_db >= min_db && s.mean_psnr_db >= mean_db {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "parity augment: PSNR per case {:?} below min {min_db} / mean {mean_db} dB",
                    s.per_case_db
                );
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
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

fn minilm(
    file: &std::path::Path,
    model_dir: &std::path::Path,
    device: &burn::tensor::Device,
    max_abs: f64,
    mean_abs: f64,
) -> ExitCode {
    match parity::minilm::minilm(file, model_dir, device) {
        Ok(e) => {
            println!(
                "{}",
                serde_json::json!({
                    "what": "minilm",
                    "max_abs_err": e.max_abs_err,
                    "mean_abs_err": e.mean_abs_err,
                })
            );
            if e.max_abs_err <= max_abs && e.mean_abs_err <= mean_abs {
                ExitCode::SUCCESS
            } else {
                eprintln!("parity minilm: over tolerance ({max_abs}, {mean_abs})");
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
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
    if let Check::Accum {
        batch,
        micro,
        tolerance,
        seed,
        devices,
        collective,
    } = &args.check
    {
        let ranks = match devices
            .as_ref()
            .map(|d| d.devices_for(args.backend, *collective))
            .transpose()
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let result = match &ranks {
            Some(ranks) => {
                // A shard's dropout masks come from its device's generator; across backends the
                // reference on the main device cannot replay them, so the model has none then.
                let mixed = devices.as_ref().is_some_and(|d| {
                    let b = d.backends(args.backend);
                    b.iter().any(|x| x.feature() != b[0].feature())
                });
                let dropout = if mixed { 0.0 } else { 0.1 };
                parity::accum::data_parallel(*batch, ranks, *seed, *collective, dropout)
            }
            None => parity::accum::accum(*batch, *micro, &device, *seed),
        };
        let micro = ranks.as_ref().map_or(*micro, |k| batch / k.len().max(1));
        return match result {
            Ok(e) => {
                println!(
                    "{{\"what\":\"accum\",\"batch\":{batch},\"micro\":{micro},\"tensors\":{},\"max_abs_err\":{:e},\"max_rel_err\":{:e},\"max_grad\":{:e}}}",
                    e.tensors, e.max_abs_err, e.max_rel_err, e.max_scale
                );
                if e.max_rel_err <= *tolerance {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    if let Check::Augment {
        dir,
        min_db,
        mean_db,
    } = &args.check
    {
        return augment(dir, *min_db, *mean_db);
    }
    if let Check::Minilm {
        file,
        model_dir,
        max_abs,
        mean_abs,
    } = &args.check
    {
        return minilm(file, model_dir, &device, *max_abs, *mean_abs);
    }
    let (what, result, tolerance) = match &args.check {
        Check::Loss { file, tolerance } => {
            ("loss", parity::loss::convirt(file, &device), *tolerance)
        }
        Check::Baselines { file, tolerance } => (
            "baselines",
            parity::loss::baselines(file, &device),
            *tolerance,
        ),
        Check::Resnet {
            stem,
            weights,
            tolerance,
        } => {
            let result = parity::resnet::resnet(stem, weights, &device);
            return match result {
                Ok(stats) => report("resnet", stats, *tolerance),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Check::Augment { .. } | Check::Minilm { .. } | Check::Accum { .. } => {
            unreachable!("handled above")
        }
    };
    match result {
        Ok(stats) => report(what, stats, tolerance),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
