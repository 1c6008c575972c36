//! [`Renderer`]: findings + seed → a radiograph-like gray [`Image`].

use convirt_augment::Image;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::synth::draw::{ExposureLut, segment_distance, sin_turns, smoothstep};
use crate::synth::lesion::{Gains, Lesion, lesions};
use crate::synth::noise::{ValueNoise, hash2};
use crate::synth::{Anatomy, Finding, LungMasks, LungShape};

/// Renders SynthCXR images from a set of lung shapes.
#[derive(Debug, Clone)]
pub struct Renderer {
    shapes: Vec<LungShape>,
    /// The families' densities.
    pub gains: Gains,
}

/// The random draws behind one image: its anatomy and its findings' primitives.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The chest.
    pub anatomy: Anatomy,
    /// The findings' primitives.
    pub lesions: Vec<Lesion>,
    texture: ValueNoise,
    fine: ValueNoise,
    seed: u64,
}

impl Renderer {
    /// A renderer over `masks`' shapes with the default [`Gains`].
    pub fn new(masks: LungMasks) -> Self {
        Self::from_shapes(masks.shapes)
    }

    /// A renderer over `shapes` (at least one).
    ///
    /// # Panics
    /// If `shapes` is empty ([`LungMasks::open`] never returns an empty set).
    pub fn from_shapes(shapes: Vec<LungShape>) -> Self {
        assert!(
            !shapes.is_empty(),
            "a renderer needs at least one lung shape"
        );
        Self {
            shapes,
            gains: Gains::default(),
        }
    }

    /// The number of lung shapes.
    pub fn shapes(&self) -> usize {
        self.shapes.len()
    }

