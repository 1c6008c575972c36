//! The pretraining loop: steps, validation, the schedule, early stopping, checkpoints, resume.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::optim::ModuleOptimizer;
use burn::optim::grad_clipping::GradientClipping;
use burn::tensor::Device;
use convirt_encoders::{FrozenPrefixCache, ImageTower, TextTower};
use convirt_loss::ContrastiveLoss;

use crate::checkpoint::{Checkpoints, Which};
use crate::{
    BatchSource, Collective, ConvirtModel, FaultPlan, MetricsLog, Observer, Record, RunFolder,
    StepContext, TrainConfig, TrainError, TrainState, cached_step, data_parallel_step, host_step,
    paper_adam, validation_loss,
};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Every epoch ran.
    Epochs,
    /// `max_steps` was reached.
    MaxSteps,
    /// Validation loss stopped improving.
    EarlyStopping,
    /// The run had already finished when it was resumed.
    AlreadyFinished,
    /// The observer asked to stop; the run is checkpointed unfinished and can be resumed.
    Interrupted,
}

/// What a finished [`Trainer::fit`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Where the run stands at the end.
    pub state: TrainState,
    /// Why it stopped.
    pub stop: StopReason,
    /// Seconds spent in this call (excluding what a resumed run had spent before).
    pub wall_s: f64,
    /// The run's id (`run.json`, every checkpoint's manifest).
    pub run_id: String,
    /// Text-cache hits and misses (sentences), when the cache is on.
    pub text_cache: Option<(u64, u64)>,
}

/// Trains a [`ConvirtModel`] in a run folder (see [`RunFolder`]): `run.json`,
/// `train_config.json`, the caller's run files, `metrics.jsonl` and `checkpoints/` (see
/// [`Checkpoints`]). Everything is validated before anything is written.
#[derive(Debug, Clone)]
pub struct Trainer {
    config: TrainConfig,
    run_dir: PathBuf,
    device: Device,
    parallel: Option<(Vec<Device>, Collective)>,
    run_files: Vec<(String, Vec<u8>)>,
    allowed_changes: Vec<String>,
    faults: Option<FaultPlan>,
}

impl Trainer {
    /// A trainer for `config`, writing into `run_dir`, on `device` (which must carry autodiff).
    pub fn new(
        config: TrainConfig,
        run_dir: impl Into<PathBuf>,
        device: Device,
    ) -> Result<Self, TrainError> {
        config.validate()?;
        if !device.is_autodiff() {
            return Err(TrainError::Model(
                "training needs an autodiff device (device.autodiff())".into(),
            ));
        }
        Ok(Self {
            config,
            run_dir: run_dir.into(),
            device,
            parallel: None,
            run_files: Vec::new(),
            allowed_changes: Vec::new(),
            faults: None,
        })
    }

    /// A file the run folder holds (written only once the run's checks pass) and every
    /// checkpoint repeats, e.g. the settings that rebuild the model. A fresh run refuses a
    /// folder that already has it.
    pub fn with_run_file(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        self.run_files.push((name.into(), bytes));
        self
    }

    /// [`TrainConfig`] fields (by their serde names, e.g. `max_steps`) a resume may change;
    /// any other difference from the run's `train_config.json` is refused, naming the fields.
    pub fn allow_changed(mut self, fields: impl IntoIterator<Item = String>) -> Self {
        self.allowed_changes.extend(fields);
        self
    }

    /// Injects `plan`'s fault into the checkpoint writer (the fault-injection suite).
    pub fn with_faults(mut self, plan: FaultPlan) -> Self {
        self.faults = Some(plan);
        self
    }

    /// Trains data-parallel over `devices` (see [`data_parallel`](crate::data_parallel)): the
    /// first must be this trainer's device, which holds the main model and the optimiser; each
    /// device gets one shard of every batch (a batch the devices cannot share evenly, such as an
    /// epoch's short last one, runs on the main device alone) and the loss sees
    /// the whole batch. One device is the plain single-device loop. Not combinable with
    /// `micro_batch`; the text cache is not used.
    pub fn with_data_parallel(
        mut self,
        devices: Vec<Device>,
        collective: Collective,
    ) -> Result<Self, TrainError> {
        if self.config.micro_batch.is_some() && devices.len() > 1 {
            return Err(TrainError::InvalidParameter {
                name: "micro_batch",
                requirement: "unset when training on several devices",
                value: self.config.micro_batch.unwrap_or(0) as f64,
            });
        }
        let devices: Vec<Device> = devices.into_iter().map(|d| d.autodiff()).collect();
        self.parallel = (devices.len() > 1).then_some((devices, collective));
        Ok(self)
    }

