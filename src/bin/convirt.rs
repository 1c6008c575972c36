//! The `convirt` command line. Each subcommand group is one enum below; later issues add
//! `pretrain`, `eval`, `embed` and `export` beside `reports` and `synth`.
//!
//! ```text
//! convirt reports stats ~/.cache/convirt/assets/iu/NLMCXR_reports.tgz
//! {"reports":3955,"with_findings":3425,"with_impression":3921,"empty":28,"sentences_mean":...}
//! convirt synth --set cls --out ~/.cache/convirt/synthcxr/cls
//! {"set":"cls","images":13000,"cached":false,"seconds":...,"images_per_s":...}
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use convirt::data::synth::{ImageFormat, SynthOptions, SynthSet, generate};
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
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SetArg {
    Pairs,
    Cls,
    Retrieval,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageArg {
    Png,
    Jpg,
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

fn synth(
    set: SetArg,
    out: PathBuf,
    size: usize,
    per_report: usize,
    format: ImageArg,
    seed: u64,
) -> Result<String, convirt::data::DataError> {
    let set = match set {
        SetArg::Pairs => SynthSet::Pairs,
        SetArg::Cls => SynthSet::Cls,
        SetArg::Retrieval => SynthSet::Retrieval,
    };
    let mut options = SynthOptions::new(out);
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
        } => reports_stats(path, format, max_report_bytes).map_err(|e| e.to_string()),
        Command::Synth {
            set,
            out,
            size,
            per_report,
            format,
            seed,
        } => synth(set, out, size, per_report, format, seed).map_err(|e| e.to_string()),
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
