//! `convirt reports stats`: counts of a report collection's sections and sentences.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use convirt::text::{Format, Limits, ReportSource, ReportStats, TextError};

#[derive(Subcommand)]
pub(crate) enum ReportsCommand {
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
pub(crate) enum FormatArg {
    Auto,
    IuTgz,
    IuXml,
    Mimic,
    ChexpertPlus,
}

pub(crate) fn reports_stats(
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
