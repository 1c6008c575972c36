//! Brightness then contrast jitter, with torchvision's semantics (no hue or saturation: X-rays are
//! gray).

use rand::RngCore;

use crate::check::{non_negative, range};
use crate::crop::uniform;
use crate::{AugmentError, Image, Transform};

/// One jitter draw: the brightness and contrast factors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JitterParams {
    /// Brightness factor `b`: `x ← clamp(b·x)`.
    pub brightness: f64,
    /// Contrast factor `c`: `x ← clamp(c·x + (1 − c)·mean(x))`.
    pub contrast: f64,
}

impl JitterParams {
    /// Factors of 1: the identity.
    pub const IDENTITY: Self = Self {
        brightness: 1.0,
        contrast: 1.0,
    };
}

/// Draws brightness and contrast factors uniformly from their ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColorJitter {
    /// Range of the brightness factor.
    pub brightness: (f64, f64),
    /// Range of the contrast factor.
    pub contrast: (f64, f64),
}

impl ColorJitter {
    /// The paper's jitter: both factors in 0.6–1.4.
    pub fn paper() -> Self {
        Self {
            brightness: (0.6, 1.4),
            contrast: (0.6, 1.4),
        }
    }

    /// A jitter with checked, non-negative ranges.
    pub fn new(brightness: (f64, f64), contrast: (f64, f64)) -> Result<Self, AugmentError> {
        for (name, r) in [("brightness", brightness), ("contrast", contrast)] {
            range(name, r)?;
            non_negative(name, r.0)?;
        }
        Ok(Self {
            brightness,
            contrast,
        })
    }

    /// Draws the two factors (brightness first).
    pub fn sample(&self, rng: &mut dyn RngCore) -> JitterParams {
        let brightness = uniform(rng, self.brightness.0, self.brightness.1);
        let contrast = uniform(rng, self.contrast.0, self.contrast.1);
        JitterParams {
            brightness,
            contrast,
        }
    }
}

/// Applies brightness, then contrast (blending with the mean of the brightened image), clamping to
/// [0, 1] after each, in place.
pub fn jitter(values: &mut [f32], params: JitterParams) {
    let b = params.brightness as f32;
    let mut sum = 0.0f64;
    for x in values.iter_mut() {
        *x = (*x * b).clamp(0.0, 1.0);
        sum += *x as f64;
    }
    let c = params.contrast as f32;
    if c == 1.0 || values.is_empty() {
        return;
    }
    let offset = (1.0 - c) * (sum / values.len() as f64) as f32;
    for x in values.iter_mut() {
        *x = (c * *x + offset).clamp(0.0, 1.0);
    }
}

impl Transform for ColorJitter {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        let params = self.sample(rng);
        let (w, h) = (image.width(), image.height());
        let mut values = image.into_f32();
        jitter(&mut values, params);
        Image::float(w, h, values)
    }
}
