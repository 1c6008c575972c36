//! The fine-tuning protocol: the image encoder f_v with a fresh linear classifier on top, all
//! trained together for a fixed step budget on 1/10/100 % of the training labels (the same
//! nested, stratified subsets as the linear probe), then mean AUROC on the test split.
//!
//! Each run starts from the same encoder weights. Images are decoded and resized once (the
//! evaluation transform, no augmentation); batches are drawn per step from a generator keyed by
//! the seed, so a run is reproducible. The loss is the mean binary cross-entropy over labels.

use crate::{Matrix, combination_strata, mean_auroc, mean_sd, nested_subsets};
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData};
use convirt_augment::Image;
use convirt_encoders::{ImageTower, TextTower};
use convirt_train::ConvirtModel;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::protocol::probe::{FirstSeed, ProbeError, ProbeImages, ProbeSet, ProbeSettings};

/// How fine-tuning runs, beyond the probe's settings (fractions, seeds, size, layout, batch).
#[derive(Debug, Clone)]
pub struct FinetuneSettings {
    /// Label fractions, seeds, image size and layout, evaluation batch.
    pub probe: ProbeSettings,
    /// Optimiser steps per run.
    pub steps: usize,
    /// Training examples per step (capped by the subset's size).
    pub batch: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
}

/// One fraction's fine-tuning result over the seeds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FinetuneFraction {
    /// The fraction, in percent.
    pub percent: f64,
    /// Training examples in the subset.
    pub examples: usize,
    /// Mean AUROC of each seed.
    pub seeds: Vec<f64>,
    /// Their mean.
    pub mean: f64,
    /// Their standard deviation (`None` for one seed).
    pub sd: Option<f64>,
    /// The first seed's training loss at the first and the last step.
    pub loss_first_last: [f32; 2],
    /// Parameter tensors that received a gradient (the encoder's and the classifier's).
    pub trained_tensors: usize,
    /// The first seed's AUROC per label.
    pub per_label: Vec<f64>,
    /// The 95 % bootstrap interval over the test set of the first seed's mean AUROC (`None`
    /// without bootstrap, `probe.bootstrap = 0`).
    pub mean_ci95: Option<[f64; 2]>,
    /// The first seed's test scores (logits), row-major `[test images, labels]`; not serialised.
    #[serde(skip)]
    pub scores: Vec<f64>,
}

/// One fraction's running results: each seed's mean AUROC, the subset size, the first seed's
/// first and last loss, its trained tensor count and its test details.
type Tally = (Vec<f64>, usize, [f32; 2], usize, FirstSeed);

/// The encoder and its classifier.
#[derive(Module, Debug)]
struct Classifier<I: Module> {
    encoder: I,
    head: Linear,
}

impl<I: ImageTower> Classifier<I> {
    fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.head.forward(self.encoder.encode_images(images))
    }
}

/// Mean binary cross-entropy of `logits` against 0/1 `targets`, computed stably:
/// `max(x, 0) − x·y + log(1 + e^{−|x|})`.
fn bce_with_logits(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let softplus_neg_abs = (logits.clone().abs().neg().exp() + 1.0).log();
    (logits.clone().clamp_min(0.0) - logits * targets + softplus_neg_abs).mean()
}

/// Fine-tunes `model`'s image encoder (it must live on an autodiff device) on `set`, per
/// fraction and seed, and reports the test mean AUROC.
pub fn fine_tune<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &ProbeSet,
    settings: &FinetuneSettings,
    device: &Device,
) -> Result<Vec<FinetuneFraction>, ProbeError> {
    let images = set.decode(settings.probe.size)?;
    fine_tune_on(model, set, &images, settings, device)
}

