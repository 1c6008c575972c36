//! [`Renderer`]: v2 findings + seed → a radiograph-like gray [`Image`].
//!
//! An image's seed gives two independent streams: the [`Nuisance`] stream (anatomy, exposure,
//! noise, clutter), which never sees the findings, and the placement stream (where each
//! finding's shapes go). So the same seed with and without a finding gives the same chest.

use convirt_augment::Image;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::synth::draw::{ExposureLut, segment_distance, sin_turns, smoothstep};
use crate::synth::noise::{ValueNoise, hash2};
use crate::synth::v2::shapes::{Metal, MetalForm, Shape, clutter_metal, shapes};
use crate::synth::v2::{Chest, Finding, Nuisance};
use crate::synth::{LungMasks, LungShape};

/// The brightest tissue intensity: a processed film keeps the mediastinum and bone below
/// metal (renderer version 9; before, dense tissue could saturate to white and hide metal).
pub const TISSUE_HEADROOM: f32 = 0.84;

/// Renders SynthCXR v2 images from a set of lung shapes.
#[derive(Debug, Clone)]
pub struct Renderer {
    shapes: Vec<LungShape>,
}

/// The random draws behind one image.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The chest, with the findings' changes to its anatomy.
    pub chest: Chest,
    /// The findings' soft-tissue and calcific shapes.
    pub shapes: Vec<Shape>,
    /// Metal: devices and clutter.
    pub metal: Vec<Metal>,
    texture: ValueNoise,
    fine: ValueNoise,
    seed: u64,
}

/// The nuisance stream of an image seed.
pub fn nuisance_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The placement stream of an image seed.
pub fn placement_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ 0x7e57_2a11_c0de_0002)
}

impl Renderer {
    /// A renderer over `masks`' shapes.
    pub fn new(masks: LungMasks) -> Self {
        Self::from_shapes(masks.shapes)
    }

    /// A renderer over `shapes`; an empty list falls back to an elliptic lung.
    pub fn from_shapes(shapes: Vec<LungShape>) -> Self {
        Self { shapes }
    }

    /// The nuisance of `seed` (what [`Renderer::scene`] draws first).
    pub fn nuisance(&self, seed: u64) -> Nuisance {
        Nuisance::draw(self.shapes.len(), &mut nuisance_rng(seed))
    }

