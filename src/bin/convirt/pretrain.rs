//! `convirt pretrain`: settings from a preset or TOML, flags and `--set`, then the run.

use std::path::PathBuf;

use clap::ValueEnum;

#[derive(clap::Args)]
pub(crate) struct PretrainArgs {
    /// A TOML file of settings (see `convirt::pretrain::PretrainOptions`); flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Start from the paper's settings (ResNet50 at 224; the default) or the 2-core CPU ones.
    /// With --resume and neither --config nor --preset, the run's own settings.
    #[arg(long, value_enum)]
    preset: Option<Preset>,
    /// synthcxr[:DIR], mimic-cxr:ROOT, chexpert-plus:ROOT or iu-xray:ROOT.
    #[arg(long)]
    data: Option<String>,
    /// The BERT checkpoint folder (config.json, model.safetensors, tokenizer.json).
    #[arg(long)]
    text_model: Option<PathBuf>,
    /// torchvision weights of `--arch` to start the image tower from (e.g. ImageNet's).
    #[arg(long)]
    image_weights: Option<PathBuf>,
    /// The image tower: resnet18/34/50, densenet121/169 or vit_b_16/32 (docs/towers.md).
    #[arg(long)]
    arch: Option<String>,
    /// convirt, simclr or binary.
    #[arg(long)]
    objective: Option<String>,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
    /// Train data-parallel: K ranks on --backend's device(s) (on CUDA, cuda:0..K), or a list
    /// such as cuda:0,cuda:1. Each device embeds one shard; the loss sees the whole batch.
    #[arg(long)]
    devices: Option<convirt::DeviceSpec>,
    /// How data-parallel training sums across devices: all-reduce (burn's NCCL all_reduce, CUDA
    /// only) or host (through the first device, any backend). Default: all-reduce on CUDA.
    #[arg(long)]
    collective: Option<convirt::train::Collective>,
    /// The run folder.
    #[arg(long, default_value = "runs/pretrain")]
    run_dir: PathBuf,
    /// Continue the run in --run-dir from its last checkpoint. Settings that differ from the
    /// run's are refused, named, unless allowed with --allow-changed.
    #[arg(long)]
    resume: bool,
    /// With --resume: a dotted setting (e.g. train.max_steps, batch_size) that may differ from
    /// the run's own. time_budget_s and loader_threads may always change.
    #[arg(long, value_name = "KEY", requires = "resume", num_args = 1..)]
    allow_changed: Vec<String>,
    /// The laterality-aware flip: when t_v mirrors an image, its sentence gets its sides swapped
    /// (left <-> right, levo- <-> dextro-, right middle lobe <-> lingula). Off by default: the
    /// paper's t_v flips blindly. Same as --set augment.flip_swaps_sides=true.
    #[arg(long)]
    flip_swaps_sides: bool,
    /// Any setting as key=value, dotted like the TOML (train.learning_rate=3e-4).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Preset {
    Paper,
    Cpu,
}

pub(crate) fn pretrain(args: PretrainArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::pretrain::{PretrainOptions, pretrain_parallel, resume_allowing};
    use convirt::train::Collective;
    let own = args.run_dir.join("config.toml");
    let mut options = match (&args.config, args.preset) {
        (Some(path), _) => PretrainOptions::from_file(path)?,
        (None, Some(Preset::Paper)) => PretrainOptions::paper(),
        (None, Some(Preset::Cpu)) => PretrainOptions::cpu(),
        (None, None) if args.resume && own.is_file() => PretrainOptions::from_file(&own)?,
        (None, None) => PretrainOptions::paper(),
    };
    let mut overrides = args.overrides.clone();
    let quoted = |k: &str, v: &str| format!("{k}={}", toml_string(v));
    if let Some(v) = &args.data {
        overrides.push(quoted("data", v));
    }
    if let Some(v) = &args.text_model {
        overrides.push(quoted("text_model", &v.to_string_lossy()));
    }
    if let Some(v) = &args.image_weights {
        overrides.push(quoted("image_weights", &v.to_string_lossy()));
    }
    if let Some(v) = &args.arch {
        overrides.push(quoted("arch", v));
    }
    if let Some(v) = &args.objective {
        overrides.push(quoted("train.objective", v));
    }
    if args.flip_swaps_sides {
        overrides.push("augment.flip_swaps_sides=true".into());
    }
    options = options.with_overrides(&overrides)?;
    let backend = match &args.backend {
        Some(b) => b.parse::<convirt::Backend>()?,
        None => convirt::Backend::from_env()?,
    };
    let collective = args.collective.unwrap_or(match backend {
        convirt::Backend::Cuda { .. } => Collective::AllReduce,
        _ => Collective::Host,
    });
    convirt::allocator::tune_for(backend);
    let devices = match &args.devices {
        Some(spec) => spec.devices_for(backend, collective)?,
        None => vec![backend.device()?],
    };
    let run = if args.resume {
        resume_allowing(
            &options,
            &args.run_dir,
            &devices,
            collective,
            &args.allow_changed,
        )?
    } else {
        pretrain_parallel(&options, &args.run_dir, &devices, collective, false)?
    };
    let s = &run.summary;
    Ok(format!(
        "{{\"what\":\"pretrain\",\"run_dir\":{:?},\"run_id\":{:?},\"stop\":\"{:?}\",\"steps\":{},\"pairs_seen\":{},\"skipped_train\":{},\"skipped_val\":{},\"val_loss_first\":{},\"val_loss_last\":{},\"wall_s\":{:.1}}}",
        run.run_dir.display().to_string(),
        s.run_id,
        s.stop,
        s.state.step,
        s.state.pairs_seen,
        s.state.skipped_train,
        s.state.skipped_val,
        json_number(s.state.val_first),
        json_number(s.state.val_last),
        s.wall_s
    ))
}

/// A TOML string literal.
pub(crate) fn toml_string(value: &str) -> String {
    format!("{value:?}")
}

pub(crate) fn json_number(value: Option<f64>) -> String {
    value.map_or("null".into(), |v| format!("{v}"))
}
