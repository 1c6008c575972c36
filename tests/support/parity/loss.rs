//! Golden loss files: `convirt_loss.json` (ConVIRT) and `baseline_losses.json` (NT-Xent,
//! Contrastive-Binary, SigLIP), computed in float64 PyTorch. Gradients are with respect to the
//! unnormalised inputs.

use std::path::{Path, PathBuf};

use burn::tensor::{Device, Tensor, TensorData};
use serde::Deserialize;
use thiserror::Error;

use super::ErrorStats;
use convirt::loss::{
    BinaryContrastiveLoss, ContrastiveLoss, ConvirtLoss, LossError, LossOutput, NtXentLoss,
    SigmoidLoss,
};

/// Why a golden file could not be replayed.
#[derive(Debug, Error)]
pub enum GoldenError {
    /// The file could not be read.
    #[error("cannot read golden file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not in the expected format.
    #[error("golden file {path} is malformed: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A case has ragged rows or an unknown loss.
    #[error("golden file {path}, case {case}: {what}")]
    Case {
        /// The file.
        path: PathBuf,
        /// The case index.
        case: usize,
        /// What is wrong.
        what: String,
    },
    /// Our loss refused the case's inputs.
    #[error("golden file {path}, case {case}: {source}")]
    Loss {
        /// The file.
        path: PathBuf,
        /// The case index.
        case: usize,
        /// The loss's error.
        source: LossError,
    },
}

#[derive(Deserialize)]
struct File<C> {
    cases: Vec<C>,
}

#[derive(Deserialize)]
struct ConvirtCase {
    tau: f64,
    lambda: f64,
    v: Vec<Vec<f64>>,
    u: Vec<Vec<f64>>,
    loss: f64,
    loss_image_to_text: f64,
    loss_text_to_image: f64,
    grad_v: Vec<Vec<f64>>,
    grad_u: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct BaselineCase {
    loss: String,
    value: f64,
    tau: Option<f64>,
    scale: Option<f64>,
    bias: Option<f64>,
    negative_index: Option<Vec<usize>>,
    #[serde(alias = "z1")]
    v: Vec<Vec<f64>>,
    #[serde(alias = "z2")]
    u: Vec<Vec<f64>>,
    #[serde(alias = "grad_z1")]
    grad_v: Vec<Vec<f64>>,
    #[serde(alias = "grad_z2")]
    grad_u: Vec<Vec<f64>>,
}

fn read<C: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<C>, GoldenError> {
    Ok(read_json::<File<C>>(path)?.cases)
}

/// Reads and parses a JSON golden file.
pub(crate) fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, GoldenError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldenError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| GoldenError::Format {
        path: path.to_path_buf(),
        source,
    })
}

/// Rows → a flat f64 vector and its `[rows, cols]` shape, or `None` when ragged or empty.
fn flatten(rows: &[Vec<f64>]) -> Option<(Vec<f64>, [usize; 2])> {
    let cols = rows.first()?.len();
    if rows.iter().any(|r| r.len() != cols) {
        return None;
    }
    Some((rows.concat(), [rows.len(), cols]))
}

/// A leaf input on an autodiff device, tracked for gradients.
fn leaf(values: Vec<f64>, shape: [usize; 2], device: &Device) -> Tensor<2> {
    let data = TensorData::new(values.into_iter().map(|x| x as f32).collect(), shape);
    Tensor::<2>::from_data(data, device).require_grad()
}

// Invariant: data converted to f32 always reads back as f32.
#[allow(clippy::expect_used)]
fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("f32 after convert")
}

struct Replayed {
    output: LossOutput,
    grad_v: Vec<f32>,
    grad_u: Vec<f32>,
}

