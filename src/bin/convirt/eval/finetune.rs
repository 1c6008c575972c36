//! `convirt eval finetune`: the image tower and a linear classifier, trained on label fractions.

use std::path::PathBuf;

use crate::eval::*;

#[derive(clap::Args)]
pub(crate) struct FinetuneArgs {
    /// The model, the `cls` set, the fractions and the seeds.
    #[command(flatten)]
    cls: ClsArgs,
    /// Optimiser steps per run.
    #[arg(long, default_value_t = 200)]
    steps: usize,
    /// Examples per step.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    /// Write the report (JSON) here as well.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) fn finetune(args: FinetuneArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::finetune::{FinetuneSettings, fine_tune};
    let (device, net, set, probe) = args.cls.load(0)?;
    let settings = FinetuneSettings {
        probe,
        steps: args.steps,
        batch: args.batch,
        learning_rate: args.lr,
    };
    let report = convirt::with_model!(&net, |m| fine_tune(m, &set, &settings, &device))?;
    let json = serde_json::json!({
        "what": "finetune",
        "init": args.cls.model.init_name(),
        "steps": args.steps,
        "fractions": report,
    });
    report_line(json, args.out.as_deref())
}
