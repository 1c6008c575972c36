//! The loop on a tiny model with BatchNorm and dropout: exact mid-epoch resume, checkpoints kept
//! last and best, validation driving the schedule, NaN stops with the last good checkpoint.

use burn::tensor::Device;
use convirt_train::{
    Checkpoints, Collective, Record, Silent, StopReason, TrainConfig, TrainError, Trainer, Which,
    checkpoint::write_model, read_records,
};

mod common;
use common::*;

#[test]
fn resumed_mid_epoch_run_ends_bitwise_equal_to_a_straight_run() {
    let _serial = serial();
    let device = Device::flex().autodiff();
    let train = Fixed {
        batches: 4,
        size: 4,
        salt: 1,
        poison: None,
    };
    let val = Fixed {
        batches: 2,
        size: 4,
        salt: 2,
        poison: None,
    };
    let tmp = tempfile::tempdir().unwrap();

    let straight = Trainer::new(config(), tmp.path().join("straight"), device.clone()).unwrap();
    let (a, summary_a) = straight
        .fit(model(&device), &train, Some(&val), false, &mut Silent)
        .unwrap();
    assert_eq!(summary_a.stop, StopReason::Epochs);
    assert_eq!(summary_a.state.step, 8);

    let split = Trainer::new(config(), tmp.path().join("split"), device.clone()).unwrap();
    let mut stop = StopAt { at: 5, seen: 0 };
    let (_, first) = split
        .fit(model(&device), &train, Some(&val), false, &mut stop)
        .unwrap();
    assert_eq!(first.stop, StopReason::Interrupted);
    assert_eq!(
        (first.state.epoch, first.state.batch),
        (1, 1),
        "stopped mid-epoch"
    );
    // A fresh process: new model object, new optimizer, state from disk.
    let (b, summary_b) = split
        .fit(model(&device), &train, Some(&val), true, &mut Silent)
        .unwrap();
    assert_eq!(summary_b.state.step, 8);
    assert_eq!(
        summary_b.state, summary_a.state,
        "same cursor, schedule and history"
    );
    let diff = first_difference(&weights(&a, tmp.path()), &weights(&b, tmp.path()));
    assert_eq!(diff, None, "final weights differ");

    // The metrics logs agree on every loss (resumption rewrote the tail, nothing duplicated).
    let losses = |run: &str| -> Vec<(u64, String)> {
        read_records(&tmp.path().join(run).join("metrics.jsonl"))
            .unwrap()
            .into_iter()
            .filter_map(|r| match r {
                Record::Train { step, loss, .. } => Some((step, format!("{loss}"))),
                Record::Val { step, loss, .. } => Some((step, format!("v{loss}"))),
                Record::Epoch { .. } | Record::Skip { .. } => None,
            })
            .collect()
    };
    assert_eq!(losses("straight"), losses("split"));
    assert_eq!(losses("straight").len(), 8 + 2);
}

#[test]
fn checkpoints_keep_last_and_best_and_refuse_a_foreign_run() {
    let _serial = serial();
    let device = Device::flex().autodiff();
    let train = Fixed {
        batches: 3,
        size: 4,
        salt: 3,
        poison: None,
    };
    let val = Fixed {
        batches: 1,
        size: 4,
        salt: 4,
        poison: None,
    };
    let tmp = tempfile::tempdir().unwrap();
    let config = TrainConfig {
        epochs: 3,
        val_every: None,
        ..config()
    };
    let trainer = Trainer::new(config.clone(), tmp.path(), device.clone()).unwrap();
    let (_, summary) = trainer
        .fit(model(&device), &train, Some(&val), false, &mut Silent)
        .unwrap();
    assert_eq!(summary.state.validations, 3);
    let checkpoints = Checkpoints::new(tmp.path().join("checkpoints"));
    let last = checkpoints.pointer(Which::Last).unwrap().unwrap();
    let best = checkpoints.pointer(Which::Best).unwrap().unwrap();
    assert_eq!(last.step, 9);
    assert_eq!(best.val_loss, summary.state.best_val);
    let folders: Vec<String> = std::fs::read_dir(checkpoints.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("step-") || n.starts_with(".tmp"))
        .collect();
    let expected = if last.folder == best.folder { 1 } else { 2 };
    assert_eq!(
        folders.len(),
        expected,
        "only last and best are kept: {folders:?}"
    );
    // The validation record's lr is what the schedule returned.
    let vals: Vec<f64> = read_records(&tmp.path().join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Val { loss, .. } => Some(loss),
            _ => None,
        })
        .collect();
    assert_eq!(vals.len(), 3);
    assert_eq!(summary.state.val_first, Some(vals[0]));
    assert_eq!(summary.state.val_last, Some(vals[2]));

    // Starting afresh in a folder holding a run is refused; resuming a finished run is a no-op.
    let again = trainer.fit(model(&device), &train, Some(&val), false, &mut Silent);
    assert!(matches!(again, Err(TrainError::Checkpoint { .. })));
    let (_, resumed) = trainer
        .fit(model(&device), &train, Some(&val), true, &mut Silent)
        .unwrap();
    assert_eq!(resumed.stop, StopReason::AlreadyFinished);
    // Resuming under other settings is refused.
    let other = Trainer::new(
        TrainConfig {
            learning_rate: 5e-4,
            ..config
        },
        tmp.path(),
        device.clone(),
    )
    .unwrap();
    let refused = other.fit(model(&device), &train, Some(&val), true, &mut Silent);
    match refused {
        Err(TrainError::ChangedSettings { keys, .. }) => {
            assert_eq!(keys, vec!["learning_rate: 0.001 -> 0.0005".to_string()])
        }
        other => panic!("expected the changed setting named, got {other:?}"),
    }
}

