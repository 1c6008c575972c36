//! [`Resize`]: antialiased bilinear resize to a fixed size (torchvision's `resize` with
//! `antialias=True`), through the [`Warp`] sampler.

use rand::RngCore;

use crate::check::size;
use crate::{AugmentError, Image, Transform, Warp};

/// Resizes to exactly `width × height`. Deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resize {
    /// Output width.
    pub width: usize,
    /// Output height.
    pub height: usize,
}

impl Resize {
    /// A resize to a non-zero size.
    pub fn new(width: usize, height: usize) -> Result<Self, AugmentError> {
        Ok(Self {
            width: size("resize width", width)?,
            height: size("resize height", height)?,
        })
    }

    /// Resizes one image.
    pub fn resize(&self, image: &Image) -> Image {
        Warp::resize(image.width(), image.height(), self.width, self.height).apply(image)
    }
}

impl Transform for Resize {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, _rng: &mut dyn RngCore) -> Image {
        self.resize(&image)
    }
}
