//! Random Gaussian blur: σ drawn from a range, kernel `2⌈3σ⌉ + 1`, reflect padding (torchvision's
//! `gaussian_blur` with that kernel size).

use rand::RngCore;

use crate::check::positive_range;
use crate::crop::uniform;
use crate::{AugmentError, Image, Transform};

/// Blurs with a σ drawn uniformly from `sigma`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussianBlur {
    /// Range of σ, in pixels.
    pub sigma: (f64, f64),
}

impl GaussianBlur {
    /// The paper's blur: σ in 0.1–3.0.
    pub fn paper() -> Self {
        Self { sigma: (0.1, 3.0) }
    }

    /// A blur with a checked, positive σ range.
    pub fn new(sigma: (f64, f64)) -> Result<Self, AugmentError> {
        Ok(Self {
            sigma: positive_range("blur sigma", sigma)?,
        })
    }

    /// The same blur relative to the image at a `size`-pixel output, for a σ range given at 224²
    /// (the paper's resolution): σ × size / 224.
    ///
    /// ```
    /// let b = convirt_augment::GaussianBlur::paper().scaled_from_224(112);
    /// assert_eq!(b.sigma, (0.05, 1.5));
    /// ```
    pub fn scaled_from_224(self, size: usize) -> Self {
        let k = size as f64 / 224.0;
        Self {
            sigma: (self.sigma.0 * k, self.sigma.1 * k),
        }
    }

    /// Draws σ.
    pub fn sample(&self, rng: &mut dyn RngCore) -> f64 {
        uniform(rng, self.sigma.0, self.sigma.1)
    }
}

/// The normalised 1-D kernel for `sigma`: `2⌈3σ⌉ + 1` taps of `exp(−x²/2σ²)`.
pub fn gaussian_kernel(sigma: f64) -> Vec<f32> {
    let r = (3.0 * sigma).ceil().max(0.0) as i64;
    let taps: Vec<f64> = (-r..=r)
        .map(|x| (-0.5 * (x as f64 / sigma).powi(2)).exp())
        .collect();
    let sum: f64 = taps.iter().sum();
    taps.into_iter().map(|t| (t / sum) as f32).collect()
}

/// Mirror index without repeating the edge (`reflect`), bouncing as often as needed, so even
/// kernels wider than the image are defined.
fn reflect(i: isize, n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    let period = 2 * (n as isize - 1);
    let i = i.rem_euclid(period);
    if i < n as isize {
        i as usize
    } else {
        (period - i) as usize
    }
}

/// Blurs a row-major `width × height` image with the separable Gaussian of `sigma`.
pub fn blur(values: &[f32], width: usize, height: usize, sigma: f64) -> Vec<f32> {
    let k = gaussian_kernel(sigma);
    let r = (k.len() / 2) as isize;
    // Horizontal pass, through a reflect-padded copy of each row.
    let mut tmp = vec![0.0f32; values.len()];
    let mut padded = vec![0.0f32; width + 2 * r as usize];
    for (src, dst) in values.chunks_exact(width).zip(tmp.chunks_exact_mut(width)) {
        for (p, slot) in padded.iter_mut().enumerate() {
            *slot = src[reflect(p as isize - r, width)];
        }
        // Tap-major: each tap is one element-wise multiply-add over the row, which vectorises.
        for (t, &kt) in k.iter().enumerate() {
            for (d, s) in dst.iter_mut().zip(&padded[t..]) {
                *d += kt * s;
            }
        }
    }
    // Vertical pass: whole rows at a time.
    let mut out = vec![0.0f32; values.len()];
    for (y, dst) in out.chunks_exact_mut(width).enumerate() {
        for (t, &kt) in k.iter().enumerate() {
            let sy = reflect(y as isize + t as isize - r, height);
            let src = &tmp[sy * width..(sy + 1) * width];
            for (d, s) in dst.iter_mut().zip(src) {
                *d += kt * s;
            }
        }
    }
    out
}

impl Transform for GaussianBlur {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        let sigma = self.sample(rng);
        let (w, h) = (image.width(), image.height());
        Image::float(w, h, blur(&image.into_f32(), w, h, sigma))
    }
}
