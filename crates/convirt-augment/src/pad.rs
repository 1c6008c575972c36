//! [`PadToSquare`]: zero padding to a square, the evaluation protocol's first step.

use rand::RngCore;

use crate::{Image, Transform};

/// Pads with zeros to `max(w, h)` on both sides, the content centred (an odd remainder goes to the
/// right or bottom). Deterministic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PadToSquare;

impl PadToSquare {
    /// Pads one image.
    pub fn pad(&self, image: &Image) -> Image {
        let (w, h) = (image.width(), image.height());
        let side = w.max(h);
        if w == h {
            return image.clone();
        }
        let (left, top) = ((side - w) / 2, (side - h) / 2);
        let src = image.to_f32();
        let mut out = vec![0.0f32; side * side];
        for (y, row) in src.chunks_exact(w).enumerate() {
            let start = (y + top) * side + left;
            out[start..start + w].copy_from_slice(row);
        }
        Image::float(side, side, out)
    }
}

impl Transform for PadToSquare {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, _rng: &mut dyn RngCore) -> Image {
        self.pad(&image)
    }
}
