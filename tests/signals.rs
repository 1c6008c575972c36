//! SIGTERM, as a cluster sends when it preempts a job: the run checkpoints at the next step
//! boundary and ends with `PretrainError::Interrupted`; `--resume` then continues bitwise. Its
//! own test binary: the signal is process-wide.

mod common;

use std::time::{Duration, Instant};

use convirt::pretrain::{PretrainError, clear_signal, pretrain};
use convirt::train::{Checkpoints, Record, Which, read_records};

#[test]
fn fault_sigterm_checkpoints_at_a_step_boundary_and_resume_is_bitwise() {
    let device = common::device();
    let options = common::tiny_pretrain(8, 4);
    let tmp = tempfile::tempdir().unwrap();
    let straight = pretrain(&options, &tmp.path().join("straight"), &device, false).unwrap();

    let dir = tmp.path().join("run");
    let metrics = dir.join("metrics.jsonl");
    let watcher = std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(300) {
            let steps = read_records(&metrics)
                .map(|r| {
                    r.iter()
                        .filter(|r| matches!(r, Record::Train { .. }))
                        .count()
                })
                .unwrap_or(0);
            if steps >= 2 {
                // SAFETY: sends SIGTERM to this process, whose handler only sets flags.
                unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    });
    let error = pretrain(&options, &dir, &device, false)
        .map(|_| ())
        .unwrap_err();
    assert!(watcher.join().unwrap(), "the run never reached step 2");
    let step = match &error {
        PretrainError::Interrupted { signal, step, .. } => {
            assert_eq!(*signal, "SIGTERM");
            *step
        }
        other => panic!("expected an interruption, got {other}"),
    };
    assert!((2..8).contains(&step), "stopped at step {step}");
    assert!(error.to_string().contains("--resume"), "{error}");
    let last = Checkpoints::new(dir.join("checkpoints"))
        .pointer(Which::Last)
        .unwrap()
        .unwrap();
    assert_eq!(last.step, step, "checkpointed at the step it stopped after");

    clear_signal();
    let resumed = pretrain(&options, &dir, &device, true).unwrap();
    assert_eq!(resumed.summary.state.step, 8);
    assert_eq!(resumed.summary.state, straight.summary.state);
    assert!(
        convirt::with_model!(&resumed.model, |m| common::weights(m))
            == convirt::with_model!(&straight.model, |m| common::weights(m)),
        "weights differ after the SIGTERM resume"
    );
}
