//! Golden MiniLM outputs (`minilm_pooled.json`): PyTorch float32 last hidden states of
//! all-MiniLM-L6-v2, max- and mean-pooled over the unmasked tokens, plus the first token's first
//! 8 hidden values, for tokenized sentences padded to 128.

use std::path::Path;

use burn::tensor::{Device, Int, Tensor, TensorData};
use convirt_encoders::weights::load_bert;
use convirt_encoders::{EncoderError, Pooling};
use serde::Deserialize;
use serde::Serialize;

use super::loss::GoldenError;

#[derive(Deserialize)]
struct Golden {
    input_ids: Vec<Vec<i64>>,
    attention_mask: Vec<Vec<i64>>,
    first_token_hidden_first8: Vec<Vec<f64>>,
    max_pooled: Vec<Vec<f64>>,
    mean_pooled: Vec<Vec<f64>>,
}

/// Absolute errors over every compared value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct AbsErrors {
    /// Largest absolute error.
    pub max_abs_err: f64,
    /// Mean absolute error.
    pub mean_abs_err: f64,
    /// Number of values compared.
    pub values: usize,
}

/// Why the MiniLM parity could not run.
#[derive(Debug, thiserror::Error)]
pub enum MinilmParityError {
    /// The golden file.
    #[error(transparent)]
    Golden(#[from] GoldenError),
    /// The model folder.
    #[error(transparent)]
    Model(#[from] EncoderError),
}

fn int_matrix(rows: &[Vec<i64>], device: &Device) -> Tensor<2, Int> {
    let shape = [rows.len(), rows.first().map_or(0, Vec::len)];
    Tensor::from_data(TensorData::new(rows.concat(), shape), device)
}

/// Loads the BERT folder `model_dir`, runs the golden ids through it and compares.
// Invariant: data converted to f32 always reads back as f32.
#[allow(clippy::expect_used)]
pub fn minilm(
    path: &Path,
    model_dir: &Path,
    device: &Device,
) -> Result<AbsErrors, MinilmParityError> {
    let golden: Golden = super::loss::read_json(path)?;
    let (bert, _) = load_bert(model_dir, device)?;
    let ids = int_matrix(&golden.input_ids, device);
    let mask = int_matrix(&golden.attention_mask, device);
    let hidden = bert.hidden_states(ids, mask.clone());
    let [n, _, _] = hidden.dims();

    let mut diffs = Vec::new();
    let mut compare = |out: Tensor<2>, reference: &[Vec<f64>]| {
        let out: Vec<f32> = out
            .into_data()
            .convert::<f32>()
            .try_into_vec()
            .expect("f32");
        diffs.extend(
            out.iter()
                .zip(reference.concat())
                .map(|(&o, r)| (o as f64 - r).abs()),
        );
    };
    let first8 = hidden
        .clone()
        .narrow(1, 0, 1)
        .narrow(2, 0, 8)
        .reshape([n, 8]);
    compare(first8, &golden.first_token_hidden_first8);
    let max = bert.clone().with_pooling(Pooling::Max);
    compare(max.pool(hidden.clone(), mask.clone()), &golden.max_pooled);
    let mean = bert.with_pooling(Pooling::Mean);
    compare(mean.pool(hidden, mask), &golden.mean_pooled);

    let values = diffs.len();
    Ok(AbsErrors {
        max_abs_err: diffs
            .iter()
            .copied()
            .map(|d| if d.is_nan() { f64::INFINITY } else { d })
            .fold(0.0, f64::max),
        mean_abs_err: diffs.iter().sum::<f64>() / values.max(1) as f64,
        values,
    })
}
