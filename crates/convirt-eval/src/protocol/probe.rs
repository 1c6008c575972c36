//! The linear-probe protocol: a frozen image encoder's pooled features h_v, extracted once, and a
//! logistic regression per label fraction and seed on nested, stratified subsets of the training
//! labels; mean AUROC over the labels on the test split, with a bootstrap interval.

use std::path::{Path, PathBuf};

use crate::{
    BootstrapConfig, LinearProbe, Matrix, ProbeConfig, Targets, bootstrap_auroc,
    bootstrap_mean_auroc, combination_strata, mean_auroc, mean_sd, nested_subsets,
};
use burn::tensor::Device;
use convirt_augment::{Image, TensorLayout};
use convirt_data::Split;
use convirt_data::synth::{Family, SynthVersion, read_manifest, v2};
use convirt_encoders::{ImageTower, TextTower};
use convirt_train::ConvirtModel;
use serde::{Deserialize, Serialize};

use crate::protocol::embed::{ImageSpace, embed_decoded, evaluation_images};

/// Why a probe could not run.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// Reading the set or an image failed.
    #[error(transparent)]
    Data(#[from] convirt_data::DataError),
    /// A metric or the regression failed (for instance, a label with one class in a subset).
    #[error("{context}: {source}")]
    Eval {
        /// What was being computed.
        context: String,
        /// The cause.
        source: crate::EvalError,
    },
    /// Encoding prompts, building a batch, or a training step failed; the message says which.
    #[error("{0}")]
    Run(String),
    /// A split of the set is empty.
    #[error("{0}: no images in the {1} split")]
    EmptySplit(PathBuf, &'static str),
}

/// A labelled image set with train and test splits.
#[derive(Debug, Clone)]
pub struct ProbeSet {
    /// Label names, one column each.
    pub labels: Vec<String>,
    /// Training images and their labels `[n, labels]`, row-major.
    pub train: (Vec<PathBuf>, Vec<bool>),
    /// Test images and their labels.
    pub test: (Vec<PathBuf>, Vec<bool>),
}

impl ProbeSet {
    /// SynthCXR's `cls` set (`convirt synth --set cls`): its train and test splits, scored on
    /// its version's families: v1's five of [`Family::SCORED`] (the paper's Table 1 shape),
    /// v2's [`v2::SCORED`](convirt_data::synth::v2::SCORED).
    pub fn synthcxr_cls(dir: &Path) -> Result<Self, ProbeError> {
        Self::synthcxr_cls_on(dir, Split::Test)
    }

    /// [`ProbeSet::synthcxr_cls`] evaluated on another split: `Split::Validate` for calibration
    /// and choosing settings (SynthCXR v2's gates), so the test split stays for reporting.
    pub fn synthcxr_cls_on(dir: &Path, evaluated: Split) -> Result<Self, ProbeError> {
        let manifest = read_manifest(dir)?;
        let names: Vec<&str> = match manifest.version {
            SynthVersion::V1 => Family::SCORED.iter().map(|f| f.name()).collect(),
            SynthVersion::V2 => v2::SCORED.iter().map(|f| f.name()).collect(),
        };
        let columns: Vec<usize> = names.iter().filter_map(|n| manifest.column(n)).collect();
        let split = |s: Split, name: &'static str| {
            let (mut paths, mut labels) = (Vec::new(), Vec::new());
            for e in manifest.split(s) {
                paths.push(manifest.dir.join(&e.path));
                labels.extend(columns.iter().map(|&c| e.labels[c]));
            }
            if paths.is_empty() {
                return Err(ProbeError::EmptySplit(dir.to_path_buf(), name));
            }
            Ok((paths, labels))
        };
        Ok(Self {
            labels: names.iter().map(|n| n.to_string()).collect(),
            train: split(Split::Train, "train")?,
            test: split(
                evaluated,
                match evaluated {
                    Split::Validate => "val",
                    _ => "test",
                },
            )?,
        })
    }
}

