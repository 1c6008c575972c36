//! The registry of built-in towers: the architecture names a run's `arch` setting takes, and
//! the model of whichever tower it names.
//!
//! The model, the trainer and every protocol are generic over their towers
//! ([`ConvirtModel<I, T>`](convirt_train::ConvirtModel)); a Rust user passes towers of their own
//! straight to them (`examples/custom_encoder.rs`). The command line picks a built-in image tower
//! by name at run time, so it holds a [`BuiltinModel`]: one variant per built-in image tower,
//! each the generic model at that tower, and [`with_model!`](crate::with_model) runs generic
//! code on whichever it is. This file and `convirt-encoders` are the only places that name the
//! built-in towers.
//!
//! | `arch` | image tower | features |
//! |---|---|---|
//! | `resnet18`, `resnet34`, `resnet50` | [`ResNet`] | 512, 512, 2048 |
//! | `densenet121`, `densenet169` | [`DenseNet`] | 1024, 1664 |
//! | `vit_b_16`, `vit_b_32` | [`VisionTransformer`] (class token) | 768 |
//!
//! The text tower is always a Hugging Face BERT checkpoint ([`Bert`]).

use std::path::Path;

use burn::tensor::Device;
use burn_store::{BurnpackStore, ModuleSnapshot};
use convirt_encoders::weights::{
    export_bert, export_densenet, export_resnet, export_vit, load_densenet_weights,
    load_resnet_weights, load_vit_weights,
};
use convirt_encoders::{
    Bert, DenseNet, DenseNetConfig, EncoderError, ImageTower, ResNet, ResNetConfig,
    VisionTransformer, VitConfig,
};
use convirt_train::ConvirtModel;

use crate::pretrain::{PretrainError, PretrainOptions};

/// Every name `arch` takes.
pub const ARCHITECTURES: &[&str] = &[
    "resnet18",
    "resnet34",
    "resnet50",
    "densenet121",
    "densenet169",
    "vit_b_16",
    "vit_b_32",
];

/// A built-in image tower: built from a run's settings (random, gray input; or from
/// `image_weights`, torchvision's, with 3 channels), and exported under torchvision's names.
pub trait BuiltinImage: ImageTower + Sized {
    /// The tower `options.arch` names, on `device`.
    fn build(options: &PretrainOptions, device: &Device) -> Result<Self, PretrainError>;
    /// Writes the tower as safetensors under torchvision's parameter names.
    fn export(&self, path: &Path) -> Result<(), EncoderError>;
}

/// `convirt export`: the image tower (torchvision names), the text tower (Hugging Face names)
/// and the two heads (burnpack) into the folder `out`.
pub fn export_model<I: BuiltinImage>(
    model: &ConvirtModel<I, Bert>,
    out: &Path,
) -> Result<(), PretrainError> {
    model.image.export(&out.join("image_encoder.safetensors"))?;
    export_bert(&model.text, &out.join("text_encoder.safetensors"))?;
    for (name, head) in [
        ("image_head", &model.image_head),
        ("text_head", &model.text_head),
    ] {
        let path = out.join(format!("{name}.bpk"));
        let mut store = BurnpackStore::from_file(&path)
            .auto_extension(false)
            .overwrite(true);
        head.save_into(&mut store)
            .map_err(|e| PretrainError::io(&path, e))?;
    }
    Ok(())
}

/// Input channels: ImageNet's 3 with pretrained weights, else gray.
fn channels(options: &PretrainOptions) -> usize {
    if options.image_weights.is_some() {
        3
    } else {
        1
    }
}

impl BuiltinImage for ResNet {
    fn export(&self, path: &Path) -> Result<(), EncoderError> {
        export_resnet(self, path)
    }

    fn build(options: &PretrainOptions, device: &Device) -> Result<Self, PretrainError> {
        let net = ResNetConfig::by_name(&options.arch)?
            .with_in_channels(channels(options))
            .init(device);
        Ok(match &options.image_weights {
            Some(path) => load_resnet_weights(net, path)?.0,
            None => net,
        })
    }
}

impl BuiltinImage for DenseNet {
    fn export(&self, path: &Path) -> Result<(), EncoderError> {
        export_densenet(self, path)
    }

