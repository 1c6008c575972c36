//! [`Chest`]: a v2 chest's geometry — its [`Nuisance`] as changed by the findings that change
//! anatomy (heart size, lung volumes, diaphragm, spine, aorta, volume loss).

use crate::synth::v2::{Family, Finding, Kind, Nuisance};
use crate::synth::{Side, Zone};

/// The normal cardiothoracic ratio's mean and spread (over the nuisance's `heart_z`).
/// Adults' PA films: 0.45 ± 0.036 (renderer version 9; 0.028 before).
pub const NORMAL_CTR: (f32, f32) = (0.45, 0.036);
/// The cardiothoracic ratio's mean at cardiomegaly severity 1, 2 and 3 (spread
/// [`ENLARGED_CTR_SPREAD`]): the mild range overlaps the top of the normal one, as borderline
/// hearts do (version 9; 0.545 / 0.60 / 0.66 ± 0.018 before).
pub const ENLARGED_CTR: [f32; 3] = [0.535, 0.585, 0.645];
/// The spread of an enlarged heart's ratio (over the nuisance's `heart_z`).
pub const ENLARGED_CTR_SPREAD: f32 = 0.022;

/// One chest's geometry, in unit image coordinates (u right, v down; the patient's right is the
/// image's left).
#[derive(Debug, Clone, PartialEq)]
pub struct Chest {
    /// What the findings leave as drawn.
    pub nuisance: Nuisance,
    /// The lung height after inflation changes.
    pub lung_height: f32,
    /// Dome heights (right, left), fractions of the lung height.
    pub domes: [f32; 2],
    /// The cardiothoracic ratio.
    pub ctr: f32,
    /// The scoliotic curve's amplitude in u at mid-thorax (negative: convex to the patient's
    /// right, the image's left).
    pub spine_curve: f32,
    /// Mediastinal shift in u (volume loss pulls towards its side).
    pub shift: f32,
    /// The density lung air removes (more for hyperinflation, less for low volumes).
    pub air: f32,
    /// The gain of the lung markings (crowded in low volumes, sparse in emphysema).
    pub markings: f32,
    /// Rib spacing, fraction of the lung height.
    pub rib_spacing: f32,
    /// Rib curvature.
    pub rib_curve: f32,
    /// The aortic knob's radius.
    pub knob_radius: f32,
    /// How far the descending aorta bulges to the patient's left (tortuous aorta).
    pub aorta_bulge: f32,
    /// The spine's density gain (endplate sclerosis of a degenerative spine).
    pub spine_density: f32,
}

fn level(f: &Finding) -> usize {
    usize::from(f.severity.clamp(1, 3)) - 1
}

/// The image-side indices (0: patient's right, 1: left) a side covers.
pub fn side_indices(side: Side) -> &'static [usize] {
    match side {
        Side::Right => &[0],
        Side::Left => &[1],
        Side::Bilateral => &[0, 1],
    }
}

