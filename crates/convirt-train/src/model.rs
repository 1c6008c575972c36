//! ConVIRT's model: the two towers and their heads.

use burn::config::Config;
use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Int, Tensor};
use convirt_encoders::{ImageTower, MlpProjection, MlpProjectionConfig, Projection, TextTower};

use crate::TrainError;

/// The heads' settings; the towers come built (random, or loaded with
/// `convirt_encoders::weights`).
#[derive(Config, Debug)]
pub struct ConvirtModelConfig {
    /// Embedding size of v and u (the paper: 512).
    #[config(default = 512)]
    pub embed_dim: usize,
    /// Text-tower layers frozen with the embeddings (the paper: 6 of 12 of BERT); a tower
    /// without frozen-layer support takes only 0 (see `TextEncoder::freeze_bottom`).
    #[config(default = 6)]
    pub frozen_layers: usize,
    /// BatchNorm inside both heads (see `MlpProjectionConfig::batch_norm`); the paper has none.
    #[config(default = false)]
    pub head_batch_norm: bool,
}

impl ConvirtModelConfig {
    /// Joins any two towers with fresh heads g_v (feature → feature → d) and g_u
    /// (hidden → hidden → d), and freezes the text tower's embeddings and bottom layers. Errors
    /// when more layers are frozen than the text tower has, or any when it cannot freeze.
    pub fn init<I: ImageTower, T: TextTower>(
        &self,
        image: I,
        text: T,
        device: &Device,
    ) -> Result<ConvirtModel<I, T>, TrainError> {
        let (fv, fu) = (image.feature_dim(), text.feature_dim());
        let text = text
            .freeze_bottom(self.frozen_layers)
            .map_err(|e| TrainError::Model(e.to_string()))?;
        let model = ConvirtModel {
            image,
            text,
            image_head: MlpProjectionConfig::new(fv, fv)
                .with_output(self.embed_dim)
                .with_batch_norm(self.head_batch_norm)
                .init(device),
            text_head: MlpProjectionConfig::new(fu, fu)
                .with_output(self.embed_dim)
                .with_batch_norm(self.head_batch_norm)
                .init(device),
            frozen_layers: self.frozen_layers,
        };
        // burn draws a parameter's initial values lazily, at its first use; draw them now, so the
        // weights follow the random state at init and not whatever a training step seeds later.
        model.visit(&mut DrawNow);
        Ok(model)
    }
}

/// Touches every parameter, drawing lazily initialised values.
struct DrawNow;

impl ModuleVisitor for DrawNow {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let _ = param.val();
    }
}

/// v = g_v(f_v(x̃_v)) and u = g_u(f_u(x̃_u)), for any image tower `I` and text tower `T`
/// (ConVIRT's: ResNet50 and BERT, in `convirt_encoders`).
///
/// Everything downstream (the trainer, the feature cache, data parallel, checkpoints, embedding
/// and the evaluation protocols) takes a `ConvirtModel<I, T>` of any towers.
#[derive(Module, Debug)]
pub struct ConvirtModel<I: Module, T: Module> {
    /// f_v.
    pub image: I,
    /// f_u.
    pub text: T,
    /// g_v.
    pub image_head: MlpProjection,
    /// g_u.
    pub text_head: MlpProjection,
    /// Text-tower layers frozen with the embeddings.
    pub frozen_layers: usize,
}

impl<I: ImageTower, T: TextTower> ConvirtModel<I, T> {
    /// Image embeddings v: `[N, C, H, W]` → `[N, d]`.
    pub fn embed_images(&self, images: Tensor<4>) -> Tensor<2> {
        self.image_head.project(self.image.encode_images(images))
    }

    /// Text embeddings u: ids and mask `[N, L]` → `[N, d]`.
    pub fn embed_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2> {
        self.text_head.project(self.text.encode_text(ids, mask))
    }

    /// What the two towers are, as checkpoints record it (`resnet50(in=1)`,
    /// `bert(layers=12,hidden=768)`): a checkpoint loads only into towers that describe
    /// themselves the same way.
    pub fn towers(&self) -> TowerSpec {
        TowerSpec {
            image: self.image.describe(),
            text: self.text.describe(),
        }
    }
}

/// The two towers of a model, as their `describe` gives them; checkpoints record it in their
/// manifest and refuse to load into other towers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TowerSpec {
    /// f_v, e.g. `resnet50(in=1)`.
    pub image: String,
    /// f_u, e.g. `bert(layers=12,hidden=768)`.
    pub text: String,
}

impl std::fmt::Display for TowerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} + {}", self.image, self.text)
    }
}
