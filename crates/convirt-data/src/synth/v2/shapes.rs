//! [`Shape`]: the drawing primitives a v2 [`Finding`] becomes, placed in its [`Chest`], and
//! [`Metal`], drawn at the output resolution (devices and unlabelled clutter).

use rand::Rng;

use crate::synth::Zone;
use crate::synth::v2::chest::side_indices;
use crate::synth::v2::{Chest, Clutter, Family, Finding, Kind};

/// A soft-tissue or calcific primitive, added to the density before exposure.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A disc with a soft edge (`edge > 0`: nodules, granulomas, calluses) or a patchy
    /// Gaussian (`edge == 0`); confined to the lungs unless `anywhere`.
    Blob {
        /// Centre.
        centre: (f32, f32),
        /// Radius.
        radius: f32,
        /// Edge width.
        edge: f32,
        /// Added density.
        density: f32,
        /// Drawn outside the lungs too (bone, mediastinum).
        anywhere: bool,
    },
    /// A band along a segment (plate-like atelectasis, aortic wall calcification, osteophytes).
    Band {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Half-width.
        half_width: f32,
        /// Added density at its centre line.
        density: f32,
        /// Drawn outside the lungs too.
        anywhere: bool,
    },
    /// Lobar consolidation: a lobe-sized region of near soft-tissue density with a patchy edge.
    Region {
        /// Centre.
        centre: (f32, f32),
        /// Radii (u, v).
        radii: (f32, f32),
        /// Added density.
        density: f32,
    },
    /// Basal pleural fluid on one side, its meniscus rising towards the chest wall.
    Effusion {
        /// 0: the patient's right (image left); 1: the left.
        side: usize,
        /// The fluid level at the medial end, as v.
        level: f32,
        /// How much higher the meniscus reaches at the lateral wall.
        rise: f32,
        /// Added density.
        density: f32,
    },
    /// A peripheral lucent band without markings, inside a thin pleural line.
    Pneumothorax {
        /// 0 or 1, as for effusions.
        side: usize,
        /// The band's width.
        width: f32,
        /// The band's vertical window.
        window: (f32, f32),
        /// Removed density.
        density: f32,
    },
    /// Perihilar edema on one side (version 11): haze fading out from the hilum, with the
    /// vessels' markings coarser and blurred within it.
    Perihilar {
        /// The hilum (u, v).
        hilum: (f32, f32),
        /// How far the haze reaches (its Gaussian radius).
        reach: f32,
        /// Added density at the hilum.
        density: f32,
        /// How much the markings are amplified at the hilum.
        markings: f32,
    },
    /// A hiatal hernia (version 11): a round soft-tissue mass behind the heart, its top an air
    /// cap above a horizontal air-fluid level.
    Hernia {
        /// Centre.
        centre: (f32, f32),
        /// Radius.
        radius: f32,
        /// The air-fluid level, as v.
        level: f32,
    },
}

/// The form of a metal object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetalForm {
    /// A wire, lead, tube or clip.
    Segment {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Half-width (at least half a pixel is drawn).
        half_width: f32,
    },
    /// An elliptic loop (sternotomy wire, electrode rim, valve ring).
    Ring {
        /// Centre.
        centre: (f32, f32),
        /// Radii (u, v).
        radii: (f32, f32),
        /// Wire half-width.
        half_width: f32,
    },
    /// A filled disc (button, electrode snap).
    Disc {
        /// Centre.
        centre: (f32, f32),
        /// Radius.
        radius: f32,
    },
    /// A filled rotated rectangle (pacemaker generator, side marker).
    Rect {
        /// Centre.
        centre: (f32, f32),
        /// Half sizes (u, v) before rotation.
        half: (f32, f32),
        /// Rotation (radians).
        angle: f32,
    },
}

/// A metal object: very dense, drawn antialiased at the output resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metal {
    /// Its form.
    pub form: MetalForm,
    /// Opacity: 1 (or more) covers the pixel with white; below 1 the tissue shows through,
    /// as through a plastic tube's radio-opaque stripe (renderer version 9; before, an added
    /// density).
    pub density: f32,
}

impl Metal {
    fn segment(from: (f32, f32), to: (f32, f32), half_width: f32, density: f32) -> Self {
        Metal {
            form: MetalForm::Segment {
                from,
                to,
                half_width,
            },
            density,
        }
    }
}

/// A polyline as segments.
fn polyline(points: &[(f32, f32)], half_width: f32, density: f32, out: &mut Vec<Metal>) {
    for w in points.windows(2) {
        out.push(Metal::segment(w[0], w[1], half_width, density));
    }
}

/// The zone's vertical window as fractions of the lung height.
pub fn zone_window(zone: Zone) -> (f32, f32) {
    match zone {
        Zone::Upper => (0.08, 0.36),
        Zone::Middle => (0.36, 0.62),
        Zone::Lower => (0.62, 0.88),
    }
}