impl Chest {
    /// The chest of `nuisance` with `findings`.
    pub fn new(nuisance: Nuisance, findings: &[Finding]) -> Self {
        let n = &nuisance;
        let mut c = Chest {
            lung_height: n.lung_height,
            domes: n.domes,
            ctr: (NORMAL_CTR.0 + NORMAL_CTR.1 * n.heart_z).clamp(0.36, 0.54),
            spine_curve: 0.0,
            shift: 0.0,
            air: 0.42 + n.air_offset,
            markings: 1.0,
            rib_spacing: n.rib_spacing,
            rib_curve: n.rib_curve,
            knob_radius: 0.026 * n.knob,
            aorta_bulge: 0.0,
            spine_density: 1.0,
            nuisance: nuisance.clone(),
        };
        for f in findings {
            let s = level(f);
            match f.family {
                Family::Cardiomegaly => {
                    c.ctr = ENLARGED_CTR[s] + ENLARGED_CTR_SPREAD * nuisance.heart_z
                }
                Family::Hyperinflation => {
                    c.lung_height *= [1.05, 1.08, 1.11][s];
                    let flat = [0.45, 0.3, 0.2][s];
                    c.domes = [c.domes[0] * flat, c.domes[1] * flat];
                    c.air += [0.02, 0.035, 0.05][s];
                    c.markings *= [0.7, 0.6, 0.5][s];
                    c.rib_spacing *= 1.1;
                    c.rib_curve *= 0.6;
                }
                Family::LowVolumes => {
                    c.lung_height *= [0.94, 0.9, 0.86][s];
                    c.domes = [c.domes[0] * 1.3, c.domes[1] * 1.3];
                    c.air -= [0.02, 0.035, 0.05][s];
                    c.markings *= [1.3, 1.4, 1.5][s];
                    c.rib_spacing *= 0.9;
                }
                Family::ElevatedDiaphragm => {
                    for &i in side_indices(f.side) {
                        c.domes[i] += [0.13, 0.18, 0.23][s];
                    }
                }
                Family::Atelectasis if f.zone == Zone::Lower => {
                    for &i in side_indices(f.side) {
                        c.domes[i] += [0.02, 0.035, 0.05][s];
                    }
                    c.shift += match f.side {
                        Side::Right => -0.006 * (s + 1) as f32,
                        Side::Left => 0.006 * (s + 1) as f32,
                        Side::Bilateral => 0.0,
                    };
                }
                Family::Scoliosis => {
                    let amp = [0.045, 0.06, 0.08][s];
                    c.spine_curve = if f.side == Side::Left { amp } else { -amp };
                }
                Family::Aorta => {
                    c.knob_radius *= [1.3, 1.45, 1.6][s];
                    c.aorta_bulge = if f.kind == Kind::Calcified {
                        0.01
                    } else {
                        [0.018, 0.026, 0.034][s]
                    };
                }
                Family::DegenerativeSpine => c.spine_density = [1.12, 1.2, 1.28][s],
                _ => {}
            }
        }
        // Low volumes and low lungs keep the bases within the image.
        c.lung_height = c.lung_height.min(0.93 - n.lung_top);
        c
    }

    /// The lungs' bottom (costophrenic angles).
    pub fn lung_bottom(&self) -> f32 {
        self.nuisance.lung_top + self.lung_height
    }

    /// The heart's half-width: `ctr × lung_half_width`.
    pub fn heart_half_width(&self) -> f32 {
        self.ctr * self.nuisance.lung_half_width
    }

    /// The midline of the mediastinum (with any shift).
    pub fn midline(&self) -> f32 {
        self.nuisance.midline + self.shift
    }

    /// The heart's centre (u, v): a little to the patient's left of the midline.
    pub fn heart_centre(&self) -> (f32, f32) {
        (
            self.midline() + 0.25 * self.heart_half_width(),
            self.nuisance.lung_top + self.nuisance.heart_level * self.lung_height,
        )
    }

    /// The dome's height (v) on image side `i` (0: patient's right) at lateral fraction `t`
    /// (0 medial, 1 at the chest wall).
    pub fn dome_v(&self, i: usize, t: f32) -> f32 {
        self.lung_bottom()
            - self.domes[i] * self.lung_height * (1.0 - (t - 0.5).powi(2) * 4.0).max(0.0)
            - 0.02
    }

    /// The spine's centre u at height `v` (scoliosis bends it).
    pub fn spine_u(&self, v: f32) -> f32 {
        let t = ((v - self.nuisance.lung_top) / self.lung_height).clamp(0.0, 1.0);
        self.nuisance.midline + self.spine_curve * (std::f32::consts::PI * t).sin()
    }

    /// The aortic knob's centre.
    pub fn knob_centre(&self) -> (f32, f32) {
        (
            self.midline() + 0.05 + 0.6 * self.aorta_bulge,
            self.nuisance.lung_top + 0.18 * self.lung_height,
        )
    }

    /// The v of posterior rib `k` (0 at the top) at lateral fraction `lateral` of the lung
    /// half-width.
    pub fn rib_v(&self, k: f32, lateral: f32) -> f32 {
        self.nuisance.lung_top - 0.03
            + self.rib_curve * lateral * lateral
            + k * self.rib_spacing * self.lung_height
    }
}
