//! Label-fraction training subsets (ConVIRT's 1 % / 10 % / 100 %): fixed per seed, nested, and
//! stratified.
//!
//! [`fraction_order`] puts the training set in one seeded order, and the subset of fraction `f`
//! is its first `max(1, round(f·n))` examples: a smaller fraction is always a prefix of a larger
//! one, so **1 % ⊂ 10 % ⊂ 100 %** for the same strata and seed, in one call or across calls.
//!
//! The order is stratified systematic sampling. Each stratum `s` (of size `n_s`) is shuffled,
//! drawn a random offset `u_s ∈ [0, 1)`, and its `j`-th member gets the key `(j + u_s) / n_s`;
//! the whole set is sorted by key. Any prefix then holds, from each stratum, a count within one
//! of `t·n_s` for the key `t` where the prefix ends, i.e. every stratum keeps its share up to
//! rounding (plus at most the number of strata times its share for the prefix as a whole).
//!
//! Strata are any ordered key per example:
//! - multi-class: the class ([`class_strata`] is the identity);
//! - multi-label (CheXpert): the combination of labels, [`combination_strata`], over all columns
//!   or only the columns to be balanced. Rare combinations become strata of one or two, which
//!   are placed at random; frequent ones keep their share.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{EvalError, Matrix};

/// The training set's indices in the seeded, stratified order whose prefixes are the subsets.
pub fn fraction_order<K: Ord>(strata: &[K], seed: u64) -> Vec<usize> {
    let mut groups: BTreeMap<&K, Vec<usize>> = BTreeMap::new();
    for (i, key) in strata.iter().enumerate() {
        groups.entry(key).or_default().push(i);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut keyed: Vec<(f64, usize)> = Vec::with_capacity(strata.len());
    for members in groups.values_mut() {
        members.shuffle(&mut rng);
        let offset: f64 = rng.random();
        let size = members.len() as f64;
        keyed.extend(
            members
                .iter()
                .enumerate()
                .map(|(j, &i)| ((j as f64 + offset) / size, i)),
        );
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The subset for each of `fractions` (each in `(0, 1]`): the first `max(1, round(f·n))`
/// indices of [`fraction_order`], returned in ascending index order.
///
/// ```
/// use convirt_eval::nested_subsets;
/// let classes: Vec<u8> = (0..1000).map(|i| if i % 10 == 0 { 1 } else { 0 }).collect();
/// let subsets = nested_subsets(&classes, &[0.01, 0.1, 1.0], 7)?;
/// assert_eq!(subsets.iter().map(Vec::len).collect::<Vec<_>>(), [10, 100, 1000]);
/// assert!(subsets[0].iter().all(|i| subsets[1].contains(i)));
/// // 10 % positives in the whole set: exactly 1 of 10 and 10 of 100 in the subsets.
/// assert_eq!(subsets[0].iter().filter(|&&i| classes[i] == 1).count(), 1);
/// assert_eq!(subsets[1].iter().filter(|&&i| classes[i] == 1).count(), 10);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn nested_subsets<K: Ord>(
    strata: &[K],
    fractions: &[f64],
    seed: u64,
) -> Result<Vec<Vec<usize>>, EvalError> {
    if strata.is_empty() {
        return Err(EvalError::Empty { what: "strata" });
    }
    if let Some(f) = fractions.iter().find(|&&f| !(f > 0.0 && f <= 1.0)) {
        return Err(EvalError::BadParameter {
            name: "fraction",
            value: f.to_string(),
            expected: "in (0, 1]",
        });
    }
    let order = fraction_order(strata, seed);
    Ok(fractions
        .iter()
        .map(|&f| {
            let size = ((f * order.len() as f64).round() as usize).clamp(1, order.len());
            let mut subset = order[..size].to_vec();
            subset.sort_unstable();
            subset
        })
        .collect())
}

/// Multi-class strata: the class of each example, as is.
pub fn class_strata(classes: &[usize]) -> Vec<usize> {
    classes.to_vec()
}

/// Multi-label strata: each example's combination of the label `columns` (all columns when
/// `columns` is empty), as a bit string.
pub fn combination_strata(
    labels: Matrix<bool>,
    columns: &[usize],
) -> Result<Vec<Vec<bool>>, EvalError> {
    if let Some(&index) = columns.iter().find(|&&c| c >= labels.cols()) {
        return Err(EvalError::OutOfRange {
            what: "stratification column",
            index,
            count: labels.cols(),
        });
    }
    Ok((0..labels.rows())
        .map(|i| {
            let row = labels.row(i);
            if columns.is_empty() {
                row.to_vec()
            } else {
                columns.iter().map(|&c| row[c]).collect()
            }
        })
        .collect())
}
