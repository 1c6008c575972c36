//! Random resized crop: torchvision's `RandomResizedCrop` box sampling, resized with the
//! antialiased [`Warp`].

use rand::{Rng, RngCore};

use crate::check::{positive_range, size};
use crate::{AffineParams, AugmentError, Image, Transform, Warp};

/// A box in source pixels: rows `top..top + height`, columns `left..left + width`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropBox {
    /// First row.
    pub top: usize,
    /// First column.
    pub left: usize,
    /// Rows in the box.
    pub height: usize,
    /// Columns in the box.
    pub width: usize,
}

impl CropBox {
    /// The whole of a `width × height` image.
    pub fn full(width: usize, height: usize) -> Self {
        Self {
            top: 0,
            left: 0,
            height,
            width,
        }
    }
}

/// Crops a random box of a random area fraction and log-uniform aspect ratio, and resizes it to
/// `width × height`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomResizedCrop {
    /// Output width.
    pub width: usize,
    /// Output height.
    pub height: usize,
    /// Range of the box's area as a fraction of the image's.
    pub area: (f64, f64),
    /// Range of the box's aspect ratio (width / height), sampled log-uniformly.
    pub ratio: (f64, f64),
}

impl RandomResizedCrop {
    /// The paper's crop: area 0.6–1.0, aspect 3/4–4/3, square output of side `size`.
    pub fn paper(size: usize) -> Self {
        Self {
            width: size,
            height: size,
            area: (0.6, 1.0),
            ratio: (3.0 / 4.0, 4.0 / 3.0),
        }
    }

    /// A crop with checked parameters: a non-zero output, ranges ordered, area in (0, 1].
    pub fn new(
        width: usize,
        height: usize,
        area: (f64, f64),
        ratio: (f64, f64),
    ) -> Result<Self, AugmentError> {
        size("crop width", width)?;
        size("crop height", height)?;
        positive_range("crop area", area)?;
        if area.1 > 1.0 {
            return Err(AugmentError::InvalidParameter {
                name: "crop area",
                requirement: "at most 1",
                value: area.1,
            });
        }
        positive_range("crop ratio", ratio)?;
        Ok(Self {
            width,
            height,
            area,
            ratio,
        })
    }

    /// Draws a box in a `width × height` image, as torchvision's `get_params`: ten tries at a box
    /// that fits, then a centre crop clamped to the ratio range.
    pub fn sample(&self, width: usize, height: usize, rng: &mut dyn RngCore) -> CropBox {
        let area = (width * height) as f64;
        let (log_lo, log_hi) = (self.ratio.0.ln(), self.ratio.1.ln());
        for _ in 0..10 {
            let target = area * uniform(rng, self.area.0, self.area.1);
            let aspect = uniform(rng, log_lo, log_hi).exp();
            let w = (target * aspect).sqrt().round() as usize;
            let h = (target / aspect).sqrt().round() as usize;
            if 0 < w && w <= width && 0 < h && h <= height {
                let top = rng.random_range(0..=height - h);
                let left = rng.random_range(0..=width - w);
                return CropBox {
                    top,
                    left,
                    height: h,
                    width: w,
                };
            }
        }
        let in_ratio = width as f64 / height as f64;
        let (w, h) = if in_ratio < self.ratio.0 {
            (
                width,
                ((width as f64 / self.ratio.0).round() as usize).clamp(1, height),
            )
        } else if in_ratio > self.ratio.1 {
            (
                ((height as f64 * self.ratio.1).round() as usize).clamp(1, width),
                height,
            )
        } else {
            (width, height)
        };
        CropBox {
            top: (height - h) / 2,
            left: (width - w) / 2,
            height: h,
            width: w,
        }
    }
}

/// A uniform draw in `[lo, hi)`, or `lo` when the range is empty.
pub(crate) fn uniform(rng: &mut dyn RngCore, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    }
}

impl Transform for RandomResizedCrop {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        let crop = self.sample(image.width(), image.height(), rng);
        Warp {
            crop,
            flip: false,
            affine: AffineParams::IDENTITY,
            width: self.width,
            height: self.height,
        }
        .apply(&image)
    }
}
