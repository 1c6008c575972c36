//! `convirt eval probe`: the linear probe at label fractions.

use std::path::PathBuf;

use crate::eval::*;

#[derive(clap::Args)]
pub(crate) struct ProbeArgs {
    /// The model, the `cls` set, the fractions and the seeds.
    #[command(flatten)]
    cls: ClsArgs,
    /// Bootstrap resamples for the per-label intervals (0: none).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Write the full report (JSON) here as well.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn probe(args: ProbeArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::probe::linear_probe;
    let (device, net, set, settings) = args.cls.load(args.bootstrap)?;
    let report = convirt::with_model!(&net, |m| linear_probe(m, &set, &settings, &device))?;
    let json = serde_json::json!({
        "what": "probe",
        "init": args.cls.model.init_name(),
        "report": report,
    });
    report_line(json, args.out.as_deref())
}
