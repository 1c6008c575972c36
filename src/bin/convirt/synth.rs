//! `convirt synth`: generates one SynthCXR set.

use std::path::PathBuf;

use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SetArg {
    Pairs,
    Cls,
    Retrieval,
    /// v2 only: the validation retrieval set (calibration, presets).
    RetrievalVal,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ImageArg {
    Png,
    Jpg,
}

pub(crate) fn synth(
    set: SetArg,
    out: PathBuf,
    size: usize,
    per_report: usize,
    format: ImageArg,
    seed: u64,
    version: u32,
) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::data::synth::{ImageFormat, SynthOptions, SynthSet, SynthVersion, generate};
    let set = match set {
        SetArg::Pairs => SynthSet::Pairs,
        SetArg::Cls => SynthSet::Cls,
        SetArg::Retrieval => SynthSet::Retrieval,
        SetArg::RetrievalVal => SynthSet::RetrievalVal,
    };
    let mut options = SynthOptions::new(out);
    options.version = SynthVersion::from_number(version)
        .ok_or_else(|| format!("--version {version}: SynthCXR has versions 1 and 2"))?;
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
        "version": options.version.number(),
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
