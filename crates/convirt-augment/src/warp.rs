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

/// Where the warp reads: a sample grid and how source coordinates map onto it.
struct Grid<'a, T> {
    data: &'a [T],
    stride: usize,
    /// Source coordinate of the grid's origin block, and the block size per axis.
    origin: [f32; 2],
    block: [f32; 2],
    /// Inclusive ranges of readable columns and rows.
    cols: (usize, usize),
    rows: (usize, usize),
    /// Tent half-widths (grid pixels) and the intensity unit.
    support: [f32; 2],
    unit: f32,
}

/// The inverse map's constants: the affine inverse about the centre `(cx, cy)`, and the linear
/// maps from the pre-affine frame to grid coordinates, `gx = u·px + qx`, `gy = v·py + qy`.
struct Frame {
    m: [f64; 6],
    cx: f64,
    cy: f64,
    px: f32,
    qx: f32,
    py: f32,
    qy: f32,
}

/// The source box clipped to the image, as inclusive column and row ranges.
type Clip = ((usize, usize), (usize, usize));

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
    ///
    /// When the crop shrinks by 3× or more along an axis, the box is first averaged in blocks of
    /// `k = ⌊scale / 1.5⌋` pixels along it and the tent narrowed to keep the kernel's variance, so
    /// large sources cost about one pass over the crop rather than `scale²` reads per output pixel.
    pub fn apply(&self, src: &Image) -> Image {
        self.apply_with(src, true)
    }

    /// [`apply`](Self::apply), with the block pre-reduction allowed or not (tests compare both).
    pub fn apply_with(&self, src: &Image, reduce: bool) -> Image {
        let (w, h) = (self.width, self.height);
        let Some(clip) = self.clip(src.width(), src.height()) else {
            return Image::float(w, h, vec![0.0; w * h]);
        };
        let out = match src.pixels() {
            Pixels::U8(v) => self.dispatch(v, src.width(), clip, 1.0 / 255.0, reduce),
            Pixels::U16(v) => self.dispatch(v, src.width(), clip, 1.0 / 65535.0, reduce),
            Pixels::F32(v) => self.dispatch(v, src.width(), clip, 1.0, reduce),
        };
        Image::float(w, h, out)
    }

    fn clip(&self, sw: usize, sh: usize) -> Option<Clip> {
        let c = self.crop;
        let x_hi = (c.left + c.width).min(sw);
        let y_hi = (c.top + c.height).min(sh);
        if c.width == 0 || c.height == 0 || x_hi <= c.left || y_hi <= c.top {
            return None;
        }
        Some(((c.left, x_hi - 1), (c.top, y_hi - 1)))
    }

    /// The source pixels per output pixel along x and y.
    fn scales(&self) -> [f32; 2] {
        [
            self.crop.width as f32 / self.width as f32,
            self.crop.height as f32 / self.height as f32,
        ]
    }

    fn dispatch<T: Sample>(
        &self,
        src: &[T],
        sw: usize,
        clip: Clip,
        unit: f32,
        reduce: bool,
    ) -> Vec<f32> {
        let scale = self.scales();
        let k = scale.map(|s| {
            if reduce {
                ((s / 1.5).floor() as usize).max(1)
            } else {
                1
            }
        });
        if k == [1, 1] {
            let grid = Grid {
                data: src,
                stride: sw,
                origin: [0.0; 2],
                block: [1.0; 2],
                cols: clip.0,
                rows: clip.1,
                support: scale.map(|s| s.max(1.0)),
                unit,
            };
            return self.run(&grid);
        }
        let (reduced, rw, rh) = block_mean(src, sw, clip, k, unit);
        // Keep the kernel's variance: box k (variance (k² − 1)/12) then a tent of half-width a·k
        // (variance a²k²/6) matches a tent of half-width s (variance s²/6).
        let support = [0, 1].map(|i| {
            let (s, k) = (scale[i], k[i] as f32);
            ((s * s - (k * k - 1.0) / 2.0).max(0.0).sqrt() / k).max(1.0)
        });
        let grid = Grid {
            data: &reduced[..],
            stride: rw,
            origin: [clip.0.0 as f32, clip.1.0 as f32],
            block: [k[0] as f32, k[1] as f32],
            cols: (0, rw - 1),
            rows: (0, rh - 1),
            support,
            unit: 1.0,
        };
        self.run(&grid)
    }

    /// Picks a kernel with a fixed tap count when the support is small (always, after the block
    /// reduction), else the general one.
    fn run<T: Sample>(&self, g: &Grid<'_, T>) -> Vec<f32> {
        let n = (2.0 * g.support[0].max(g.support[1])).ceil() as usize;
        match n {
            0..=2 => self.run_fixed::<T, 2>(g),
            3 => self.run_fixed::<T, 3>(g),
            4 => self.run_fixed::<T, 4>(g),
            5 => self.run_fixed::<T, 5>(g),
            6 => self.run_fixed::<T, 6>(g),
            7 => self.run_fixed::<T, 7>(g),
            8 => self.run_fixed::<T, 8>(g),
            _ => self.run_general(g),
        }
    }

    /// The per-warp constants of the inverse map (computed once, used per pixel).
    fn frame<T>(&self, g: &Grid<'_, T>) -> Frame {
        let [sx, sy] = self.scales();
        // Pre-affine u → source x = left + (u + 0.5)·sx − 0.5 → grid (x − origin + 0.5)/k − 0.5.
        let axis = |start: usize, s: f32, origin: f32, k: f32| {
            (
                s / k,
                (start as f32 + 0.5 * s - 0.5 - origin + 0.5) / k - 0.5,
            )
        };
        let (px, qx) = axis(self.crop.left, sx, g.origin[0], g.block[0]);
        let (py, qy) = axis(self.crop.top, sy, g.origin[1], g.block[1]);
        Frame {
            m: self.affine.inverse(),
            cx: (self.width as f64 - 1.0) * 0.5,
            cy: (self.height as f64 - 1.0) * 0.5,
            px,
            qx,
            py,
            qy,
        }
    }

    /// The inverse map of output pixel `(j, i)`: grid coordinates and the fill mask, or `None`
    /// where the mask is 0.
    #[inline(always)]
    fn locate(&self, f: &Frame, j: usize, i: usize) -> Option<(f32, f32, f32)> {
        let (w, h) = (self.width, self.height);
        let (xx, yy) = (j as f64 - f.cx, i as f64 - f.cy);
        let m = &f.m;
        // Output → pre-affine frame (the resized crop, before the flip).
        let u = (m[0] * xx + m[1] * yy + m[2] + f.cx) as f32;
        let v = (m[3] * xx + m[4] * yy + m[5] + f.cy) as f32;
        let mask = coverage(u, w) * coverage(v, h);
        if mask <= 0.0 {
            return None;
        }
        let u = if self.flip { (w - 1) as f32 - u } else { u };
        let u = u.clamp(0.0, (w - 1) as f32);
        let v = v.clamp(0.0, (h - 1) as f32);
        Some((u * f.px + f.qx, v * f.py + f.qy, mask))
    }

    /// The warp with `N` taps per axis: fixed-size, unrolled weights; taps outside the readable
    /// range get weight 0 and the rest are renormalised (torchvision's clipping at the box edge).
    fn run_fixed<T: Sample, const N: usize>(&self, g: &Grid<'_, T>) -> Vec<f32> {
        let (w, h) = (self.width, self.height);
        let mut out = vec![0.0f32; w * h];
        let f = self.frame(g);
        let [ax, ay] = g.support;
        for (i, row) in out.chunks_exact_mut(w).enumerate() {
            for (j, px) in row.iter_mut().enumerate() {
                let Some((gx, gy, mask)) = self.locate(&f, j, i) else {
                    continue;
                };
                let (ix, wx, sum_x) = fixed_taps::<N>(gx, ax, g.cols);
                let (iy, wy, sum_y) = fixed_taps::<N>(gy, ay, g.rows);
                let mut acc = 0.0f32;
                for t in 0..N {
                    let line = &g.data[iy[t] * g.stride..];
                    let mut r = 0.0f32;
                    for s in 0..N {
                        r += wx[s] * line[ix[s]].value();
                    }
                    acc += wy[t] * r;
                }
                let norm = sum_x * sum_y;
                if norm > 0.0 {
                    *px = acc / norm * g.unit * mask * mask;
                }
            }
        }
        out
    }

    /// The warp for any support, with per-pixel tap lists (used without the block reduction).
    fn run_general<T: Sample>(&self, g: &Grid<'_, T>) -> Vec<f32> {
        let (w, h) = (self.width, self.height);
        let mut out = vec![0.0f32; w * h];
        let [ax, ay] = g.support;
        let (inv_ax, inv_ay) = (1.0 / ax, 1.0 / ay);
        let f = self.frame(g);
        let mut tx = Taps::with_capacity(2 * ax.ceil() as usize + 2);
        let mut ty = Taps::with_capacity(2 * ay.ceil() as usize + 2);
        for (i, row) in out.chunks_exact_mut(w).enumerate() {
            for (j, px) in row.iter_mut().enumerate() {
                let Some((gx, gy, mask)) = self.locate(&f, j, i) else {
                    continue;
                };
                tx.fill(gx, ax, inv_ax, g.cols.0, g.cols.1);
                ty.fill(gy, ay, inv_ay, g.rows.0, g.rows.1);
                let mut acc = 0.0f32;
                for (k, &wy) in ty.weights.iter().enumerate() {
                    let base = (ty.first + k) * g.stride + tx.first;
                    let line = &g.data[base..base + tx.weights.len()];
                    let mut racc = 0.0f32;
                    for (&wx, &s) in tx.weights.iter().zip(line) {
                        racc += wx * s.value();
                    }
                    acc += wy * racc;
                }
                *px = acc * g.unit * mask * mask;
            }
        }
        out
    }
}

