//! The `convirt` command line. Each subcommand group is one enum below; later issues add
//! `pretrain`, `eval`, `synth`, `embed` and `export` beside `reports`.
//!
//! ```text
//! convirt reports stats ~/.cache/convirt/assets/iu/NLMCXR_reports.tgz
//! {"reports":3955,"with_findings":3425,"with_impression":3921,"empty":28,"sentences_mean":...}
//! ```

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
        Command::Reports {
            command:
                ReportsCommand::Stats {
                    path,
                    format,
                    max_report_bytes,
                },
        } => reports_stats(path, format, max_report_bytes),
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
