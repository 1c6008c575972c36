//! One optimisation step of ConVIRT.

use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Int, Tensor};
use convirt_encoders::FrozenPrefixCache;
use convirt_loss::{ContrastiveLoss, ConvirtLoss, LossError};

use crate::embed::embed_pair;
use crate::{ConvirtModel, HostBatch, Objective, TrainError};
use convirt_encoders::{ImageTower, TextTower};

/// One batch of pairs: augmented images and one tokenized sentence of each report.
#[derive(Debug, Clone)]
pub struct PairBatch {
    /// `[N, C, H, W]`.
    pub images: Tensor<4>,
    /// `[N, L]` token ids.
    pub ids: Tensor<2, Int>,
    /// `[N, L]` attention mask.
    pub mask: Tensor<2, Int>,
}

/// What a step reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepLosses {
    /// The loss minimised.
    pub total: f32,
    /// Its image→text part.
    pub image_to_text: f32,
    /// Its text→image part.
    pub text_to_image: f32,
}

/// The model after a step (updated, or unchanged when the step failed) and what happened.
#[derive(Debug)]
pub struct StepOutcome<I: ImageTower, T: TextTower> {
    /// The model to continue with.
    pub model: ConvirtModel<I, T>,
    /// The step's losses, or why it was refused.
    pub result: Result<StepLosses, TrainError>,
}

/// Forward, loss, backward and one optimiser step at learning rate `lr`, on the device the batch
/// and model live on (which must carry autodiff). `step` numbers the step in errors. A NaN or
/// infinite loss is an error and the model comes back unchanged, so the last good state stays.
pub fn train_step<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    loss: &ConvirtLoss,
    batch: PairBatch,
    lr: f64,
    step: u64,
) -> StepOutcome<I, T> {
    let v = model.embed_images(batch.images);
    let u = model.embed_text(batch.ids, batch.mask);
    apply_loss(model, optimizer, loss, v, u, lr, step)
}

/// How [`host_step`] runs: the objective and its loss, the optional frozen-prefix cache, and
/// where and at which learning rate.
pub struct StepContext<'a> {
    /// What is optimised.
    pub objective: Objective,
    /// Its loss (from [`Objective::loss`]).
    pub loss: &'a dyn ContrastiveLoss,
    /// Caches BERT's frozen bottom per sentence when set (exact, and faster).
    pub cache: Option<&'a mut FrozenPrefixCache>,
    /// The autodiff device the model lives on.
    pub device: &'a Device,
    /// The learning rate of this step.
    pub lr: f64,
    /// The step's number, for errors.
    pub step: u64,
}

/// One step on a batch straight from the data path, for any [`Objective`]: ConVIRT and the
/// binary baseline embed images and sentences (through the cache when one is given), SimCLR
/// embeds the batch's two image views. Refused steps leave the model unchanged.
pub fn host_step<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    batch: &HostBatch,
    context: StepContext<'_>,
) -> StepOutcome<I, T> {
    let StepContext {
        objective,
        loss,
        cache,
        device,
        lr,
        step,
    } = context;
    let embedded = embed_pair(&model, batch, objective, cache, device)
        .map_err(|e| TrainError::Model(format!("step {step}: {e}")));
    match embedded {
        Ok((a, b)) => apply_loss(model, optimizer, loss, a, b, lr, step),
        Err(error) => StepOutcome {
            model,
            result: Err(error),
        },
    }
}

/// Loss, NaN guard, backward and the optimiser step.
fn apply_loss<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    loss: &(impl ContrastiveLoss + ?Sized),
    a: Tensor<2>,
    b: Tensor<2>,
    lr: f64,
    step: u64,
) -> StepOutcome<I, T> {
    let refuse = |model, error| StepOutcome {
        model,
        result: Err(error),
    };
    let out = match loss.forward(a, b) {
        Ok(out) => out,
        Err(LossError::NonFiniteInput { .. }) => {
            let value = f32::NAN;
            return refuse(model, TrainError::NonFiniteLoss { step, value });
        }
        Err(e) => return refuse(model, TrainError::Model(format!("step {step}: {e}"))),
    };
    let part = |t: Option<Tensor<1>>| t.map_or(f32::NAN, |t| t.detach().into_scalar());
    let losses = StepLosses {
        total: out.total.clone().detach().into_scalar(),
        image_to_text: part(out.image_to_text),
        text_to_image: part(out.text_to_image),
    };
    if !losses.total.is_finite() {
        let value = losses.total;
        return refuse(model, TrainError::NonFiniteLoss { step, value });
    }
    let grads = GradientsParams::from_grads(out.total.backward(), &model);
    StepOutcome {
        model: optimizer.step(lr, model, grads),
        result: Ok(losses),
    }
}

/// The optimiser step on computed gradients, or the step's error with the model unchanged.
pub(crate) fn apply_gradients<I: ImageTower, T: TextTower>(
    model: ConvirtModel<I, T>,
    optimizer: &mut ModuleOptimizer,
    lr: f64,
    gradients: Result<(GradientsParams, StepLosses), TrainError>,
) -> StepOutcome<I, T> {
    match gradients {
        Ok((grads, reported)) => StepOutcome {
            model: optimizer.step(lr, model, grads),
            result: Ok(reported),
        },
        Err(error) => StepOutcome {
            model,
            result: Err(error),
        },
    }
}
