//! A real disk-full error during a checkpoint save: the file-size limit (`RLIMIT_FSIZE`, what
//! `prlimit --fsize` sets) makes the kernel refuse the write with EFBIG, as a full disk refuses
//! it with ENOSPC. The save must end in a typed error naming the file, leave no temporary
//! folder behind, and keep the last good checkpoint intact, so that the next resume, with room
//! again, ends bitwise equal to an uninterrupted run. Its own test binary: the limit is
//! process-wide.

mod common;

use burn::tensor::Device;
use common::*;
use convirt_train::{Checkpoints, Silent, TrainConfig, TrainError, Trainer, Which};

fn set_file_size_limit(bytes: libc::rlim_t) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain libc calls with valid pointers; SIGXFSZ would otherwise kill the process
    // instead of letting write() fail with EFBIG.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = bytes.min(limit.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
}

#[test]
fn fault_disk_full_during_a_save_is_a_typed_error_and_the_last_checkpoint_survives() {
    let _serial = serial();
    let tmp = tempfile::tempdir().unwrap();
    let device = Device::flex().autodiff();
    let config = TrainConfig {
        checkpoint_every: Some(2),
        ..config()
    };
    let train = Fixed {
        batches: 4,
        size: 4,
        salt: 41,
        poison: None,
    };
    let val = Fixed {
        batches: 1,
        size: 4,
        salt: 42,
        poison: None,
    };
    let trainer =
        |dir: &std::path::Path| Trainer::new(config.clone(), dir, device.clone()).unwrap();
    let (reference, _) = trainer(&tmp.path().join("straight"))
        .fit(model(&device), &train, Some(&val), false, &mut Silent)
        .unwrap();

    let dir = tmp.path().join("run");
    let mut stop = StopAt { at: 4, seen: 0 };
    trainer(&dir)
        .fit(model(&device), &train, Some(&val), false, &mut stop)
        .unwrap();
    let checkpoints = Checkpoints::new(dir.join("checkpoints"));
    let good = checkpoints.pointer(Which::Last).unwrap().unwrap();
    let model_bytes =
        std::fs::metadata(dir.join("checkpoints").join(&good.folder).join("model.bpk"))
            .unwrap()
            .len();

    // The disk "fills": no file may grow past half a model file.
    set_file_size_limit(model_bytes / 2);
    let error = trainer(&dir)
        .fit(model(&device), &train, Some(&val), true, &mut Silent)
        .map(|_| ())
        .unwrap_err();
    set_file_size_limit(libc::RLIM_INFINITY);
    assert!(matches!(error, TrainError::Io { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("model.bpk") || text.contains("optimizer.bpk"),
        "{text}"
    );
    let names: Vec<String> = std::fs::read_dir(checkpoints.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".tmp")),
        "temporary folders left behind: {names:?}"
    );
    assert_eq!(checkpoints.pointer(Which::Last).unwrap().unwrap(), good);
    assert!(checkpoints.verified_folder(Which::Last).unwrap().is_some());

    // Room again: the resume completes, bitwise the uninterrupted run.
    let (resumed, summary) = trainer(&dir)
        .fit(model(&device), &train, Some(&val), true, &mut Silent)
        .unwrap();
    assert_eq!(summary.state.step, 8);
    assert_eq!(
        first_difference(&weights(&reference, &dir), &weights(&resumed, &dir)),
        None
    );
}
