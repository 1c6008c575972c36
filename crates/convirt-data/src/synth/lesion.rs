//! [`Lesion`]: the drawing primitives a [`Finding`] becomes, placed at its side and zone.
//!
//! Densities are added to the chest before exposure (brighter = denser). [`Gains`] hold each
//! family's density; they are what the calibration in `docs/synthcxr.md` tuned.

use rand::Rng;

use crate::synth::{Anatomy, Family, Finding, Side, Zone};

/// Each family's added density at moderate severity (mild × 0.7, severe × 1.35).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gains {
    /// Patchy airspace opacity, per blob.
    pub opacity: f32,
    /// A non-calcified nodule (calcified: × 1.8).
    pub nodule: f32,
    /// One plate-like atelectasis band.
    pub atelectasis: f32,
    /// The effusion's fluid.
    pub effusion: f32,
    /// The pneumothorax's lucency (its pleural line is half this, brighter).
    pub pneumothorax: f32,
}

impl Default for Gains {
    fn default() -> Self {
        Self {
            opacity: 0.10,
            nodule: 0.16,
            atelectasis: 0.12,
            effusion: 0.16,
            pneumothorax: 0.10,
        }
    }
}

/// A drawing primitive, in unit image coordinates, with its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub enum Lesion {
    /// A soft round blob (`edge == 0`: Gaussian, patchy) or a disc with a soft edge of width
    /// `edge` (a nodule); confined to the lungs.
    Blob {
        /// Centre.
        centre: (f32, f32),
        /// Radius.
        radius: f32,
        /// Edge width (0 for a Gaussian).
        edge: f32,
        /// Added density.
        density: f32,
    },
    /// A thin band along a segment (plate-like atelectasis).
    Band {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Half-width.
        half_width: f32,
        /// Added density at its centre line.
        density: f32,
    },
    /// Basal fluid on one side, its meniscus rising towards the chest wall.
    Effusion {
        /// −1: the image's left (patient's right); +1: the image's right.
        sign: f32,
        /// The fluid level at the medial end, as v.
        level: f32,
        /// How much higher the meniscus reaches at the lateral wall.
        rise: f32,
        /// Added density of the fluid.
        density: f32,
    },
    /// A peripheral lucent band without lung markings, inside a thin pleural line.
    Pneumothorax {
        /// −1 or +1, as for effusions.
        sign: f32,
        /// The band's width (how far the lung edge has fallen in).
        width: f32,
        /// The band's vertical window (v from, v to).
        window: (f32, f32),
        /// Removed density (lucency).
        density: f32,
    },
}

/// The image halves a side covers: −1 for the patient's right, +1 for the left.
pub fn side_signs(side: Side) -> &'static [f32] {
    match side {
        Side::Right => &[-1.0],
        Side::Left => &[1.0],
        Side::Bilateral => &[-1.0, 1.0],
    }
}

/// The zone's vertical window as fractions of the lung height.
pub fn zone_window(zone: Zone) -> (f32, f32) {
    match zone {
        Zone::Upper => (0.06, 0.38),
        Zone::Middle => (0.34, 0.64),
        Zone::Lower => (0.60, 0.90),
    }
}

/// The primitives of `finding` in `anatomy` (cardiomegaly has none: it is the heart's size).
pub fn lesions(
    finding: &Finding,
    anatomy: &Anatomy,
    gains: &Gains,
    rng: &mut impl Rng,
) -> Vec<Lesion> {
    let scale = [0.7, 1.0, 1.35][finding.severity.level()];
    let (top, h) = (anatomy.lung_top, anatomy.lung_height());
    let (z0, z1) = zone_window(finding.zone);
    let lw = anatomy.lung_half_width;
    let mut out = Vec::new();
    for &sign in side_signs(finding.side) {
        let spot = |rng: &mut dyn rand::RngCore| {
            let lateral: f32 = rng.random_range(0.3..0.85);
            let t: f32 = rng.random_range(z0..z1);
            (anatomy.midline + sign * lateral * lw, top + t * h)
        };
        match finding.family {
            Family::Normal | Family::Cardiomegaly => {}
            Family::Opacity => {
                let (cu, cv) = spot(rng);
                let blobs = 3 + 2 * finding.severity.level() + rng.random_range(0..3);
                let spread = 0.05 * scale;
                for _ in 0..blobs {
                    out.push(Lesion::Blob {
                        centre: (
                            cu + rng.random_range(-spread..spread),
                            cv + rng.random_range(-spread..spread),
                        ),
                        radius: rng.random_range(0.018..0.04) * scale,
                        edge: 0.0,
                        density: gains.opacity * rng.random_range(0.6..1.0),
                    });
                }
            }
            Family::Nodule => {
                let count = if finding.severity.level() == 2 { 2 } else { 1 };
                for _ in 0..count {
                    let centre = spot(rng);
                    let (radius, edge, density) = if finding.calcified {
                        (0.008 + 0.003 * scale, 0.002, gains.nodule * 1.8)
                    } else {
                        (0.012 + 0.008 * scale, 0.006, gains.nodule)
                    };
                    out.push(Lesion::Blob {
                        centre,
                        radius,
                        edge,
                        density: density * (0.8 + 0.2 * scale),
                    });
                }
            }
            Family::Atelectasis => {
                let bands = 1 + finding.severity.level();
                for _ in 0..bands {
                    let (cu, cv) = spot(rng);
                    let half_length = rng.random_range(0.05..0.09) * scale;
                    let slope: f32 = rng.random_range(-0.25..0.25);
                    out.push(Lesion::Band {
                        from: (cu - half_length, cv - slope * half_length),
                        to: (cu + half_length, cv + slope * half_length),
                        half_width: rng.random_range(0.004..0.008),
                        density: gains.atelectasis * scale,
                    });
                }
            }
            Family::Effusion => {
                let depth =
                    [0.20, 0.27, 0.36][finding.severity.level()] * rng.random_range(0.8..1.2);
                out.push(Lesion::Effusion {
                    sign,
                    level: anatomy.lung_bottom - depth * h,
                    rise: depth * h * 0.6,
                    density: gains.effusion * rng.random_range(0.85..1.15),
                });
            }
            Family::Pneumothorax => {
                out.push(Lesion::Pneumothorax {
                    sign,
                    width: [0.035, 0.06, 0.09][finding.severity.level()],
                    window: (top + (z0 - 0.06).max(0.0) * h, top + z1 * h),
                    density: gains.pneumothorax * scale,
                });
            }
        }
    }
    out
}
