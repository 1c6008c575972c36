//! ReduceLrOnPlateau against PyTorch 2.9.0's ReduceLROnPlateau on fixed loss sequences
//! (fixture from tools/make_plateau_fixture.py).

use convirt_train::{PlateauConfig, ThresholdMode, TrainError};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    factor: f64,
    patience: usize,
    threshold: f64,
    threshold_mode: String,
    cooldown: usize,
    min_lr: f64,
    initial_lr: f64,
    losses: Vec<f64>,
    lrs: Vec<f64>,
}

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[test]
fn learning_rates_match_pytorch_step_by_step() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plateau.json"),
    )
    .unwrap();
    let fixture: Fixture = serde_json::from_str(&text).unwrap();
    assert_eq!(fixture.cases.len(), 3);
    for (i, c) in fixture.cases.iter().enumerate() {
        let config = PlateauConfig {
            factor: c.factor,
            patience: c.patience,
            threshold: c.threshold,
            threshold_mode: match c.threshold_mode.as_str() {
                "rel" => ThresholdMode::Relative,
                _ => ThresholdMode::Absolute,
            },
            cooldown: c.cooldown,
            min_lr: c.min_lr,
            ..PlateauConfig::paper()
        };
        let mut s = config.init(c.initial_lr).unwrap();
        let reductions = c.lrs.windows(2).filter(|w| w[1] < w[0]).count();
        assert!(reductions >= 2, "case {i} should exercise reductions");
        for (step, (&loss, &expected)) in c.losses.iter().zip(&c.lrs).enumerate() {
            let lr = s.step(loss).unwrap();
            assert!(
                (lr - expected).abs() <= 1e-12 * expected.max(1e-300),
                "case {i}, step {step}: {lr} vs PyTorch {expected}"
            );
        }
    }
}

#[test]
fn state_round_trips_through_serde_and_continues_identically() {
    let mut a = PlateauConfig::paper().init(1e-4).unwrap();
    for loss in [1.0, 0.9, 0.95, 0.95, 0.96] {
        a.step(loss).unwrap();
    }
    let mut b: convirt_train::ReduceLrOnPlateau =
        serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    for loss in [0.97, 0.97, 0.98, 0.99, 0.9] {
        assert_eq!(a.step(loss).unwrap(), b.step(loss).unwrap());
    }
    assert_eq!(a, b);
    assert_eq!(a.lr(), 5e-5);
}

#[test]
fn bad_settings_and_non_finite_losses_are_errors() {
    for factor in [0.0, 1.0, f64::NAN] {
        let c = PlateauConfig {
            factor,
            ..PlateauConfig::paper()
        };
        assert!(matches!(
            c.init(1e-4),
            Err(TrainError::InvalidParameter { name: "factor", .. })
        ));
    }
    assert!(PlateauConfig::paper().init(-1.0).is_err());
    let mut s = PlateauConfig::paper().init(1e-4).unwrap();
    s.step(1.0).unwrap();
    let before = s.clone();
    assert!(matches!(
        s.step(f64::NAN),
        Err(TrainError::NonFiniteMetric(_, 2))
    ));
    assert!(matches!(
        s.step(f64::INFINITY),
        Err(TrainError::NonFiniteMetric(_, 2))
    ));
    assert_eq!(s, before);
}
