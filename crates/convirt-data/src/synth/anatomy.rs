//! [`Anatomy`]: the seeded random geometry of one synthetic chest, in unit image coordinates
//! (u right, v down; the patient's right is the image's left).

use rand::Rng;

use crate::synth::{Family, Finding, Severity};

/// One chest's geometry and exposure, drawn from a seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Anatomy {
    /// Patient rotation (radians), about the image centre.
    pub rotation: f32,
    /// The midline (spine, mediastinum).
    pub midline: f32,
    /// The body's half-width at chest level.
    pub body_half_width: f32,
    /// The lungs' bounding box: half-width about the midline.
    pub lung_half_width: f32,
    /// The lungs' top (apices).
    pub lung_top: f32,
    /// The lungs' bottom (costophrenic angles).
    pub lung_bottom: f32,
    /// Which lung mask shapes the lungs.
    pub mask: usize,
    /// Smooth warp of the mask: amplitudes and phases.
    pub warp: [f32; 6],
    /// The cardiothoracic ratio: heart width over thoracic (lung box) width.
    pub ctr: f32,
    /// The heart's centre height, as a fraction of the lung height from the top.
    pub heart_level: f32,
    /// Dome heights (right, left) as fractions of the lung height.
    pub domes: [f32; 2],
    /// Posterior rib spacing, as a fraction of the lung height.
    pub rib_spacing: f32,
    /// Rib curvature (how much ribs slope down laterally).
    pub rib_curve: f32,
    /// Exposure: gain, offset, gamma.
    pub exposure: [f32; 3],
    /// Per-pixel noise level.
    pub noise: f32,
    /// How dense the soft tissue is (body habitus).
    pub soft_tissue: f32,
}

impl Anatomy {
    /// Draws a chest for `findings` (a cardiomegaly finding sets the cardiothoracic ratio to
    /// >= 0.55, scaled by severity; otherwise it is about 0.45) using `masks` shapes.
    pub fn draw(findings: &[Finding], masks: usize, rng: &mut impl Rng) -> Self {
        let ctr = match findings.iter().find(|f| f.family == Family::Cardiomegaly) {
            Some(f) => {
                let base = match f.severity {
                    Severity::Mild => 0.56,
                    Severity::Moderate => 0.60,
                    Severity::Severe => 0.65,
                };
                base + rng.random_range(0.0..0.03)
            }
            None => (0.45 + 0.025 * normal(rng)).clamp(0.39, 0.51),
        };
        let lung_top = rng.random_range(0.09..0.17);
        Self {
            rotation: rng.random_range(-0.06..0.06),
            midline: 0.5 + rng.random_range(-0.025..0.025),
            body_half_width: rng.random_range(0.41..0.50),
            lung_half_width: rng.random_range(0.29..0.37),
            lung_top,
            lung_bottom: lung_top + rng.random_range(0.60..0.72),
            mask: rng.random_range(0..masks.max(1)),
            warp: [
                rng.random_range(-0.03..0.03),
                rng.random_range(0.0..1.0),
                rng.random_range(-0.03..0.03),
                rng.random_range(0.0..1.0),
                rng.random_range(0.5..1.5),
                rng.random_range(0.5..1.5),
            ],
            ctr,
            heart_level: rng.random_range(0.64..0.74),
            domes: [rng.random_range(0.06..0.12), rng.random_range(0.04..0.10)],
            rib_spacing: rng.random_range(0.085..0.11),
            rib_curve: rng.random_range(0.08..0.16),
            exposure: [
                rng.random_range(0.75..1.25),
                rng.random_range(-0.12..0.12),
                rng.random_range(0.75..1.35),
            ],
            noise: rng.random_range(0.01..0.04),
            soft_tissue: rng.random_range(0.7..1.3),
        }
    }

    /// The lung height (top to bottom).
    pub fn lung_height(&self) -> f32 {
        self.lung_bottom - self.lung_top
    }

    /// The heart's half-width: `ctr × lung_half_width`.
    pub fn heart_half_width(&self) -> f32 {
        self.ctr * self.lung_half_width
    }

    /// The heart's centre (u, v): a little to the patient's left of the midline.
    pub fn heart_centre(&self) -> (f32, f32) {
        (
            self.midline + 0.25 * self.heart_half_width(),
            self.lung_top + self.heart_level * self.lung_height(),
        )
    }
}

/// A standard normal draw (Box–Muller).
pub(crate) fn normal(rng: &mut impl Rng) -> f32 {
    let a: f32 = rng.random_range(1e-6..1.0);
    let b: f32 = rng.random_range(0.0..1.0);
    (-2.0 * a.ln()).sqrt() * (std::f32::consts::TAU * b).cos()
}
