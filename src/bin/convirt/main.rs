//! The `convirt` command line, one file per subcommand:
//!
//! | file | subcommand |
//! |---|---|
//! | `pretrain.rs` | `convirt pretrain` |
//! | `embed.rs` | `convirt embed` |
//! | `export.rs` | `convirt export` |
//! | `synth.rs` | `convirt synth` |
//! | `reports.rs` | `convirt reports stats` |
//! | `eval/` | `convirt eval retrieve / probe / zeroshot / finetune / compare`, one file each; `mod.rs` holds what they share (the model to evaluate) |
//! | `common.rs` | the checkpoint choice and the device, for several subcommands |
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

use clap::{Parser, Subcommand};

mod common;
mod embed;
mod eval;
mod export;
mod pretrain;
mod reports;
mod synth;

use embed::EmbedArgs;
use eval::EvalCommand;
use export::ExportArgs;
use pretrain::PretrainArgs;
use reports::ReportsCommand;
use synth::{ImageArg, SetArg};

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
    /// Writes a trained run's towers as PyTorch-named safetensors (torchvision ResNet, DenseNet or ViT,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Pretrain(args) => pretrain::pretrain(args),
        Command::Synth {
            set,
            out,
            size,
            per_report,
            format,
            seed,
            version,
        } => synth::synth(set, out, size, per_report, format, seed, version),
        Command::Embed(args) => embed::embed(args),
        Command::Export(args) => export::export(args),
        Command::Eval {
            command: EvalCommand::Retrieve(args),
        } => eval::retrieve::retrieve(args),
        Command::Eval {
            command: EvalCommand::Probe(args),
        } => eval::probe::probe(args),
        Command::Eval {
            command: EvalCommand::Zeroshot(args),
        } => eval::zeroshot::zeroshot(args),
        Command::Eval {
            command: EvalCommand::Finetune(args),
        } => eval::finetune::finetune(args),
        Command::Eval {
            command: EvalCommand::Compare(args),
        } => eval::compare::compare(args),
        Command::Reports {
            command:
                ReportsCommand::Stats {
                    path,
                    format,
                    max_report_bytes,
                },
        } => reports::reports_stats(path, format, max_report_bytes).map_err(Into::into),
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
