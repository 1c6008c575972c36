//! Zero-shot classification with prompts, as CheXzero does: for each label, the image's cosine
//! similarity to its positive prompts against its negative prompts, in the shared space v·u.
//! Each prompt set is embedded, normalised, averaged and renormalised (a prompt ensemble); the
//! score `cos(v, ū₊) − cos(v, ū₋)` orders images exactly as the softmax over the two does.

use std::path::Path;

use crate::{Matrix, mean_auroc};
use burn::tensor::Device;
use convirt_data::{SkipPolicy, read_text_queries};
use convirt_encoders::{ImageTower, TextTower};
use convirt_text_sampler::TextTokenizer;
use convirt_train::ConvirtModel;
use serde::Serialize;

use crate::protocol::embed::{Embeddings, ImageSpace, embed_images, embed_texts};
use crate::protocol::probe::{ProbeError, ProbeSet, ProbeSettings};

/// Zero-shot AUROC per label on a set's test split.
#[derive(Debug, Clone, Serialize)]
pub struct ZeroShotReport {
    /// The label names.
    pub labels: Vec<String>,
    /// AUROC per label.
    pub per_label: Vec<f64>,
    /// Their mean.
    pub mean: f64,
    /// Prompts used per label: (positive, negative).
    pub prompts: Vec<(usize, usize)>,
    /// Prompt rows left out (a `Variable` that is not one of the set's labels), each naming its
    /// file and line.
    pub skipped_prompts: Vec<String>,
}

/// The unit-norm mean of the unit-normalised rows of `e` listed in `rows`.
fn ensemble(e: &Embeddings, rows: &[usize]) -> Vec<f32> {
    let mut mean = vec![0.0f32; e.dim];
    for &r in rows {
        let row = &e.data[r * e.dim..(r + 1) * e.dim];
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        for (m, x) in mean.iter_mut().zip(row) {
            *m += x / norm;
        }
    }
    let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    mean.iter().map(|x| x / norm).collect()
}

/// Scores `set`'s test images against the positive and negative prompts (`Variable,Text` files
/// whose `Variable` is one of `set.labels`) and reports the AUROC of each label. A label without
/// a positive or a negative prompt is an error naming it; so is a prompt with empty text, or a
/// prompt file without rows. Rows for other labels are left out and listed in
/// [`ZeroShotReport::skipped_prompts`].
pub fn zero_shot<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &ProbeSet,
    positives: &Path,
    negatives: &Path,
    tokenizer: &TextTokenizer,
    settings: &ProbeSettings,
    device: &Device,
) -> Result<ZeroShotReport, ProbeError> {
    let names: Vec<&str> = set.labels.iter().map(String::as_str).collect();
    let mut skipped_prompts = Vec::new();
    let mut read = |file: &Path| -> Result<_, ProbeError> {
        let loaded = read_text_queries(file, &names, SkipPolicy::SkipAndCount)?;
        skipped_prompts.extend(loaded.skipped.reasons.iter().map(|r| r.message.clone()));
        Ok(loaded.records)
    };
    let (pos, neg) = (read(positives)?, read(negatives)?);
    let texts: Vec<String> = pos.iter().chain(&neg).map(|q| q.text.clone()).collect();
    let u = embed_texts(model, tokenizer, &texts, 64, device)
        .map_err(|e| ProbeError::Run(format!("prompts: {e}")))?;
    let v = embed_images(
        model,
        &set.test.0,
        settings.size,
        &settings.layout,
        ImageSpace::Projected,
        settings.batch,
        device,
    )?;
    let labels = set.labels.len();
    let mut scores = vec![0.0f64; v.rows * labels];
    let mut prompts = Vec::with_capacity(labels);
    for (j, name) in set.labels.iter().enumerate() {
        let rows_of = |offset: usize, queries: &[convirt_data::TextQuery]| -> Vec<usize> {
            queries
                .iter()
                .enumerate()
                .filter(|(_, q)| q.category == j)
                .map(|(i, _)| offset + i)
                .collect()
        };
        let (p, n) = (rows_of(0, &pos), rows_of(pos.len(), &neg));
        if p.is_empty() || n.is_empty() {
            return Err(ProbeError::Run(format!(
                "zero-shot: label {name} needs positive and negative prompts ({} and {} found)",
                p.len(),
                n.len()
            )));
        }
        prompts.push((p.len(), n.len()));
        let (up, un) = (ensemble(&u, &p), ensemble(&u, &n));
        for i in 0..v.rows {
            let row = &v.data[i * v.dim..(i + 1) * v.dim];
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            let dot = |w: &[f32]| row.iter().zip(w).map(|(a, b)| a * b).sum::<f32>() / norm;
            scores[i * labels + j] = f64::from(dot(&up) - dot(&un));
        }
    }
    let eval = |source| ProbeError::Eval {
        context: "zero-shot AUROC".into(),
        source,
    };
    let scores_m = Matrix::new(&scores, labels, "scores").map_err(eval)?;
    let labels_m = Matrix::new(&set.test.1, labels, "labels").map_err(eval)?;
    let auroc = mean_auroc(scores_m, labels_m).map_err(eval)?;
    Ok(ZeroShotReport {
        labels: set.labels.clone(),
        per_label: auroc.per_label,
        mean: auroc.mean,
        prompts,
        skipped_prompts,
    })
}