/// The sign in u of image side `i` (0: patient's right = image left).
fn sign(i: usize) -> f32 {
    if i == 0 { -1.0 } else { 1.0 }
}

/// The shapes and metal of `finding` in `chest` (anatomy findings — cardiomegaly, volumes,
/// diaphragm, scoliosis — have none: they are the chest's geometry).
pub fn shapes(
    finding: &Finding,
    chest: &Chest,
    rng: &mut impl Rng,
    shapes: &mut Vec<Shape>,
    metal: &mut Vec<Metal>,
) {
    let s = usize::from(finding.severity.clamp(1, 3)) - 1;
    let n = &chest.nuisance;
    let (top, h) = (n.lung_top, chest.lung_height);
    let lw = n.lung_half_width;
    let mid = chest.midline();
    let (z0, z1) = zone_window(finding.zone);
    let (hcu, hcv) = chest.heart_centre();
    let hw = chest.heart_half_width();
    for &i in side_indices(finding.side) {
        let sg = sign(i);
        let spot = |rng: &mut dyn rand::RngCore| {
            let lateral: f32 = rng.random_range(0.3..0.85);
            let t: f32 = rng.random_range(z0..z1);
            (mid + sg * lateral * lw, top + t * h)
        };
        match finding.family {
            Family::Opacity => {
                let r = [0.09, 0.11, 0.14][s] * lw / 0.33 * rng.random_range(0.85..1.15);
                let radii = (r, r * rng.random_range(0.7..0.95));
                // Middle zone: against the heart border (the silhouette sign: right middle lobe
                // → right border, lingula → left); lower: on the dome; upper: the apex.
                let centre = match finding.zone {
                    Zone::Middle => {
                        let edge = hcu + sg * hw;
                        (edge + sg * 0.55 * radii.0, hcv - 0.25 * radii.1)
                    }
                    Zone::Lower => {
                        let u = mid + sg * lw * rng.random_range(0.45..0.7);
                        (u, chest.dome_v(i, 0.55) - 0.85 * radii.1)
                    }
                    Zone::Upper => spot(rng),
                };
                shapes.push(Shape::Region {
                    centre,
                    radii,
                    density: [0.36, 0.44, 0.52][s] * rng.random_range(0.9..1.1),
                });
            }
            Family::Atelectasis => {
                for _ in 0..1 + s {
                    let (cu, cv) = spot(rng);
                    let half_length = rng.random_range(0.06..0.1);
                    let slope: f32 = rng.random_range(-0.2..0.2);
                    shapes.push(Shape::Band {
                        from: (cu - half_length, cv - slope * half_length),
                        to: (cu + half_length, cv + slope * half_length),
                        half_width: rng.random_range(0.008..0.013),
                        density: [0.2, 0.25, 0.3][s],
                        anywhere: false,
                    });
                }
            }
            Family::Nodule => {
                for _ in 0..finding.count {
                    let r = if finding.kind == Kind::Mass {
                        [0.035, 0.045, 0.06][s]
                    } else {
                        [0.018, 0.026, 0.036][s]
                    };
                    shapes.push(Shape::Blob {
                        centre: spot(rng),
                        radius: r * rng.random_range(0.85..1.15),
                        edge: 0.005,
                        density: rng.random_range(0.3..0.4),
                        anywhere: false,
                    });
                }
            }
            Family::Granuloma => {
                for _ in 0..finding.count {
                    let centre = if finding.kind == Kind::Hilar {
                        (
                            mid + sg * rng.random_range(0.08..0.13),
                            top + rng.random_range(0.3..0.45) * h,
                        )
                    } else {
                        spot(rng)
                    };
                    shapes.push(Shape::Blob {
                        centre,
                        radius: rng.random_range(0.005..0.009),
                        edge: 0.0015,
                        density: rng.random_range(0.7..0.9),
                        anywhere: finding.kind == Kind::Hilar,
                    });
                }
            }
            Family::RibFracture => {
                for _ in 0..finding.count {
                    let lateral: f32 = rng.random_range(0.5..0.9);
                    let k = rng.random_range(2..8) as f32;
                    let u = mid + sg * lateral * lw;
                    let v = chest.rib_v(k, lateral);
                    shapes.push(Shape::Blob {
                        centre: (u, v),
                        radius: rng.random_range(0.011..0.016),
                        edge: 0.004,
                        density: 0.16,
                        anywhere: true,
                    });
                }
            }
            Family::Effusion => {
                let depth = [0.14, 0.24, 0.36][s] * rng.random_range(0.85..1.15);
                shapes.push(Shape::Effusion {
                    side: i,
                    level: chest.lung_bottom() - depth * h,
                    rise: depth * h * 0.7 + 0.02,
                    density: 0.27 * rng.random_range(0.9..1.1),
                });
            }
            Family::Pneumothorax => shapes.push(Shape::Pneumothorax {
                side: i,
                width: [0.035, 0.06, 0.09][s],
                window: (top + (z0 - 0.06).max(0.0) * h, top + z1 * h),
                density: [0.07, 0.1, 0.135][s],
            }),
            Family::Edema => {
                let reach = [0.1, 0.125, 0.15][s] * lw / 0.33 * rng.random_range(0.9..1.1);
                shapes.push(Shape::Perihilar {
                    hilum: (mid + sg * 0.1 * lw / 0.33, top + 0.4 * h),
                    reach,
                    density: [0.03, 0.04, 0.055][s] * rng.random_range(0.9..1.1),
                    markings: [2.0, 2.6, 3.2][s],
                });
                // Engorged hilar vessels: the hilum larger and denser, its edge indistinct.
                shapes.push(Shape::Blob {
                    centre: (mid + sg * 0.11 * lw / 0.33, top + 0.38 * h),
                    radius: [0.022, 0.026, 0.03][s],
                    edge: 0.012,
                    density: 0.09,
                    anywhere: true,
                });
            }
            Family::Device => {
                device(finding.kind, sg, chest, rng, metal);
                // A device drawn once even when its side is bilateral.
                break;
            }
            _ => {}
        }
    }
    match finding.family {
        Family::HiatalHernia => {
            let radius = [0.045, 0.06, 0.075][s] * rng.random_range(0.9..1.1);
            let centre = (
                mid + rng.random_range(-0.01..0.05),
                (hcv + rng.random_range(0.0..0.5) * hw).min(chest.dome_v(1, 0.1) - 1.1 * radius),
            );
            shapes.push(Shape::Hernia {
                centre,
                radius,
                level: centre.1 - rng.random_range(0.1..0.4) * radius,
            });
        }
        Family::Aorta => {
            let (ku, kv) = chest.knob_centre();
            if finding.kind == Kind::Calcified {
                let r = chest.knob_radius;
                shapes.push(Shape::Band {
                    from: (ku + 0.2 * r, kv - 0.95 * r),
                    to: (ku + 0.85 * r, kv - 0.45 * r),
                    half_width: 0.0035,
                    density: 0.3,
                    anywhere: true,
                });
            }
        }
        Family::DegenerativeSpine => {
            let count = 3 + s + rng.random_range(0..3);
            for _ in 0..count {
                let v = top + rng.random_range(0.35..0.95) * h;
                let u = chest.spine_u(v);
                let sg = if rng.random_bool(0.5) { -1.0 } else { 1.0 };
                shapes.push(Shape::Band {
                    from: (u + sg * 0.036, v),
                    to: (u + sg * 0.052, v + rng.random_range(-0.008..0.008)),
                    half_width: 0.004,
                    density: 0.22,
                    anywhere: true,
                });
            }
        }
        _ => {}
    }
}

