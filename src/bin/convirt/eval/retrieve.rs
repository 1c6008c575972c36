//! `convirt eval retrieve`: zero-shot image→image and text→image Precision@k.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::embed::SpaceArg;
use crate::eval::*;

#[derive(clap::Args)]
pub(crate) struct RetrieveArgs {
    /// The model: a run's checkpoint, or its architecture untrained.
    #[command(flatten)]
    model: ModelArgs,
    /// The folder holding candidate.csv and query.csv.
    #[arg(long)]
    set: PathBuf,
    /// The category columns: SynthCXR's seven or CheXpert's 8×200 eight.
    #[arg(long, value_enum, default_value_t = CategoriesArg::Synthcxr)]
    categories: CategoriesArg,
    /// Text queries (`Variable,Text`).
    #[arg(long)]
    text_queries: Option<PathBuf>,
    /// Image→image in the pooled h_v or the projected v (text→image always uses projections).
    #[arg(long, value_enum, default_value_t = SpaceArg::Projected)]
    space: SpaceArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CategoriesArg {
    /// SynthCXR v1's seven categories.
    Synthcxr,
    /// SynthCXR v2's eight retrieval categories.
    SynthcxrV2,
    /// CheXpert's 8×200 protocol.
    Chexpert8x200,
}

pub(crate) fn retrieve(args: RetrieveArgs) -> Result<String, Box<dyn std::error::Error>> {
    use convirt::embed::ImageSpace;
    use convirt::pretrain::{layout, tokenizer};
    use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
    let (device, options, net) = args.model.load()?;
    let names: Vec<&str> = match args.categories {
        CategoriesArg::Synthcxr => convirt::data::synth::Family::NAMES.to_vec(),
        CategoriesArg::SynthcxrV2 => convirt::data::synth::v2::jobs::retrieval_names(),
        CategoriesArg::Chexpert8x200 => convirt::data::CHEXPERT_8X200.to_vec(),
    };
    let set = RetrievalSet::read(&args.set, &names, args.text_queries.as_deref())?;
    let config = RetrievalConfig {
        size: options.image_size,
        layout: layout(&options),
        image_space: match args.space {
            SpaceArg::Pooled => ImageSpace::Pooled,
            SpaceArg::Projected => ImageSpace::Projected,
        },
        ks: vec![5, 10, 50],
        batch: 64,
    };
    let tokenizer = tokenizer(&options)?;
    let scores = convirt::with_model!(&net, |m| evaluate(m, &set, &tokenizer, &config, &device))?;
    let report = |r: &convirt::eval::RetrievalReport| serde_json::json!({"p5": r.mean[0], "p10": r.mean[1], "p50": r.mean[2], "chance": r.mean_chance});
    Ok(serde_json::json!({
        "what": "retrieval",
        "init": args.model.init_name(),
        "image_image": report(&scores.image_image),
        "text_image": scores.text_image.as_ref().map(report),
    })
    .to_string())
}
