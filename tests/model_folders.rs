//! Broken model folders and weight files: each is a typed error naming the file, before any
//! training starts, never a panic.

use std::path::Path;

use burn::tensor::Device;
use convirt::pretrain::{PretrainOptions, model, tokenizer};
use convirt_text_sampler::assets;

/// A copy of MiniLM's folder in `dir`, then `damage` applied to it.
fn minilm_copy(dir: &Path, damage: impl Fn(&Path)) -> std::path::PathBuf {
    let from = assets::require(assets::MINILM).unwrap();
    let to = dir.join("minilm");
    std::fs::create_dir_all(&to).unwrap();
    for name in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "vocab.txt",
    ] {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
    damage(&to);
    to
}

fn options(text_model: &Path) -> PretrainOptions {
    let mut o = PretrainOptions::cpu();
    o.text_model = Some(text_model.to_path_buf());
    o
}

#[test]
fn fault_broken_model_folders_are_errors_naming_the_file() {
    let device = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    type Damage = fn(&Path);
    let cases: [(&str, &str, Damage); 7] = [
        ("no config.json", "config.json", |d| {
            std::fs::remove_file(d.join("config.json")).unwrap()
        }),
        ("config.json not JSON", "config.json", |d| {
            std::fs::write(d.join("config.json"), "{ not json").unwrap()
        }),
        ("no weights", "model.safetensors", |d| {
            std::fs::remove_file(d.join("model.safetensors")).unwrap()
        }),
        ("truncated weights", "model.safetensors", |d| {
            let p = d.join("model.safetensors");
            let b = std::fs::read(&p).unwrap();
            std::fs::write(&p, &b[..b.len() / 3]).unwrap();
        }),
        ("zero-byte weights", "model.safetensors", |d| {
            std::fs::write(d.join("model.safetensors"), b"").unwrap()
        }),
        ("no tokenizer", "tokenizer.json", |d| {
            std::fs::remove_file(d.join("tokenizer.json")).unwrap()
        }),
        ("tokenizer not JSON", "tokenizer.json", |d| {
            std::fs::write(d.join("tokenizer.json"), "[1, 2").unwrap()
        }),
    ];
    for (i, (what, file, damage)) in cases.iter().enumerate() {
        let folder = minilm_copy(&tmp.path().join(i.to_string()), damage);
        let options = options(&folder);
        let error = if file.starts_with("tokenizer") {
            tokenizer(&options).map(|_| ()).unwrap_err().to_string()
        } else {
            model(&options, &device)
                .map(|_| ())
                .unwrap_err()
                .to_string()
        };
        assert!(error.contains(file), "{what}: {error}");
    }
    // A folder that does not exist at all.
    let error = model(&options(&tmp.path().join("nowhere")), &device)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(error.contains("nowhere"), "{error}");
    // Image weights that are not a weights file.
    let mut o = PretrainOptions::cpu();
    let bad = tmp.path().join("resnet18.safetensors");
    std::fs::write(&bad, b"not safetensors at all").unwrap();
    o.image_weights = Some(bad.clone());
    let error = model(&o, &device).map(|_| ()).unwrap_err().to_string();
    assert!(error.contains("resnet18.safetensors"), "{error}");
    println!(
        "FAULT|fault_broken_model_folders_are_errors_naming_the_file|{}|",
        cases.len() + 2
    );
}

#[test]
fn fault_bad_options_are_typed_errors_naming_the_option() {
    let device = Device::flex();
    let cases = [
        ("arch=resnet9", "resnet9"),
        ("text_pooling=sum", "sum"),
        ("batchsize=32", "batchsize"),
        ("train.objective=clip", "clip"),
        ("augment.degrees=-5.0", "degrees"),
        ("image_size=\"big\"", "image_size"),
    ];
    for (set, named) in cases {
        let error = PretrainOptions::cpu()
            .with_overrides(&[set.to_string()])
            .and_then(|o| model(&o, &device).map(|_| o))
            .and_then(|o| o.augment.build(o.image_size))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.contains(named), "{set}: {error}");
    }
    let error = PretrainOptions::cpu()
        .with_overrides(&["no-equals-sign".to_string()])
        .unwrap_err()
        .to_string();
    assert!(error.contains("no-equals-sign"), "{error}");
    let error = "nosuch:/x"
        .parse::<convirt::pretrain::DataSource>()
        .unwrap_err()
        .to_string();
    assert!(error.contains("nosuch"), "{error}");
    let error = "cudax".parse::<convirt::Backend>().unwrap_err().to_string();
    assert!(error.contains("cudax"), "{error}");
    println!(
        "FAULT|fault_bad_options_are_typed_errors_naming_the_option|{}|",
        cases.len() + 3
    );
}
