//! [`precision_at_k`]: ConVIRT's 8×200 retrieval metric, and [`rank_candidates`] under it.
//!
//! Each query (an embedding and a category) ranks every candidate by cosine similarity,
//! highest first; **ties go to the lower candidate index** (a stable sort), so the ranking is
//! deterministic. A retrieved candidate is a hit when it is labelled 1 for the query's category.
//! Precision@k is the hit fraction of the top `k`, averaged over queries, overall and per
//! category. The chance level of a category is the fraction of candidates labelled 1 for it:
//! the expected precision of a random ranking.

use rayon::prelude::*;

use crate::{EvalError, Matrix};

/// Precision@k of a retrieval run, for each `k` asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrievalReport {
    /// The `k`s, as asked.
    pub ks: Vec<usize>,
    /// Precision@k averaged over all queries, one per `k`.
    pub mean: Vec<f64>,
    /// `per_category[c][i]`: precision@`ks[i]` averaged over the queries of category `c`;
    /// `None` for a category without queries.
    pub per_category: Vec<Option<Vec<f64>>>,
    /// `per_query[q][i]`: precision@`ks[i]` of query `q`.
    pub per_query: Vec<Vec<f64>>,
    /// Chance level of each category: the fraction of candidates labelled 1 for it.
    pub chance: Vec<f64>,
    /// The chance level averaged over queries (the baseline for [`RetrievalReport::mean`]).
    pub mean_chance: f64,
}

/// Precision@k for each of `ks`.
///
/// - `queries`: `[q, d]` embeddings, `query_categories`: `q` indices into the label columns;
/// - `candidates`: `[m, d]` embeddings, `candidate_labels`: `[m, categories]` one- or multi-hot.
///
/// Fails on mismatched shapes, a non-finite or zero-norm embedding, a category out of range,
/// and a `k` of 0 or above `m`.
///
/// ```
/// use convirt_eval::{Matrix, precision_at_k};
/// let queries = Matrix::new(&[1.0_f32, 0.0], 2, "queries")?;
/// // Candidate 2 ties candidate 0 and loses (higher index); candidate 1 points away.
/// let candidates = Matrix::new(&[1.0_f32, 0.0, 0.0, 1.0, 2.0, 0.0], 2, "candidates")?;
/// let labels = Matrix::new(&[true, false, false, true, false, true], 2, "labels")?;
/// let report = precision_at_k(queries, &[1], candidates, labels, &[1, 2])?;
/// assert_eq!(report.mean, [0.0, 0.5]);
/// assert_eq!(report.chance, [1.0 / 3.0, 2.0 / 3.0]);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn precision_at_k(
    queries: Matrix<f32>,
    query_categories: &[usize],
    candidates: Matrix<f32>,
    candidate_labels: Matrix<bool>,
    ks: &[usize],
) -> Result<RetrievalReport, EvalError> {
    let categories = candidate_labels.cols();
    if query_categories.len() != queries.rows() {
        return Err(EvalError::LengthMismatch {
            what: "query categories against query rows",
            left: query_categories.len(),
            right: queries.rows(),
        });
    }
    if candidate_labels.rows() != candidates.rows() {
        return Err(EvalError::LengthMismatch {
            what: "candidate label rows against candidate rows",
            left: candidate_labels.rows(),
            right: candidates.rows(),
        });
    }
    if let Some(&index) = query_categories.iter().find(|&&c| c >= categories) {
        return Err(EvalError::OutOfRange {
            what: "query category",
            index,
            count: categories,
        });
    }
    let m = candidates.rows();
    if let Some(&k) = ks.iter().find(|&&k| k == 0 || k > m) {
        return Err(EvalError::BadParameter {
            name: "k",
            value: k.to_string(),
            expected: "between 1 and the number of candidates",
        });
    }
    let k_max = ks.iter().copied().max().unwrap_or(0);
    let ranked = rank_candidates(queries, candidates, k_max)?;

    let per_query: Vec<Vec<f64>> = ranked
        .iter()
        .zip(query_categories)
        .map(|(top, &category)| {
            ks.iter()
                .map(|&k| {
                    let hits = top[..k]
                        .iter()
                        .filter(|&&j| candidate_labels.row(j)[category])
                        .count();
                    hits as f64 / k as f64
                })
                .collect()
        })
        .collect();
    let mean = average_rows(per_query.iter(), ks.len());
    let per_category = (0..categories)
        .map(|c| {
            let rows: Vec<&Vec<f64>> = per_query
                .iter()
                .zip(query_categories)
                .filter(|(_, qc)| **qc == c)
                .map(|(p, _)| p)
                .collect();
            (!rows.is_empty()).then(|| average_rows(rows.into_iter(), ks.len()))
        })
        .collect();
    let chance: Vec<f64> = (0..categories)
        .map(|c| candidate_labels.column(c).iter().filter(|&&l| l).count() as f64 / m as f64)
        .collect();
    let mean_chance = query_categories.iter().map(|&c| chance[c]).sum::<f64>()
        / query_categories.len().max(1) as f64;
    Ok(RetrievalReport {
        ks: ks.to_vec(),
        mean,
        per_category,
        per_query,
        chance,
        mean_chance,
    })
}

/// The `k` candidates most cosine-similar to each query, best first; ties go to the lower
/// candidate index. Similarities are computed in f64.
///
/// Fails when the widths differ, an embedding is not finite or has zero norm, or `k` exceeds
/// the number of candidates.
pub fn rank_candidates(
    queries: Matrix<f32>,
    candidates: Matrix<f32>,
    k: usize,
) -> Result<Vec<Vec<usize>>, EvalError> {
    if queries.cols() != candidates.cols() {
        return Err(EvalError::LengthMismatch {
            what: "query width against candidate width",
            left: queries.cols(),
            right: candidates.cols(),
        });
    }
    if k > candidates.rows() {
        return Err(EvalError::BadParameter {
            name: "k",
            value: k.to_string(),
            expected: "at most the number of candidates",
        });
    }
    let candidate_norms = norms(candidates, "candidates")?;
    let query_norms = norms(queries, "queries")?;
    Ok((0..queries.rows())
        .into_par_iter()
        .map(|q| {
            let query = queries.row(q);
            let similarity: Vec<f64> = (0..candidates.rows())
                .map(|j| dot(query, candidates.row(j)) / (query_norms[q] * candidate_norms[j]))
                .collect();
            let mut order: Vec<usize> = (0..candidates.rows()).collect();
            // Stable: equal similarities keep ascending index order.
            order.sort_by(|&a, &b| similarity[b].total_cmp(&similarity[a]));
            order.truncate(k);
            order
        })
        .collect())
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum()
}

fn norms(rows: Matrix<f32>, what: &'static str) -> Result<Vec<f64>, EvalError> {
    crate::matrix::check_finite(rows.data(), what)?;
    (0..rows.rows())
        .map(|i| {
            let norm = dot(rows.row(i), rows.row(i)).sqrt();
            if norm > 0.0 {
                Ok(norm)
            } else {
                Err(EvalError::ZeroNorm { what, row: i })
            }
        })
        .collect()
}

fn average_rows<'a>(rows: impl Iterator<Item = &'a Vec<f64>>, width: usize) -> Vec<f64> {
    let mut sum = vec![0.0; width];
    let mut count = 0usize;
    for row in rows {
        sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
        count += 1;
    }
    sum.iter().map(|s| s / count.max(1) as f64).collect()
}
