//! t quantiles and the paired comparison against scipy (fixture), mean ± sd, and the bootstrap.

mod common;

use common::{assert_close, bools, f64s, fixture};
use convirt_eval::{
    BootstrapConfig, EvalError, Matrix, auroc, bootstrap_auroc, bootstrap_mean_auroc, mean_sd,
    paired_comparison, t_quantile,
};

#[test]
fn t_quantiles_match_scipy() {
    let fixture = fixture();
    for case in fixture["t_quantiles"].as_array().unwrap() {
        let (p, df) = (case["p"].as_f64().unwrap(), case["df"].as_f64().unwrap());
        let got = t_quantile(p, df).unwrap();
        assert_close(
            &[got],
            &[case["t"].as_f64().unwrap()],
            1e-9,
            0.0,
            &format!("p {p} df {df}"),
        );
    }
}

#[test]
fn paired_comparison_matches_scipy_ttest_rel() {
    let fixture = fixture();
    for case in fixture["paired"].as_array().unwrap() {
        let (a, b) = (f64s(&case["a"]), f64s(&case["b"]));
        let d = paired_comparison(&a, &b, 0.95).unwrap();
        let what = format!("{} seeds", a.len());
        let got = [d.mean, d.sd, d.lower, d.upper, d.t, d.p_value];
        let want: Vec<f64> = ["mean", "sd", "lower", "upper", "t", "p_value"]
            .iter()
            .map(|k| case[*k].as_f64().unwrap())
            .collect();
        assert_close(&got, &want, 1e-6, 0.0, &what);
    }
    assert!(paired_comparison(&[0.5], &[0.4], 0.95).is_err());
    assert!(paired_comparison(&[0.5, 0.6], &[0.4], 0.95).is_err());
    assert!(paired_comparison(&[0.5, 0.6], &[0.4, 0.5], 1.0).is_err());
}

#[test]
fn mean_sd_matches_numpy() {
    let fixture = fixture();
    let case = &fixture["mean_sd"];
    let m = mean_sd(&f64s(&case["values"])).unwrap();
    let want = [case["mean"].as_f64().unwrap(), case["sd"].as_f64().unwrap()];
    assert_close(&[m.mean, m.sd.unwrap()], &want, 1e-12, 0.0, "mean sd");
    assert_eq!(mean_sd(&[0.5]).unwrap().sd, None);
    assert!(matches!(mean_sd(&[]), Err(EvalError::Empty { .. })));
}

/// Deterministic pseudo-random test scores: label-dependent, on a coarse grid (ties).
fn scores_and_labels(n: usize) -> (Vec<f64>, Vec<bool>) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let positive = next() < 0.3;
            let score = ((next() + if positive { 0.35 } else { 0.0 }) * 50.0).round() / 50.0;
            (score, positive)
        })
        .unzip()
}

#[test]
fn bootstrap_interval_has_the_hanley_mcneil_width() {
    let (scores, labels) = scores_and_labels(600);
    let config = BootstrapConfig {
        resamples: 2000,
        confidence: 0.95,
        seed: 11,
    };
    let ci = bootstrap_auroc(&scores, &labels, config).unwrap();
    let a = auroc(&scores, &labels).unwrap();
    assert_eq!(ci.estimate, a);
    assert_eq!((ci.used, ci.skipped), (2000, 0));
    // Hanley & McNeil (1982): the standard error of AUROC from A, n₊ and n₋.
    let n_pos = labels.iter().filter(|&&l| l).count() as f64;
    let n_neg = labels.len() as f64 - n_pos;
    let (q1, q2) = (a / (2.0 - a), 2.0 * a * a / (1.0 + a));
    let variance = (a * (1.0 - a) + (n_pos - 1.0) * (q1 - a * a) + (n_neg - 1.0) * (q2 - a * a))
        / (n_pos * n_neg);
    let expected_width = 2.0 * 1.959_964 * variance.sqrt();
    let width = ci.upper - ci.lower;
    assert!(
        (width / expected_width - 1.0).abs() < 0.15,
        "bootstrap width {width}, Hanley–McNeil {expected_width}"
    );
    assert!(ci.lower < a && a < ci.upper);
    // Seeded: the same seed repeats, another seed moves the ends.
    assert_eq!(bootstrap_auroc(&scores, &labels, config).unwrap(), ci);
    let other = bootstrap_auroc(&scores, &labels, BootstrapConfig { seed: 12, ..config }).unwrap();
    assert_ne!((other.lower, other.upper), (ci.lower, ci.upper));
}

