//! One pretraining run, from settings and a model of any towers to a trained one: loaders, the
//! loop, the run folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use burn::tensor::Device;
use convirt_augment::TensorLayout;
use convirt_data::{ImageChoice, PairLoader, PairLoaderConfig, SkipPolicy, Split, ThreadBudget};
use convirt_encoders::{ImageTower, TextTower};
use convirt_text_sampler::{FullReport, SentenceSampler, TextSampler, TextTokenizer, assets};
use convirt_train::{Collective, ConvirtModel, ConvirtModelConfig, StopReason, Summary, Trainer};

use crate::{
    DataSource, LoaderSource, PretrainError, PretrainOptions, Progress, TextUnit, check_resume,
    received_signal,
};

/// What a run hands back: the trained model `M` (a [`ConvirtModel`] of any towers, from
/// [`pretrain_model`]; the root crate's built-in towers have a model of their own), the summary
/// and the folder.
#[derive(Debug)]
pub struct Pretrained<M> {
    /// The trained model (on the training device).
    pub model: M,
    /// How the run went.
    pub summary: Summary,
    /// The run folder.
    pub run_dir: PathBuf,
}

/// The BERT checkpoint folder: the given one, or the MiniLM in the assets folder.
pub fn text_model_dir(options: &PretrainOptions) -> Result<PathBuf, PretrainError> {
    match &options.text_model {
        Some(dir) => Ok(dir.clone()),
        None => Ok(assets::require(assets::MINILM)?),
    }
}

/// The tokenizer of the text model, cutting at `options.seq_len`.
pub fn tokenizer(options: &PretrainOptions) -> Result<TextTokenizer, PretrainError> {
    let path = text_model_dir(options)?.join("tokenizer.json");
    Ok(TextTokenizer::from_file(&path)?.with_max_len(options.seq_len)?)
}

/// A fresh model for `options` of any two towers: new heads, the text tower's bottom frozen
/// (`options.frozen_layers`).
pub fn join_towers<I: ImageTower, T: TextTower>(
    options: &PretrainOptions,
    image: I,
    text: T,
    device: &Device,
) -> Result<ConvirtModel<I, T>, PretrainError> {
    Ok(ConvirtModelConfig::new()
        .with_embed_dim(options.embed_dim)
        .with_frozen_layers(options.frozen_layers)
        .with_head_batch_norm(options.head_batch_norm)
        .init(image, text, device)?)
}

/// The image layout the towers expect: ImageNet's 3 channels with pretrained weights, else gray.
pub fn layout(options: &PretrainOptions) -> TensorLayout {
    if options.image_weights.is_some() {
        TensorLayout::imagenet()
    } else {
        TensorLayout::gray()
    }
}

/// The training loader's settings: batch size, seed, loader threads (the thread budget's share
/// unless set), [`layout`], skipping and counting bad input, two views for SimCLR, and the
/// laterality-aware flip when `augment.flip_swaps_sides` is on.
///
/// ```
/// use convirt_pretrain::{PretrainOptions, loader_config};
/// let mut options = PretrainOptions::cpu();
/// assert!(!loader_config(&options).flip_swaps_sides);
/// options.augment.flip_swaps_sides = true;
/// assert!(loader_config(&options).flip_swaps_sides);
/// ```
pub fn loader_config(options: &PretrainOptions) -> PairLoaderConfig {
    let threads = options
        .loader_threads
        .unwrap_or(ThreadBudget::detect().loader);
    PairLoaderConfig {
        batch_size: options.batch_size,
        seed: options.train.seed,
        threads,
        prefetch: threads + 1,
        layout: layout(options),
        skip_policy: SkipPolicy::SkipAndCount,
        two_views: options.train.objective.needs_two_views(),
        flip_swaps_sides: options.augment.flip_swaps_sides,
        ..PairLoaderConfig::default()
    }
}

/// The training and validation loaders ([`loader_config`]): the run's t_v
/// ([`PretrainOptions::augment`], blur scaled to the output size; with `augment.flip_swaps_sides`,
/// a mirrored view's sentence has its sides swapped) and one sampled sentence per report, both
/// seeded by the run's seed; validation always draws epoch 0, so its loss is comparable from one
/// validation to the next. An unreadable image or a report without text is
/// skipped and counted (`SkipPolicy::SkipAndCount`): the count and the first errors appear in
/// `metrics.jsonl` and on the console at the end of each epoch.
pub fn loaders(
    options: &PretrainOptions,
    data: &DataSource,
) -> Result<(LoaderSource, LoaderSource), PretrainError> {
    let tokenizer = Arc::new(tokenizer(options)?);
    let augment = Arc::new(options.augment.build(options.image_size)?);
    let sampler: Arc<dyn TextSampler> = match options.text_unit {
        TextUnit::Sentence => Arc::new(SentenceSampler::new(options.train.seed)),
        TextUnit::Report => Arc::new(FullReport),
    };
    let config = loader_config(options);
    let train = data.examples(Split::Train)?;
    let mut val = data.examples(Split::Validate)?;
    if let Some(cap) = options.val_pairs {
        val.truncate(cap);
    }
    let train = PairLoader::new(
        train,
        augment.clone(),
        sampler.clone(),
        tokenizer.clone(),
        config.clone(),
    )?;
    let val = PairLoader::new(
        val,
        augment,
        sampler,
        tokenizer,
        PairLoaderConfig {
            shuffle: false,
            image_choice: ImageChoice::First,
            ..config
        },
    )?;
    Ok((LoaderSource::new(train), LoaderSource::new(val)))
}

