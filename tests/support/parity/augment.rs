//! Golden augmentation cases: `augment_cases.json` (the parameters of each case and every
//! convention) with `augment_cases.safetensors` (a 600×480 8-bit input and torchvision's float32
//! output per case). Each case replays through [`ConvirtAugment::apply_params`]; the score is the
//! PSNR against torchvision with a peak of 1.

use std::path::{Path, PathBuf};

use safetensors::{Dtype, SafeTensors};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use convirt::augment::{
    AffineParams, AugmentParams, ConvirtAugment, CropBox, Image, JitterParams, gaussian_kernel,
};

/// Why the golden augmentation files could not be replayed.
#[derive(Debug, Error)]
pub enum AugmentGoldenError {
    /// A file could not be read.
    #[error("cannot read golden file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The json is not in the expected format.
    #[error("golden file {path} is malformed: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// The safetensors file is malformed, or a tensor is missing or of the wrong type or shape.
    #[error("golden file {path}: {what}")]
    Tensors {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

/// PSNR of our outputs against torchvision's, over all cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsnrStats {
    /// Number of cases compared.
    pub cases: usize,
    /// The worst case, in dB.
    pub min_psnr_db: f64,
    /// The mean over cases, in dB.
    pub mean_psnr_db: f64,
    /// Each case's PSNR, in dB.
    pub per_case_db: Vec<f64>,
}

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    crop_top: usize,
    crop_left: usize,
    crop_height: usize,
    crop_width: usize,
    size: usize,
    flip: bool,
    angle: f64,
    translate: [f64; 2],
    scale: f64,
    brightness: f64,
    contrast: f64,
    sigma: f64,
    blur_kernel: usize,
}

impl Case {
    fn params(&self) -> AugmentParams {
        AugmentParams {
            crop: CropBox {
                top: self.crop_top,
                left: self.crop_left,
                height: self.crop_height,
                width: self.crop_width,
            },
            flip: self.flip,
            affine: AffineParams {
                angle: self.angle,
                translate: self.translate,
                scale: self.scale,
            },
            jitter: JitterParams {
                brightness: self.brightness,
                contrast: self.contrast,
            },
            sigma: self.sigma,
        }
    }
}

/// Peak signal-to-noise ratio of `out` against `reference` for intensities in [0, 1], in dB
/// (infinite when they are equal).
///
/// # Panics
/// If the lengths differ.
pub fn psnr(out: &[f32], reference: &[f32]) -> f64 {
    assert_eq!(out.len(), reference.len(), "compared images differ in size");
    let mse = out
        .iter()
        .zip(reference)
        .map(|(&a, &b)| (a as f64 - b as f64).powi(2))
        .sum::<f64>()
        / out.len() as f64;
    if mse.is_nan() {
        return f64::NEG_INFINITY;
    }
    -10.0 * mse.log10()
}

fn read(path: &Path) -> Result<Vec<u8>, AugmentGoldenError> {
    std::fs::read(path).map_err(|source| AugmentGoldenError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A tensor's raw bytes after checking its type and shape.
fn tensor<'a>(
    st: &'a SafeTensors<'a>,
    path: &Path,
    name: &str,
    dtype: Dtype,
    shape: &[usize],
) -> Result<&'a [u8], AugmentGoldenError> {
    let bad = |what: String| AugmentGoldenError::Tensors {
        path: path.to_path_buf(),
        what,
    };
    let t = st
        .tensor(name)
        .map_err(|e| bad(format!("tensor '{name}': {e}")))?;
    if t.dtype() != dtype || t.shape() != shape {
        return Err(bad(format!(
            "tensor '{name}' is {:?} {:?}, expected {dtype:?} {shape:?}",
            t.dtype(),
            t.shape()
        )));
    }
    Ok(t.data())
}

/// Replays every case of `DIR/augment_cases.{json,safetensors}` and scores it.
pub fn replay(dir: &Path) -> Result<PsnrStats, AugmentGoldenError> {
    let json_path = dir.join("augment_cases.json");
    let st_path = dir.join("augment_cases.safetensors");
    let file: File =
        serde_json::from_slice(&read(&json_path)?).map_err(|source| AugmentGoldenError::Json {
            path: json_path.clone(),
            source,
        })?;
    let bytes = read(&st_path)?;
    let st = SafeTensors::deserialize(&bytes).map_err(|e| AugmentGoldenError::Tensors {
        path: st_path.clone(),
        what: e.to_string(),
    })?;
    let input = st
        .tensor("input_u8")
        .map_err(|e| AugmentGoldenError::Tensors {
            path: st_path.clone(),
            what: format!("tensor 'input_u8': {e}"),
        })?;
    let [h, w] =
        <[usize; 2]>::try_from(input.shape()).map_err(|_| AugmentGoldenError::Tensors {
            path: st_path.clone(),
            what: format!("input_u8 has shape {:?}, expected [H, W]", input.shape()),
        })?;
    let data = tensor(&st, &st_path, "input_u8", Dtype::U8, &[h, w])?;
    let image = Image::from_u8(w, h, data.to_vec()).map_err(|e| AugmentGoldenError::Tensors {
        path: st_path.clone(),
        what: e.to_string(),
    })?;
    let mut per_case_db = Vec::new();
    for (k, case) in file.cases.iter().enumerate() {
        if case.blur_kernel != gaussian_kernel(case.sigma).len() {
            return Err(AugmentGoldenError::Tensors {
                path: json_path.clone(),
                what: format!(
                    "case {k}: blur_kernel {} is not 2⌈3σ⌉+1 for σ = {}",
                    case.blur_kernel, case.sigma
                ),
            });
        }
        let raw = tensor(
            &st,
            &st_path,
            &format!("output_{k}"),
            Dtype::F32,
            &[case.size, case.size],
        )?;
        let reference: Vec<f32> = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let ours = ConvirtAugment::paper_with_size(case.size).apply_params(&image, &case.params());
        per_case_db.push(psnr(&ours.to_f32(), &reference));
    }
    let cases = per_case_db.len();
    let min_psnr_db = per_case_db.iter().copied().fold(f64::INFINITY, f64::min);
    let mean_psnr_db = per_case_db.iter().sum::<f64>() / cases.max(1) as f64;
    Ok(PsnrStats {
        cases,
        min_psnr_db,
        mean_psnr_db,
        per_case_db,
    })
}