#[test]
fn bootstrap_skips_and_counts_single_class_resamples() {
    // One positive in 5: a resample misses it with probability (4/5)^5 = 0.32768.
    let scores = [0.9, 0.1, 0.2, 0.3, 0.4];
    let labels = bools(&serde_json::json!([true, false, false, false, false]));
    let config = BootstrapConfig {
        resamples: 4000,
        confidence: 0.9,
        seed: 3,
    };
    let ci = bootstrap_auroc(&scores, &labels, config).unwrap();
    assert_eq!(ci.used + ci.skipped, 4000);
    let expected = 4000.0 * 0.32768;
    let sd = (4000.0_f64 * 0.32768 * (1.0 - 0.32768)).sqrt();
    assert!(
        (ci.skipped as f64 - expected).abs() < 5.0 * sd,
        "skipped {}",
        ci.skipped
    );
    // Every resample that holds the positive ranks it first: AUROC 1 throughout.
    assert_eq!((ci.lower, ci.upper), (1.0, 1.0));
    let bad = BootstrapConfig {
        resamples: 0,
        ..config
    };
    assert!(bootstrap_auroc(&scores, &labels, bad).is_err());
}

#[test]
fn bootstrap_of_the_mean_resamples_rows_jointly() {
    // Column 0 as in the single-label bootstrap; column 1 a copy of it: the mean of two equal
    // AUROCs is that AUROC in every resample, so the interval is the single-label one.
    let n = 300;
    let scores: Vec<f64> = (0..n).map(|i| ((i * 53) % 97) as f64).collect();
    let labels: Vec<bool> = (0..n).map(|i| (i * 53) % 97 > 45 && i % 4 != 0).collect();
    let config = BootstrapConfig {
        resamples: 500,
        confidence: 0.95,
        seed: 7,
    };
    let single = bootstrap_auroc(&scores, &labels, config).unwrap();
    let twice_scores: Vec<f64> = scores.iter().flat_map(|&s| [s, s]).collect();
    let twice_labels: Vec<bool> = labels.iter().flat_map(|&l| [l, l]).collect();
    let s = Matrix::new(&twice_scores, 2, "scores").unwrap();
    let l = Matrix::new(&twice_labels, 2, "labels").unwrap();
    let joint = bootstrap_mean_auroc(s, l, config).unwrap();
    assert_eq!(joint, single);
    // A second column with the scores reversed: its AUROC is 1 − the first's in every resample,
    // so the mean is exactly 0.5 throughout.
    let mixed_scores: Vec<f64> = scores.iter().flat_map(|&s| [s, -s]).collect();
    let s = Matrix::new(&mixed_scores, 2, "scores").unwrap();
    let mixed = bootstrap_mean_auroc(s, l, config).unwrap();
    assert!((mixed.estimate - 0.5).abs() < 1e-12);
    assert!((mixed.lower - 0.5).abs() < 1e-12 && (mixed.upper - 0.5).abs() < 1e-12);
    // A single-class column is the mean AUROC's error, naming the column.
    let one_class: Vec<bool> = labels.iter().flat_map(|&l| [l, false]).collect();
    let l = Matrix::new(&one_class, 2, "labels").unwrap();
    assert!(matches!(
        bootstrap_mean_auroc(s, l, config),
        Err(EvalError::SingleClass { label: 1, .. })
    ));
}