/// A [`ProbeSet`]'s images decoded and resized once (the evaluation transform), shared by every
/// encoder and protocol that evaluates on the set.
#[derive(Debug, Clone)]
pub struct ProbeImages {
    /// The side they were resized to.
    pub size: usize,
    /// The training images, in the set's order.
    pub train: Vec<Image>,
    /// The test images.
    pub test: Vec<Image>,
}

impl ProbeSet {
    /// Decodes and resizes every image to `size` (in parallel); a file that cannot be read is
    /// an error naming it.
    pub fn decode(&self, size: usize) -> Result<ProbeImages, ProbeError> {
        Ok(ProbeImages {
            size,
            train: evaluation_images(&self.train.0, size)?,
            test: evaluation_images(&self.test.0, size)?,
        })
    }
}

/// How the probe runs.
#[derive(Debug, Clone)]
pub struct ProbeSettings {
    /// Label fractions, in (0, 1] (the paper: 0.01, 0.1, 1).
    pub fractions: Vec<f64>,
    /// The seeds; each draws its own nested subsets (and, in fine-tuning, its own batches and
    /// head).
    pub seeds: std::ops::Range<u64>,
    /// Image side fed to the encoder.
    pub size: usize,
    /// Channels and normalisation the encoder was trained with.
    pub layout: TensorLayout,
    /// Images per forward pass.
    pub batch: usize,
    /// Bootstrap resamples of the test set for the interval of each AUROC (0: none).
    pub bootstrap: usize,
    /// The logistic regression's settings.
    pub regression: ProbeConfig,
}

/// One fraction's result over the seeds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FractionResult {
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
    /// The first seed's AUROC per label.
    pub per_label: Vec<f64>,
    /// The 95 % bootstrap interval over the test set of each of the first seed's label AUROCs
    /// (empty without bootstrap).
    pub per_label_ci95: Vec<[f64; 2]>,
    /// The 95 % bootstrap interval over the test set of the first seed's mean AUROC (rows
    /// resampled jointly; `None` without bootstrap).
    pub mean_ci95: Option<[f64; 2]>,
    /// The first seed's test scores, row-major `[test images, labels]` (for ROC curves; not
    /// serialised).
    #[serde(skip)]
    pub scores: Vec<f64>,
}

/// The probe's report.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// The label names.
    pub labels: Vec<String>,
    /// One entry per fraction, in the order asked.
    pub fractions: Vec<FractionResult>,
}

/// The first seed's AUROCs on the test set, with their bootstrap intervals.
#[derive(Debug, Clone, Default)]
pub(crate) struct FirstSeed {
    pub(crate) per_label: Vec<f64>,
    pub(crate) per_label_ci95: Vec<[f64; 2]>,
    pub(crate) mean_ci95: Option<[f64; 2]>,
    pub(crate) scores: Vec<f64>,
}

impl FirstSeed {
    /// Per-label AUROCs of `scores` against `labels` and, with `resamples > 0`, the bootstrap
    /// intervals of each and of their mean.
    pub(crate) fn measure(
        scores: Vec<f64>,
        labels: Matrix<bool>,
        resamples: usize,
        context: &str,
    ) -> Result<Self, ProbeError> {
        let eval = |source| ProbeError::Eval {
            context: context.to_string(),
            source,
        };
        let matrix = Matrix::new(&scores, labels.cols(), "scores").map_err(eval)?;
        let auroc = mean_auroc(matrix, labels).map_err(eval)?;
        let (mut per_label_ci95, mut mean_ci95) = (Vec::new(), None);
        if resamples > 0 {
            let config = BootstrapConfig {
                resamples,
                ..BootstrapConfig::default()
            };
            for j in 0..labels.cols() {
                let interval =
                    bootstrap_auroc(&matrix.column(j), &labels.column(j), config).map_err(eval)?;
                per_label_ci95.push([interval.lower, interval.upper]);
            }
            let interval = bootstrap_mean_auroc(matrix, labels, config).map_err(eval)?;
            mean_ci95 = Some([interval.lower, interval.upper]);
        }
        Ok(Self {
            per_label: auroc.per_label,
            per_label_ci95,
            mean_ci95,
            scores,
        })
    }
}

