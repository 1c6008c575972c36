//! [`Nuisance`]: everything about a v2 image that is not a finding — the chest's anatomy,
//! exposure, noise and the unlabelled metal (ECG electrodes and their leads, side markers,
//! buttons, necklaces) — drawn
//! from a stream of its own, so that it is independent of the labels by construction.

use rand::Rng;

use crate::synth::anatomy::normal;

/// Unlabelled metal: what real radiographs carry that no finding names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clutter {
    /// An ECG electrode: a ring with a snap at its centre, and a wire stub leaving it.
    Electrode {
        /// Centre (u, v).
        centre: (f32, f32),
        /// Direction of the wire stub (radians).
        angle: f32,
    },
    /// A radiographer's side marker in a top corner.
    Marker {
        /// Centre (u, v).
        centre: (f32, f32),
    },
    /// A button of clothing.
    Button {
        /// Centre (u, v).
        centre: (f32, f32),
    },
    /// A monitoring lead: a long wire from an electrode off the film (renderer version 9).
    Lead {
        /// The electrode, a bend, and where the wire leaves the image.
        points: [(f32, f32); 3],
    },
    /// A necklace over the lower neck and upper chest, with or without a pendant (version 9).
    Necklace {
        /// The centre of the chain's ellipse.
        centre: (f32, f32),
        /// The ellipse's radii (u, v); the chain is its lower half.
        radii: (f32, f32),
        /// The pendant's radius (0: none).
        pendant: f32,
    },
}

/// The probability that an image has ECG electrodes (3–5 of them), whatever its labels.
pub const ELECTRODE_RATE: f64 = 0.4;
/// The probability of a side marker.
pub const MARKER_RATE: f64 = 0.6;
/// The probability of 2–4 buttons down the midline.
pub const BUTTON_RATE: f64 = 0.15;
/// The probability that an electrode keeps its monitoring lead on the film.
pub const LEAD_RATE: f64 = 0.5;
/// The probability of a necklace.
pub const NECKLACE_RATE: f64 = 0.12;

/// One chest's nuisance parameters, in unit image coordinates (u right, v down).
#[derive(Debug, Clone, PartialEq)]
pub struct Nuisance {
    /// Patient rotation (radians), about the image centre.
    pub rotation: f32,
    /// The midline.
    pub midline: f32,
    /// The body's half-width at chest level.
    pub body_half_width: f32,
    /// The lungs' half-width about the midline.
    pub lung_half_width: f32,
    /// The apices' height.
    pub lung_top: f32,
    /// The lung height at normal inflation.
    pub lung_height: f32,
    /// Which lung mask shapes the lungs.
    pub mask: usize,
    /// Smooth warp of the mask: amplitudes and phases.
    pub warp: [f32; 6],
    /// A standard normal draw that places the cardiothoracic ratio within its range.
    pub heart_z: f32,
    /// The heart's centre height, as a fraction of the lung height.
    pub heart_level: f32,
    /// Dome heights (right, left) as fractions of the lung height.
    pub domes: [f32; 2],
    /// Posterior rib spacing, as a fraction of the lung height.
    pub rib_spacing: f32,
    /// Rib curvature.
    pub rib_curve: f32,
    /// Exposure: gain, offset, gamma.
    pub exposure: [f32; 3],
    /// Per-pixel noise level.
    pub noise: f32,
    /// The intensity metal shows as (a film's saturation and processing; version 9).
    pub metal_white: f32,
    /// Soft-tissue density (habitus).
    pub soft_tissue: f32,
    /// The aortic knob's size, relative to normal.
    pub knob: f32,
    /// Unlabelled metal.
    pub clutter: Vec<Clutter>,
    /// Positioning: the chest's shift in the field (u, v).
    pub shift: (f32, f32),
    /// Positioning: the field's magnification of the chest.
    pub zoom: f32,
    /// A linear exposure gradient across the film (u, v): the heel effect, uneven grids.
    pub gradient: (f32, f32),
    /// The heart's density relative to normal.
    pub heart_density: f32,
    /// Breast or pectoral soft tissue over the lower lateral chest (0: none).
    pub breasts: f32,
    /// The heart's height relative to normal (independent of its width).
    pub heart_height: f32,
    /// The abdomen's density below the domes, relative to normal.
    pub abdomen: f32,
    /// How much more (or less) the lungs' air darkens them than normal.
    pub air_offset: f32,
}

