//! The logistic-regression probe against scikit-learn's `StandardScaler` + `LogisticRegression`
//! (fixture: binary, 3- and 4-class softmax, one-vs-rest multi-label), and its determinism.

mod common;

use common::{assert_close, bools, f32s, f64s, fixture, usizes};
use convirt_eval::{EvalError, LinearProbe, Matrix, ProbeConfig, Targets};
use serde_json::Value;

fn fit_case(case: &Value) -> (LinearProbe, Vec<f32>, Vec<f32>, usize) {
    let d = case["dim"].as_u64().unwrap() as usize;
    let outputs = case["outputs"].as_u64().unwrap() as usize;
    let train = f32s(&case["train"]);
    let test = f32s(&case["test"]);
    let config = ProbeConfig {
        c: case["c"].as_f64().unwrap(),
        max_iterations: 10_000,
        tolerance: 1e-11,
    };
    let x = Matrix::new(&train, d, "train").unwrap();
    let (probe, reports) = if case["kind"] == "classes" {
        let labels = usizes(&case["labels"]);
        let targets = Targets::Classes {
            labels: &labels,
            classes: outputs,
        };
        LinearProbe::fit(x, targets, config).unwrap()
    } else {
        let labels = bools(&case["labels"]);
        let targets = Targets::MultiLabel(Matrix::new(&labels, outputs, "labels").unwrap());
        LinearProbe::fit(x, targets, config).unwrap()
    };
    assert!(reports.iter().all(|r| r.converged), "{reports:?}");
    (probe, train, test, d)
}

#[test]
fn probabilities_match_sklearn() {
    let fixture = fixture();
    for (i, case) in fixture["probe"].as_array().unwrap().iter().enumerate() {
        let (probe, train, test, d) = fit_case(case);
        let what = format!("case {i} ({} × {})", case["kind"], case["outputs"]);
        assert_eq!(probe.outputs(), case["outputs"].as_u64().unwrap() as usize);
        let s = probe.standardizer();
        assert_close(&s.mean, &f64s(&case["scaler_mean"]), 1e-9, 1e-9, &what);
        assert_close(&s.scale, &f64s(&case["scaler_scale"]), 1e-9, 0.0, &what);
        let train_p = probe
            .predict_proba(Matrix::new(&train, d, "x").unwrap())
            .unwrap();
        let test_p = probe
            .predict_proba(Matrix::new(&test, d, "x").unwrap())
            .unwrap();
        assert_close(&train_p, &f64s(&case["train_proba"]), 1e-4, 0.0, &what);
        assert_close(&test_p, &f64s(&case["test_proba"]), 1e-4, 0.0, &what);
    }
}

#[test]
fn fit_is_bitwise_deterministic_across_thread_counts() {
    let fixture = fixture();
    let case = &fixture["probe"][1];
    let fit_with = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| fit_case(case).0)
    };
    let (one, three) = (fit_with(1), fit_with(3));
    assert_eq!(one, three);
    // And a problem of more than one parallel chunk (256 rows): 600 rows, 3 classes.
    let x: Vec<f32> = (0..600 * 3)
        .map(|i| ((i * 7919) % 1000) as f32 / 100.0)
        .collect();
    let labels: Vec<usize> = (0..600).map(|i| ((i * 31) % 97) % 3).collect();
    let fit_big = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let targets = Targets::Classes {
                    labels: &labels,
                    classes: 3,
                };
                LinearProbe::fit(
                    Matrix::new(&x, 3, "x").unwrap(),
                    targets,
                    ProbeConfig::default(),
                )
                .unwrap()
                .0
            })
    };
    assert_eq!(fit_big(1), fit_big(4));
}

#[test]
fn bad_probe_input_is_an_error() {
    let x = [0.0_f32, 1.0, 2.0, 3.0];
    let m = Matrix::new(&x, 1, "x").unwrap();
    let config = ProbeConfig::default();
    let classes = |labels: &'static [usize], classes| Targets::Classes { labels, classes };
    assert!(matches!(
        LinearProbe::fit(m, classes(&[0, 0, 2, 2], 3), config),
        Err(EvalError::AbsentClass { class: 1 })
    ));
    assert!(matches!(
        LinearProbe::fit(m, classes(&[0, 0, 5, 1], 3), config),
        Err(EvalError::OutOfRange { index: 5, .. })
    ));
    assert!(matches!(
        LinearProbe::fit(m, classes(&[0, 1], 2), config),
        Err(EvalError::LengthMismatch { .. })
    ));
    let single = [true, false, false, false, true, false, false, false];
    let targets = Targets::MultiLabel(Matrix::new(&single, 2, "y").unwrap());
    assert!(matches!(
        LinearProbe::fit(m, targets, config),
        Err(EvalError::SingleClass { label: 1, .. })
    ));
    let bad_c = ProbeConfig { c: 0.0, ..config };
    assert!(LinearProbe::fit(m, classes(&[0, 0, 1, 1], 2), bad_c).is_err());
    let nan = [0.0_f32, f32::NAN, 2.0, 3.0];
    let nan = Matrix::new(&nan, 1, "x").unwrap();
    assert!(matches!(
        LinearProbe::fit(nan, classes(&[0, 0, 1, 1], 2), config),
        Err(EvalError::NotFinite { index: 1, .. })
    ));
    let (probe, _) = LinearProbe::fit(m, classes(&[0, 0, 1, 1], 2), config).unwrap();
    let wide = Matrix::new(&x, 2, "x").unwrap();
    assert!(probe.predict_proba(wide).is_err());
}