    fn build(options: &PretrainOptions, device: &Device) -> Result<Self, PretrainError> {
        let net = DenseNetConfig::by_name(&options.arch)?
            .with_in_channels(channels(options))
            .init(device);
        Ok(match &options.image_weights {
            Some(path) => load_densenet_weights(net, path)?.0,
            None => net,
        })
    }
}

impl BuiltinImage for VisionTransformer {
    fn export(&self, path: &Path) -> Result<(), EncoderError> {
        export_vit(self, path)
    }

    fn build(options: &PretrainOptions, device: &Device) -> Result<Self, PretrainError> {
        let net = VitConfig::by_name(&options.arch)?
            .with_image_size(options.image_size)
            .with_in_channels(channels(options))
            .init(device)?;
        Ok(match &options.image_weights {
            Some(path) => load_vit_weights(net, path)?.0,
            None => net,
        })
    }
}

/// The family of a built-in architecture name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `resnet18/34/50`.
    ResNet,
    /// `densenet121/169`.
    DenseNet,
    /// `vit_b_16/32`.
    Vit,
}

impl Family {
    /// The family `arch` belongs to; an unknown name is an error listing the known ones.
    ///
    /// ```
    /// use convirt::towers::Family;
    /// assert_eq!(Family::of("densenet121").unwrap(), Family::DenseNet);
    /// assert!(Family::of("vgg16").unwrap_err().to_string().contains("vit_b_16"));
    /// ```
    pub fn of(arch: &str) -> Result<Self, PretrainError> {
        match arch {
            "resnet18" | "resnet34" | "resnet50" => Ok(Self::ResNet),
            "densenet121" | "densenet169" => Ok(Self::DenseNet),
            "vit_b_16" | "vit_b_32" => Ok(Self::Vit),
            other => Err(PretrainError::Config(format!(
                "unknown architecture '{other}': expected one of {}",
                ARCHITECTURES.join(", ")
            ))),
        }
    }
}

/// A model of built-in towers, whichever image tower the run's `arch` names: each variant is
/// the generic [`ConvirtModel`] at one tower. Use [`with_model!`](crate::with_model) to run
/// generic code on it.
// A model is made and moved a handful of times per run; its tensors live behind handles, so the
// variants' inline sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum BuiltinModel {
    /// ResNet18/34/50 + BERT.
    ResNet(ConvirtModel<ResNet, Bert>),
    /// DenseNet121/169 + BERT.
    DenseNet(ConvirtModel<DenseNet, Bert>),
    /// ViT-B/16 or B/32 + BERT.
    Vit(ConvirtModel<VisionTransformer, Bert>),
}

impl From<ConvirtModel<ResNet, Bert>> for BuiltinModel {
    fn from(model: ConvirtModel<ResNet, Bert>) -> Self {
        Self::ResNet(model)
    }
}

impl From<ConvirtModel<DenseNet, Bert>> for BuiltinModel {
    fn from(model: ConvirtModel<DenseNet, Bert>) -> Self {
        Self::DenseNet(model)
    }
}

impl From<ConvirtModel<VisionTransformer, Bert>> for BuiltinModel {
    fn from(model: ConvirtModel<VisionTransformer, Bert>) -> Self {
        Self::Vit(model)
    }
}

/// Runs a generic expression on a [`BuiltinModel`], binding the model inside (by value, or by
/// reference when given `&model`) to a name:
///
/// ```
/// use burn::module::Module;
/// use convirt::encoders::ImageEncoder;
/// use convirt::towers::BuiltinModel;
///
/// fn feature_size(model: &BuiltinModel) -> usize {
///     convirt::with_model!(model, |m| m.image.feature_dim())
/// }
/// fn for_evaluation(model: BuiltinModel) -> BuiltinModel {
///     convirt::with_model!(model, |m| BuiltinModel::from(m.valid()))
/// }
/// # let _ = (feature_size, for_evaluation);
/// ```
#[macro_export]
macro_rules! with_model {
    ($model:expr, |$m:ident| $body:expr) => {
        match $model {
            $crate::towers::BuiltinModel::ResNet($m) => $body,
            $crate::towers::BuiltinModel::DenseNet($m) => $body,
            $crate::towers::BuiltinModel::Vit($m) => $body,
        }
    };
}