    /// The scene for `findings` and `seed`.
    pub fn scene(&self, findings: &[Finding], seed: u64) -> Scene {
        let mut rng = nuisance_rng(seed);
        let nuisance = Nuisance::draw(self.shapes.len(), &mut rng);
        let texture = ValueNoise::new(12, &mut rng);
        let fine = ValueNoise::new(40, &mut rng);
        let chest = Chest::new(nuisance, findings);
        let mut placement = placement_rng(seed);
        let (mut out_shapes, mut metal) = (Vec::new(), Vec::new());
        for f in findings {
            shapes(f, &chest, &mut placement, &mut out_shapes, &mut metal);
        }
        clutter_metal(&chest.nuisance.clutter, &mut metal);
        Scene {
            chest,
            shapes: out_shapes,
            metal,
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
        let c = &scene.chest;
        let n = &c.nuisance;
        let shape = (!self.shapes.is_empty()).then(|| &self.shapes[n.mask % self.shapes.len()]);
        let (sin, cos) = n.rotation.sin_cos();
        let inv = 1.0 / size as f32;
        let (top, h, lw) = (n.lung_top, c.lung_height, n.lung_half_width);
        let lung_mid = n.midline;
        let mid = c.midline();
        let bottom = c.lung_bottom();
        let (hcu, hcv) = c.heart_centre();
        let hw = c.heart_half_width();
        // The heart's height does not follow its width: a wide heart is not a bigger blob.
        let hh = 0.36 * lw * n.heart_height;
        let (ku, kv) = c.knob_centre();
        let kr = c.knob_radius;
        let lut = ExposureLut::new(n.exposure);
        let lung_at = |u: f32, v: f32| -> f32 {
            let mu = (u - (lung_mid - lw)) / (2.0 * lw);
            let mv = (v - top) / h;
            if !(-0.05..1.05).contains(&mu) || !(-0.05..1.05).contains(&mv) {
                return 0.0;
            }
            let w = &n.warp;
            let du = w[0] * sin_turns(w[4] * mv + w[1]);
            let dv = w[2] * sin_turns(w[5] * mu + w[3]);
            match shape {
                Some(s) => s.at(mu + du, mv + dv),
                None => {
                    let x = ((mu + du) - 0.5).abs() * 2.0;
                    let e = ((x - 0.55) / 0.4).powi(2) + ((mv + dv - 0.55) / 0.5).powi(2);
                    smoothstep(1.05, 0.95, e)
                }
            }
        };
        let grid = size.div_ceil(2);
        let step = 2.0 * inv;
        let mut density = vec![0f32; grid * grid];
        for gy in 0..grid {
            for gx in 0..grid {
                let x = ((gx as f32 + 0.5) * step - 0.5 - n.shift.0) / n.zoom;
                let y = ((gy as f32 + 0.5) * step - 0.5 - n.shift.1) / n.zoom;
                let u = cos * x - sin * y + 0.5;
                let v = sin * x + cos * y + 0.5;
                let dx = u - mid;
                let adx = dx.abs();
                let neck = smoothstep(top - 0.13, top - 0.05, v);
                let half = 0.11 + (n.body_half_width - 0.11) * neck;
                let r = ((u - lung_mid).abs() / half).min(1.0);
                let body = (1.0 - r * r).sqrt() * smoothstep(1.0, 0.97, r);
                let mut d = 0.55 * n.soft_tissue * body;
                let side = usize::from(u >= lung_mid);
                let lateral = ((u - lung_mid).abs() / lw).min(1.2);
                let dome_v = c.dome_v(side, lateral);
                let below = smoothstep(dome_v - 0.01, dome_v + 0.01, v);
                d += 0.18 * n.abdomen * below * body;
                let heart = {
                    let eu = (u - hcu) / hw;
                    let ev = (v - hcv) / hh;
                    smoothstep(1.08, 0.92, eu * eu + ev * ev) * (1.0 - below)
                };
                let knob = {
                    let e = ((u - ku) / kr).powi(2) + ((v - kv) / (kr * 1.1)).powi(2);
                    smoothstep(1.1, 0.9, e)
                };
                // The descending aorta: a band left of the spine from the knob to the heart.
                let aorta = if v > kv && v < hcv {
                    let t = (v - kv) / (hcv - kv);
                    let au = mid + 0.035 + c.aorta_bulge * (std::f32::consts::PI * t).sin();
                    smoothstep(0.016, 0.008, (u - au).abs())
                } else {
                    0.0
                };
                let vessels = (1.0 - heart) * knob.max(aorta);
                let lung_raw = lung_at(u, v);
                let lung = lung_raw * (1.0 - heart) * (1.0 - below) * (1.0 - vessels);
                d += 0.14 * n.heart_density * heart + 0.12 * vessels;
                // Breast or pectoral soft tissue over the lower lateral chest.
                if n.breasts > 0.0 {
                    let bu = (radx_of(u, lung_mid) - 0.6 * lw) / (0.35 * lw);
                    let bv = (v - (top + 0.8 * h)) / (0.22 * h);
                    d += 0.12 * n.breasts * smoothstep(1.1, 0.6, bu * bu + bv * bv);
                }
                let mediastinum = smoothstep(0.075, 0.05, adx) * smoothstep(hcv, hcv - 0.05, v);
                d += 0.1 * mediastinum * (1.0 - heart) * neck;
                let spine_dx = (u - c.spine_u(v)).abs();
                let spine = smoothstep(0.045, 0.03, spine_dx);
                let vertebra = 0.8 + 0.2 * (std::f32::consts::TAU * v / 0.045).cos();
                d += 0.26 * c.spine_density * spine * vertebra * neck.max(0.3);
                let rib_lateral = ((u - lung_mid).abs() / lw).min(1.2);
                let radx = (u - lung_mid).abs();
                if radx > 0.02 && radx < lw + 0.03 && v > top - 0.05 && v < bottom + 0.02 {
                    let sp = c.rib_spacing * h;
                    let base = c.rib_v(0.0, rib_lateral);
                    let k = ((v - base) / sp).round().clamp(0.0, 10.0);
                    let dist = ((v - (base + k * sp)) / 0.016).abs();
                    if dist < 1.0 {
                        let bump = (1.0 - dist * dist) * (1.0 - dist * dist);
                        d += 0.05 * bump * smoothstep(0.02, 0.05, radx);
                    }
                }
                let sgn = if u < lung_mid { -1.0 } else { 1.0 };
                let clav_from = (lung_mid + sgn * 0.04, top + 0.03);
                let clav_to = (lung_mid + sgn * (lw + 0.03), top - 0.05);
                let cd = segment_distance((u, v), clav_from, clav_to) / 0.013;
                if cd < 3.0 {
                    d += 0.12 * (-cd * cd).exp();
                }
                let hilum = (-((adx - 0.1) / 0.15).powi(2)).exp();
                let markings = scene.texture.at(u, v) * 0.5 + scene.fine.at(u, v) * 0.5;
                let mut texture = 0.05 * c.markings * (0.5 + hilum) * markings;
                let mut lesion_d = 0.0;
                for s in &scene.shapes {
                    lesion_d +=
                        shape_density(s, u, v, lung_raw, body, c, scene, &lung_at, &mut texture);
                }
                d += lung * (texture - c.air) + lesion_d;
                density[gy * grid + gx] = d;
            }
        }
        let boxes: Vec<[f32; 4]> = scene.metal.iter().map(metal_box).collect();
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
                let t = density[y0 * grid + x0] * (1.0 - fx) + density[y0 * grid + x1] * fx;
                let b = density[y1 * grid + x0] * (1.0 - fx) + density[y1 * grid + x1] * fx;
                let d = t + (b - t) * fy;
                // Metal is opaque: it is composited over the tissue's intensity at the film's
                // metal white, so that it stands out over the mediastinum, whatever the exposure.
                let mut metal = 0.0f32;
                if !scene.metal.is_empty() {
                    let x = ((px as f32 + 0.5) * inv - 0.5 - n.shift.0) / n.zoom;
                    let y = ((py as f32 + 0.5) * inv - 0.5 - n.shift.1) / n.zoom;
                    let u = cos * x - sin * y + 0.5;
                    let v = sin * x + cos * y + 0.5;
                    for (m, bx) in scene.metal.iter().zip(&boxes) {
                        if u >= bx[0] - inv
                            && u <= bx[2] + inv
                            && v >= bx[1] - inv
                            && v <= bx[3] + inv
                        {
                            let a = m.density.min(1.0) * metal_coverage(&m.form, u, v, inv);
                            metal = metal + a - metal * a;
                        }
                    }
                }
                let (n0, n1) = hash2(scene.seed, px as u32, py as u32);
                let field = 1.0
                    + n.gradient.0 * ((px as f32 + 0.5) * inv - 0.5)
                    + n.gradient.1 * ((py as f32 + 0.5) * inv - 0.5);
                let tissue = TISSUE_HEADROOM * lut.at(d) * field;
                let value = tissue + (n.metal_white.max(tissue) - tissue) * metal;
                out[py * size + px] = (value + n.noise * (n0 + n1 - 1.0) * 1.7).clamp(0.0, 1.0);
            }
        }
        Image::from_f32(size, size, out).expect("size ≥ 1 and the buffer is size²")
    }
}

