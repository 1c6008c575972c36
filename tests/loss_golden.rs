//! Every golden case from float64 PyTorch must match in f32: values and gradients, relative error
//! ≤ 1e-5 (max|out − ref| / max|ref| per tensor).

mod common;
// The golden-file replays: development tools, shared with examples/parity.rs.
#[allow(dead_code)]
#[path = "support/parity/mod.rs"]
mod parity;

const TOLERANCE: f64 = 1e-5;

#[test]
fn convirt_loss_matches_pytorch() {
    let stats = parity::loss::convirt(
        &common::fixture("golden/convirt_loss.json"),
        &common::device(),
    )
    .expect("golden file replays");
    assert_eq!(stats.cases, 7);
    assert!(stats.max_rel_err <= TOLERANCE, "{stats:?}");
}

#[test]
fn baseline_losses_match_pytorch() {
    let stats = parity::loss::baselines(
        &common::fixture("golden/baseline_losses.json"),
        &common::device(),
    )
    .expect("golden file replays");
    assert_eq!(stats.cases, 7);
    assert!(stats.max_rel_err <= TOLERANCE, "{stats:?}");
}

#[test]
fn a_corrupted_golden_value_is_detected() {
    // The comparison itself must be able to fail: perturb one reference gradient and replay.
    let path = common::fixture("golden/convirt_loss.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let g = &mut json["cases"][1]["grad_v"][0][0];
    *g = serde_json::json!(g.as_f64().unwrap() + 1e-2);
    let tmp = std::env::temp_dir().join(format!("convirt-golden-{}.json", std::process::id()));
    std::fs::write(&tmp, json.to_string()).unwrap();
    let stats = parity::loss::convirt(&tmp, &common::device()).unwrap();
    std::fs::remove_file(&tmp).ok();
    assert!(stats.max_rel_err > TOLERANCE, "{stats:?}");
}
