//! The fused augmentation must match torchvision on every golden case: PSNR ≥ 33 dB on the worst
//! case and ≥ 38 dB on average (peak 1).

mod common;
// The golden-file replays: development tools, shared with examples/parity.rs.
#[allow(dead_code)]
#[path = "support/parity/mod.rs"]
mod parity;

use parity::augment::{psnr, replay};

#[test]
fn augment_matches_torchvision() {
    let stats = replay(&common::fixture("golden")).expect("golden files replay");
    assert_eq!(stats.cases, 8);
    assert!(stats.min_psnr_db >= 33.0, "{stats:?}");
    assert!(stats.mean_psnr_db >= 38.0, "{stats:?}");
}

#[test]
fn psnr_detects_a_difference() {
    let a = vec![0.5f32; 100];
    let mut b = a.clone();
    b[0] = 0.6; // MSE = 0.01 / 100 = 1e-4 → 40 dB
    assert!((psnr(&a, &b) - 40.0).abs() < 1e-4);
    assert!(psnr(&a, &a).is_infinite());
}

#[test]
fn a_corrupted_reference_is_detected() {
    // The replay itself must be able to fail: swap the parameters of two cases.
    let dir = common::fixture("golden");
    let tmp = std::env::temp_dir().join(format!("convirt-augment-golden-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("augment_cases.json")).unwrap())
            .unwrap();
    let cases = json["cases"].as_array_mut().unwrap();
    cases.swap(0, 1);
    std::fs::write(tmp.join("augment_cases.json"), json.to_string()).unwrap();
    std::fs::copy(
        dir.join("augment_cases.safetensors"),
        tmp.join("augment_cases.safetensors"),
    )
    .unwrap();
    let stats = replay(&tmp).unwrap();
    std::fs::remove_dir_all(&tmp).ok();
    assert!(stats.min_psnr_db < 33.0, "{stats:?}");
}
