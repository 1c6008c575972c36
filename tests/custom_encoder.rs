//! `examples/custom_encoder.rs` at CI size: towers nobody in the crates wrote are pretrained by
//! the real trainer, stopped, resumed bitwise, loaded back from their checkpoint, probed and used
//! for retrieval; a checkpoint of theirs refuses to load into other towers.

mod common;

#[path = "../examples/custom_encoder.rs"]
mod example;

use convirt::pretrain::{PretrainOptions, load_run_into, pretrain_model};
use convirt::train::{TrainError, Which};

/// The example's settings at CI size, in `dir`: small `cls` and `retrieval` sets of its own, and
/// the default `pairs` set (shared with the other tests, generated once) linked in.
fn args(dir: &std::path::Path, steps: u64) -> example::Args {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    convirt::setup::fetch_assets(root).unwrap();
    let shared = convirt::pretrain::synth_pairs::default_dir();
    convirt::setup::synthcxr(&shared, &[convirt::data::synth::SynthSet::Pairs]).unwrap();
    std::fs::create_dir_all(dir.join("synth")).unwrap();
    std::os::unix::fs::symlink(shared.join("pairs"), dir.join("synth/pairs")).unwrap();
    example::Args {
        steps,
        image_size: 32,
        batch: 8,
        width: 4,
        synth_dir: Some(dir.join("synth")),
        run_dir: dir.join("run"),
        counts: Some(vec![800, 4, 200]),
    }
}

/// The example's recipe at CI size, on the sets in `dir/synth`: batch 8 at 32², nothing frozen,
/// `steps` steps with a validation every 2.
fn recipe(dir: &std::path::Path, steps: u64) -> PretrainOptions {
    let mut options = PretrainOptions::cpu();
    options.data = format!("synthcxr:{}", dir.join("synth").display());
    (
        options.image_size,
        options.batch_size,
        options.frozen_layers,
    ) = (32, 8, 0);
    (options.seq_len, options.val_pairs, options.time_budget_s) = (32, Some(16), None);
    options.train.val_every = Some(2);
    options.train.max_steps = Some(steps);
    options
}

#[test]
fn the_example_trains_resumes_probes_and_retrieves_with_its_own_towers() {
    let _guard = common::serial();
    let tmp = tempfile::tempdir().unwrap();
    let line = example::run(&args(tmp.path(), 6)).unwrap();
    assert_eq!(line["image_tower"], "small_cnn(width=4)");
    assert!(
        line["text_tower"].as_str().unwrap().ends_with("BagOfWords"),
        "{line}"
    );
    assert_eq!(line["resumed_from"], 3);
    assert_eq!(line["steps"], 6);
    assert_eq!(line["pairs_seen"], 6 * 8);
    for key in [
        "probe_mean_auroc_10",
        "probe_mean_auroc_100",
        "p_at_10_text_image",
        "p_at_10_image_image",
    ] {
        let v = line[key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{key} = {v}");
    }
    let chance = line["chance"].as_f64().unwrap();
    assert!(chance > 0.0 && chance < 0.5, "{line}");
    let (first, last) = (
        line["val_loss_first"].as_f64(),
        line["val_loss_last"].as_f64(),
    );
    assert!(
        first.unwrap().is_finite() && last.unwrap().is_finite(),
        "{line}"
    );
}

#[test]
fn a_resumed_run_of_custom_towers_is_bitwise_the_uninterrupted_one() {
    let _guard = common::serial();
    let tmp = tempfile::tempdir().unwrap();
    let a = args(tmp.path(), 4);
    // The example's sets, then its recipe, straight and interrupted.
    example::synth_sets(&a).unwrap();
    let mut options = recipe(tmp.path(), 4);
    let device = common::device();
    let straight = pretrain_model(
        &options,
        example::fresh_model(&options, 4, &device).unwrap(),
        &tmp.path().join("straight"),
        &device,
        None,
    )
    .unwrap();
    options.train.max_steps = Some(2);
    let dir = tmp.path().join("interrupted");
    let model = example::fresh_model(&options, 4, &device).unwrap();
    pretrain_model(&options, model, &dir, &device, None).unwrap();
    options.train.max_steps = Some(4);
    let allowed = ["train.max_steps".to_string()];
    let model = example::fresh_model(&options, 4, &device).unwrap();
    let resumed = pretrain_model(&options, model, &dir, &device, Some(&allowed)).unwrap();
    assert_eq!(resumed.summary.state.step, 4);
    assert!(
        common::weights(&straight.model) == common::weights(&resumed.model),
        "the resumed custom-tower run differs from the uninterrupted one"
    );

    // The checkpoint records its towers: a CNN of another width is refused by name.
    let other = example::fresh_model(&options, 8, &device).unwrap();
    let error = load_run_into(&dir, Which::Last, other)
        .unwrap_err()
        .to_string();
    assert!(error.contains("small_cnn(width=4)"), "{error}");
    assert!(error.contains("small_cnn(width=8)"), "{error}");
    // The built-in loader, which builds the towers `arch` names (resnet18), refuses it too.
    let error = convirt::pretrain::load_run(&dir, Which::Last, &device).unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(
            error,
            convirt::pretrain::PretrainError::Train(TrainError::TowerMismatch { .. })
        ),
        "{text}"
    );
    assert!(
        text.contains("resnet18(in=1)") && text.contains("small_cnn(width=4)"),
        "{text}"
    );
}

/// The training losses of a run folder's `metrics.jsonl`, step by step.
fn train_losses(dir: &std::path::Path) -> Vec<f32> {
    convirt::train::read_records(&dir.join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            convirt::train::Record::Train { loss, .. } => Some(loss),
            _ => None,
        })
        .collect()
}

#[test]
fn custom_towers_train_through_the_feature_cache_and_data_parallel_as_the_plain_step_does() {
    let _guard = common::serial();
    let tmp = tempfile::tempdir().unwrap();
    let a = args(tmp.path(), 2);
    example::synth_sets(&a).unwrap();
    let options = recipe(tmp.path(), 2);
    let device = common::device();
    let run = |options: &PretrainOptions, name: &str, devices: &[burn::tensor::Device]| {
        let dir = tmp.path().join(name);
        let model = example::fresh_model(options, 4, &device).unwrap();
        convirt::pretrain::pretrain_model_parallel(
            options,
            model,
            &dir,
            devices,
            convirt::train::Collective::Host,
            None,
        )
        .unwrap();
        train_losses(&dir)
    };
    let one = [device.clone()];
    let plain = run(&options, "plain", &one);
    // Two micro-batches of 4 through the feature cache (GradCache): the same loss of 8 pairs.
    let mut micro = options.clone();
    micro.train.micro_batch = Some(4);
    let cached = run(&micro, "micro", &one);
    // Two shards on two copies of the device, negatives from the whole batch.
    let parallel = run(&options, "parallel", &[device.clone(), device.clone()]);
    assert_eq!(plain.len(), 2);
    for (name, losses) in [("feature cache", &cached), ("data parallel", &parallel)] {
        assert_eq!(losses.len(), 2, "{name}");
        for (step, (a, b)) in plain.iter().zip(losses.iter()).enumerate() {
            assert!(
                (a - b).abs() <= 1e-4 * a.abs(),
                "{name}, step {}: {b} against the plain step's {a}",
                step + 1
            );
        }
    }
}
