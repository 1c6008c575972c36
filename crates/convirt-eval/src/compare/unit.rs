//! One unit of the comparison: a method at a seed. Pretrain (unless the method is `random`),
//! then the linear probe, fine-tuning and retrieval of the image encoder; the result is saved as
//! `units/<method>-seed<s>.json`, and a unit whose file exists is not run again.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{GrayView, retrieval_grid, roc_curve};
use burn::tensor::Device;
use convirt_encoders::{ImageTower, TextTower};
use convirt_text_sampler::TextTokenizer;
use convirt_train::{Checkpoints, ConvirtModel, Which};
use serde::{Deserialize, Serialize};

use crate::protocol::embed::evaluation_images;
use crate::protocol::finetune::{FinetuneFraction, FinetuneSettings, fine_tune_on};
use crate::protocol::probe::{
    FractionResult, ProbeImages, ProbeSet, ProbeSettings, linear_probe_on,
};
use crate::protocol::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
use convirt_pretrain::{PretrainError, PretrainOptions, layout, pretrain_model};

use super::{CompareConfig, CompareError, Method};

/// How a unit's pretraining went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PretrainRecord {
    /// Optimiser steps taken.
    pub steps: u64,
    /// Pairs (or images, for SimCLR) seen.
    pub pairs_seen: u64,
    /// Training seconds of the last call (a resumed run counts only its own part).
    pub wall_s: f64,
    /// Validation loss at the first and the last validation.
    pub val_loss_first: Option<f64>,
    /// See `val_loss_first`.
    pub val_loss_last: Option<f64>,
}

/// Precision@k of one retrieval direction, averaged over the queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The `k`s.
    pub ks: Vec<usize>,
    /// Mean precision at each `k`.
    pub values: Vec<f64>,
    /// The chance level (a candidate's category share, averaged over the queries).
    pub chance: f64,
}

/// A ROC curve's points (thinned to at most [`ROC_POINTS`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocPoints {
    /// False-positive rates.
    pub fpr: Vec<f64>,
    /// True-positive rates.
    pub tpr: Vec<f64>,
}

/// The most points kept of a ROC curve.
pub const ROC_POINTS: usize = 400;

/// Seconds spent per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageSeconds {
    /// Pretraining (0 for `random`).
    pub pretrain: f64,
    /// Feature extraction and the probes.
    pub linear: f64,
    /// Fine-tuning, all fractions.
    pub finetune: f64,
    /// Retrieval.
    pub retrieval: f64,
}

/// Everything measured for one method at one seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitResult {
    /// The method.
    pub method: Method,
    /// The seed.
    pub seed: u64,
    /// The code's commit (`git rev-parse`), `-dirty` with uncommitted changes.
    pub commit: String,
    /// Pretraining (`None` for `random`).
    pub pretrain: Option<PretrainRecord>,
    /// The linear probe per fraction (one seed each).
    pub linear: Vec<FractionResult>,
    /// Fine-tuning per fraction.
    pub finetune: Vec<FinetuneFraction>,
    /// Image→image retrieval.
    pub image_image: Precision,
    /// Text→image retrieval (every model has a text tower; for `random` and `simclr` it is
    /// untrained or untouched, which the report uses only as a reference).
    pub text_image: Option<Precision>,
    /// The linear probe's ROC at the smallest fraction, micro-averaged over the labels.
    pub roc_linear: RocPoints,
    /// Fine-tuning's ROC at the smallest fraction, micro-averaged over the labels.
    pub roc_finetune: RocPoints,
    /// Time per stage.
    pub seconds: StageSeconds,
}

impl UnitResult {
    /// Text→image (`text`) or image→image retrieval.
    pub fn precision(&self, text: bool) -> Option<&Precision> {
        if text {
            self.text_image.as_ref()
        } else {
            Some(&self.image_image)
        }
    }
}

