//! `convirt export`: a trained run's towers under PyTorch names, with the heads.

use std::path::PathBuf;

use crate::common::WhichArg;

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// The output folder: image_encoder.safetensors, text_encoder.safetensors, image_head.bpk,
    /// text_head.bpk.
    #[arg(long)]
    out: PathBuf,
}

pub(crate) fn export(args: ExportArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::load_run;
    let device = burn::tensor::Device::default();
    let (_, model) = load_run(&args.run_dir, args.checkpoint.into(), &device)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    convirt::with_model!(&model, |m| convirt::towers::export_model(m, &args.out))?;
    Ok(format!(
        "{{\"what\":\"export\",\"out\":{:?}}}",
        args.out.display().to_string()
    ))
}