    /// The scene for `findings` and `seed`: the anatomy depends on the seed only (and on a
    /// cardiomegaly finding, through the heart's size), so the same seed with and without a
    /// finding gives the same chest.
    pub fn scene(&self, findings: &[Finding], seed: u64) -> Scene {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let anatomy = Anatomy::draw(findings, self.shapes.len(), &mut rng);
        let texture = ValueNoise::new(12, &mut rng);
        let fine = ValueNoise::new(40, &mut rng);
        let mut lesion_rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_1e51_0000_0000);
        let lesions = findings
            .iter()
            .flat_map(|f| lesions(f, &anatomy, &self.gains, &mut lesion_rng))
            .collect();
        Scene {
            anatomy,
            lesions,
            texture,
            fine,
            seed,
        }
    }

    /// Renders `findings` on the chest drawn from `seed`, `size × size` pixels, intensities in
    /// [0, 1] (bright = dense). A deterministic function of its arguments.
    pub fn render(&self, findings: &[Finding], seed: u64, size: usize) -> Image {
        self.render_scene(&self.scene(findings, seed), size)
    }

    /// Renders a scene (see [`Renderer::scene`]).
    // Invariant: the buffer holds size² pixels and size ≥ 1, so `Image::from_f32` cannot fail.
    #[allow(clippy::expect_used)]
    pub fn render_scene(&self, scene: &Scene, size: usize) -> Image {
        let size = size.max(1);
        let a = &scene.anatomy;
        let shape = &self.shapes[a.mask % self.shapes.len()];
        let (sin, cos) = a.rotation.sin_cos();
        let inv = 1.0 / size as f32;
        let (top, h, lw, mid) = (a.lung_top, a.lung_height(), a.lung_half_width, a.midline);
        let (hcu, hcv) = a.heart_centre();
        let hw = a.heart_half_width();
        let hh = hw * 0.8;
        let lut = ExposureLut::new(a.exposure);
        let lung_at = |u: f32, v: f32| -> f32 {
            let mu = (u - (mid - lw)) / (2.0 * lw);
            let mv = (v - top) / h;
            if !(-0.05..1.05).contains(&mu) || !(-0.05..1.05).contains(&mv) {
                return 0.0;
            }
            let w = &a.warp;
            let du = w[0] * sin_turns(w[4] * mv + w[1]);
            let dv = w[2] * sin_turns(w[5] * mu + w[3]);
            shape.at(mu + du, mv + dv)
        };
        // Density is smooth at the scale of a pixel: it is evaluated on a grid of half the
        // resolution (each point the centre of a 2×2 block) and interpolated; grain is added
        // per output pixel.
        let grid = size.div_ceil(2);
        let step = 2.0 * inv;
        let mut density = vec![0f32; grid * grid];
        for gy in 0..grid {
            for gx in 0..grid {
                let x = (gx as f32 + 0.5) * step - 0.5;
                let y = (gy as f32 + 0.5) * step - 0.5;
                let u = cos * x - sin * y + 0.5;
                let v = sin * x + cos * y + 0.5;
                let dx = u - mid;
                let adx = dx.abs();
                // Body: an elliptic cross-section, narrowing to the neck above the lungs.
                let neck = smoothstep(top - 0.13, top - 0.05, v);
                let half = 0.11 + (a.body_half_width - 0.11) * neck;
                let r = (adx / half).min(1.0);
                let body = (1.0 - r * r).sqrt() * smoothstep(1.0, 0.97, r);
                let mut d = 0.55 * a.soft_tissue * body;
                // Abdomen below the diaphragm domes.
                let side = if dx < 0.0 { 0 } else { 1 };
                let lateral = (adx / lw).min(1.2);
                let dome_v = a.lung_bottom
                    - a.domes[side] * h * (1.0 - (lateral - 0.5).powi(2) * 4.0).max(0.0)
                    - 0.02;
                let below = smoothstep(dome_v - 0.01, dome_v + 0.01, v);
                d += 0.18 * below * body;
                // Lungs, with the heart and the domes in front.
                let heart = {
                    let eu = (u - hcu) / hw;
                    let ev = (v - hcv) / hh;
                    let e = eu * eu + ev * ev;
                    smoothstep(1.08, 0.92, e) * (1.0 - below)
                };
                let lung_raw = lung_at(u, v);
                let lung = lung_raw * (1.0 - heart) * (1.0 - below);
                d += 0.14 * heart;
                // Mediastinum above the heart, and the spine: a band with vertebral bodies.
                let mediastinum = smoothstep(0.075, 0.05, adx) * smoothstep(hcv, hcv - 0.05, v);
                d += 0.1 * mediastinum * (1.0 - heart) * neck;
                let spine = smoothstep(0.045, 0.03, adx);
                let vertebra = 0.8 + 0.2 * (std::f32::consts::TAU * v / 0.045).cos();
                d += 0.2 * spine * vertebra * neck.max(0.3);
                // Posterior ribs: curved bands sloping down laterally, within the thorax.
                if adx > 0.02 && adx < lw + 0.03 && v > top - 0.05 && v < a.lung_bottom + 0.02 {
                    let sp = a.rib_spacing * h;
                    let base = top - 0.03 + a.rib_curve * lateral * lateral;
                    let k = ((v - base) / sp).round().clamp(0.0, 9.0);
                    let dist = ((v - (base + k * sp)) / 0.016).abs();
                    if dist < 1.0 {
                        let bump = (1.0 - dist * dist) * (1.0 - dist * dist);
                        d += 0.05 * bump * smoothstep(0.02, 0.05, adx);
                    }
                }
                // Clavicles.
                let clav_from = (mid + dx.signum() * 0.04, top + 0.03);
                let clav_to = (mid + dx.signum() * (lw + 0.03), top - 0.05);
                let cd = segment_distance((u, v), clav_from, clav_to) / 0.013;
                if cd < 3.0 {
                    d += 0.12 * (-cd * cd).exp();
                }
                // Lung air and markings (denser towards the hila).
                let hilum = (-((adx - 0.1) / 0.15).powi(2)).exp();
                let markings = scene.texture.at(u, v) * 0.5 + scene.fine.at(u, v) * 0.5;
                let mut texture = 0.05 * (0.5 + hilum) * markings;
                let mut lesion_d = 0.0;
                for lesion in &scene.lesions {
                    match *lesion {
                        Lesion::Blob {
                            centre,
                            radius,
                            edge,
                            density,
                        } => {
                            let (qu, qv) = (u - centre.0, v - centre.1);
                            let reach = if edge > 0.0 {
                                radius + edge
                            } else {
                                2.5 * radius
                            };
                            if qu.abs() > reach || qv.abs() > reach {
                                continue;
                            }
                            let dist = (qu * qu + qv * qv).sqrt();
                            let value = if edge > 0.0 {
                                smoothstep(radius + edge, radius - edge, dist)
                            } else {
                                let t = dist / radius;
                                (-t * t).exp() * (0.6 + 0.4 * scene.fine.at(u * 1.7, v * 1.7))
                            };
                            lesion_d += density * value * lung_raw.min(1.0);
                        }
                        Lesion::Band {
                            from,
                            to,
                            half_width,
                            density,
                        } => {
                            let t = segment_distance((u, v), from, to) / half_width;
                            if t < 3.0 {
                                lesion_d += density * (-t * t).exp() * lung_raw;
                            }
                        }
                        Lesion::Effusion {
                            sign,
                            level,
                            rise,
                            density,
                        } => {
                            if dx * sign <= 0.0 || adx > lw + 0.04 {
                                continue;
                            }
                            let meniscus = level - rise * (lateral.min(1.0)).powi(2);
                            let fluid = smoothstep(meniscus - 0.012, meniscus + 0.012, v);
                            lesion_d += density * fluid * (0.3 + 0.7 * lung_raw) * body;
                        }
                        Lesion::Pneumothorax {
                            sign,
                            width,
                            window,
                            density,
                        } => {
                            if dx * sign <= 0.0 || v < window.0 - 0.05 || v > window.1 + 0.05 {
                                continue;
                            }
                            let inner = lung_at(u + sign * width, v - 0.5 * width);
                            let band = lung_raw
                                * (1.0 - inner)
                                * smoothstep(window.0 - 0.04, window.0 + 0.02, v)
                                * smoothstep(window.1 + 0.04, window.1 - 0.02, v);
                            let line = 4.0 * inner * (1.0 - inner) * lung_raw;
                            texture *= 1.0 - band.min(1.0);
                            lesion_d += -density * band + 0.5 * density * line;
                        }
                    }
                }
                d += lung * (texture - 0.42) + lesion_d;
                // Exposure: film response, then per-image gain/offset/gamma and noise.
                density[gy * grid + gx] = d;
            }
        }
        let mut out = vec![0f32; size * size];
        let last = (grid - 1) as f32;
        for py in 0..size {
            let cy = ((py as f32 + 0.5) * 0.5 - 0.5).clamp(0.0, last);
            let y0 = (cy as usize).min(grid.saturating_sub(2));
            let fy = cy - y0 as f32;
            let y1 = (y0 + 1).min(grid - 1);
            for px in 0..size {
                let cx = ((px as f32 + 0.5) * 0.5 - 0.5).clamp(0.0, last);
                let x0 = (cx as usize).min(grid.saturating_sub(2));
                let fx = cx - x0 as f32;
                let x1 = (x0 + 1).min(grid - 1);
                let top = density[y0 * grid + x0] * (1.0 - fx) + density[y0 * grid + x1] * fx;
                let bottom = density[y1 * grid + x0] * (1.0 - fx) + density[y1 * grid + x1] * fx;
                let d = top + (bottom - top) * fy;
                let (n0, n1) = hash2(scene.seed, px as u32, py as u32);
                out[py * size + px] = (lut.at(d) + a.noise * (n0 + n1 - 1.0) * 1.7).clamp(0.0, 1.0);
            }
        }
        Image::from_f32(size, size, out).expect("size ≥ 1 and the buffer is size²")
    }
}
