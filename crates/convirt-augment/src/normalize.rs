//! [`Normalize`]: intensity standardisation `(x − mean) / std`.

use rand::RngCore;

use crate::{AugmentError, Image, Transform};

/// Maps each intensity to `(x − mean) / std`. Deterministic; the output leaves [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normalize {
    /// Subtracted first.
    pub mean: f32,
    /// Divided by next.
    pub std: f32,
}

impl Normalize {
    /// No change: mean 0, std 1.
    pub const IDENTITY: Self = Self {
        mean: 0.0,
        std: 1.0,
    };

    /// A normalisation with a finite mean and a finite, positive std.
    pub fn new(mean: f32, std: f32) -> Result<Self, AugmentError> {
        if !mean.is_finite() {
            return Err(AugmentError::InvalidParameter {
                name: "normalize mean",
                requirement: "finite",
                value: mean as f64,
            });
        }
        if !(std.is_finite() && std > 0.0) {
            return Err(AugmentError::InvalidParameter {
                name: "normalize std",
                requirement: "finite and > 0",
                value: std as f64,
            });
        }
        Ok(Self { mean, std })
    }

    /// Normalises values in place.
    pub fn normalize(&self, values: &mut [f32]) {
        let inv = 1.0 / self.std;
        for v in values {
            *v = (*v - self.mean) * inv;
        }
    }
}

impl Transform for Normalize {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, _rng: &mut dyn RngCore) -> Image {
        let (w, h) = (image.width(), image.height());
        let mut values = image.into_f32();
        self.normalize(&mut values);
        Image::float(w, h, values)
    }
}