/// The evaluation sets, read once for every unit.
#[derive(Debug)]
pub struct Sets {
    /// SynthCXR `cls`.
    pub cls: ProbeSet,
    /// Its images decoded at the pretraining size, once for every unit.
    pub cls_images: ProbeImages,
    /// SynthCXR `retrieval` with the text queries.
    pub retrieval: RetrievalSet,
    /// The text model's tokenizer.
    pub tokenizer: TextTokenizer,
}

/// `method-seedN`.
pub fn unit_name(method: Method, seed: u64) -> String {
    format!("{}-seed{seed}", method.name())
}

/// The unit's result file below `out`.
pub fn unit_file(out: &Path, method: Method, seed: u64) -> PathBuf {
    out.join("units")
        .join(format!("{}.json", unit_name(method, seed)))
}

/// Reads a finished unit.
pub fn read_unit(path: &Path) -> Result<UnitResult, CompareError> {
    let text = std::fs::read_to_string(path).map_err(|e| CompareError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| CompareError::io(path, e))
}

/// What a comparison pretrains and evaluates: the model a unit starts from, for the unit's
/// settings, on the autodiff device given, whose generator the caller has just seeded with the
/// unit's seed. Any towers: `convirt_pretrain::join_towers` of your own, or the root crate's
/// built-in towers by name (`convirt::pretrain::model_with`).
pub type ModelFactory<'a, I, T> =
    dyn Fn(&PretrainOptions, &Device) -> Result<ConvirtModel<I, T>, PretrainError> + 'a;

/// The model `factory` gives for `options`, drawn from the seed `options.train.seed` on the
/// autodiff device: a unit's starting point, the same for every method at that seed (and random
/// init's encoder).
pub fn initial_model<I: ImageTower, T: TextTower>(
    options: &PretrainOptions,
    device: &Device,
    factory: &ModelFactory<'_, I, T>,
) -> Result<ConvirtModel<I, T>, PretrainError> {
    let device = device.clone().autodiff();
    device.seed(options.train.seed);
    factory(options, &device)
}

