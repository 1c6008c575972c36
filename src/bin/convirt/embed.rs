//! `convirt embed`: a trained run's embeddings of images or sentences, as safetensors.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::common::{WhichArg, device_for};

#[derive(clap::Args)]
pub(crate) struct EmbedArgs {
    /// The run folder of `convirt pretrain`.
    #[arg(long)]
    run_dir: PathBuf,
    /// Which checkpoint.
    #[arg(long, value_enum, default_value_t = WhichArg::Best)]
    checkpoint: WhichArg,
    /// A folder of images (PNG, JPEG, DICOM; searched recursively).
    #[arg(long, conflicts_with = "texts", required_unless_present = "texts")]
    images: Option<PathBuf>,
    /// A text file, one sentence per line.
    #[arg(long)]
    texts: Option<PathBuf>,
    /// Images: the pooled h_v or the projected v (texts are always projected).
    #[arg(long, value_enum, default_value_t = SpaceArg::Projected)]
    space: SpaceArg,
    /// The output .safetensors file.
    #[arg(long)]
    out: PathBuf,
    /// flex, tch, wgpu, wgpu:cpu, cuda[:N] (default: $CONVIRT_BACKEND or flex).
    #[arg(long)]
    backend: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SpaceArg {
    Pooled,
    Projected,
}

pub(crate) fn embed(args: EmbedArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::embed::{ImageSpace, embed_images, embed_texts};
    use convirt::pretrain::{layout, load_run, tokenizer};
    let device = device_for(&args.backend)?;
    let (options, model) = load_run(&args.run_dir, args.checkpoint.into(), &device)?;
    let (names, embeddings) = match (&args.images, &args.texts) {
        (Some(dir), _) => {
            let files = convirt::embed::image_files(dir)?;
            let space = match args.space {
                SpaceArg::Pooled => ImageSpace::Pooled,
                SpaceArg::Projected => ImageSpace::Projected,
            };
            let layout = layout(&options);
            let e = convirt::with_model!(&model, |m| embed_images(
                m,
                &files,
                options.image_size,
                &layout,
                space,
                64,
                &device,
            ))?;
            (
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>(),
                e,
            )
        }
        (None, Some(file)) => {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let lines: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            let tokenizer = tokenizer(&options)?;
            let e =
                convirt::with_model!(&model, |m| embed_texts(m, &tokenizer, &lines, 64, &device))?;
            (lines, e)
        }
        (None, None) => return Err("give --images DIR or --texts FILE".into()),
    };
    let bytes: Vec<u8> = embeddings
        .data
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    let view = safetensors::tensor::TensorView::new(
        safetensors::Dtype::F32,
        vec![embeddings.rows, embeddings.dim],
        &bytes,
    )?;
    let mut metadata = std::collections::HashMap::new();
    metadata.insert("rows".to_string(), serde_json::to_string(&names)?);
    // Serialised in memory and published by rename: a failed write leaves no partial file.
    let bytes = safetensors::serialize([("embeddings", view)], Some(metadata))?;
    convirt::train::run_folder::write_atomically(&args.out, &bytes)?;
    Ok(format!(
        "{{\"what\":\"embed\",\"rows\":{},\"dim\":{},\"out\":{:?}}}",
        embeddings.rows,
        embeddings.dim,
        args.out.display().to_string()
    ))
}
