//! Label-fraction subsets: fixed per seed, nested, stratified.

use convirt_eval::{Matrix, combination_strata, nested_subsets};

/// Classes 0..4 with counts 700, 200, 90, 10, interleaved.
fn classes() -> Vec<usize> {
    (0..1000)
        .map(|i| match (i * 7) % 1000 {
            r if r < 700 => 0,
            r if r < 900 => 1,
            r if r < 990 => 2,
            _ => 3,
        })
        .collect()
}

fn count(subset: &[usize], strata: &[usize], s: usize) -> usize {
    subset.iter().filter(|&&i| strata[i] == s).count()
}

#[test]
fn subsets_are_nested_sized_and_fixed_per_seed() {
    let strata = classes();
    let fractions = [0.01, 0.1, 0.5, 1.0];
    let subsets = nested_subsets(&strata, &fractions, 42).unwrap();
    assert_eq!(
        subsets.iter().map(Vec::len).collect::<Vec<_>>(),
        [10, 100, 500, 1000]
    );
    for pair in subsets.windows(2) {
        assert!(pair[0].iter().all(|i| pair[1].binary_search(i).is_ok()));
    }
    assert!(subsets.iter().all(|s| s.windows(2).all(|w| w[0] < w[1])));
    // Nesting also holds across calls with the same seed.
    let alone = nested_subsets(&strata, &[0.1], 42).unwrap();
    assert_eq!(alone[0], subsets[1]);
    let again = nested_subsets(&strata, &fractions, 42).unwrap();
    assert_eq!(again, subsets);
    let other = nested_subsets(&strata, &fractions, 43).unwrap();
    assert_ne!(other[1], subsets[1]);
    // At least one example, even for a tiny fraction.
    assert_eq!(nested_subsets(&strata, &[1e-6], 0).unwrap()[0].len(), 1);
}

#[test]
fn every_stratum_keeps_its_share() {
    let strata = classes();
    let n = strata.len() as f64;
    let sizes = [700.0, 200.0, 90.0, 10.0];
    for seed in 0..20 {
        let fractions = [0.01, 0.05, 0.1, 0.3];
        let subsets = nested_subsets(&strata, &fractions, seed).unwrap();
        for (f, subset) in fractions.iter().zip(&subsets) {
            for (s, size) in sizes.iter().enumerate() {
                // Within one of the share at the prefix's key, which is within
                // (strata + ½)/n of the fraction (see label_fraction's docs).
                let bound = 1.0 + 4.5 * size / n;
                let got = count(subset, &strata, s) as f64;
                assert!(
                    (got - f * size).abs() < bound,
                    "seed {seed} f {f} stratum {s}: {got} of {size}"
                );
            }
        }
    }
}

#[test]
fn multi_label_combinations_stratify() {
    // Two labels: combinations (0,0) 600, (1,0) 250, (0,1) 100, (1,1) 50.
    let labels: Vec<bool> = (0..1000)
        .flat_map(|i| {
            let r = (i * 13) % 1000;
            [
                (600..850).contains(&r) || r >= 950,
                (850..1000).contains(&r),
            ]
        })
        .collect();
    let strata = combination_strata(Matrix::new(&labels, 2, "labels").unwrap(), &[]).unwrap();
    let subset = &nested_subsets(&strata, &[0.1], 5).unwrap()[0];
    for (key, size) in [
        (vec![false, false], 600.0),
        (vec![true, false], 250.0),
        (vec![false, true], 100.0),
        (vec![true, true], 50.0),
    ] {
        let got = subset.iter().filter(|&&i| strata[i] == key).count() as f64;
        assert!(
            (got - 0.1 * size).abs() < 1.0 + 4.5 * size / 1000.0,
            "{key:?}: {got}"
        );
    }
    // One column only.
    let first = combination_strata(Matrix::new(&labels, 2, "labels").unwrap(), &[0]).unwrap();
    assert_eq!(first.iter().filter(|k| k[0]).count(), 300);
    assert!(combination_strata(Matrix::new(&labels, 2, "labels").unwrap(), &[2]).is_err());
}

#[test]
fn bad_fractions_are_errors() {
    let strata = classes();
    assert!(nested_subsets(&strata, &[0.0], 1).is_err());
    assert!(nested_subsets(&strata, &[1.5], 1).is_err());
    assert!(nested_subsets(&strata, &[f64::NAN], 1).is_err());
    assert!(nested_subsets::<usize>(&[], &[0.5], 1).is_err());
}
