//! Precision@k against numpy (fixture): cosine ranking, stable ties, per-category means, chance.

mod common;

use common::{assert_close, bools, f32s, f64s, fixture, usizes};
use convirt_eval::{EvalError, Matrix, precision_at_k, rank_candidates};

#[test]
fn precision_at_k_matches_numpy() {
    let fixture = fixture();
    let case = &fixture["retrieval"];
    let d = case["dim"].as_u64().unwrap() as usize;
    let categories = case["categories"].as_u64().unwrap() as usize;
    let queries = f32s(&case["queries"]);
    let candidates = f32s(&case["candidates"]);
    let labels = bools(&case["candidate_labels"]);
    let query_categories = usizes(&case["query_categories"]);
    let ks = usizes(&case["ks"]);
    let queries = Matrix::new(&queries, d, "queries").unwrap();
    let candidates = Matrix::new(&candidates, d, "candidates").unwrap();
    let labels = Matrix::new(&labels, categories, "labels").unwrap();

    let top = rank_candidates(queries, candidates, 10).unwrap();
    for (q, row) in case["top10"].as_array().unwrap().iter().enumerate() {
        assert_eq!(top[q], usizes(row), "query {q}");
    }
    // The fixture's duplicated candidates (10..20 = 100..110) do tie: the lower index wins.
    assert!(top.iter().flatten().any(|&j| (10..20).contains(&j)));

    let report = precision_at_k(queries, &query_categories, candidates, labels, &ks).unwrap();
    assert_close(&report.mean, &f64s(&case["mean"]), 1e-6, 1e-12, "mean");
    for (c, want) in case["per_category"].as_array().unwrap().iter().enumerate() {
        match (&report.per_category[c], want.is_null()) {
            (None, true) => {}
            (Some(got), false) => assert_close(got, &f64s(want), 1e-6, 1e-12, "per category"),
            (got, _) => panic!("category {c}: got {got:?}, want {want}"),
        }
    }
    assert_close(&report.chance, &f64s(&case["chance"]), 1e-6, 0.0, "chance");
    let mean_chance = case["mean_chance"].as_f64().unwrap();
    assert_close(
        &[report.mean_chance],
        &[mean_chance],
        1e-6,
        0.0,
        "mean chance",
    );
}

#[test]
fn ties_break_by_candidate_index() {
    // Three identical candidates: the ranking is their index order, whatever the labels.
    let queries = [1.0_f32, 1.0];
    let candidates = [3.0_f32, 3.0, 0.0, 1.0, 3.0, 3.0, 1.0, 1.0];
    let top = rank_candidates(
        Matrix::new(&queries, 2, "q").unwrap(),
        Matrix::new(&candidates, 2, "c").unwrap(),
        4,
    )
    .unwrap();
    assert_eq!(top, [vec![0, 2, 3, 1]]);
}

#[test]
fn bad_retrieval_input_is_an_error() {
    let q = [1.0_f32, 0.0];
    let c = [1.0_f32, 0.0, 0.0, 1.0];
    let labels = [true, false, false, true];
    let run = |q: &[f32], cats: &[usize], c: &[f32], ks: &[usize]| {
        precision_at_k(
            Matrix::new(q, 2, "q").unwrap(),
            cats,
            Matrix::new(c, 2, "c").unwrap(),
            Matrix::new(&labels, 2, "labels").unwrap(),
            ks,
        )
    };
    assert!(matches!(
        run(&q, &[0], &c, &[3]),
        Err(EvalError::BadParameter { name: "k", .. })
    ));
    assert!(matches!(
        run(&q, &[0], &c, &[0]),
        Err(EvalError::BadParameter { .. })
    ));
    assert!(matches!(
        run(&q, &[2], &c, &[1]),
        Err(EvalError::OutOfRange { index: 2, .. })
    ));
    assert!(matches!(
        run(&q, &[0, 1], &c, &[1]),
        Err(EvalError::LengthMismatch { .. })
    ));
    assert!(matches!(
        run(&[0.0, 0.0], &[0], &c, &[1]),
        Err(EvalError::ZeroNorm { row: 0, .. })
    ));
    assert!(matches!(
        run(&q, &[0], &[1.0, f32::NAN, 0.0, 1.0], &[1]),
        Err(EvalError::NotFinite { index: 1, .. })
    ));
    assert_eq!(run(&q, &[1], &c, &[1, 2]).unwrap().mean, [0.0, 0.5]);
}