#[test]
fn a_nan_batch_stops_the_run_naming_the_step_and_keeps_the_last_checkpoint() {
    let _serial = serial();
    let device = Device::flex().autodiff();
    let train = Fixed {
        batches: 4,
        size: 4,
        salt: 5,
        poison: Some((0, 3)),
    };
    let tmp = tempfile::tempdir().unwrap();
    let config = TrainConfig {
        checkpoint_every: Some(2),
        val_every: None,
        ..config()
    };
    let trainer = Trainer::new(config, tmp.path(), device.clone()).unwrap();
    let error = trainer
        .fit(model(&device), &train, None, false, &mut Silent)
        .unwrap_err();
    assert!(
        matches!(error, TrainError::NonFiniteLoss { step: 3, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("step 3"));
    let last = Checkpoints::new(tmp.path().join("checkpoints"))
        .pointer(Which::Last)
        .unwrap()
        .unwrap();
    assert_eq!(last.step, 2);
    // The checkpoint loads completely into a fresh model.
    let folder = tmp.path().join("checkpoints").join(&last.folder);
    let (_, _, state) =
        Checkpoints::load(&folder, model(&device), convirt_train::paper_adam().init()).unwrap();
    assert_eq!((state.step, state.epoch, state.batch), (2, 0, 2));
}

#[test]
fn a_truncated_checkpoint_is_an_error_naming_the_file() {
    let _serial = serial();
    let device = Device::flex().autodiff();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("model.bpk");
    write_model(&model(&device), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let error = convirt_train::checkpoint::read_model(model(&device), &path).unwrap_err();
    assert!(error.to_string().contains("model.bpk"), "{error}");
}

#[test]
fn warmup_ramps_the_learning_rate_linearly() {
    let _serial = serial();
    let device = Device::flex().autodiff();
    let train = Fixed {
        batches: 3,
        size: 4,
        salt: 8,
        poison: None,
    };
    let tmp = tempfile::tempdir().unwrap();
    let config = TrainConfig {
        epochs: 2,
        warmup_steps: 4,
        val_every: None,
        ..config()
    };
    let trainer = Trainer::new(config, tmp.path(), device.clone()).unwrap();
    trainer
        .fit(model(&device), &train, None, false, &mut Silent)
        .unwrap();
    let lrs: Vec<f64> = read_records(&tmp.path().join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Train { lr, .. } => Some(lr),
            _ => None,
        })
        .collect();
    let expected = [0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 1e-3, 1e-3];
    assert_eq!(lrs.len(), expected.len());
    for (got, want) in lrs.iter().zip(expected) {
        assert!((got - want).abs() < 1e-12, "{lrs:?}");
    }
}

fn train_losses(dir: &std::path::Path) -> Vec<f32> {
    read_records(&dir.join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Train { loss, .. } => Some(loss),
            _ => None,
        })
        .collect()
}

#[test]
fn data_parallel_training_follows_the_feature_cache_run() {
    // Two simulated ranks with batch 4 see the same gradient as the feature cache with micro
    // batches of 2 (ghost batch norm, per-shard dropout seeds), so the two runs' losses agree
    // step for step; a third run on three ranks cannot split a batch of 4 and falls back to the
    // main device, which is the plain loop exactly.
    let _serial = serial();
    let device = Device::flex().autodiff();
    let train = Fixed {
        batches: 3,
        size: 4,
        salt: 21,
        poison: None,
    };
    let base = TrainConfig {
        val_every: None,
        text_cache: 0,
        ..config()
    };
    let run = |config: TrainConfig, devices: usize| {
        let tmp = tempfile::tempdir().unwrap();
        let trainer = Trainer::new(config, tmp.path(), device.clone())
            .unwrap()
            .with_data_parallel(vec![device.clone(); devices], Collective::Host)
            .unwrap();
        trainer
            .fit(model(&device), &train, None, false, &mut Silent)
            .unwrap();
        train_losses(tmp.path())
    };
    let parallel = run(base.clone(), 2);
    let cached = run(
        TrainConfig {
            micro_batch: Some(2),
            ..base.clone()
        },
        1,
    );
    assert_eq!(parallel.len(), 6);
    for (p, c) in parallel.iter().zip(&cached) {
        assert!(
            (p - c).abs() <= 1e-5 * c.abs(),
            "{parallel:?} vs {cached:?}"
        );
    }
    assert!(parallel[5] != parallel[0]);
    let uneven = run(base.clone(), 3);
    let plain = run(base.clone(), 1);
    assert_eq!(uneven, plain);
    let refused = Trainer::new(
        TrainConfig {
            micro_batch: Some(2),
            ..base
        },
        "unused",
        device.clone(),
    )
    .unwrap()
    .with_data_parallel(vec![device.clone(); 2], Collective::Host);
    assert!(refused.is_err());
}
