//! Random horizontal flip.

use rand::{Rng, RngCore};

use crate::check::probability;
use crate::{AugmentError, Image, Pixels};

/// Mirrors the image left–right with probability `p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HorizontalFlip {
    /// Probability of a flip.
    pub p: f64,
}

impl HorizontalFlip {
    /// The paper's flip: p = 0.5.
    pub fn paper() -> Self {
        Self { p: 0.5 }
    }

    /// A flip with probability `p` in [0, 1].
    pub fn new(p: f64) -> Result<Self, AugmentError> {
        Ok(Self {
            p: probability("flip probability", p)?,
        })
    }

    /// Draws whether to flip.
    pub fn sample(&self, rng: &mut dyn RngCore) -> bool {
        rng.random::<f64>() < self.p
    }
}

/// Mirrors an image left–right, keeping its sample type (exact, no resampling).
// Invariant: the flipped pixels have the size of a valid image, so `Image::new` cannot fail.
#[allow(clippy::expect_used)]
pub fn flip_horizontal(image: &Image) -> Image {
    fn rows<T: Copy>(v: &[T], w: usize) -> Vec<T> {
        v.chunks_exact(w)
            .flat_map(|r| r.iter().rev().copied())
            .collect()
    }
    let w = image.width();
    let pixels = match image.pixels() {
        Pixels::U8(v) => Pixels::U8(rows(v, w)),
        Pixels::U16(v) => Pixels::U16(rows(v, w)),
        Pixels::F32(v) => Pixels::F32(rows(v, w)),
    };
    Image::new(w, image.height(), pixels).expect("same size as a valid image")
}

impl crate::Transform for HorizontalFlip {
    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        if self.sample(rng) {
            flip_horizontal(&image)
        } else {
            image
        }
    }

    fn reports_flips(&self) -> bool {
        true
    }

    fn apply_reporting_flip(&self, image: &Image, rng: &mut dyn RngCore) -> (Image, bool) {
        if self.sample(rng) {
            (flip_horizontal(image), true)
        } else {
            (image.clone(), false)
        }
    }
}
