//! [`Warp`]: crop, horizontal flip and affine composed into one inverse map, sampled once from the
//! source straight into the output size.
//!
//! Coordinates follow torchvision: pixel `j` has its centre at `j`; the crop box resizes with
//! half-pixel alignment, `x = left + (u + 0.5)·width/out_width − 0.5`; the affine turns about the
//! output centre `((W − 1)/2, (H − 1)/2)`; points that leave the output frame fade to 0 as
//! torchvision's fill mask does (bilinear coverage, applied to the sample and to the mask, so
//! squared).
//!
//! Sampling is bilinear with the support widened to the scale factor when shrinking (a tent of
//! half-width `max(1, scale)` per axis, taps clipped to the crop box and renormalised): the same
//! kernel as torchvision's `antialias=True` resize, evaluated at the warped point. It equals
//! pre-blurring the source with that tent, then sampling it, but touches only the pixels needed.

use crate::{AffineParams, CropBox, Image, Pixels};

/// One fused geometric transform: crop box → (flip) → affine, into `width × height`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warp {
    /// The source box resized to the output.
    pub crop: CropBox,
    /// Mirror left–right after the resize.
    pub flip: bool,
    /// Rotation, translation and scale about the output centre.
    pub affine: AffineParams,
    /// Output width.
    pub width: usize,
    /// Output height.
    pub height: usize,
}

/// The part of a pixel row a sample reads, and its weights.
struct Taps {
    first: usize,
    weights: Vec<f32>,
}

impl Taps {
    fn with_capacity(n: usize) -> Self {
        Self {
            first: 0,
            weights: Vec::with_capacity(n),
        }
    }

    /// Tent weights of half-width `a` (≥ 1) around `x`, clipped to `lo..=hi` and normalised.
    fn fill(&mut self, x: f32, a: f32, inv_a: f32, lo: usize, hi: usize) {
        let first = ((x - a).ceil().max(lo as f32)) as usize;
        let last = ((x + a).floor().min(hi as f32)).max(first as f32) as usize;
        self.first = first;
        self.weights.clear();
        let mut sum = 0.0;
        for j in first..=last {
            let w = (1.0 - (j as f32 - x).abs() * inv_a).max(0.0);
            self.weights.push(w);
            sum += w;
        }
        let norm = if sum > 0.0 { 1.0 / sum } else { 0.0 };
        for w in &mut self.weights {
            *w *= norm;
        }
    }
}

/// A stored sample type, read as a float before the intensity scale is applied.
trait Sample: Copy + Send + Sync {
    fn value(self) -> f32;
}

impl Sample for u8 {
    fn value(self) -> f32 {
        self as f32
    }
}

impl Sample for u16 {
    fn value(self) -> f32 {
        self as f32
    }
}

impl Sample for f32 {
    fn value(self) -> f32 {
        self
    }
}

/// Bilinear coverage of a point by a frame of `n` pixels with zero outside: 1 inside
/// `[0, n − 1]`, falling linearly to 0 one pixel out.
fn coverage(z: f32, n: usize) -> f32 {
    (z + 1.0).min(n as f32 - z).clamp(0.0, 1.0)
}

impl Warp {
    /// A plain resize of the whole image (no flip, no affine).
    pub fn resize(source_width: usize, source_height: usize, width: usize, height: usize) -> Self {
        Self {
            crop: CropBox::full(source_width, source_height),
            flip: false,
            affine: AffineParams::IDENTITY,
            width,
            height,
        }
    }

    /// Applies the warp to `src`. The crop box is clipped to the image; a box wholly outside it
    /// gives a black image.
    pub fn apply(&self, src: &Image) -> Image {
        let out = match src.pixels() {
            Pixels::U8(v) => self.run(v, src.width(), src.height(), 1.0 / 255.0),
            Pixels::U16(v) => self.run(v, src.width(), src.height(), 1.0 / 65535.0),
            Pixels::F32(v) => self.run(v, src.width(), src.height(), 1.0),
        };
        Image::float(self.width, self.height, out)
    }

    fn run<T: Sample>(&self, src: &[T], sw: usize, sh: usize, unit: f32) -> Vec<f32> {
        let (w, h) = (self.width, self.height);
        let mut out = vec![0.0f32; w * h];
        let c = self.crop;
        // The crop box clipped to the image, as inclusive pixel ranges.
        let (x_lo, y_lo) = (c.left, c.top);
        let x_hi = (c.left + c.width).min(sw) as isize - 1;
        let y_hi = (c.top + c.height).min(sh) as isize - 1;
        if c.width == 0 || c.height == 0 || x_hi < x_lo as isize || y_hi < y_lo as isize {
            return out;
        }
        let (x_hi, y_hi) = (x_hi as usize, y_hi as usize);
        let sx = c.width as f32 / w as f32;
        let sy = c.height as f32 / h as f32;
        let (ax, ay) = (sx.max(1.0), sy.max(1.0));
        let (inv_ax, inv_ay) = (1.0 / ax, 1.0 / ay);
        let (cx, cy) = ((w as f64 - 1.0) * 0.5, (h as f64 - 1.0) * 0.5);
        let m = self.affine.inverse();
        let identity = self.affine == AffineParams::IDENTITY;
        let mut tx = Taps::with_capacity(2 * ax.ceil() as usize + 2);
        let mut ty = Taps::with_capacity(2 * ay.ceil() as usize + 2);
        for (i, row) in out.chunks_exact_mut(w).enumerate() {
            let yy = i as f64 - cy;
            for (j, px) in row.iter_mut().enumerate() {
                let xx = j as f64 - cx;
                // Output → pre-affine frame (the resized crop, before the flip).
                let u = (m[0] * xx + m[1] * yy + m[2] + cx) as f32;
                let v = (m[3] * xx + m[4] * yy + m[5] + cy) as f32;
                let mask = if identity {
                    1.0
                } else {
                    coverage(u, w) * coverage(v, h)
                };
                if mask <= 0.0 {
                    continue;
                }
                let u = if self.flip { (w - 1) as f32 - u } else { u };
                let u = u.clamp(0.0, (w - 1) as f32);
                let v = v.clamp(0.0, (h - 1) as f32);
                let x = c.left as f32 + (u + 0.5) * sx - 0.5;
                let y = c.top as f32 + (v + 0.5) * sy - 0.5;
                tx.fill(x, ax, inv_ax, x_lo, x_hi);
                ty.fill(y, ay, inv_ay, y_lo, y_hi);
                let mut acc = 0.0f32;
                for (k, &wy) in ty.weights.iter().enumerate() {
                    let base = (ty.first + k) * sw + tx.first;
                    let line = &src[base..base + tx.weights.len()];
                    let mut racc = 0.0f32;
                    for (&wx, &s) in tx.weights.iter().zip(line) {
                        racc += wx * s.value();
                    }
                    acc += wy * racc;
                }
                *px = acc * unit * mask * mask;
            }
        }
        out
    }
}
