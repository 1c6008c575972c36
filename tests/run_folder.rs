//! `pretrain`'s run folder under misuse, on real data (SynthCXR `pairs`, MiniLM): a refused
//! command writes nothing, the settings that rebuild the model travel with every checkpoint,
//! changed settings are named, numeric settings are validated, and a resume with the text cache
//! on ends bitwise equal to the uninterrupted run.

mod common;

use std::path::Path;

use convirt::pretrain::{PretrainOptions, load_run, pretrain, resume_allowing};
use convirt::train::{Collective, Which};

fn tiny() -> PretrainOptions {
    common::tiny_pretrain(4, 2)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn fault_a_refused_command_never_rewrites_the_runs_settings() {
    let _serial = common::serial();
    let device = common::device();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let run = pretrain(&tiny(), &dir, &device, false).unwrap();
    assert_eq!(run.summary.state.step, 4);
    let config = read(&dir.join("config.toml"));
    let last = dir.join("checkpoints").join(
        convirt::train::Checkpoints::new(dir.join("checkpoints"))
            .pointer(Which::Last)
            .unwrap()
            .unwrap()
            .folder,
    );
    assert_eq!(
        read(&last.join("config.toml")),
        config,
        "the checkpoint carries its settings"
    );

    // A fresh start into the folder, with another architecture: refused, nothing written.
    let mut other = tiny();
    other.arch = "resnet34".into();
    let error = pretrain(&other, &dir, &device, false)
        .unwrap_err()
        .to_string();
    assert!(error.contains("earlier run"), "{error}");
    assert_eq!(read(&dir.join("config.toml")), config);

    // A resume with another batch size and image size: refused, both named.
    let mut other = tiny();
    other.batch_size = 4;
    other.image_size = 64;
    let error = pretrain(&other, &dir, &device, true)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("batch_size: 8 -> 4") && error.contains("image_size: 32 -> 64"),
        "{error}"
    );
    assert_eq!(read(&dir.join("config.toml")), config);

    // Another architecture, explicitly allowed, is refused at load by the checkpoint's record of
    // its towers, naming both: still nothing rewritten.
    let mut other = tiny();
    other.arch = "resnet34".into();
    other.train.max_steps = Some(6);
    let allowed = ["arch".to_string(), "train.max_steps".to_string()];
    let devices = [device.clone()];
    let error = resume_allowing(&other, &dir, &devices, Collective::Host, &allowed)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("other towers")
            && error.contains("written from resnet18(in=1)")
            && error.contains("resnet34(in=1)"),
        "{error}"
    );
    assert_eq!(read(&dir.join("config.toml")), config);
    // ... and the run's model still loads for `embed` / `eval`, with its own settings.
    let (options, _) = load_run(&dir, Which::Best, &device).unwrap();
    assert_eq!(options.arch, "resnet18");

    // Even a damaged run-folder config.toml does not matter: the checkpoint's copy rebuilds it.
    std::fs::write(
        dir.join("config.toml"),
        "arch = \"resnet50\"\nimage_size = 224\n",
    )
    .unwrap();
    let (options, _) = load_run(&dir, Which::Last, &device).unwrap();
    assert_eq!(
        (options.arch.as_str(), options.image_size),
        ("resnet18", 32)
    );
    // Cases: fresh start, changed sizes, another architecture, and the two loads.
    println!("FAULT|fault_a_refused_command_never_rewrites_the_runs_settings|5|");
}

#[test]
fn fault_bad_numeric_settings_are_typed_errors_not_panics() {
    let mut cases = 0;
    for bad in [
        "time_budget_s = -1.0",
        "time_budget_s = nan",
        "time_budget_s = inf",
        "time_budget_s = 1e300",
        "batch_size = 1",
        "image_size = 0",
        "seq_len = 0",
        "loader_threads = 0",
        "val_pairs = 0",
        "train.learning_rate = -1.0",
        "train.tau = 0.0",
        "train.lambda = 2.0",
        "train.val_every = 0",
    ]
    .iter()
    .inspect(|_| cases += 1)
    {
        let key = bad.split(' ').next().unwrap();
        let error = tiny()
            .with_overrides(&[bad.replace(' ', "")])
            .map(|_| ())
            .unwrap_err()
            .to_string();
        // Named as the setting, or as the quantity it sets (τ is the temperature).
        let named = match key.rsplit('.').next().unwrap() {
            "tau" => "temperature",
            leaf => leaf,
        };
        assert!(error.contains(named), "{bad}: {error}");
    }
    println!("FAULT|fault_bad_numeric_settings_are_typed_errors_not_panics|{cases}|");
}

#[test]
fn fault_resume_with_the_text_cache_on_is_bitwise_the_uninterrupted_run() {
    let _serial = common::serial();
    let device = common::device();
    let tmp = tempfile::tempdir().unwrap();
    // Sentences of up to 32 tokens (the CPU preset's), so that padding differs between batches.
    let mut options = tiny();
    options.seq_len = 32;
    options.batch_size = 16;
    options.train.max_steps = Some(6);
    assert!(options.train.text_cache > 0 && options.frozen_layers > 0);
    let straight = pretrain(&options, &tmp.path().join("straight"), &device, false).unwrap();

    let dir = tmp.path().join("split");
    let mut first = options.clone();
    first.train.max_steps = Some(3);
    pretrain(&first, &dir, &device, false).unwrap();
    let allowed = ["train.max_steps".to_string()];
    let resumed = resume_allowing(
        &options,
        &dir,
        std::slice::from_ref(&device),
        Collective::Host,
        &allowed,
    )
    .unwrap();
    assert_eq!(resumed.summary.state.step, 6);
    let (a, b) = (
        convirt::with_model!(&straight.model, |m| common::weights(m)),
        convirt::with_model!(&resumed.model, |m| common::weights(m)),
    );
    let differ: Vec<&String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| &x.0)
        .collect();
    assert!(differ.is_empty(), "tensors differ after resume: {differ:?}");
}