/// Pretrains a model of any towers, e.g. ones of your own, as `options` say: `model` (made with
/// [`join_towers`]) is trained with the run's loaders ([`loaders`]) and convirt-train's loop in
/// `run_dir`, on `device` (autodiff is added). `resume`: `None` starts a fresh run; `Some(keys)`
/// continues the run's last checkpoint, allowing the settings `keys` (`"train.max_steps"`) to
/// differ from the run's own (besides [`ALWAYS_ALLOWED`](crate::ALWAYS_ALLOWED)).
///
/// Everything is checked before anything is written: the settings, the run folder (locked; a
/// fresh run refuses a folder holding an earlier one), on resume the settings against the run's
/// own ([`check_resume`]) and the checkpoint against its manifest, which records the towers: a
/// resume into other towers is refused. The resolved settings are saved as `run_dir/config.toml`
/// and in every checkpoint, and at the end the loss curve as `run_dir/loss.png`. SIGINT or
/// SIGTERM checkpoint the run at the next step boundary and end it with
/// [`PretrainError::Interrupted`]. `options.arch` and `options.image_weights` are not used: the
/// towers are the model's.
pub fn pretrain_model<I: ImageTower, T: TextTower>(
    options: &PretrainOptions,
    model: ConvirtModel<I, T>,
    run_dir: &Path,
    device: &Device,
    resume: Option<&[String]>,
) -> Result<Pretrained<ConvirtModel<I, T>>, PretrainError> {
    let devices = std::slice::from_ref(device);
    pretrain_model_parallel(options, model, run_dir, devices, Collective::Host, resume)
}

/// [`pretrain_model`] data-parallel over `devices` (the first holds the main model; each gets
/// one shard of every batch, the loss sees the whole batch), summing across them with
/// `collective`.
pub fn pretrain_model_parallel<I: ImageTower, T: TextTower>(
    options: &PretrainOptions,
    model: ConvirtModel<I, T>,
    run_dir: &Path,
    devices: &[Device],
    collective: Collective,
    resume: Option<&[String]>,
) -> Result<Pretrained<ConvirtModel<I, T>>, PretrainError> {
    check_run(options, run_dir, resume)?;
    let device = devices
        .first()
        .ok_or_else(|| PretrainError::Config("no device to train on".into()))?;
    let data: DataSource = options.data.parse()?;
    let budget = match options.time_budget_s {
        Some(s) => Some(
            Duration::try_from_secs_f64(s)
                .map_err(|e| PretrainError::Config(format!("time_budget_s = {s}: {e}")))?,
        ),
        None => None,
    };
    let device = device.clone().autodiff();
    let (train, val) = loaders(options, &data)?;
    let train_allowed = resume
        .unwrap_or(&[])
        .iter()
        .filter_map(|key| key.strip_prefix("train."))
        .map(str::to_string);
    let trainer = Trainer::new(options.train.clone(), run_dir, device)?
        .with_data_parallel(devices.to_vec(), collective)?
        .with_run_file("config.toml", options.to_toml()?.into_bytes())
        .allow_changed(train_allowed);
    let mut progress = Progress::new(budget);
    let (model, summary) =
        trainer.fit(model, &train, Some(&val), resume.is_some(), &mut progress)?;
    crate::plot_loss_curve(run_dir)?;
    if summary.stop == StopReason::Interrupted
        && let Some(signal) = received_signal()
    {
        return Err(PretrainError::Interrupted {
            signal,
            step: summary.state.step,
            run_dir: run_dir.to_path_buf(),
        });
    }
    Ok(Pretrained {
        model,
        summary,
        run_dir: run_dir.to_path_buf(),
    })
}

/// The settings, and on resume the settings against the run's own: what is checked before a
/// model is built.
pub fn check_run(
    options: &PretrainOptions,
    run_dir: &Path,
    resume: Option<&[String]>,
) -> Result<(), PretrainError> {
    options.validate()?;
    if let Some(allowed) = resume {
        check_resume(run_dir, options, allowed)?;
    }
    Ok(())
}
