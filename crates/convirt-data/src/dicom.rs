//! [`read_dicom`]: a DICOM image's first frame as a gray [`Image`], as a radiologist's viewer
//! shows it.
//!
//! The stored values go through, in order:
//! 1. the modality LUT: `Rescale Slope × v + Rescale Intercept` (1 and 0 when absent);
//! 2. the VOI LUT window, DICOM's linear function (PS3.3 C.11.2.1.2.1) on the first
//!    `Window Center`/`Window Width` pair: `0` below `c − 0.5 − (w − 1)/2`, `1` above
//!    `c − 0.5 + (w − 1)/2`, else `(x − (c − 0.5))/(w − 1) + 0.5`. Without a window (or with a
//!    width below 1) the values are min-max scaled to [0, 1] instead (a flat image gives 0);
//! 3. `MONOCHROME1` (white is low) is inverted, `1 − y`, so bone is bright in every output.
//!
//! Pixel data in any transfer syntax dicom-pixeldata's pure-Rust codecs decode (native, JPEG
//! baseline/lossless, RLE, deflate) is read; one sample per pixel (gray) is required. Other
//! VOI LUT functions (`SIGMOID`, a VOI LUT table) are not applied: the linear window is.

use std::path::Path;

use convirt_augment::Image;
use dicom_pixeldata::{ConvertOptions, ModalityLutOption, PixelDecoder};

use crate::DataError;

/// Reads a DICOM file's first frame as a gray [`Image`] in [0, 1] (see the module doc for the
/// pipeline). Errors name the file.
pub fn read_dicom(path: impl AsRef<Path>) -> Result<Image, DataError> {
    let path = path.as_ref();
    let bad = |message: String| DataError::Image {
        file: path.to_path_buf(),
        message,
    };
    if let Err(e) = std::fs::metadata(path) {
        return Err(DataError::io(path, e));
    }
    let object = dicom_object::open_file(path).map_err(|e| bad(e.to_string()))?;
    let pixels = object
        .decode_pixel_data_frame(0)
        .map_err(|e| bad(e.to_string()))?;
    if pixels.samples_per_pixel() != 1 {
        return Err(bad(format!(
            "{} samples per pixel; only gray (1) images are read",
            pixels.samples_per_pixel()
        )));
    }
    let (width, height) = (pixels.columns() as usize, pixels.rows() as usize);
    let options = ConvertOptions::new().with_modality_lut(ModalityLutOption::None);
    let stored: Vec<f64> = pixels
        .to_vec_frame_with_options(0, &options)
        .map_err(|e| bad(e.to_string()))?;
    let (slope, intercept) = match pixels.rescale() {
        Ok([first, ..]) => (first.slope, first.intercept),
        _ => (1.0, 0.0),
    };
    let window = match pixels.window() {
        Ok(Some([first, ..])) if first.width >= 1.0 => Some((first.center, first.width)),
        _ => None,
    };
    let monochrome1 = pixels.photometric_interpretation().as_str() == "MONOCHROME1";
    let values = display_values(&stored, slope, intercept, window, monochrome1);
    Image::from_f32(width, height, values).map_err(|e| bad(e.to_string()))
}

/// Stored values → display intensities in [0, 1]: rescale, window (or min-max), inversion.
pub fn display_values(
    stored: &[f64],
    slope: f64,
    intercept: f64,
    window: Option<(f64, f64)>,
    monochrome1: bool,
) -> Vec<f32> {
    let modality = stored.iter().map(|&v| slope * v + intercept);
    let scaled: Vec<f64> = match window {
        Some((center, width)) => modality.map(|x| linear_window(x, center, width)).collect(),
        None => {
            let values: Vec<f64> = modality.collect();
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            let span = hi - lo;
            values
                .iter()
                .map(|&v| if span > 0.0 { (v - lo) / span } else { 0.0 })
                .collect()
        }
    };
    scaled
        .into_iter()
        .map(|y| if monochrome1 { 1.0 - y } else { y } as f32)
        .collect()
}

/// DICOM's linear VOI function mapped to [0, 1] (`width` at least 1).
fn linear_window(x: f64, center: f64, width: f64) -> f64 {
    let low = center - 0.5 - (width - 1.0) / 2.0;
    let high = center - 0.5 + (width - 1.0) / 2.0;
    if x <= low {
        0.0
    } else if x > high {
        1.0
    } else if width > 1.0 {
        ((x - (center - 0.5)) / (width - 1.0) + 0.5).clamp(0.0, 1.0)
    } else {
        1.0
    }
}
