//! The fault-injection suite for runs: crashes at every point of the checkpoint writer,
//! corrupted and missing checkpoint files, foreign and concurrent runs, changed settings, NaN
//! weights, and skips that must be named once. Each case asserts the outcome: the typed error
//! naming the file, or a resume bitwise equal to the uninterrupted run.

mod common;

use std::path::Path;

use burn::module::Param;
use burn::tensor::{Device, Tensor};
use common::*;
use convirt_train::{
    BatchSource, Checkpoints, FaultPlan, FaultPoint, HostBatch, Record, RunFolder, Silent,
    StopReason, TrainConfig, TrainError, TrainState, Trainer, Which, read_records,
};

fn train_source() -> Fixed {
    Fixed {
        batches: 4,
        size: 4,
        salt: 31,
        poison: None,
    }
}

fn val_source() -> Fixed {
    Fixed {
        batches: 1,
        size: 4,
        salt: 32,
        poison: None,
    }
}

fn faulty_config(text_cache: usize) -> TrainConfig {
    TrainConfig {
        checkpoint_every: Some(2),
        text_cache,
        ..config()
    }
}

type Weights = Vec<(String, Vec<u8>)>;

/// Trains to the end in `dir`; the final weights, state and every logged loss.
fn straight(dir: &Path, config: &TrainConfig) -> (Weights, TrainState, Vec<String>) {
    let device = Device::flex().autodiff();
    let trainer = Trainer::new(config.clone(), dir, device.clone())
        .unwrap()
        .with_run_file("settings.toml", b"arch = \"tiny\"\n".to_vec());
    let (model, summary) = trainer
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            false,
            &mut Silent,
        )
        .unwrap();
    (weights(&model, dir), summary.state, losses(dir))
}

fn losses(dir: &Path) -> Vec<String> {
    read_records(&dir.join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Train { step, loss, .. } => Some(format!("{step}:{loss}")),
            Record::Val { step, loss, .. } => Some(format!("{step}:v{loss}")),
            _ => None,
        })
        .collect()
}

/// Runs with `plan` (the writer "dies" at the planned operation), then resumes without faults
/// until the run is complete; returns what the resumed run ends with.
fn crash_then_resume(
    dir: &Path,
    config: &TrainConfig,
    plan: FaultPlan,
) -> (bool, Weights, TrainState, Vec<String>) {
    let device = Device::flex().autodiff();
    let trainer = Trainer::new(config.clone(), dir, device.clone())
        .unwrap()
        .with_run_file("settings.toml", b"arch = \"tiny\"\n".to_vec());
    let faulty = trainer.clone().with_faults(plan.clone());
    let first = faulty.fit(
        model(&device),
        &train_source(),
        Some(&val_source()),
        false,
        &mut Silent,
    );
    let fired = match first {
        Err(TrainError::InjectedFault { .. }) => true,
        Ok(_) => false,
        Err(other) => panic!("{plan:?}: unexpected error {other}"),
    };
    assert_eq!(fired, plan.fired(), "{plan:?}");
    let (model, summary) = trainer
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            true,
            &mut Silent,
        )
        .unwrap_or_else(|e| panic!("{plan:?}: resume failed: {e}"));
    // (A plan that never fired left a finished run: the resume loads its end.)
    (fired, weights(&model, dir), summary.state, losses(dir))
}

#[test]
fn fault_crash_at_any_checkpoint_write_fsync_or_rename_resumes_bitwise() {
    let _serial = serial();
    for text_cache in [0, 100] {
        let tmp = tempfile::tempdir().unwrap();
        let config = faulty_config(text_cache);
        let (w, state, log) = straight(&tmp.path().join("straight"), &config);
        assert_eq!(state.step, 8);
        let mut plans: Vec<FaultPlan> = Vec::new();
        // The run performs 44 writes, 80-odd fsyncs and 20-odd renames in its checkpoints.
        for nth in (1..=44).step_by(3) {
            plans.push(FaultPlan::new(FaultPoint::Write, nth));
        }
        for nth in (1..=70).step_by(3) {
            plans.push(FaultPlan::new(FaultPoint::Fsync, nth));
        }
        for nth in 1..=16 {
            plans.push(FaultPlan::new(FaultPoint::Rename, nth));
        }
        for seed in 0..8 {
            plans.push(FaultPlan::seeded(seed, 40));
        }
        let mut fired = 0;
        for (i, plan) in plans.iter().enumerate() {
            let dir = tmp.path().join(format!("crash-{i}"));
            let (did, w2, state2, log2) = crash_then_resume(&dir, &config, plan.clone());
            fired += usize::from(did);
            assert_eq!(state2, state, "cache {text_cache}, {plan:?}: state differs");
            assert_eq!(
                first_difference(&w, &w2),
                None,
                "cache {text_cache}, {plan:?}: weights differ"
            );
            assert_eq!(log2, log, "cache {text_cache}, {plan:?}: losses differ");
            let leftovers: Vec<String> = std::fs::read_dir(dir.join("checkpoints"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".tmp"))
                .collect();
            assert!(leftovers.is_empty(), "{plan:?}: {leftovers:?} left behind");
        }
        // Most plans hit an operation that happens; the suite is not vacuous.
        assert!(
            fired * 10 >= plans.len() * 8,
            "{fired} of {} fired",
            plans.len()
        );
        println!(
            "FAULT|fault_crash_at_any_checkpoint_write_fsync_or_rename_resumes_bitwise|{}|",
            plans.len()
        );
    }
}

