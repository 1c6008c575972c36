//! Random affine about the image centre: rotation, translation and scale, no shear, fill 0
//! (torchvision's `RandomAffine` semantics).

use rand::RngCore;

use crate::check::{non_negative, positive_range};
use crate::crop::uniform;
use crate::{AugmentError, CropBox, Image, Transform, Warp};

/// One affine draw, in torchvision's conventions: `angle` in degrees (positive turns the content
/// clockwise on screen, as `torchvision.transforms.functional.affine` documents), `translate` in
/// output pixels `[x, y]` (x right, y down), `scale` a zoom factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AffineParams {
    /// Rotation in degrees.
    pub angle: f64,
    /// Shift `[x, y]` in pixels.
    pub translate: [f64; 2],
    /// Zoom (> 1 enlarges the content).
    pub scale: f64,
}

impl AffineParams {
    /// No rotation, no shift, scale 1.
    pub const IDENTITY: Self = Self {
        angle: 0.0,
        translate: [0.0, 0.0],
        scale: 1.0,
    };

    /// The inverse map as a row-major 2×3 matrix acting on centred coordinates: output point
    /// `(x, y)` reads input point `(m0·x + m1·y + m2, m3·x + m4·y + m5)` (torchvision's
    /// `_get_inverse_affine_matrix` without shear).
    pub fn inverse(&self) -> [f64; 6] {
        let (sin, cos) = self.angle.to_radians().sin_cos();
        let s = 1.0 / self.scale;
        let (a, b, c, d) = (cos * s, sin * s, -sin * s, cos * s);
        let [tx, ty] = self.translate;
        [a, b, -(a * tx + b * ty), c, d, -(c * tx + d * ty)]
    }
}

/// Draws an [`AffineParams`] uniformly: angle in `±degrees`, shift up to `translate` × the image
/// side, scale in the given range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomAffine {
    /// Largest rotation, in degrees, either way.
    pub degrees: f64,
    /// Largest shift, as a fraction of the width (x) and height (y).
    pub translate: f64,
    /// Range of the zoom factor.
    pub scale: (f64, f64),
}

impl RandomAffine {
    /// The paper's affine: ±20°, shift up to 10%, scale 0.95–1.05.
    pub fn paper() -> Self {
        Self {
            degrees: 20.0,
            translate: 0.1,
            scale: (0.95, 1.05),
        }
    }

    /// An affine with checked parameters.
    pub fn new(degrees: f64, translate: f64, scale: (f64, f64)) -> Result<Self, AugmentError> {
        non_negative("affine degrees", degrees)?;
        non_negative("affine translate", translate)?;
        positive_range("affine scale", scale)?;
        Ok(Self {
            degrees,
            translate,
            scale,
        })
    }

    /// Draws the parameters for a `width × height` image. Translations stay continuous (torchvision
    /// rounds them to whole pixels; the warp does not need that).
    pub fn sample(&self, width: usize, height: usize, rng: &mut dyn RngCore) -> AffineParams {
        let angle = uniform(rng, -self.degrees, self.degrees);
        let (mx, my) = (
            self.translate * width as f64,
            self.translate * height as f64,
        );
        let tx = uniform(rng, -mx, mx);
        let ty = uniform(rng, -my, my);
        let scale = uniform(rng, self.scale.0, self.scale.1);
        AffineParams {
            angle,
            translate: [tx, ty],
            scale,
        }
    }
}

impl Transform for RandomAffine {
    /// Never mirrors: its [`Transform::apply_reporting_flip`] reports `false`.
    fn reports_flips(&self) -> bool {
        true
    }

    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        let (w, h) = (image.width(), image.height());
        let affine = self.sample(w, h, rng);
        Warp {
            crop: CropBox::full(w, h),
            flip: false,
            affine,
            width: w,
            height: h,
        }
        .apply(&image)
    }
}
