//! AUROC, ROC curves, mean AUROC and accuracy against scikit-learn (fixture), and their errors.

mod common;

use common::{assert_close, bools, f64s, fixture, usizes};
use convirt_eval::{EvalError, Matrix, accuracy, argmax_rows, auroc, mean_auroc, roc_curve};

#[test]
fn auroc_matches_sklearn_with_ties() {
    let fixture = fixture();
    for (i, case) in fixture["auroc"].as_array().unwrap().iter().enumerate() {
        let scores = f64s(&case["scores"]);
        let labels = bools(&case["labels"]);
        let want = case["auroc"].as_f64().unwrap();
        let got = auroc(&scores, &labels).unwrap();
        assert_close(&[got], &[want], 1e-6, 0.0, &format!("case {i} auroc"));
    }
}

#[test]
fn roc_curve_matches_sklearn_without_dropping_points() {
    let fixture = fixture();
    for (i, case) in fixture["auroc"].as_array().unwrap().iter().enumerate() {
        let roc = roc_curve(&f64s(&case["scores"]), &bools(&case["labels"])).unwrap();
        assert_close(
            &roc.fpr,
            &f64s(&case["fpr"]),
            1e-6,
            1e-12,
            &format!("case {i} fpr"),
        );
        assert_close(
            &roc.tpr,
            &f64s(&case["tpr"]),
            1e-6,
            1e-12,
            &format!("case {i} tpr"),
        );
        // sklearn's first threshold is +inf (null in JSON).
        let thresholds = case["thresholds"].as_array().unwrap();
        assert_eq!(roc.thresholds.len(), thresholds.len(), "case {i}");
        assert!(thresholds[0].is_null() && roc.thresholds[0] == f64::INFINITY);
        let want: Vec<f64> = thresholds[1..]
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect();
        assert_close(
            &roc.thresholds[1..],
            &want,
            1e-6,
            1e-12,
            &format!("case {i} thr"),
        );
        // The curve's trapezoidal area is the Mann–Whitney AUROC.
        let area = auroc(&f64s(&case["scores"]), &bools(&case["labels"])).unwrap();
        assert!((roc.area() - area).abs() < 1e-12, "case {i}");
    }
}

#[test]
fn auroc_counts_ties_as_one_half_by_hand() {
    // 3 positives {0.9, 0.5, 0.3} × 2 negatives {0.5, 0.1} = 6 pairs. 0.9 beats both (2),
    // 0.5 ties 0.5 (½) and beats 0.1 (1), 0.3 loses to 0.5 (0) and beats 0.1 (1): 4.5 of 6.
    let got = auroc(
        &[0.9, 0.5, 0.3, 0.5, 0.1],
        &[true, true, true, false, false],
    )
    .unwrap();
    assert_eq!(got, 4.5 / 6.0);
    // All scores equal: exactly chance.
    assert_eq!(auroc(&[1.0; 4], &[true, false, true, false]).unwrap(), 0.5);
}

#[test]
fn auroc_rejects_bad_input() {
    assert!(matches!(
        auroc(&[0.1, 0.2], &[true, true]),
        Err(EvalError::SingleClass {
            positive: true,
            count: 2,
            ..
        })
    ));
    assert!(matches!(
        auroc(&[0.1, 0.2, 0.3], &[false, false, false]),
        Err(EvalError::SingleClass {
            positive: false,
            ..
        })
    ));
    assert!(matches!(
        auroc(&[0.1, f64::NAN], &[true, false]),
        Err(EvalError::NotFinite { index: 1, .. })
    ));
    assert!(matches!(
        auroc(&[0.1, 0.2], &[true, false, true]),
        Err(EvalError::LengthMismatch {
            left: 2,
            right: 3,
            ..
        })
    ));
    assert!(matches!(auroc(&[], &[]), Err(EvalError::Empty { .. })));
    assert!(roc_curve(&[0.1, f64::INFINITY], &[true, false]).is_err());
}

#[test]
fn mean_auroc_matches_sklearn_macro_average() {
    let fixture = fixture();
    let case = &fixture["mean_auroc"];
    let columns = case["columns"].as_u64().unwrap() as usize;
    let scores = f64s(&case["scores"]);
    let labels = bools(&case["labels"]);
    let got = mean_auroc(
        Matrix::new(&scores, columns, "scores").unwrap(),
        Matrix::new(&labels, columns, "labels").unwrap(),
    )
    .unwrap();
    assert_close(
        &got.per_label,
        &f64s(&case["per_label"]),
        1e-6,
        0.0,
        "per label",
    );
    assert_close(
        &[got.mean],
        &[case["mean"].as_f64().unwrap()],
        1e-6,
        0.0,
        "mean",
    );
}

#[test]
fn mean_auroc_names_a_single_class_column() {
    let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    let labels = [true, false, false, false, true, false];
    let result = mean_auroc(
        Matrix::new(&scores, 2, "scores").unwrap(),
        Matrix::new(&labels, 2, "labels").unwrap(),
    );
    assert!(matches!(
        result,
        Err(EvalError::SingleClass {
            label: 1,
            positive: false,
            ..
        })
    ));
    let short = Matrix::new(&labels[..4], 2, "labels").unwrap();
    assert!(mean_auroc(Matrix::new(&scores, 2, "scores").unwrap(), short).is_err());
    assert!(Matrix::new(&scores, 4, "scores").is_err());
}

#[test]
fn accuracy_and_argmax_match_sklearn_and_numpy() {
    let fixture = fixture();
    let case = &fixture["accuracy"];
    let scores = f64s(&case["scores"]);
    let classes = case["classes"].as_u64().unwrap() as usize;
    let predicted = argmax_rows(Matrix::new(&scores, classes, "scores").unwrap()).unwrap();
    assert_eq!(predicted, usizes(&case["argmax"]));
    let got = accuracy(&predicted, &usizes(&case["truth"])).unwrap();
    assert_close(
        &[got],
        &[case["accuracy"].as_f64().unwrap()],
        1e-6,
        0.0,
        "accuracy",
    );
    assert!(accuracy(&[0, 1], &[0]).is_err());
    assert!(accuracy(&[], &[]).is_err());
}