/// A run in `dir` with the suite's settings, stopped (resumably) after `at` steps.
fn run_until(dir: &Path, at: u64) {
    let device = Device::flex().autodiff();
    let mut stop = StopAt { at, seen: 0 };
    Trainer::new(faulty_config(0), dir, device.clone())
        .unwrap()
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            false,
            &mut stop,
        )
        .unwrap();
}

/// A finished run in `dir` with its checkpoints; returns the `last` folder.
fn finished_run(dir: &Path) -> std::path::PathBuf {
    let device = Device::flex().autodiff();
    Trainer::new(faulty_config(0), dir, device.clone())
        .unwrap()
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            false,
            &mut Silent,
        )
        .unwrap();
    Checkpoints::new(dir.join("checkpoints"))
        .folder(Which::Last)
        .unwrap()
        .unwrap()
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in walk(dir) {
        all.push((
            entry.strip_prefix(dir).unwrap().display().to_string(),
            std::fs::read(&entry).unwrap(),
        ));
    }
    all.sort();
    all
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn resume(dir: &Path, config: TrainConfig) -> Result<StopReason, TrainError> {
    let device = Device::flex().autodiff();
    let trainer = Trainer::new(config, dir, device.clone())?;
    trainer
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            true,
            &mut Silent,
        )
        .map(|(_, s)| s.stop)
}

#[test]
fn fault_corrupted_checkpoints_are_refused_naming_the_file_and_nothing_is_pruned() {
    let _serial = serial();
    type Corrupt = fn(&mut Vec<u8>);
    let cases: [(&str, &str, Corrupt); 6] = [
        ("model.bpk", "flipped byte", |b| {
            let i = b.len() - 100;
            b[i] ^= 0x40;
        }),
        ("model.bpk", "truncated", |b| b.truncate(b.len() / 2)),
        ("optimizer.bpk", "flipped byte", |b| {
            let i = b.len() / 2;
            b[i] ^= 1;
        }),
        ("optimizer.bpk", "zeroed", |b| {
            b.iter_mut().for_each(|x| *x = 0)
        }),
        ("state.json", "zeroed", |b| {
            b.iter_mut().for_each(|x| *x = 0)
        }),
        ("manifest.json", "truncated", |b| b.truncate(10)),
    ];
    for (file, how, corrupt) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        let last = finished_run(&dir);
        let path = last.join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        corrupt(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        let before = snapshot(&dir.join("checkpoints"));
        // A resume that would continue (more steps allowed) must refuse to load it.
        let more = TrainConfig {
            max_steps: Some(12),
            epochs: 3,
            ..faulty_config(0)
        };
        let device = Device::flex().autodiff();
        let error = Trainer::new(more, &dir, device.clone())
            .unwrap()
            .allow_changed(["max_steps".to_string(), "epochs".to_string()])
            .fit(
                model(&device),
                &train_source(),
                Some(&val_source()),
                true,
                &mut Silent,
            )
            .map(|_| ())
            .unwrap_err();
        assert!(
            matches!(error, TrainError::Corrupt { .. }),
            "{file} {how}: {error}"
        );
        assert!(error.to_string().contains(file), "{file} {how}: {error}");
        assert_eq!(
            snapshot(&dir.join("checkpoints")),
            before,
            "{file} {how}: checkpoints changed after the refusal"
        );
        // Reading the model for evaluation refuses it too.
        let error = Checkpoints::new(dir.join("checkpoints"))
            .verified_folder(Which::Last)
            .unwrap_err();
        assert!(error.to_string().contains(file), "{file} {how}: {error}");
    }
    println!(
        "FAULT|fault_corrupted_checkpoints_are_refused_naming_the_file_and_nothing_is_pruned|{}|",
        cases.len()
    );
}