/// `floor` for values well inside the `i32` range, without a libm call.
#[inline(always)]
fn floor_i32(v: f32) -> i32 {
    let i = v as i32;
    if (i as f32) > v { i - 1 } else { i }
}

/// The `N` integer positions from the first one strictly inside `(x − a, x + a)`, their tent
/// weights (0 outside `lo..=hi`, where the index is clamped to stay in bounds) and the weight sum.
#[inline(always)]
fn fixed_taps<const N: usize>(
    x: f32,
    a: f32,
    (lo, hi): (usize, usize),
) -> ([usize; N], [f32; N], f32) {
    let inv_a = 1.0 / a;
    let first = floor_i32(x - a) + 1;
    let (lo, hi) = (lo as i32, hi as i32);
    let mut idx = [0usize; N];
    let mut wt = [0.0f32; N];
    let mut sum = 0.0f32;
    for t in 0..N {
        let j = first + t as i32;
        let w = (1.0 - (j as f32 - x).abs() * inv_a).max(0.0);
        let w = if j >= lo && j <= hi { w } else { 0.0 };
        idx[t] = j.clamp(lo, hi) as usize;
        wt[t] = w;
        sum += w;
    }
    (idx, wt, sum)
}

/// Averages the clipped box in `k[0] × k[1]` blocks (partial blocks at the right and bottom
/// average what they hold), as intensities. Returns the grid and its width and height.
fn block_mean<T: Sample>(
    src: &[T],
    sw: usize,
    ((x0, x1), (y0, y1)): Clip,
    k: [usize; 2],
    unit: f32,
) -> (Vec<f32>, usize, usize) {
    let (bw, bh) = (x1 + 1 - x0, y1 + 1 - y0);
    let (rw, rh) = (bw.div_ceil(k[0]), bh.div_ceil(k[1]));
    let mut out = vec![0.0f32; rw * rh];
    // Column sums over the block's rows first (element-wise, so it vectorises), then sums of
    // `k[0]` columns.
    let mut cols = vec![0.0f32; bw];
    for (ry, dst) in out.chunks_exact_mut(rw).enumerate() {
        cols.iter_mut().for_each(|c| *c = 0.0);
        let rows = (y0 + ry * k[1])..(y0 + ((ry + 1) * k[1]).min(bh));
        let n_rows = rows.len() as f32;
        for y in rows {
            let line = &src[y * sw + x0..y * sw + x0 + bw];
            for (c, s) in cols.iter_mut().zip(line) {
                *c += s.value();
            }
        }
        for (d, block) in dst.iter_mut().zip(cols.chunks(k[0])) {
            *d = block.iter().sum::<f32>() * unit / (n_rows * block.len() as f32);
        }
    }
    (out, rw, rh)
}