/// Runs one unit and saves it (atomically: a temporary file, then a rename). With the seed
/// first in the configuration, also draws its retrieval figures into `out/figures/`. The model
/// comes from `factory`.
#[allow(clippy::too_many_arguments)]
pub fn run_unit<I: ImageTower, T: TextTower>(
    config: &CompareConfig,
    method: Method,
    seed: u64,
    sets: &Sets,
    out: &Path,
    device: &Device,
    commit: &str,
    factory: &ModelFactory<'_, I, T>,
) -> Result<UnitResult, CompareError> {
    let unit = unit_name(method, seed);
    let mut options: PretrainOptions = config.pretrain.clone();
    options.train.seed = seed;
    let mut seconds = StageSeconds::default();
    let clock = Instant::now();
    let pretrain_error = |source| CompareError::Pretrain {
        unit: unit.clone(),
        source: Box::new(source),
    };
    let (net, record): (ConvirtModel<I, T>, Option<PretrainRecord>) = match method.objective() {
        None => {
            // The model `pretrain` would start from with this seed.
            (
                initial_model(&options, device, factory).map_err(pretrain_error)?,
                None,
            )
        }
        Some(objective) => {
            options.train.objective = objective;
            let run_dir = out.join("runs").join(&unit);
            let started = Checkpoints::new(run_dir.join("checkpoints"))
                .folder(Which::Last)
                .map_err(|e| pretrain_error(e.into()))?
                .is_some();
            if !started && run_dir.exists() {
                std::fs::remove_dir_all(&run_dir).map_err(|e| CompareError::io(&run_dir, e))?;
            }
            // The run's own starting point, as for random init; a started run resumes.
            let model = initial_model(&options, device, factory).map_err(pretrain_error)?;
            let resume = started.then_some(&[][..]);
            let run = pretrain_model(&options, model, &run_dir, device, resume)
                .map_err(pretrain_error)?;
            let state = &run.summary.state;
            let record = PretrainRecord {
                steps: state.step,
                pairs_seen: state.pairs_seen,
                wall_s: run.summary.wall_s,
                val_loss_first: state.val_first,
                val_loss_last: state.val_last,
            };
            (run.model, Some(record))
        }
    };
    seconds.pretrain = clock.elapsed().as_secs_f64();

    let probe_error = |source| CompareError::Probe {
        unit: unit.clone(),
        source: Box::new(source),
    };
    let settings = ProbeSettings {
        fractions: config.fractions.iter().map(|p| p / 100.0).collect(),
        seeds: seed..seed + 1,
        size: options.image_size,
        layout: layout(&options),
        batch: 64,
        bootstrap: config.bootstrap,
        regression: crate::ProbeConfig::default(),
    };
    let clock = Instant::now();
    let linear = linear_probe_on(&net, &sets.cls, &sets.cls_images, &settings, device)
        .map_err(probe_error)?
        .fractions;
    seconds.linear = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let finetune_settings = FinetuneSettings {
        probe: settings.clone(),
        steps: config.finetune.steps,
        batch: config.finetune.batch,
        learning_rate: config.finetune.learning_rate,
    };
    let finetune = fine_tune_on(
        &net,
        &sets.cls,
        &sets.cls_images,
        &finetune_settings,
        device,
    )
    .map_err(probe_error)?;
    seconds.finetune = clock.elapsed().as_secs_f64();

    let clock = Instant::now();
    let retrieval_config = RetrievalConfig {
        size: options.image_size,
        layout: layout(&options),
        image_space: config.image_space,
        ks: config.ks.clone(),
        batch: 64,
    };
    let scores = evaluate(
        &net,
        &sets.retrieval,
        &sets.tokenizer,
        &retrieval_config,
        device,
    )
    .map_err(|source| CompareError::Retrieval {
        unit: unit.clone(),
        source: Box::new(source),
    })?;
    let precision = |r: &crate::RetrievalReport| Precision {
        ks: r.ks.clone(),
        values: r.mean.clone(),
        chance: r.mean_chance,
    };
    if seed == 0 {
        draw_retrieval(&sets.retrieval, &scores, method, &out.join("figures"))?;
    }
    seconds.retrieval = clock.elapsed().as_secs_f64();

    let roc = |scores: &[f64], what: &str| micro_roc(scores, &sets.cls.test.1, what);
    let result = UnitResult {
        method,
        seed,
        commit: commit.to_string(),
        pretrain: record,
        roc_linear: roc(&linear[0].scores, "linear-probe ROC")?,
        roc_finetune: roc(&finetune[0].scores, "fine-tuning ROC")?,
        linear,
        finetune,
        image_image: precision(&scores.image_image),
        text_image: scores.text_image.as_ref().map(precision),
        seconds,
    };
    let path = unit_file(out, method, seed);
    write_atomically(
        &path,
        &serde_json::to_string_pretty(&result).map_err(|e| CompareError::io(&path, e))?,
    )?;
    Ok(result)
}

/// Writes `text` to `path` through a temporary file and a rename, creating the folder.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), CompareError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| CompareError::io(folder, e))?;
    }
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, text).map_err(|e| CompareError::io(&temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| CompareError::io(path, e))
}

/// The ROC of all labels' scores pooled (micro-average: `scores` and `labels` are both
/// row-major `[images, labels]`), thinned to [`ROC_POINTS`].
fn micro_roc(scores: &[f64], labels: &[bool], what: &str) -> Result<RocPoints, CompareError> {
    let curve = roc_curve(scores, labels).map_err(CompareError::eval(what))?;
    let step = curve.fpr.len().div_ceil(ROC_POINTS).max(1);
    let keep = |i: usize| i.is_multiple_of(step) || i + 1 == curve.fpr.len();
    let pick = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, x)| *x)
            .collect()
    };
    Ok(RocPoints {
        fpr: pick(&curve.fpr),
        tpr: pick(&curve.tpr),
    })
}