/// A device's metal. `sg`: the side's sign in u.
fn device(kind: Kind, sg: f32, chest: &Chest, rng: &mut impl Rng, metal: &mut Vec<Metal>) {
    let n = &chest.nuisance;
    let (top, h) = (n.lung_top, chest.lung_height);
    let mid = chest.midline();
    let (hcu, hcv) = chest.heart_centre();
    let hw = chest.heart_half_width();
    // Realistic sizes on a 35 cm film: leads and lines 2-3 mm, a generator about 4 × 3 cm.
    let wire = 0.0038;
    let svc = (mid - 0.035, top + 0.3 * h);
    match kind {
        Kind::Pacemaker | Kind::Plain => {
            let box_c = (
                mid + sg * rng.random_range(0.2..0.27),
                top + rng.random_range(0.0..0.06),
            );
            metal.push(Metal {
                form: MetalForm::Rect {
                    centre: box_c,
                    half: (0.058, 0.044),
                    angle: rng.random_range(-0.4..0.4),
                },
                density: 1.1,
            });
            let leads = rng.random_range(1..=2);
            for k in 0..leads {
                let tip = (
                    hcu - 0.2 * hw + 0.3 * hw * k as f32,
                    hcv + rng.random_range(0.0..0.3) * hw,
                );
                let bend = ((box_c.0 + svc.0) * 0.5, top + 0.08 * h);
                polyline(&[box_c, bend, svc, tip], wire * 1.2, 1.0, metal);
            }
        }
        Kind::Sternotomy => {
            let count = rng.random_range(4..=6);
            for k in 0..count {
                let v = top + (0.12 + 0.09 * k as f32) * h;
                metal.push(Metal {
                    form: MetalForm::Ring {
                        centre: (mid + rng.random_range(-0.006..0.006), v),
                        radii: (0.022, 0.012),
                        half_width: wire,
                    },
                    density: 1.0,
                });
            }
        }
        Kind::CentralLine => {
            let entry = (mid + sg * rng.random_range(0.16..0.22), top - 0.02);
            let turn = (mid + sg * 0.06, top + 0.05 * h);
            let tip = (svc.0, svc.1 + rng.random_range(0.0..0.08) * h);
            polyline(&[entry, turn, tip], wire, 0.8, metal);
        }
        Kind::Clips => {
            let (cu, cv) = if rng.random_bool(0.5) {
                // Upper abdomen, below the dome.
                (
                    mid + sg * rng.random_range(0.1..0.25),
                    chest.lung_bottom() + 0.03,
                )
            } else {
                (
                    mid + sg * rng.random_range(0.05..0.15),
                    top + rng.random_range(0.25..0.5) * h,
                )
            };
            for _ in 0..rng.random_range(2..=5) {
                let c = (
                    cu + rng.random_range(-0.04..0.04),
                    cv + rng.random_range(-0.03..0.03),
                );
                let a: f32 = rng.random_range(0.0..std::f32::consts::PI);
                let d = (0.016 * a.cos(), 0.016 * a.sin());
                metal.push(Metal::segment(
                    (c.0 - d.0, c.1 - d.1),
                    (c.0 + d.0, c.1 + d.1),
                    wire * 1.3,
                    1.1,
                ));
            }
        }
        Kind::EtTube => {
            let tip = (mid + 0.003, top + rng.random_range(0.05..0.12) * h);
            metal.push(Metal::segment((mid, 0.0), tip, wire * 1.5, 0.7));
        }
        Kind::NgTube => polyline(
            &[
                (mid - 0.01, 0.0),
                (mid - 0.005, hcv),
                (mid + 0.08, chest.lung_bottom() + 0.05),
            ],
            wire,
            0.7,
            metal,
        ),
        Kind::ChestTube => {
            let entry = (mid + sg * (n.lung_half_width + 0.02), top + 0.75 * h);
            let tip = (mid + sg * 0.5 * n.lung_half_width, top + 0.15 * h);
            metal.push(Metal::segment(entry, tip, wire * 1.6, 0.8));
        }
        Kind::Stent | Kind::Calcified | Kind::Mass | Kind::Hilar => {
            let c = (hcu + rng.random_range(-0.3..0.3) * hw, hcv - 0.2 * hw);
            metal.push(Metal {
                form: MetalForm::Ring {
                    centre: c,
                    radii: (0.022, 0.016),
                    half_width: wire,
                },
                density: 1.0,
            });
        }
    }
}