impl Nuisance {
    /// Draws one chest's nuisance from `rng` over `masks` lung shapes.
    pub fn draw(masks: usize, rng: &mut impl Rng) -> Self {
        let lung_top = rng.random_range(0.08..0.17);
        let lung_height = rng.random_range(0.56..0.72);
        let midline = 0.5 + rng.random_range(-0.025..0.025);
        let lung_half_width = rng.random_range(0.27..0.37);
        let mut n = Self {
            rotation: rng.random_range(-0.06..0.06),
            midline,
            body_half_width: rng.random_range(0.41..0.49),
            lung_half_width,
            lung_top,
            lung_height,
            mask: rng.random_range(0..masks.max(1)),
            warp: [
                rng.random_range(-0.03..0.03),
                rng.random_range(0.0..1.0),
                rng.random_range(-0.03..0.03),
                rng.random_range(0.0..1.0),
                rng.random_range(0.5..1.5),
                rng.random_range(0.5..1.5),
            ],
            heart_z: normal(rng).clamp(-2.5, 2.5),
            heart_level: rng.random_range(0.64..0.74),
            domes: [rng.random_range(0.04..0.13), rng.random_range(0.03..0.11)],
            rib_spacing: rng.random_range(0.085..0.11),
            rib_curve: rng.random_range(0.08..0.16),
            exposure: [
                rng.random_range(0.8..1.2),
                rng.random_range(-0.1..0.1),
                rng.random_range(0.8..1.3),
            ],
            noise: rng.random_range(0.01..0.035),
            metal_white: 1.0,
            soft_tissue: rng.random_range(0.7..1.3),
            knob: rng.random_range(0.85..1.15),
            clutter: Vec::new(),
            shift: (rng.random_range(-0.05..0.05), rng.random_range(-0.06..0.06)),
            zoom: rng.random_range(0.84..1.14),
            gradient: (rng.random_range(-0.3..0.3), rng.random_range(-0.3..0.3)),
            heart_density: rng.random_range(0.6..1.4),
            breasts: if rng.random_bool(0.6) {
                rng.random_range(0.3..1.0)
            } else {
                0.0
            },
            heart_height: rng.random_range(0.85..1.15),
            abdomen: rng.random_range(0.7..1.3),
            air_offset: rng.random_range(-0.04..0.04),
        };
        let electrodes = rng.random_bool(ELECTRODE_RATE);
        let count = rng.random_range(3..=5);
        let sites = [
            (-0.30, -0.02),
            (0.30, -0.02),
            (-0.26, 0.72),
            (0.26, 0.72),
            (0.12, 0.55),
        ];
        for (k, (du, dv)) in sites.iter().enumerate() {
            let jitter = (rng.random_range(-0.04..0.04), rng.random_range(-0.04..0.04));
            let angle = rng.random_range(0.0..std::f32::consts::TAU);
            if electrodes && k < count {
                n.clutter.push(Clutter::Electrode {
                    centre: (
                        midline + du + jitter.0,
                        lung_top + dv * lung_height + jitter.1,
                    ),
                    angle,
                });
            }
        }
        let marker = rng.random_bool(MARKER_RATE);
        let marker_side: f32 = if rng.random_bool(0.5) { -1.0 } else { 1.0 };
        let marker_v = rng.random_range(0.04..0.10);
        if marker {
            n.clutter.push(Clutter::Marker {
                centre: (0.5 + marker_side * rng.random_range(0.36..0.44), marker_v),
            });
        }
        let buttons = rng.random_bool(BUTTON_RATE);
        let button_count = rng.random_range(2..=4);
        let button_v = rng.random_range(0.2..0.35);
        if buttons {
            for k in 0..button_count {
                n.clutter.push(Clutter::Button {
                    centre: (midline + 0.01, button_v + 0.12 * k as f32),
                });
            }
        }
        // Version 9's draws come after every earlier one.
        n.metal_white = rng.random_range(0.88..1.0);
        let electrodes: Vec<(f32, f32)> = n
            .clutter
            .iter()
            .filter_map(|c| match *c {
                Clutter::Electrode { centre, .. } => Some(centre),
                _ => None,
            })
            .collect();
        for centre in electrodes {
            let keep = rng.random_bool(LEAD_RATE);
            let out = if centre.0 < midline { -1.0 } else { 1.0 };
            let bend = (
                centre.0 + out * rng.random_range(0.03..0.14),
                centre.1 + rng.random_range(-0.08..0.14),
            );
            let leave = if rng.random_bool(0.6) {
                (0.5 + out * 0.56, bend.1 + rng.random_range(-0.1..0.25))
            } else {
                (bend.0 + rng.random_range(-0.12..0.12), 1.04)
            };
            if keep {
                n.clutter.push(Clutter::Lead {
                    points: [centre, bend, leave],
                });
            }
        }
        let necklace = rng.random_bool(NECKLACE_RATE);
        let centre = (
            midline + rng.random_range(-0.02..0.02),
            lung_top + rng.random_range(-0.08..0.0),
        );
        let radii = (rng.random_range(0.07..0.12), rng.random_range(0.06..0.15));
        let pendant = if rng.random_bool(0.5) {
            rng.random_range(0.006..0.016)
        } else {
            0.0
        };
        if necklace {
            n.clutter.push(Clutter::Necklace {
                centre,
                radii,
                pendant,
            });
        }
        n
    }

    /// The scalar parameters by name, for checking that they do not depend on the labels.
    pub fn scalars(&self) -> Vec<(&'static str, f32)> {
        vec![
            ("rotation", self.rotation),
            ("midline", self.midline),
            ("body_half_width", self.body_half_width),
            ("lung_half_width", self.lung_half_width),
            ("lung_top", self.lung_top),
            ("lung_height", self.lung_height),
            ("mask", self.mask as f32),
            ("heart_z", self.heart_z),
            ("heart_level", self.heart_level),
            ("dome_right", self.domes[0]),
            ("dome_left", self.domes[1]),
            ("rib_spacing", self.rib_spacing),
            ("exposure_gain", self.exposure[0]),
            ("exposure_offset", self.exposure[1]),
            ("exposure_gamma", self.exposure[2]),
            ("noise", self.noise),
            ("metal_white", self.metal_white),
            ("soft_tissue", self.soft_tissue),
            ("clutter", self.clutter.len() as f32),
            ("shift_u", self.shift.0),
            ("shift_v", self.shift.1),
            ("zoom", self.zoom),
            ("gradient_u", self.gradient.0),
            ("gradient_v", self.gradient.1),
            ("heart_density", self.heart_density),
            ("breasts", self.breasts),
            ("heart_height", self.heart_height),
            ("abdomen", self.abdomen),
            ("air_offset", self.air_offset),
        ]
    }
}
