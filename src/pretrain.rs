//! `convirt pretrain`: everything of [`convirt_pretrain`] (settings, data sources, loaders, the
//! run on a model of any towers), plus the run on the built-in towers that `arch` names
//! ([`crate::towers`]): [`model`], [`initial_model`], [`pretrain`], [`load_run`].

use std::path::Path;

use burn::tensor::Device;
use convirt_encoders::Bert;
use convirt_encoders::weights::load_bert;
use convirt_train::checkpoint::read_model;
use convirt_train::{Collective, ConvirtModel, Which};

pub use convirt_pretrain::*;

use crate::towers::{BuiltinImage, BuiltinModel, Family};

/// The text tower, on `device`: the BERT checkpoint, pooled over tokens as
/// `options.text_pooling` says (max in the paper).
pub fn text_tower(options: &PretrainOptions, device: &Device) -> Result<Bert, PretrainError> {
    let (text, _) = load_bert(&text_model_dir(options)?, device)?;
    Ok(text.with_pooling(options.text_pooling))
}

/// A fresh model of the built-in image tower `I` ([`BuiltinImage::build`]) and BERT.
pub fn model_with<I: BuiltinImage>(
    options: &PretrainOptions,
    device: &Device,
) -> Result<ConvirtModel<I, Bert>, PretrainError> {
    let image = I::build(options, device)?;
    join_towers(options, image, text_tower(options, device)?, device)
}

/// A fresh model for `options`: the image tower `options.arch` names (`image_weights` if
/// given), BERT, new heads, the bottom of BERT frozen.
pub fn model(options: &PretrainOptions, device: &Device) -> Result<BuiltinModel, PretrainError> {
    use convirt_encoders::{DenseNet, ResNet, VisionTransformer};
    Ok(match Family::of(&options.arch)? {
        Family::ResNet => model_with::<ResNet>(options, device)?.into(),
        Family::DenseNet => model_with::<DenseNet>(options, device)?.into(),
        Family::Vit => model_with::<VisionTransformer>(options, device)?.into(),
    })
}

/// The model a run with `options` starts from: the device's generator seeded with
/// `train.seed`, then [`model`] on the autodiff device. `pretrain` trains exactly this model, so
/// it is also the untrained baseline of a run (the demo's and `compare`'s random init).
pub fn initial_model(
    options: &PretrainOptions,
    device: &Device,
) -> Result<BuiltinModel, PretrainError> {
    let device = device.clone().autodiff();
    device.seed(options.train.seed);
    model(options, &device)
}

/// Pretrains the built-in towers `options.arch` names, from [`initial_model`], as
/// [`pretrain_model`] does: in `run_dir` (continuing its last checkpoint with `resume`), on
/// `device` (autodiff is added), everything checked before anything is written.
pub fn pretrain(
    options: &PretrainOptions,
    run_dir: &Path,
    device: &Device,
    resume: bool,
) -> Result<Pretrained<BuiltinModel>, PretrainError> {
    pretrain_parallel(
        options,
        run_dir,
        std::slice::from_ref(device),
        Collective::Host,
        resume,
    )
}

/// [`pretrain`] data-parallel over `devices` (the first holds the main model; each gets one
/// shard of every batch, the loss sees the whole batch), summing across them with `collective`.
pub fn pretrain_parallel(
    options: &PretrainOptions,
    run_dir: &Path,
    devices: &[Device],
    collective: Collective,
    resume: bool,
) -> Result<Pretrained<BuiltinModel>, PretrainError> {
    run(options, run_dir, devices, collective, resume.then_some(&[]))
}

/// Resumes the run in `run_dir` with `options`, which may differ from the run's own settings in
/// the dotted keys `allowed` (`--resume --allow-changed KEY…`), besides
/// [`ALWAYS_ALLOWED`].
pub fn resume_allowing(
    options: &PretrainOptions,
    run_dir: &Path,
    devices: &[Device],
    collective: Collective,
    allowed: &[String],
) -> Result<Pretrained<BuiltinModel>, PretrainError> {
    run(options, run_dir, devices, collective, Some(allowed))
}

fn run(
    options: &PretrainOptions,
    run_dir: &Path,
    devices: &[Device],
    collective: Collective,
    resume: Option<&[String]>,
) -> Result<Pretrained<BuiltinModel>, PretrainError> {
    let device = devices
        .first()
        .ok_or_else(|| PretrainError::Config("no device to train on".into()))?;
    // The settings first: a refused command builds nothing and writes nothing.
    check_run(options, run_dir, resume)?;
    // The initial weights follow the run's seed, so the same seed starts every objective from
    // the same encoder (and `compare`'s random-init baseline is that encoder untrained).
    let model = initial_model(options, device)?;
    crate::with_model!(model, |m| {
        let run = pretrain_model_parallel(options, m, run_dir, devices, collective, resume)?;
        Ok(Pretrained {
            model: BuiltinModel::from(run.model),
            summary: run.summary,
            run_dir: run.run_dir,
        })
    })
}

/// The settings and model of the run in `run_dir`, from checkpoint `which` (last or best), on
/// `device`. The checkpoint is verified against its manifest first, and its settings rebuild
/// the model of the built-in towers they name ([`run_checkpoint`]).
pub fn load_run(
    run_dir: &Path,
    which: Which,
    device: &Device,
) -> Result<(PretrainOptions, BuiltinModel), PretrainError> {
    let (options, folder) = run_checkpoint(run_dir, which)?;
    let fresh = model(&options, device)?;
    let path = folder.join("model.bpk");
    let trained: BuiltinModel =
        crate::with_model!(fresh, |m| BuiltinModel::from(read_model(m, &path)?));
    Ok((options, trained))
}