/// The metal of unlabelled clutter.
pub fn clutter_metal(clutter: &[Clutter], metal: &mut Vec<Metal>) {
    for c in clutter {
        match *c {
            Clutter::Electrode { centre, angle } => {
                metal.push(Metal {
                    form: MetalForm::Ring {
                        centre,
                        radii: (0.011, 0.011),
                        half_width: 0.0018,
                    },
                    density: 0.8,
                });
                metal.push(Metal {
                    form: MetalForm::Disc {
                        centre,
                        radius: 0.004,
                    },
                    density: 1.0,
                });
                let end = (centre.0 + 0.03 * angle.cos(), centre.1 + 0.03 * angle.sin());
                metal.push(Metal::segment(centre, end, 0.0015, 0.7));
            }
            Clutter::Marker { centre } => metal.push(Metal {
                form: MetalForm::Rect {
                    centre,
                    half: (0.016, 0.02),
                    angle: 0.0,
                },
                density: 1.2,
            }),
            Clutter::Button { centre } => metal.push(Metal {
                form: MetalForm::Disc {
                    centre,
                    radius: 0.007,
                },
                density: 0.9,
            }),
            Clutter::Lead { points } => polyline(&points, 0.0022, 0.6, metal),
            Clutter::Necklace {
                centre,
                radii,
                pendant,
            } => {
                // The chain: the ellipse's lower half, as twelve links.
                let chain: Vec<(f32, f32)> = (0..=12)
                    .map(|k| {
                        let a = std::f32::consts::PI * (0.08 + 0.84 * k as f32 / 12.0);
                        (centre.0 + radii.0 * a.cos(), centre.1 + radii.1 * a.sin())
                    })
                    .collect();
                polyline(&chain, 0.0025, 0.9, metal);
                if pendant > 0.0 {
                    metal.push(Metal {
                        form: MetalForm::Disc {
                            centre: (centre.0, centre.1 + radii.1 + pendant),
                            radius: pendant,
                        },
                        density: 1.0,
                    });
                }
            }
        }
    }
}
