//! [`CenterCrop`]: torchvision's `center_crop`, zero-padding when the crop is larger.

use rand::RngCore;

use crate::check::size;
use crate::{AugmentError, Image, Transform};

/// Cuts the central `width × height` window. The offset is `round((side − crop) / 2)` with ties to
/// even, as torchvision computes it; where the crop is larger than the image, the image is centred
/// in zeros. Deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CenterCrop {
    /// Output width.
    pub width: usize,
    /// Output height.
    pub height: usize,
}

/// The source offset of the window along one axis (negative: padding before the image).
fn offset(side: usize, crop: usize) -> isize {
    if crop <= side {
        ((side - crop) as f64 / 2.0).round_ties_even() as isize
    } else {
        -(((crop - side) / 2) as isize)
    }
}

impl CenterCrop {
    /// A crop to a non-zero size.
    pub fn new(width: usize, height: usize) -> Result<Self, AugmentError> {
        Ok(Self {
            width: size("crop width", width)?,
            height: size("crop height", height)?,
        })
    }

    /// Crops one image.
    pub fn crop(&self, image: &Image) -> Image {
        let (w, h) = (image.width(), image.height());
        let (left, top) = (offset(w, self.width), offset(h, self.height));
        let src = image.to_f32();
        let mut out = vec![0.0f32; self.width * self.height];
        for (y, row) in out.chunks_exact_mut(self.width).enumerate() {
            let sy = y as isize + top;
            if sy < 0 || sy >= h as isize {
                continue;
            }
            for (x, px) in row.iter_mut().enumerate() {
                let sx = x as isize + left;
                if sx >= 0 && sx < w as isize {
                    *px = src[sy as usize * w + sx as usize];
                }
            }
        }
        Image::float(self.width, self.height, out)
    }
}

impl Transform for CenterCrop {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, _rng: &mut dyn RngCore) -> Image {
        self.crop(&image)
    }
}