/// [`fine_tune`] on images already decoded at `settings.probe.size`.
pub fn fine_tune_on<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &ProbeSet,
    images: &ProbeImages,
    settings: &FinetuneSettings,
    device: &Device,
) -> Result<Vec<FinetuneFraction>, ProbeError> {
    let eval = |context: String| move |source| ProbeError::Eval { context, source };
    let probe = &settings.probe;
    let labels = set.labels.len();
    let config_error = |e: convirt_augment::AugmentError| ProbeError::Run(e.to_string());
    let (train_images, test_images) = (&images.train, &images.test);
    let train_labels =
        Matrix::new(&set.train.1, labels, "train labels").map_err(eval("labels".into()))?;
    let test_labels =
        Matrix::new(&set.test.1, labels, "test labels").map_err(eval("labels".into()))?;
    let strata = combination_strata(train_labels, &[]).map_err(eval("strata".into()))?;
    let autodiff = device.clone().autodiff();
    let feature_dim = model.image.feature_dim();

    let mut results: Vec<Tally> =
        vec![(Vec::new(), 0, [0.0; 2], 0, FirstSeed::default()); probe.fractions.len()];
    for seed in probe.seeds.clone() {
        let subsets =
            nested_subsets(&strata, &probe.fractions, seed).map_err(eval("subsets".into()))?;
        for (k, subset) in subsets.iter().enumerate() {
            let context = format!("fine-tune {}% seed {seed}", probe.fractions[k] * 100.0);
            autodiff.seed(seed.wrapping_mul(1000).wrapping_add(k as u64));
            let mut net = Classifier {
                // Fresh leaves on the autodiff device whatever the model came from (a plain
                // device, or a training run's graph); `train()` turns gradient tracking on.
                encoder: model.image.clone().valid().to_device(&autodiff).train(),
                head: LinearConfig::new(feature_dim, labels).init(&autodiff),
            };
            let mut optimizer = convirt_train::paper_adam().init();
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0xF17E);
            let batch = settings.batch.min(subset.len()).max(1);
            let mut first_last = [f32::NAN; 2];
            let mut tensors = 0;
            for step in 0..settings.steps {
                let rows: Vec<usize> = (0..batch)
                    .map(|_| subset[rng.random_range(0..subset.len())])
                    .collect();
                let images: Vec<Image> = rows.iter().map(|&i| train_images[i].clone()).collect();
                let x = probe
                    .layout
                    .to_tensor(&images, &autodiff)
                    .map_err(config_error)?;
                let y: Vec<f32> = rows
                    .iter()
                    .flat_map(|&i| train_labels.row(i).iter().map(|&b| f32::from(u8::from(b))))
                    .collect();
                let y = Tensor::<2>::from_data(TensorData::new(y, [batch, labels]), &autodiff);
                let loss = bce_with_logits(net.forward(x), y);
                let value: f32 = loss.clone().detach().into_scalar();
                if !value.is_finite() {
                    return Err(ProbeError::Run(format!(
                        "{context}: loss {value} at step {step}"
                    )));
                }
                if step == 0 {
                    first_last[0] = value;
                }
                first_last[1] = value;
                let grads = GradientsParams::from_grads(loss.backward(), &net);
                if step == 0 {
                    tensors = grads.len();
                }
                net = optimizer.step(settings.learning_rate, net, grads);
            }
            let trained = net.valid();
            let plain = device.clone().without_autodiff();
            let mut scores = Vec::with_capacity(test_images.len() * labels);
            for chunk in test_images.chunks(probe.batch.max(1)) {
                let x = probe
                    .layout
                    .to_tensor(chunk, &plain)
                    .map_err(config_error)?;
                let logits = trained.forward(x);
                let values = logits
                    .into_data()
                    .convert::<f64>()
                    .try_into_vec::<f64>()
                    .map_err(|e| ProbeError::Run(format!("{e:?}")))?;
                scores.extend(values);
            }
            let matrix = Matrix::new(&scores, labels, "scores").map_err(eval(context.clone()))?;
            let auroc = mean_auroc(matrix, test_labels).map_err(eval(context.clone()))?;
            let slot = &mut results[k];
            slot.0.push(auroc.mean);
            slot.1 = subset.len();
            if seed == probe.seeds.start {
                slot.2 = first_last;
                slot.3 = tensors;
                slot.4 = FirstSeed::measure(scores, test_labels, probe.bootstrap, &context)?;
            }
        }
    }
    results
        .into_iter()
        .zip(&probe.fractions)
        .map(
            |((seeds, examples, loss_first_last, trained_tensors, first), f)| {
                let summary = mean_sd(&seeds).map_err(eval("summary".into()))?;
                Ok(FinetuneFraction {
                    percent: f * 100.0,
                    examples,
                    mean: summary.mean,
                    sd: summary.sd,
                    seeds,
                    loss_first_last,
                    trained_tensors,
                    per_label: first.per_label,
                    mean_ci95: first.mean_ci95,
                    scores: first.scores,
                })
            },
        )
        .collect()
}