#[test]
fn fault_missing_pointer_resumes_from_the_newest_checkpoint_of_the_run() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let config = faulty_config(0);
    let (w, state, _) = straight(&tmp.path().join("straight"), &config);
    // Stop at step 5 (checkpoint at 4, and at the stop), then lose last.json.
    let dir = tmp.path().join("split");
    let device = Device::flex().autodiff();
    let trainer = Trainer::new(config.clone(), &dir, device.clone())
        .unwrap()
        .with_run_file("settings.toml", b"arch = \"tiny\"\n".to_vec());
    let mut stop = StopAt { at: 5, seen: 0 };
    trainer
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            false,
            &mut stop,
        )
        .unwrap();
    std::fs::remove_file(dir.join("checkpoints/last.json")).unwrap();
    let (m, summary) = trainer
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            true,
            &mut Silent,
        )
        .unwrap();
    assert_eq!(summary.state, state);
    assert_eq!(first_difference(&w, &weights(&m, &dir)), None);

    // A manifest removed from the folder last.json names: refused, naming it.
    let last = Checkpoints::new(dir.join("checkpoints"))
        .folder(Which::Last)
        .unwrap()
        .unwrap();
    std::fs::remove_file(last.join("manifest.json")).unwrap();
    let error = resume(&dir, config.clone()).unwrap_err();
    assert!(error.to_string().contains("manifest.json"), "{error}");
    // A pointer naming a folder that is gone: refused, naming it.
    std::fs::remove_dir_all(&last).unwrap();
    let error = resume(&dir, config).unwrap_err();
    assert!(
        error.to_string().contains(&last.display().to_string()),
        "{error}"
    );
    println!("FAULT|fault_missing_pointer_resumes_from_the_newest_checkpoint_of_the_run|3|");
}

#[test]
fn fault_fresh_run_into_an_earlier_runs_folder_is_refused_even_without_last_json() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    finished_run(&dir);
    std::fs::remove_file(dir.join("checkpoints/last.json")).unwrap();
    std::fs::remove_file(dir.join("run.json")).unwrap();
    let before = snapshot(&dir);
    let device = Device::flex().autodiff();
    let error = Trainer::new(faulty_config(0), &dir, device.clone())
        .unwrap()
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            false,
            &mut Silent,
        )
        .map(|_| ())
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("earlier run") && text.contains("checkpoints"),
        "{text}"
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "the refused run wrote into the folder"
    );
}

#[test]
fn fault_a_checkpoint_of_another_run_is_never_used() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    finished_run(&a);
    run_until(&b, 3);
    // Run a's last checkpoint copied into run b, with b's pointer aimed at it.
    let from = Checkpoints::new(a.join("checkpoints"))
        .folder(Which::Last)
        .unwrap()
        .unwrap();
    let name = from.file_name().unwrap().to_string_lossy().into_owned();
    let to = b.join("checkpoints").join(format!("{name}.9"));
    std::fs::create_dir_all(&to).unwrap();
    for file in walk(&from) {
        std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
    }
    let pointer = std::fs::read_to_string(b.join("checkpoints/last.json")).unwrap();
    let mut pointer: serde_json::Value = serde_json::from_str(&pointer).unwrap();
    pointer["folder"] = format!("{name}.9").into();
    pointer["step"] = 8.into();
    std::fs::write(b.join("checkpoints/last.json"), pointer.to_string()).unwrap();
    let error = resume(&b, faulty_config(0)).unwrap_err();
    assert!(error.to_string().contains("not by this run"), "{error}");
}

#[test]
fn fault_two_processes_cannot_train_into_one_folder() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let held = RunFolder::open(&dir, false, &[]).unwrap();
    let device = Device::flex().autodiff();
    let error = Trainer::new(faulty_config(0), &dir, device.clone())
        .unwrap()
        .fit(model(&device), &train_source(), None, false, &mut Silent)
        .map(|_| ())
        .unwrap_err();
    assert!(matches!(error, TrainError::Locked { .. }), "{error}");
    drop(held);
    // Released: the run goes ahead.
    assert!(resume_or_start(&dir).is_ok());
}

fn resume_or_start(dir: &Path) -> Result<StopReason, TrainError> {
    let device = Device::flex().autodiff();
    Trainer::new(faulty_config(0), dir, device.clone())?
        .fit(model(&device), &train_source(), None, false, &mut Silent)
        .map(|(_, s)| s.stop)
}

