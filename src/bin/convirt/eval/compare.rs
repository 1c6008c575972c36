//! `convirt eval compare`: the paper's comparison of four encoders.

use std::path::PathBuf;

use crate::common::device_for;

#[derive(clap::Args)]
pub(crate) struct CompareArgs {
    /// Output folder; running again continues where it stopped.
    #[arg(long, default_value = "runs/compare")]
    out: PathBuf,
    /// SynthCXR's folder: pairs/, cls/ and retrieval/ are generated there if missing (default:
    /// beside the assets).
    #[arg(long)]
    synth: Option<PathBuf>,
    /// The text queries (`Variable,Text`).
    #[arg(long, default_value = "data/synthcxr/text_queries.csv")]
    text_queries: PathBuf,
    /// A TOML comparison configuration (default: the committed run's, `CompareConfig::synthcxr`).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Overrides, `KEY=VALUE` as in the TOML (`seeds=2`, `pretrain.train.max_steps=300`).
    #[arg(long = "set")]
    overrides: Vec<String>,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
}

pub(crate) fn compare(args: CompareArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::compare::CompareConfig;
    use convirt::data::synth::SynthSet;
    let synth = args
        .synth
        .unwrap_or_else(convirt::pretrain::synth_pairs::default_dir);
    let config = match &args.config {
        Some(path) => CompareConfig::from_toml(&std::fs::read_to_string(path)?)?,
        None => {
            convirt::setup::synthcxr(
                &synth,
                &[SynthSet::Pairs, SynthSet::Cls, SynthSet::Retrieval],
            )?;
            CompareConfig::synthcxr(&synth, &args.text_queries)
        }
    }
    .with_overrides(&args.overrides)?;
    let device = device_for(&args.backend)?;
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let run = convirt::compare::compare(&config, &args.out, &device, &command)?;
    Ok(run.summary_line(&args.out))
}