    /// The run folder.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }

    /// The run's checkpoints.
    pub fn checkpoints(&self) -> Checkpoints {
        Checkpoints::new(self.run_dir.join("checkpoints"))
    }

    /// Trains `model` on `train`, validating on `val` when given. With `resume`, continues
    /// exactly from the last checkpoint in the run folder (an error if there is none, or if the
    /// folder's `config.json` differs from this trainer's settings); without, the folder must
    /// hold no earlier run. Returns the trained model and a [`Summary`].
    pub fn fit<I: ImageTower, T: TextTower>(
        &self,
        model: ConvirtModel<I, T>,
        train: &dyn BatchSource,
        val: Option<&dyn BatchSource>,
        resume: bool,
        observer: &mut dyn Observer,
    ) -> Result<(ConvirtModel<I, T>, Summary), TrainError> {
        let started = Instant::now();
        let config = &self.config;
        // Validate first: the lock, the folder, the settings, the checkpoint. Write last.
        let names: Vec<&str> = self.run_files.iter().map(|(n, _)| n.as_str()).collect();
        let folder = RunFolder::open(&self.run_dir, resume, &names)?;
        let checkpoints = self
            .checkpoints()
            .for_run(folder.run_id())
            .with_run_files(self.run_files.clone())
            .with_faults(self.faults.clone());
        let config_json = self.check_train_config(resume)?;
        let mut optimizer = paper_adam().init();
        if let Some(norm) = config.grad_clip_norm {
            optimizer = optimizer.with_grad_clipping(GradientClipping::Norm(norm));
        }
        let fresh = |model, optimizer| -> Result<_, TrainError> {
            let plateau = config.plateau.init(config.learning_rate)?;
            Ok((model, optimizer, TrainState::new(plateau)))
        };
        let (mut model, mut optimizer, mut state) = if resume {
            match checkpoints.verified_folder(Which::Last)? {
                Some(last) => {
                    observer.on_message(&format!("resuming from {}", last.display()));
                    Checkpoints::read(&last, model, optimizer)?
                }
                None => match checkpoints.newest_own()? {
                    Some(newest) => {
                        observer.on_message(&format!(
                            "last.json is missing: resuming from {}, this run's newest verified checkpoint",
                            newest.display()
                        ));
                        Checkpoints::read(&newest, model, optimizer)?
                    }
                    None if !checkpoints.holds_any() => {
                        observer.on_message("no checkpoint yet: the run starts again from step 0");
                        fresh(model, optimizer)?
                    }
                    None => {
                        return Err(TrainError::Corrupt {
                            path: checkpoints.dir().join("last.json"),
                            message: "missing, and no checkpoint folder carries this run's manifest: refusing to guess".into(),
                        });
                    }
                },
            }
        } else {
            fresh(model, optimizer)?
        };
        // A finished run resumed with a larger step or epoch budget (allowed explicitly)
        // continues, unless it had stopped early.
        let stopped_early = config
            .early_stopping
            .is_some_and(|patience| state.flat_validations >= patience);
        if resume && state.finished && !stopped_early {
            let per_epoch = train.batches_per_epoch() as u64;
            let total = config
                .max_steps
                .unwrap_or(u64::MAX)
                .min(per_epoch.saturating_mul(config.epochs as u64));
            state.finished = state.step >= total || state.epoch >= config.epochs;
        }
        let mut files = vec![("train_config.json".to_string(), config_json)];
        files.extend(self.run_files.iter().cloned());
        folder.publish(&files)?;
        let mut log = MetricsLog::open(
            self.run_dir.join("metrics.jsonl"),
            resume.then_some(state.step),
        )?;
        let loss = config.objective.loss(config.tau, config.lambda)?;
        // Only a text tower with the frozen-prefix capability (BERT) can be cached.
        let mut cache = (config.text_cache > 0
            && config.objective.uses_text()
            && model.text.frozen_prefix().is_some())
        .then(|| FrozenPrefixCache::new(model.frozen_layers, config.text_cache));
        let per_epoch = train.batches_per_epoch() as u64;
        if per_epoch == 0 {
            return Err(TrainError::Model(
                "the training source gives no batches".into(),
            ));
        }
        let total = config
            .max_steps
            .unwrap_or(u64::MAX)
            .min(per_epoch.saturating_mul(config.epochs as u64));
        observer.on_start(total, state.step);
        let mut run = Run {
            trainer: self,
            checkpoints: &checkpoints,
            loss: loss.as_ref(),
            val,
            log: &mut log,
            observer,
            started,
        };
        let stop = if state.finished {
            StopReason::AlreadyFinished
        } else {
            let (trained, stop) =
                run.epochs(model, &mut optimizer, &mut state, &mut cache, train, total)?;
            model = trained;
            state.finished = stop != StopReason::Interrupted;
            checkpoints.save(&model, &optimizer, &state, false)?;
            stop
        };
        if state.skipped_train > 0 || state.skipped_val > 0 {
            run.observer.on_message(&format!(
                "skipped in all: {} training items, {} validation items (each named in {})",
                state.skipped_train,
                state.skipped_val,
                run.log.path().display()
            ));
        }
        run.observer.on_finish();
        let summary = Summary {
            state,
            stop,
            wall_s: started.elapsed().as_secs_f64(),
            run_id: folder.run_id().to_string(),
            text_cache: cache.as_ref().map(|c| (c.hits(), c.misses())),
        };
        Ok((model, summary))
    }