#[test]
fn fault_resume_with_changed_settings_is_refused_naming_them_unless_allowed() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let device = Device::flex().autodiff();
    run_until(&dir, 3);
    let saved = std::fs::read(dir.join("train_config.json")).unwrap();
    let other = TrainConfig {
        tau: 0.2,
        max_steps: Some(6),
        ..faulty_config(0)
    };
    let error = resume(&dir, other.clone()).unwrap_err();
    match &error {
        TrainError::ChangedSettings { keys, .. } => assert_eq!(
            keys,
            &vec![
                "max_steps: null -> 6".to_string(),
                "tau: 0.1 -> 0.2".to_string()
            ]
        ),
        other => panic!("expected the changes named, got {other}"),
    }
    assert_eq!(
        std::fs::read(dir.join("train_config.json")).unwrap(),
        saved,
        "a refused resume rewrote the settings"
    );
    // Allowed explicitly, the resume goes on and records the new settings.
    let stop = Trainer::new(other, &dir, device.clone())
        .unwrap()
        .allow_changed(["tau".to_string(), "max_steps".to_string()])
        .fit(
            model(&device),
            &train_source(),
            Some(&val_source()),
            true,
            &mut Silent,
        )
        .unwrap()
        .1;
    assert_eq!((stop.stop, stop.state.step), (StopReason::MaxSteps, 6));
    assert_ne!(std::fs::read(dir.join("train_config.json")).unwrap(), saved);
}

#[test]
fn fault_a_model_with_a_nan_weight_is_never_checkpointed() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let device = Device::flex().autodiff();
    let mut net = model(&device);
    let shape = net.image_head.linear_1.weight.val().dims();
    let mut poisoned = vec![0.5f32; shape[0] * shape[1]];
    poisoned[3] = f32::NAN;
    net.image_head.linear_1.weight = Param::from_tensor(Tensor::<2>::from_data(
        burn::tensor::TensorData::new(poisoned, shape),
        &device,
    ));
    let checkpoints = Checkpoints::new(tmp.path().join("checkpoints")).for_run("r");
    let optimizer = convirt_train::paper_adam().init();
    let plateau = config().plateau.init(1e-3).unwrap();
    let error = checkpoints
        .save(&net, &optimizer, &TrainState::new(plateau), false)
        .unwrap_err();
    assert!(
        matches!(error, TrainError::NonFiniteWeights { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("image_head"), "{error}");
    assert!(
        !checkpoints.dir().exists() || std::fs::read_dir(checkpoints.dir()).unwrap().count() == 0
    );
}

/// `Fixed` whose items (epoch, batch, row) in `bad` are reported skipped, naming a file.
struct Skipping {
    inner: Fixed,
    bad: Vec<(usize, usize)>,
    pending: std::sync::Mutex<Vec<String>>,
}

impl BatchSource for Skipping {
    fn batches_per_epoch(&self) -> usize {
        self.inner.batches_per_epoch()
    }

    fn epoch(
        &self,
        epoch: usize,
        start: usize,
    ) -> Box<dyn Iterator<Item = Result<HostBatch, String>> + '_> {
        Box::new((start..self.inner.batches).map(move |i| {
            if self.bad.contains(&(epoch, i)) {
                self.pending
                    .lock()
                    .unwrap()
                    .push(format!("images/e{epoch}-b{i}.jpg: truncated JPEG"));
            }
            Ok(self.inner.batch(epoch, i))
        }))
    }

    fn take_skips(&self) -> Vec<String> {
        std::mem::take(&mut *self.pending.lock().unwrap())
    }
}

#[test]
fn fault_skips_are_named_once_even_when_the_run_stops_mid_epoch() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let source = || Skipping {
        inner: train_source(),
        bad: vec![(0, 1), (0, 3), (1, 0), (1, 2)],
        pending: Default::default(),
    };
    let val = Skipping {
        inner: val_source(),
        bad: vec![(0, 0)],
        pending: Default::default(),
    };
    let device = Device::flex().autodiff();
    let trainer = Trainer::new(faulty_config(0), &dir, device.clone()).unwrap();
    // Stops mid-epoch 1, after its first skip: max_steps-like ends must not lose it.
    let mut stop = StopAt { at: 6, seen: 0 };
    trainer
        .fit(model(&device), &source(), Some(&val), false, &mut stop)
        .unwrap();
    let (_, summary) = trainer
        .fit(model(&device), &source(), Some(&val), true, &mut Silent)
        .unwrap();
    let skips: Vec<(String, String)> = read_records(&dir.join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Skip { split, reason, .. } => Some((split, reason)),
            _ => None,
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("train", "images/e0-b1.jpg: truncated JPEG"),
        ("val", "images/e0-b0.jpg: truncated JPEG"),
        ("train", "images/e0-b3.jpg: truncated JPEG"),
        ("train", "images/e1-b0.jpg: truncated JPEG"),
        ("train", "images/e1-b2.jpg: truncated JPEG"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(skips, expected);
    assert_eq!(
        (summary.state.skipped_train, summary.state.skipped_val),
        (4, 1)
    );
}
