//! ResNet fixtures made by `tools/make_resnet_fixtures.py`: for a model NAME, `NAME.json` (its
//! shape), `NAME.safetensors` / `NAME.pth` (torchvision-named state dict) and
//! `NAME_io.safetensors` (input `x` and PyTorch's eval-mode pooled `features`).

use std::path::{Path, PathBuf};

use burn::tensor::{Device, Tensor, TensorData};
use convirt_encoders::weights::load_resnet_weights;
use convirt_encoders::{EncoderError, ImageEncoder, ResNetConfig};
use safetensors::{Dtype, SafeTensors};

use super::ErrorStats;
use super::loss::{GoldenError, read_json};

/// Why a ResNet fixture could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ResnetParityError {
    /// The shape file.
    #[error(transparent)]
    Golden(#[from] GoldenError),
    /// The weights.
    #[error(transparent)]
    Model(#[from] EncoderError),
    /// The input/output file.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Reads one f32 tensor from a safetensors file: its values and shape.
fn read_f32(
    st: &SafeTensors,
    name: &str,
    path: &Path,
) -> Result<(Vec<f32>, Vec<usize>), ResnetParityError> {
    let bad = |reason: String| ResnetParityError::Io {
        path: path.to_path_buf(),
        reason,
    };
    let view = st
        .tensor(name)
        .map_err(|e| bad(format!("tensor '{name}': {e}")))?;
    if view.dtype() != Dtype::F32 {
        return Err(bad(format!(
            "tensor '{name}' is {:?}, expected F32",
            view.dtype()
        )));
    }
    let values = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok((values, view.shape().to_vec()))
}

/// Loads fixture `stem` (a path without extension) with its weights from `weights_ext`
/// (`"safetensors"` or `"pth"`), runs its input in eval mode and compares the pooled features.
// Invariant: data converted to f32 always reads back as f32.
#[allow(clippy::expect_used)]
pub fn resnet(
    stem: &Path,
    weights_ext: &str,
    device: &Device,
) -> Result<ErrorStats, ResnetParityError> {
    let with_ext = |ext: &str| PathBuf::from(format!("{}.{ext}", stem.display()));
    let config: ResNetConfig = read_json(&with_ext("json"))?;
    let (model, _) = load_resnet_weights(config.init(device), &with_ext(weights_ext))?;

    let io_path = PathBuf::from(format!("{}_io.safetensors", stem.display()));
    let bytes = std::fs::read(&io_path).map_err(|e| ResnetParityError::Io {
        path: io_path.clone(),
        reason: e.to_string(),
    })?;
    let st = SafeTensors::deserialize(&bytes).map_err(|e| ResnetParityError::Io {
        path: io_path.clone(),
        reason: e.to_string(),
    })?;
    let (x, shape) = read_f32(&st, "x", &io_path)?;
    let (expected, _) = read_f32(&st, "features", &io_path)?;
    let shape: [usize; 4] = shape.try_into().map_err(|s| ResnetParityError::Io {
        path: io_path.clone(),
        reason: format!("input 'x' has shape {s:?}, expected 4 dimensions"),
    })?;
    let images = Tensor::<4>::from_data(TensorData::new(x, shape), device);
    let features = model.encode_images(images);
    let out: Vec<f32> = features
        .into_data()
        .convert::<f32>()
        .try_into_vec()
        .expect("f32 after convert");
    let reference: Vec<f64> = expected.iter().map(|&v| v as f64).collect();
    let mut stats = ErrorStats::default();
    stats.tensor(&out, &reference);
    stats.cases = 1;
    Ok(stats)
}