    /// The settings as `train_config.json` will hold them; on resume, checked against the
    /// run's, every difference named unless [`Trainer::allow_changed`] allows it.
    fn check_train_config(&self, resume: bool) -> Result<Vec<u8>, TrainError> {
        let path = self.run_dir.join("train_config.json");
        let json = serde_json::to_vec_pretty(&self.config).map_err(|e| TrainError::io(&path, e))?;
        if !resume || !path.is_file() {
            return Ok(json);
        }
        let saved = fs::read(&path).map_err(|e| TrainError::io(&path, e))?;
        let saved: serde_json::Value =
            serde_json::from_slice(&saved).map_err(|e| TrainError::io(&path, e))?;
        // What the saved file means in this build (fields added since read as their defaults).
        let saved: TrainConfig =
            serde_json::from_value(saved).map_err(|e| TrainError::io(&path, e))?;
        let (old, new) = (to_map(&saved), to_map(&self.config));
        let keys: Vec<String> = new
            .iter()
            .filter(|(key, value)| old.get(*key) != Some(value))
            .filter(|(key, _)| !self.allowed_changes.iter().any(|a| a == *key))
            .map(|(key, value)| {
                let was = old.get(key).map_or("unset".into(), |v| v.to_string());
                format!("{key}: {was} -> {value}")
            })
            .collect();
        if keys.is_empty() {
            Ok(json)
        } else {
            Err(TrainError::ChangedSettings { path, keys })
        }
    }
}

/// A config's fields as a JSON map.
fn to_map(config: &TrainConfig) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(config) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// The loop's working set.
struct Run<'a> {
    trainer: &'a Trainer,
    checkpoints: &'a Checkpoints,
    loss: &'a dyn ContrastiveLoss,
    val: Option<&'a dyn BatchSource>,
    log: &'a mut MetricsLog,
    observer: &'a mut dyn Observer,
    started: Instant,
}