/// The first query of each category beside its top ten, hits framed: text queries for methods
/// with a text tower (`retrieval-<method>-text.png`), image queries for all
/// (`retrieval-<method>-image.png`).
fn draw_retrieval(
    set: &RetrievalSet,
    scores: &crate::protocol::retrieval::RetrievalScores,
    method: Method,
    folder: &Path,
) -> Result<(), CompareError> {
    const SHOWN: usize = 10;
    const TILE: usize = 128;
    let hit = |candidate: usize, category: usize| set.candidates[candidate].category == category;
    let gray = |paths: &[PathBuf]| -> Result<Vec<(u32, Vec<u8>)>, CompareError> {
        let images = evaluation_images(paths, TILE).map_err(|e| CompareError::io(folder, e))?;
        Ok(images
            .iter()
            .map(|image| {
                let pixels = image
                    .to_f32()
                    .iter()
                    .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
                    .collect();
                (image.width() as u32, pixels)
            })
            .collect())
    };
    let first_per_category = |categories: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut seen = vec![false; set.categories.len()];
        categories
            .enumerate()
            .filter_map(|(i, c)| (!std::mem::replace(&mut seen[c], true)).then_some(i))
            .collect()
    };
    let candidates: Vec<PathBuf> = set
        .candidates
        .iter()
        .map(|c| PathBuf::from(&c.path))
        .collect();
    let draw = |query_tiles: Vec<(u32, Vec<u8>)>,
                rows: Vec<(usize, &Vec<usize>)>,
                name: String|
     -> Result<(), CompareError> {
        let shown: Vec<Vec<usize>> = rows
            .iter()
            .map(|(_, top)| top.iter().take(SHOWN).copied().collect())
            .collect();
        let flat: Vec<PathBuf> = shown
            .iter()
            .flatten()
            .map(|&i| candidates[i].clone())
            .collect();
        let tiles = gray(&flat)?;
        fn view(tile: &(u32, Vec<u8>)) -> GrayView<'_> {
            GrayView {
                width: tile.0,
                height: tile.1.len() as u32 / tile.0.max(1),
                pixels: &tile.1,
            }
        }
        let queries: Vec<GrayView> = query_tiles.iter().map(view).collect();
        let mut retrieved = Vec::new();
        let mut hits = Vec::new();
        let mut next = 0;
        for ((category, _), top) in rows.iter().zip(&shown) {
            retrieved.push(tiles[next..next + top.len()].iter().map(view).collect());
            hits.push(top.iter().map(|&c| hit(c, *category)).collect());
            next += top.len();
        }
        let path = folder.join(name);
        std::fs::create_dir_all(folder).map_err(|e| CompareError::io(folder, e))?;
        retrieval_grid(&queries, &retrieved, &hits, &path)
            .map_err(CompareError::eval(path.display().to_string()))
    };
    let picked = first_per_category(&mut set.image_queries.iter().map(|q| q.category));
    let paths: Vec<PathBuf> = picked
        .iter()
        .map(|&i| PathBuf::from(&set.image_queries[i].path))
        .collect();
    let rows = picked
        .iter()
        .map(|&i| (set.image_queries[i].category, &scores.image_top[i]))
        .collect();
    draw(
        gray(&paths)?,
        rows,
        format!("retrieval-{}-image.png", method.name()),
    )?;
    if method.has_text() && !scores.text_top.is_empty() {
        let picked = first_per_category(&mut set.text_queries.iter().map(|q| q.category));
        // A text query has no picture: its row starts with a blank tile, and the category
        // order is the image rows' order.
        let blank = (TILE as u32, vec![255u8; TILE * TILE]);
        let tiles = picked.iter().map(|_| blank.clone()).collect();
        let rows = picked
            .iter()
            .map(|&i| (set.text_queries[i].category, &scores.text_top[i]))
            .collect();
        draw(tiles, rows, format!("retrieval-{}-text.png", method.name()))?;
    }
    Ok(())
}