/// One fraction's running results: each seed's mean AUROC, the subset size, the first seed's
/// details.
type Tally = (Vec<f64>, usize, FirstSeed);

/// Runs the linear probe of `model`'s image encoder on `set`.
pub fn linear_probe<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &ProbeSet,
    settings: &ProbeSettings,
    device: &Device,
) -> Result<ProbeReport, ProbeError> {
    linear_probe_on(model, set, &set.decode(settings.size)?, settings, device)
}

/// [`linear_probe`] on images already decoded at `settings.size`.
pub fn linear_probe_on<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &ProbeSet,
    images: &ProbeImages,
    settings: &ProbeSettings,
    device: &Device,
) -> Result<ProbeReport, ProbeError> {
    let labels = set.labels.len();
    let eval = |context: &str| {
        let context = context.to_string();
        move |source| ProbeError::Eval { context, source }
    };
    let features = |images: &[Image]| {
        embed_decoded(
            model,
            images,
            &settings.layout,
            ImageSpace::Pooled,
            settings.batch,
            device,
        )
    };
    let train = features(&images.train)?;
    let test = features(&images.test)?;
    let train_labels = Matrix::new(&set.train.1, labels, "train labels").map_err(eval("labels"))?;
    let test_labels = Matrix::new(&set.test.1, labels, "test labels").map_err(eval("labels"))?;
    let strata = combination_strata(train_labels, &[]).map_err(eval("strata"))?;
    let test_x = Matrix::new(&test.data, test.dim, "test features").map_err(eval("features"))?;

    let mut per_fraction: Vec<Tally> =
        vec![(Vec::new(), 0, FirstSeed::default()); settings.fractions.len()];
    for seed in settings.seeds.clone() {
        let subsets =
            nested_subsets(&strata, &settings.fractions, seed).map_err(eval("subsets"))?;
        for (k, subset) in subsets.iter().enumerate() {
            let context = format!("{}% seed {seed}", settings.fractions[k] * 100.0);
            let x: Vec<f32> = subset
                .iter()
                .flat_map(|&i| {
                    train.data[i * train.dim..(i + 1) * train.dim]
                        .iter()
                        .copied()
                })
                .collect();
            let y: Vec<bool> = subset
                .iter()
                .flat_map(|&i| set.train.1[i * labels..(i + 1) * labels].iter().copied())
                .collect();
            let x = Matrix::new(&x, train.dim, "features").map_err(eval(&context))?;
            let y = Matrix::new(&y, labels, "labels").map_err(eval(&context))?;
            let (probe, _) = LinearProbe::fit(x, Targets::MultiLabel(y), settings.regression)
                .map_err(eval(&context))?;
            let scores = probe.predict_proba(test_x).map_err(eval(&context))?;
            let scores_m = Matrix::new(&scores, labels, "scores").map_err(eval(&context))?;
            let auroc = mean_auroc(scores_m, test_labels).map_err(eval(&context))?;
            let slot = &mut per_fraction[k];
            slot.0.push(auroc.mean);
            slot.1 = subset.len();
            if seed == settings.seeds.start {
                slot.2 = FirstSeed::measure(scores, test_labels, settings.bootstrap, &context)?;
            }
        }
    }
    let fractions = per_fraction
        .into_iter()
        .zip(&settings.fractions)
        .map(|((seeds, examples, first), f)| {
            let summary = mean_sd(&seeds).map_err(eval("summary"))?;
            Ok(FractionResult {
                percent: f * 100.0,
                examples,
                mean: summary.mean,
                sd: summary.sd,
                seeds,
                per_label: first.per_label,
                per_label_ci95: first.per_label_ci95,
                mean_ci95: first.mean_ci95,
                scores: first.scores,
            })
        })
        .collect::<Result<Vec<_>, ProbeError>>()?;
    Ok(ProbeReport {
        labels: set.labels.clone(),
        fractions,
    })
}