/// Runs `loss` on the case's inputs with autodiff and reads back the output and both gradients.
fn replay(
    path: &Path,
    case: usize,
    v: &[Vec<f64>],
    u: &[Vec<f64>],
    device: &Device,
    loss: impl FnOnce(Tensor<2>, Tensor<2>) -> Result<LossOutput, LossError>,
) -> Result<Replayed, GoldenError> {
    let ragged = |what: &str| GoldenError::Case {
        path: path.to_path_buf(),
        case,
        what: format!("{what} is empty or ragged"),
    };
    let (v_flat, v_shape) = flatten(v).ok_or_else(|| ragged("v"))?;
    let (u_flat, u_shape) = flatten(u).ok_or_else(|| ragged("u"))?;
    let device = device.clone().autodiff();
    let (v, u) = (
        leaf(v_flat, v_shape, &device),
        leaf(u_flat, u_shape, &device),
    );
    let output = loss(v.clone(), u.clone()).map_err(|source| GoldenError::Loss {
        path: path.to_path_buf(),
        case,
        source,
    })?;
    let grads = output.total.backward();
    let grad = |x: &Tensor<2>| {
        x.grad(&grads)
            .map(values)
            .unwrap_or_else(|| vec![0.0; x.shape().num_elements()])
    };
    Ok(Replayed {
        grad_v: grad(&v),
        grad_u: grad(&u),
        output,
    })
}

fn scalar(t: Option<Tensor<1>>) -> f32 {
    t.map(|t| t.into_scalar()).unwrap_or(f32::NAN)
}

/// Replays every case of a `convirt_loss.json`-format file on `device`: the total, both
/// directional parts and both gradients.
pub fn convirt(path: &Path, device: &Device) -> Result<ErrorStats, GoldenError> {
    let mut stats = ErrorStats::default();
    for (i, c) in read::<ConvirtCase>(path)?.into_iter().enumerate() {
        let loss = ConvirtLoss::new(c.tau, c.lambda).map_err(|source| GoldenError::Loss {
            path: path.to_path_buf(),
            case: i,
            source,
        })?;
        let r = replay(path, i, &c.v, &c.u, device, |v, u| loss.forward(v, u))?;
        stats.scalar(scalar(r.output.image_to_text), c.loss_image_to_text);
        stats.scalar(scalar(r.output.text_to_image), c.loss_text_to_image);
        stats.scalar(r.output.total.into_scalar(), c.loss);
        stats.tensor(&r.grad_v, &c.grad_v.concat());
        stats.tensor(&r.grad_u, &c.grad_u.concat());
        stats.cases += 1;
    }
    Ok(stats)
}

/// Replays every case of a `baseline_losses.json`-format file on `device`.
pub fn baselines(path: &Path, device: &Device) -> Result<ErrorStats, GoldenError> {
    let mut stats = ErrorStats::default();
    for (i, c) in read::<BaselineCase>(path)?.into_iter().enumerate() {
        let bad = |what: String| GoldenError::Case {
            path: path.to_path_buf(),
            case: i,
            what,
        };
        let as_loss = |source| GoldenError::Loss {
            path: path.to_path_buf(),
            case: i,
            source,
        };
        let need = |name: &str, x: Option<f64>| x.ok_or_else(|| bad(format!("missing '{name}'")));
        let r = match c.loss.as_str() {
            "nt_xent" => {
                let loss = NtXentLoss::new(need("tau", c.tau)?).map_err(as_loss)?;
                replay(path, i, &c.v, &c.u, device, |a, b| loss.forward(a, b))?
            }
            "binary" => {
                let loss = BinaryContrastiveLoss::new(need("tau", c.tau)?).map_err(as_loss)?;
                let neg = c
                    .negative_index
                    .clone()
                    .ok_or_else(|| bad("missing 'negative_index'".into()))?;
                replay(path, i, &c.v, &c.u, device, |a, b| {
                    loss.forward_with_negatives(a, b, &neg)
                })?
            }
            "sigmoid" => {
                let (scale, bias) = (need("scale", c.scale)?, need("bias", c.bias)?);
                let ad = device.clone().autodiff();
                let loss = SigmoidLoss::new(scale, bias, &ad).map_err(as_loss)?;
                replay(path, i, &c.v, &c.u, device, |a, b| loss.forward(a, b))?
            }
            other => return Err(bad(format!("unknown loss '{other}'"))),
        };
        stats.scalar(r.output.total.into_scalar(), c.value);
        stats.tensor(&r.grad_v, &c.grad_v.concat());
        stats.tensor(&r.grad_u, &c.grad_u.concat());
        stats.cases += 1;
    }
    Ok(stats)
}
