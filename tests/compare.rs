//! `convirt eval compare` on a tiny budget (CI's reduced run): every method pretrains two steps
//! on SynthCXR `pairs`, is probed and fine-tuned on a small `cls` and scored on a small
//! `retrieval`, over two seeds; the report must be well formed, its numbers must agree with the
//! unit files, and a second call must skip every finished unit.

mod common;

use std::path::Path;

use convirt::compare::{CompareConfig, CompareError, Method, compare, read_unit, unit_file};
use convirt::data::synth::{SynthOptions, SynthSet, generate};
use convirt::pretrain::synth_pairs;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn tiny_config(synth: &Path, pairs_parent: &Path, queries: &Path) -> CompareConfig {
    let mut config = CompareConfig::synthcxr(synth, queries);
    config.seeds = 2;
    config.bootstrap = 50;
    config.finetune.steps = 2;
    config.finetune.batch = 8;
    let p = &mut config.pretrain;
    p.data = format!("synthcxr:{}", pairs_parent.display());
    p.image_size = 32;
    p.seq_len = 16;
    p.batch_size = 8;
    p.val_pairs = Some(16);
    p.train.max_steps = Some(2);
    p.train.val_every = Some(1);
    config
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn a_tiny_comparison_writes_a_well_formed_report_and_resumes() {
    let _serial = common::serial();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let synth = dir.path().join("synthcxr");
    for (set, counts) in [
        (SynthSet::Cls, [2000, 20, 300]),
        (SynthSet::Retrieval, [20, 2, 0]),
    ] {
        let options = SynthOptions {
            size: 64,
            counts: Some(counts),
            ..SynthOptions::v1(synth.join(set.name()))
        };
        generate(set, &options).unwrap();
    }
    // `pairs` at its default parameters, where the demo keeps it (generated once, then cached).
    let pairs_parent = synth_pairs::default_dir();
    let queries = root.join("data/synthcxr/text_queries.csv");
    let config = tiny_config(&synth, &pairs_parent, &queries);
    let out = dir.path().join("compare");
    let device = common::device();

    let run = compare(&config, &out, &device, "tiny").unwrap();
    assert_eq!((run.ran, run.skipped), (8, 0));
    let text = std::fs::read_to_string(out.join("results.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();

    assert!(!json["commit"].as_str().unwrap().is_empty());
    assert_eq!(json["config_hash"], config.config_hash().unwrap().as_str());
    let sha: String = Sha256::digest(std::fs::read(&queries).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(json["text_queries_sha256"], sha.as_str());

    for method in Method::ALL {
        let entry = &json["methods"][method.name()];
        let units: Vec<_> = (0..2)
            .map(|s| read_unit(&unit_file(&out, method, s)).unwrap())
            .collect();
        for protocol in ["linear", "finetune"] {
            for (k, fraction) in ["1", "10", "100"].iter().enumerate() {
                let stat = &entry[protocol][*fraction];
                let seeds: Vec<f64> = stat["seeds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(number)
                    .collect();
                let expected: Vec<f64> = units
                    .iter()
                    .map(|u| match protocol {
                        "linear" => u.linear[k].mean,
                        _ => u.finetune[k].mean,
                    })
                    .collect();
                assert_eq!(seeds, expected, "{} {protocol} {fraction}", method.name());
                let mean = number(&stat["mean"]);
                assert!((mean - (seeds[0] + seeds[1]) / 2.0).abs() < 1e-12);
                assert!((0.0..=1.0).contains(&mean));
                let sd = number(&stat["sd"]);
                assert!((sd - (seeds[0] - seeds[1]).abs() / 2f64.sqrt()).abs() < 1e-12);
                // t(0.975, 1) = 12.706: the interval of two seeds is wide.
                let ci: Vec<f64> = stat["ci95"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(number)
                    .collect();
                assert!((ci[1] - mean - 12.7062 * sd / 2f64.sqrt()).abs() < 1e-3);
                assert!((mean - ci[0] - (ci[1] - mean)).abs() < 1e-9);
            }
        }
        assert_eq!(units[0].linear[2].examples, 2000);
        assert_eq!(units[0].linear[0].examples, 20);
        let retrieval = &entry["retrieval"];
        for key in ["p5", "p10", "p50"] {
            assert!((0.0..=1.0).contains(&number(&retrieval["image_image"][key])));
        }
        // Twenty candidates in each of seven categories.
        assert!((number(&retrieval["image_image"]["chance"]) - 1.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            retrieval.get("text_image").is_some(),
            method.has_text(),
            "{}",
            method.name()
        );
        let p10: f64 = units.iter().map(|u| u.image_image.values[1]).sum::<f64>() / 2.0;
        assert!((number(&retrieval["image_image"]["p10"]) - p10).abs() < 1e-12);
        assert_eq!(entry.get("pretrain").is_some(), method != Method::Random);
        assert!(
            out.join(format!("figures/retrieval-{}-image.png", method.name()))
                .is_file()
        );
        assert_eq!(
            out.join(format!("figures/retrieval-{}-text.png", method.name()))
                .is_file(),
            method.has_text()
        );
    }
    // Pretraining ran the fixed two steps for every objective.
    let convirt = read_unit(&unit_file(&out, Method::Convirt, 1)).unwrap();
    assert_eq!(convirt.pretrain.as_ref().unwrap().steps, 2);

    let claims = json["claims"].as_array().unwrap();
    let keys: Vec<&str> = claims.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "data_efficiency_linear",
            "data_efficiency_finetune",
            "image_text_beats_image_only",
            "retrieval_image_image_vs_chance",
            "retrieval_image_image_vs_random",
            "retrieval_text_image_vs_chance",
            "retrieval_text_image_vs_random",
        ]
    );
    for c in claims {
        let left: Vec<f64> = c["left"].as_array().unwrap().iter().map(number).collect();
        let right: Vec<f64> = c["right"].as_array().unwrap().iter().map(number).collect();
        let difference = (left[0] - right[0] + left[1] - right[1]) / 2.0;
        assert!((number(&c["difference"]) - difference).abs() < 1e-12);
        let verdict = c["verdict"].as_str().unwrap();
        assert!(
            ["holds", "fails", "inconclusive"].contains(&verdict),
            "{verdict}"
        );
    }
    let data_efficiency = &claims[0];
    let random_100: Vec<Value> = json["methods"]["random"]["linear"]["100"]["seeds"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(data_efficiency["right"].as_array().unwrap(), &random_100);

    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    for method in Method::ALL {
        assert!(
            report.contains(&format!("| {} |", method.name())),
            "{report}"
        );
    }
    assert!(
        report.contains("| method | linear 1 % | linear 10 % | linear 100 % | fine-tune 1 % |")
    );
    for png in ["roc-linear.png", "roc-finetune.png"] {
        let image = convirt::data::read_image(out.join(png)).unwrap();
        assert_eq!((image.width(), image.height()), (800, 800));
    }

    // A second call finds every unit finished and writes the same results.
    let again = compare(&config, &out, &device, "tiny").unwrap();
    assert_eq!((again.ran, again.skipped), (0, 8));
    assert_eq!(
        std::fs::read_to_string(out.join("results.json")).unwrap(),
        text
    );
    // Another configuration in the same folder is refused.
    let mut other = config.clone();
    other.finetune.steps = 3;
    assert!(matches!(
        compare(&other, &out, &device, "tiny"),
        Err(CompareError::Config(_))
    ));
}