/// The distance of `u` from the lungs' midline.
fn radx_of(u: f32, lung_mid: f32) -> f32 {
    (u - lung_mid).abs()
}

/// The density one shape adds at (u, v); a pneumothorax also clears the markings.
#[allow(clippy::too_many_arguments)]
fn shape_density(
    s: &Shape,
    u: f32,
    v: f32,
    lung_raw: f32,
    body: f32,
    c: &Chest,
    scene: &Scene,
    lung_at: &dyn Fn(f32, f32) -> f32,
    texture: &mut f32,
) -> f32 {
    let lw = c.nuisance.lung_half_width;
    let lung_mid = c.nuisance.midline;
    match *s {
        Shape::Blob {
            centre,
            radius,
            edge,
            density,
            anywhere,
        } => {
            let (qu, qv) = (u - centre.0, v - centre.1);
            let reach = if edge > 0.0 {
                radius + edge
            } else {
                2.5 * radius
            };
            if qu.abs() > reach || qv.abs() > reach {
                return 0.0;
            }
            let dist = (qu * qu + qv * qv).sqrt();
            let value = if edge > 0.0 {
                smoothstep(radius + edge, radius - edge, dist)
            } else {
                let t = dist / radius;
                (-t * t).exp() * (0.6 + 0.4 * scene.fine.at(u * 1.7, v * 1.7))
            };
            let mask = if anywhere { 1.0 } else { lung_raw.min(1.0) };
            density * value * mask
        }
        Shape::Band {
            from,
            to,
            half_width,
            density,
            anywhere,
        } => {
            let t = segment_distance((u, v), from, to) / half_width;
            if t >= 3.0 {
                return 0.0;
            }
            let mask = if anywhere { 1.0 } else { lung_raw };
            density * (-t * t).exp() * mask
        }
        Shape::Region {
            centre,
            radii,
            density,
        } => {
            let (qu, qv) = ((u - centre.0) / radii.0, (v - centre.1) / radii.1);
            if qu.abs() > 1.4 || qv.abs() > 1.4 {
                return 0.0;
            }
            let e = (qu * qu + qv * qv).sqrt() + 0.18 * scene.fine.at(u * 2.0, v * 2.0);
            let patch = 0.8 + 0.2 * scene.texture.at(u * 3.0, v * 3.0);
            density * smoothstep(1.0, 0.78, e) * patch * lung_raw.min(1.0)
        }
        Shape::Effusion {
            side,
            level,
            rise,
            density,
        } => {
            let sg = if side == 0 { -1.0 } else { 1.0 };
            let dx = u - lung_mid;
            if dx * sg <= 0.0 || dx.abs() > lw + 0.04 {
                return 0.0;
            }
            let lateral = (dx.abs() / lw).min(1.0);
            let meniscus = level - rise * lateral.powi(2);
            let fluid = smoothstep(meniscus - 0.012, meniscus + 0.012, v);
            density * fluid * (0.3 + 0.7 * lung_raw) * body
        }
        Shape::Perihilar {
            hilum,
            reach,
            density,
            markings,
        } => {
            let (qu, qv) = ((u - hilum.0) / reach, (v - hilum.1) / (1.3 * reach));
            let r2 = qu * qu + qv * qv;
            if r2 > 9.0 {
                return 0.0;
            }
            let haze = (-r2).exp();
            *texture *= 1.0 + markings * haze;
            density * haze * (0.75 + 0.25 * scene.texture.at(u * 2.0, v * 2.0)) * lung_raw.min(1.0)
        }
        Shape::Hernia {
            centre,
            radius,
            level,
        } => {
            let (qu, qv) = (u - centre.0, v - centre.1);
            if qu.abs() > radius * 1.2 || qv.abs() > radius * 1.2 {
                return 0.0;
            }
            let inside = smoothstep(radius * 1.05, radius * 0.95, (qu * qu + qv * qv).sqrt());
            // Fluid and stomach wall below the level, gas above it: a sharp horizontal line.
            let gas = smoothstep(level + 0.004, level - 0.004, v);
            inside * (0.16 * (1.0 - gas) - 0.22 * gas)
        }
        Shape::Pneumothorax {
            side,
            width,
            window,
            density,
        } => {
            let sg = if side == 0 { -1.0 } else { 1.0 };
            let dx = u - lung_mid;
            if dx * sg <= 0.0 || v < window.0 - 0.05 || v > window.1 + 0.05 {
                return 0.0;
            }
            let inner = lung_at(u + sg * width, v - 0.5 * width);
            let band = lung_raw
                * (1.0 - inner)
                * smoothstep(window.0 - 0.04, window.0 + 0.02, v)
                * smoothstep(window.1 + 0.04, window.1 - 0.02, v);
            let line = 4.0 * inner * (1.0 - inner) * lung_raw;
            *texture *= 1.0 - band.min(1.0);
            -density * band + 0.5 * density * line
        }
    }
}

