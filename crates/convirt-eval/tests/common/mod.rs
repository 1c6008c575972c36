//! Shared by the integration tests: the scikit-learn reference fixture and tolerance checks.

#![allow(dead_code)]

use serde_json::Value;

/// The fixture made by `tools/make_eval_fixture.py`.
pub fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/eval_reference.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture present (tools/make_eval_fixture.py)");
    serde_json::from_str(&text).expect("fixture is JSON")
}

pub fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

pub fn f32s(v: &Value) -> Vec<f32> {
    // The fixture stores float32 values printed exactly as float64: the cast back is exact.
    f64s(v).into_iter().map(|x| x as f32).collect()
}

pub fn bools(v: &Value) -> Vec<bool> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_bool().unwrap())
        .collect()
}

pub fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

/// Asserts `|got − want| <= rel · max(|want|, floor)` element by element.
pub fn assert_close(got: &[f64], want: &[f64], rel: f64, floor: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tolerance = rel * w.abs().max(floor);
        assert!((g - w).abs() <= tolerance, "{what}[{i}]: got {g}, want {w}");
    }
}
