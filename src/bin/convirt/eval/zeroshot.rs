//! `convirt eval zeroshot`: classification from positive and negative prompts.

use std::path::PathBuf;

use crate::eval::*;

#[derive(clap::Args)]
pub(crate) struct ZeroshotArgs {
    /// The model: a run's checkpoint, or its architecture untrained.
    #[command(flatten)]
    model: ModelArgs,
    /// The SynthCXR `cls` folder (`convirt synth --set cls`).
    #[arg(long)]
    set: PathBuf,
    /// Positive prompts, `Variable,Text`.
    #[arg(long, default_value = "data/synthcxr/text_queries.csv")]
    positives: PathBuf,
    /// Negative prompts, `Variable,Text`.
    #[arg(long, default_value = "data/synthcxr/negative_prompts.csv")]
    negatives: PathBuf,
}

pub(crate) fn zeroshot(args: ZeroshotArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::tokenizer;
    use convirt::probe::ProbeSet;
    let (device, options, net) = args.model.load()?;
    let set = ProbeSet::synthcxr_cls(&args.set)?;
    let settings = eval_settings(&options, &[100.0], 1, 0);
    let tokenizer = tokenizer(&options)?;
    let report = convirt::with_model!(&net, |m| convirt::zeroshot::zero_shot(
        m,
        &set,
        &args.positives,
        &args.negatives,
        &tokenizer,
        &settings,
        &device,
    ))?;
    Ok(serde_json::json!({
        "what": "zeroshot",
        "init": args.model.init_name(),
        "report": report,
    })
    .to_string())
}