impl Run<'_> {
    fn record(&mut self, record: Record) -> Result<(), TrainError> {
        self.log.write(&record)?;
        self.observer.on_record(&record);
        Ok(())
    }

    fn epochs<I: ImageTower, T: TextTower>(
        &mut self,
        mut model: ConvirtModel<I, T>,
        optimizer: &mut ModuleOptimizer,
        state: &mut TrainState,
        cache: &mut Option<FrozenPrefixCache>,
        train: &dyn BatchSource,
        total: u64,
    ) -> Result<(ConvirtModel<I, T>, StopReason), TrainError> {
        let config = &self.trainer.config;
        let device = &self.trainer.device;
        while state.epoch < config.epochs {
            let start = state.batch;
            for (index, batch) in train.epoch(state.epoch, start).enumerate() {
                if state.step >= total {
                    return Ok((model, StopReason::MaxSteps));
                }
                let batch = batch.map_err(|message| TrainError::Data {
                    step: state.step,
                    message,
                })?;
                device.seed(step_seed(config.seed, state.step));
                let warmup = config.warmup_steps.max(1);
                let ramp = ((state.step + 1) as f64 / warmup as f64).min(1.0);
                let lr = state.plateau.lr() * ramp;
                let context = StepContext {
                    objective: config.objective,
                    loss: self.loss,
                    cache: cache.as_mut(),
                    device,
                    lr,
                    step: state.step,
                };
                // A batch the devices cannot share evenly (an epoch's last) runs on the main one.
                let parallel = self
                    .trainer
                    .parallel
                    .as_ref()
                    .filter(|(devices, _)| batch.len().is_multiple_of(devices.len()));
                let outcome = match (parallel, config.micro_batch) {
                    (Some((devices, collective)), _) => {
                        data_parallel_step(model, optimizer, &batch, devices, *collective, context)
                    }
                    (None, Some(micro)) => cached_step(model, optimizer, &batch, micro, context),
                    (None, None) => host_step(model, optimizer, &batch, context),
                };
                model = outcome.model;
                let losses = outcome.result?;
                state.step += 1;
                state.batch = start + index + 1;
                state.pairs_seen += batch.len() as u64;
                let finite = |x: f32| x.is_finite().then_some(x);
                self.record(Record::Train {
                    step: state.step,
                    epoch: state.epoch,
                    loss: losses.total,
                    image_to_text: finite(losses.image_to_text),
                    text_to_image: finite(losses.text_to_image),
                    lr,
                    pairs: batch.len(),
                    elapsed_s: self.started.elapsed().as_secs_f64(),
                })?;
                self.log_skips(train.take_skips(), state)?;
                if config
                    .val_every
                    .is_some_and(|k| state.step.is_multiple_of(k))
                    && self.validate(&model, optimizer, state, cache)?
                {
                    return Ok((model, StopReason::EarlyStopping));
                }
                if config
                    .checkpoint_every
                    .is_some_and(|k| state.step.is_multiple_of(k))
                {
                    self.checkpoints.save(&model, optimizer, state, false)?;
                }
                if self.observer.should_stop() {
                    return Ok((model, StopReason::Interrupted));
                }
            }
            self.log_skips(train.take_skips(), state)?;
            self.record(Record::Epoch {
                step: state.step,
                epoch: state.epoch,
                skipped: state.skipped_train as usize,
            })?;
            state.epoch += 1;
            state.batch = 0;
            if config.val_every.is_none() && self.validate(&model, optimizer, state, cache)? {
                return Ok((model, StopReason::EarlyStopping));
            }
            if state.step >= total && state.epoch < config.epochs {
                return Ok((model, StopReason::MaxSteps));
            }
        }
        Ok((model, StopReason::Epochs))
    }

    /// Logs each training skip once, named, and counts it.
    fn log_skips(&mut self, skips: Vec<String>, state: &mut TrainState) -> Result<(), TrainError> {
        for reason in skips {
            state.skipped_train += 1;
            self.record(Record::Skip {
                step: state.step,
                epoch: state.epoch,
                split: "train".into(),
                reason,
            })?;
        }
        Ok(())
    }

    /// Validates, steps the schedule, checkpoints; returns whether early stopping triggers.
    fn validate<I: ImageTower, T: TextTower>(
        &mut self,
        model: &ConvirtModel<I, T>,
        optimizer: &ModuleOptimizer,
        state: &mut TrainState,
        cache: &mut Option<FrozenPrefixCache>,
    ) -> Result<bool, TrainError> {
        let Some(val) = self.val else {
            return Ok(false);
        };
        let config = &self.trainer.config;
        let loss = validation_loss(
            model,
            val,
            config.objective,
            self.loss,
            cache.as_mut(),
            &self.trainer.device,
        )?;
        if !loss.is_finite() {
            return Err(TrainError::NonFiniteMetric(loss, state.validations + 1));
        }
        // The same bad items are skipped at every validation: named once, at the first.
        let skips = val.take_skips();
        if state.validations == 0 {
            for reason in &skips {
                self.record(Record::Skip {
                    step: state.step,
                    epoch: state.epoch,
                    split: "val".into(),
                    reason: reason.clone(),
                })?;
            }
        }
        state.skipped_val = skips.len();
        let best = state.record_validation(loss);
        let lr = state.plateau.step(loss)?;
        self.record(Record::Val {
            step: state.step,
            epoch: state.epoch,
            loss,
            lr,
            best,
            skipped: skips.len(),
        })?;
        self.checkpoints.save(model, optimizer, state, best)?;
        let stop = config
            .early_stopping
            .is_some_and(|patience| state.flat_validations >= patience);
        if stop {
            state.finished = true;
            self.observer.on_message(&format!(
                "early stopping: no improvement in {} validations",
                state.flat_validations
            ));
        }
        Ok(stop)
    }
}

/// Dropout's seed for a step: a fixed mix of the run's seed and the step, so a resumed run
/// draws what the uninterrupted one would have.
pub fn step_seed(seed: u64, step: u64) -> u64 {
    let mut z = seed ^ step.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