/// A metal object's bounding box `[u0, v0, u1, v1]`.
fn metal_box(m: &Metal) -> [f32; 4] {
    match m.form {
        MetalForm::Segment {
            from,
            to,
            half_width,
        } => [
            from.0.min(to.0) - half_width,
            from.1.min(to.1) - half_width,
            from.0.max(to.0) + half_width,
            from.1.max(to.1) + half_width,
        ],
        MetalForm::Ring {
            centre,
            radii,
            half_width,
        } => [
            centre.0 - radii.0 - half_width,
            centre.1 - radii.1 - half_width,
            centre.0 + radii.0 + half_width,
            centre.1 + radii.1 + half_width,
        ],
        MetalForm::Disc { centre, radius } => [
            centre.0 - radius,
            centre.1 - radius,
            centre.0 + radius,
            centre.1 + radius,
        ],
        MetalForm::Rect { centre, half, .. } => {
            let r = (half.0 * half.0 + half.1 * half.1).sqrt();
            [centre.0 - r, centre.1 - r, centre.0 + r, centre.1 + r]
        }
    }
}

/// How much of the pixel of side `px` at (u, v) the metal covers, antialiased; thin wires are
/// drawn at least half a pixel wide.
fn metal_coverage(form: &MetalForm, u: f32, v: f32, px: f32) -> f32 {
    let edge = |dist: f32, half: f32| ((half.max(0.5 * px) + 0.5 * px - dist) / px).clamp(0.0, 1.0);
    match *form {
        MetalForm::Segment {
            from,
            to,
            half_width,
        } => edge(segment_distance((u, v), from, to), half_width),
        MetalForm::Ring {
            centre,
            radii,
            half_width,
        } => {
            let (qu, qv) = ((u - centre.0) / radii.0, (v - centre.1) / radii.1);
            let r = (qu * qu + qv * qv).sqrt();
            let dist = (r - 1.0).abs() * radii.0.min(radii.1);
            edge(dist, half_width)
        }
        MetalForm::Disc { centre, radius } => {
            let dist = ((u - centre.0).powi(2) + (v - centre.1).powi(2)).sqrt();
            edge((dist - radius).max(0.0), 0.0) * f32::from(dist < radius + px)
        }
        MetalForm::Rect {
            centre,
            half,
            angle,
        } => {
            let (s, c) = angle.sin_cos();
            let (du, dv) = (u - centre.0, v - centre.1);
            let (ru, rv) = (c * du + s * dv, -s * du + c * dv);
            let outside = ((ru.abs() - half.0).max(0.0)).hypot((rv.abs() - half.1).max(0.0));
            edge(outside, 0.0)
        }
    }
}
