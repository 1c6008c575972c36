//! The linear probe and zero-shot protocols end to end on tiny image sets whose labels are a
//! function of the pictures, with a small random-init model.

mod common;

use std::path::{Path, PathBuf};

use convirt::augment::{Image, TensorLayout, save};
use convirt::eval::ProbeConfig;
use convirt::probe::{ProbeSet, ProbeSettings, linear_probe};
use convirt::text::{TextTokenizer, assets};
use convirt::zeroshot::zero_shot;

/// `n` flat gray 32² PNGs with a little noise; label 0: brightness above 0.5, label 1: above 0.3.
fn images(dir: &Path, tag: &str, n: usize, seed: u64) -> (Vec<PathBuf>, Vec<bool>) {
    let (mut paths, mut labels) = (Vec::new(), Vec::new());
    for i in 0..n {
        let b = 0.1 + 0.8 * ((i as u64 * 7919 + seed * 104_729) % 1000) as f32 / 1000.0;
        let noise = Image::noise(32, 32, seed * 1000 + i as u64)
            .unwrap()
            .to_f32();
        let pixels: Vec<f32> = noise.iter().map(|v| b + 0.05 * (v - 0.5)).collect();
        let path = dir.join(format!("{tag}{i}.png"));
        save(&Image::from_f32(32, 32, pixels).unwrap(), &path).unwrap();
        paths.push(path);
        labels.extend([b > 0.5, b > 0.3]);
    }
    (paths, labels)
}

fn settings(fractions: Vec<f64>, seeds: u64, bootstrap: usize) -> ProbeSettings {
    ProbeSettings {
        fractions,
        seeds: 0..seeds,
        size: 32,
        layout: TensorLayout::gray(),
        batch: 16,
        bootstrap,
        regression: ProbeConfig::default(),
    }
}

#[test]
fn the_probe_reads_brightness_labels_from_pooled_features_on_nested_subsets() {
    let dir = tempfile::tempdir().unwrap();
    let set = ProbeSet {
        labels: vec!["bright".into(), "not_dark".into()],
        train: images(dir.path(), "train", 120, 1),
        test: images(dir.path(), "test", 60, 2),
    };
    let device = common::device();
    let net = common::tiny_model(&device, 5);
    let report = linear_probe(&net, &set, &settings(vec![0.1, 1.0], 2, 200), &device).unwrap();
    assert_eq!(report.fractions.len(), 2);
    let (small, full) = (&report.fractions[0], &report.fractions[1]);
    assert_eq!((small.examples, full.examples), (12, 120));
    assert_eq!((small.percent, full.percent), (10.0, 100.0));
    assert_eq!(full.seeds.len(), 2);
    // Every subset of 100 % is the whole set: both seeds fit the same probe.
    assert_eq!(full.seeds[0], full.seeds[1]);
    assert_eq!(full.sd, Some(0.0));
    // Brightness survives a random-init ResNet's pooling: the full probe separates it.
    assert!(full.mean > 0.9, "{report:?}");
    assert_eq!(full.per_label.len(), 2);
    assert_eq!(full.per_label_ci95.len(), 2);
    for (auroc, [lo, hi]) in full.per_label.iter().zip(&full.per_label_ci95) {
        assert!(lo <= auroc && auroc <= hi, "{lo} {auroc} {hi}");
    }
    // Same inputs, same report.
    let again = linear_probe(&net, &set, &settings(vec![0.1, 1.0], 2, 200), &device).unwrap();
    assert_eq!(again.fractions[0].seeds, small.seeds);
}

#[test]
fn zero_shot_scores_every_label_and_names_one_without_negative_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let set = ProbeSet {
        labels: vec!["bright".into(), "not_dark".into()],
        train: images(dir.path(), "train", 4, 1),
        test: images(dir.path(), "test", 40, 2),
    };
    let positives = dir.path().join("pos.csv");
    let negatives = dir.path().join("neg.csv");
    std::fs::write(
        &positives,
        "Variable,Text\nbright,A bright image.\nnot_dark,Not a dark image.\n",
    )
    .unwrap();
    std::fs::write(&negatives, "Variable,Text\nbright,A dark image.\n").unwrap();
    let device = common::device();
    let net = common::tiny_model(&device, 5);
    let tokenizer = TextTokenizer::from_file(assets::require(assets::MINILM_TOKENIZER).unwrap())
        .unwrap()
        .with_max_len(16)
        .unwrap();
    let s = settings(vec![1.0], 1, 0);
    let error = zero_shot(&net, &set, &positives, &negatives, &tokenizer, &s, &device)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not_dark"), "{error}");
    std::fs::write(
        &negatives,
        "Variable,Text\nbright,A dark image.\nnot_dark,A dark image.\nnot_dark,Very dark.\n",
    )
    .unwrap();
    let report = zero_shot(&net, &set, &positives, &negatives, &tokenizer, &s, &device).unwrap();
    assert_eq!(report.prompts, vec![(1, 1), (1, 2)]);
    assert_eq!(report.per_label.len(), 2);
    assert!(report.per_label.iter().all(|a| (0.0..=1.0).contains(a)));
    assert!((report.mean - (report.per_label[0] + report.per_label[1]) / 2.0).abs() < 1e-12);
}

#[test]
fn fine_tuning_learns_brightness_labels_and_reports_each_fraction() {
    use convirt::finetune::{FinetuneSettings, fine_tune};
    let dir = tempfile::tempdir().unwrap();
    let set = ProbeSet {
        labels: vec!["bright".into(), "not_dark".into()],
        train: images(dir.path(), "train", 64, 1),
        test: images(dir.path(), "test", 40, 2),
    };
    let device = common::device();
    let net = common::tiny_model(&device, 5);
    let settings = FinetuneSettings {
        probe: settings(vec![0.25, 1.0], 1, 0),
        steps: 40,
        batch: 16,
        learning_rate: 3e-3,
    };
    let report = fine_tune(&net, &set, &settings, &device).unwrap();
    assert_eq!(report.len(), 2);
    assert_eq!((report[0].examples, report[1].examples), (16, 64));
    let full = &report[1];
    let [first, last] = full.loss_first_last;
    assert!(last < first, "training loss {first} -> {last}");
    assert!(full.mean > 0.85, "{report:?}");
    assert_eq!(full.seeds.len(), 1);
    // The encoder trains too, not only the classifier's weight and bias.
    assert!(full.trained_tensors > 2, "{report:?}");
}
