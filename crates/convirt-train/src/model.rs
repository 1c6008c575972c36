//! ConVIRT's model: the two towers and their heads.

use burn::config::Config;
use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Device, Int, Tensor};
use convirt_encoders::{
    Bert, ImageEncoder, MlpProjection, MlpProjectionConfig, Projection, ResNet, TextEncoder,
};

use crate::TrainError;

/// The heads' settings; the towers come built (random, or loaded with
/// `convirt_encoders::weights`).
#[derive(Config, Debug)]
pub struct ConvirtModelConfig {
    /// Embedding size of v and u (the paper: 512).
    #[config(default = 512)]
    pub embed_dim: usize,
    /// BERT layers frozen with the embeddings (the paper: 6 of 12).
    #[config(default = 6)]
    pub frozen_layers: usize,
    /// BatchNorm inside both heads (see `MlpProjectionConfig::batch_norm`); the paper has none.
    #[config(default = false)]
    pub head_batch_norm: bool,
}

impl ConvirtModelConfig {
    /// Joins the towers with fresh heads g_v (feature → feature → d) and g_u (hidden → hidden → d),
    /// and freezes BERT's embeddings and bottom layers. Errors when more layers are frozen than
    /// BERT has.
    pub fn init(
        &self,
        image: ResNet,
        text: Bert,
        device: &Device,
    ) -> Result<ConvirtModel, TrainError> {
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

/// v = g_v(f_v(x̃_v)) and u = g_u(f_u(x̃_u)).
#[derive(Module, Debug)]
pub struct ConvirtModel {
    /// f_v.
    pub image: ResNet,
    /// f_u.
    pub text: Bert,
    /// g_v.
    pub image_head: MlpProjection,
    /// g_u.
    pub text_head: MlpProjection,
    /// BERT layers frozen with the embeddings.
    pub frozen_layers: usize,
}

impl ConvirtModel {
    /// Image embeddings v: `[N, C, H, W]` → `[N, d]`.
    pub fn embed_images(&self, images: Tensor<4>) -> Tensor<2> {
        self.image_head.project(self.image.encode_images(images))
    }

    /// Text embeddings u: ids and mask `[N, L]` → `[N, d]`.
    pub fn embed_text(&self, ids: Tensor<2, Int>, mask: Tensor<2, Int>) -> Tensor<2> {
        self.text_head.project(self.text.encode_text(ids, mask))
    }
}
