//! The convolution kernels on flex, f32, NCHW: forward, input gradient and weight gradient, each
//! as im2col (or col2im) plus one GEMM per image group and channel group.
//!
//! Images are split into one contiguous block per rayon thread. Small images are packed side by
//! side into one column matrix (at least [`MIN_GEMM_COLUMNS`] columns), so late layers with a
//! few output pixels still give the GEMM a long inner dimension. With a single block (batch 1)
//! the GEMM itself runs in parallel instead.

use gemm::Parallelism;
use rayon::prelude::*;

use super::geometry::Geometry;
use super::im2col::{col2im, im2col};

/// The fewest output pixels one GEMM should cover; smaller images are packed together up to this.
const MIN_GEMM_COLUMNS: usize = 512;

/// How many images of `available` share one column matrix of `pixels` columns each.
fn images_per_gemm(pixels: usize, available: usize) -> usize {
    MIN_GEMM_COLUMNS
        .div_ceil(pixels.max(1))
        .clamp(1, available.max(1))
}

/// The image blocks `[start, end)`, one per worker, and the GEMM parallelism inside a block.
fn blocks(n: usize) -> (usize, Parallelism) {
    let workers = rayon::current_num_threads().clamp(1, n.max(1));
    let per = n.div_ceil(workers).max(1);
    let parallelism = if workers == 1 {
        Parallelism::Rayon(0)
    } else {
        Parallelism::None
    };
    (per, parallelism)
}

/// `dst[m×n] = (accumulate ? dst : 0) + lhs[m×k] · rhs[k×n]`, each matrix given by its row and
/// column strides.
#[allow(clippy::too_many_arguments)]
fn matmul(
    (m, n, k): (usize, usize, usize),
    dst: &mut [f32],
    dst_rs: usize,
    accumulate: bool,
    lhs: &[f32],
    (lhs_rs, lhs_cs): (usize, usize),
    rhs: &[f32],
    (rhs_rs, rhs_cs): (usize, usize),
    parallelism: Parallelism,
) {
    debug_assert!(m == 0 || n == 0 || dst.len() >= (m - 1) * dst_rs + n);
    debug_assert!(m == 0 || k == 0 || lhs.len() > (m - 1) * lhs_rs + (k - 1) * lhs_cs);
    debug_assert!(k == 0 || n == 0 || rhs.len() > (k - 1) * rhs_rs + (n - 1) * rhs_cs);
    // SAFETY: the three slices cover every element the strides address (checked above in debug
    // builds, and by construction in every caller below); `dst` does not alias `lhs` or `rhs`.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            dst_rs as isize,
            accumulate,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

/// Copies the output-gradient (or output) rows of group `grp` for images `b..b + m` into
/// `packed`, `[c_out / groups, m · pixels]`.
fn pack_images(gy: &[f32], g: &Geometry, b: usize, m: usize, grp: usize, packed: &mut [f32]) {
    let (p, cgo) = (g.out_pixels(), g.cg_out());
    let ld = m * p;
    for t in 0..m {
        for i in 0..cgo {
            let src = ((b + t) * g.c_out + grp * cgo + i) * p;
            packed[i * ld + t * p..i * ld + (t + 1) * p].copy_from_slice(&gy[src..src + p]);
        }
    }
}

/// The input slice of image `b`, group `grp`: `[c_in / groups, h, w]`.
fn image_group<'a>(x: &'a [f32], g: &Geometry, b: usize, grp: usize) -> &'a [f32] {
    let len = g.cg_in() * g.h * g.w;
    let start = b * g.in_image() + grp * len;
    &x[start..start + len]
}

/// The forward convolution without bias, `[n, c_out, ho, wo]`.
pub(crate) fn forward(x: &[f32], weight: &[f32], g: &Geometry) -> Vec<f32> {
    let (p, k, cgo) = (g.out_pixels(), g.k(), g.cg_out());
    let out_image = g.c_out * p;
    let mut y = vec![0.0f32; g.n * out_image];
    let (per, parallelism) = blocks(g.n);
    y.par_chunks_mut(per * out_image)
        .enumerate()
        .for_each(|(block, y_block)| {
            let b_start = block * per;
            let b_end = (b_start + per).min(g.n);
            let nb = images_per_gemm(p, b_end - b_start);
            let mut cols = vec![
                0.0f32;
                if g.is_pointwise() && nb == 1 {
                    0
                } else {
                    k * nb * p
                }
            ];
            let mut out = vec![0.0f32; if nb == 1 { 0 } else { cgo * nb * p }];
            let mut b = b_start;
            while b < b_end {
                let m = nb.min(b_end - b);
                let ld = m * p;
                for grp in 0..g.groups {
                    let w_g = &weight[grp * cgo * k..(grp + 1) * cgo * k];
                    let rhs: &[f32] = if g.is_pointwise() && m == 1 {
                        image_group(x, g, b, grp)
                    } else {
                        for t in 0..m {
                            im2col(image_group(x, g, b + t, grp), g, &mut cols, ld, t * p);
                        }
                        &cols[..k * ld]
                    };
                    if m == 1 {
                        let off = (b - b_start) * out_image + grp * cgo * p;
                        let dst = &mut y_block[off..off + cgo * p];
                        matmul(
                            (cgo, p, k),
                            dst,
                            p,
                            false,
                            w_g,
                            (k, 1),
                            rhs,
                            (ld, 1),
                            parallelism,
                        );
                    } else {
                        let dst = &mut out[..cgo * ld];
                        matmul(
                            (cgo, ld, k),
                            dst,
                            ld,
                            false,
                            w_g,
                            (k, 1),
                            rhs,
                            (ld, 1),
                            parallelism,
                        );
                        for t in 0..m {
                            for i in 0..cgo {
                                let off = (b + t - b_start) * out_image + (grp * cgo + i) * p;
                                y_block[off..off + p]
                                    .copy_from_slice(&out[i * ld + t * p..i * ld + (t + 1) * p]);
                            }
                        }
                    }
                }
                b += m;
            }
        });
    y
}

/// The gradient with respect to the input, `[n, c_in, h, w]`, from `gy: [n, c_out, ho, wo]`.
pub(crate) fn input_grad(weight: &[f32], gy: &[f32], g: &Geometry) -> Vec<f32> {
    let (p, k, cgo) = (g.out_pixels(), g.k(), g.cg_out());
    let group_len = g.cg_in() * g.h * g.w;
    let mut dx = vec![0.0f32; g.n * g.in_image()];
    let (per, parallelism) = blocks(g.n);
    dx.par_chunks_mut(per * g.in_image())
        .enumerate()
        .for_each(|(block, dx_block)| {
            let b_start = block * per;
            let b_end = (b_start + per).min(g.n);
            let nb = images_per_gemm(p, b_end - b_start);
            let mut cols = vec![
                0.0f32;
                if g.is_pointwise() && nb == 1 {
                    0
                } else {
                    k * nb * p
                }
            ];
            let mut packed = vec![0.0f32; if nb == 1 { 0 } else { cgo * nb * p }];
            let mut b = b_start;
            while b < b_end {
                let m = nb.min(b_end - b);
                let ld = m * p;
                for grp in 0..g.groups {
                    // W_gᵀ: [K, c_out / groups], read in place from the row-major [c_out / groups, K].
                    let w_t = &weight[grp * cgo * k..(grp + 1) * cgo * k];
                    let rhs: &[f32] = if m == 1 {
                        let start = (b * g.c_out + grp * cgo) * p;
                        &gy[start..start + cgo * p]
                    } else {
                        pack_images(gy, g, b, m, grp, &mut packed);
                        &packed[..cgo * ld]
                    };
                    let dx_off = |t: usize| (b + t - b_start) * g.in_image() + grp * group_len;
                    if g.is_pointwise() && m == 1 {
                        let dst = &mut dx_block[dx_off(0)..dx_off(0) + group_len];
                        matmul(
                            (k, p, cgo),
                            dst,
                            p,
                            false,
                            w_t,
                            (1, k),
                            rhs,
                            (p, 1),
                            parallelism,
                        );
                    } else {
                        let c = &mut cols[..k * ld];
                        matmul(
                            (k, ld, cgo),
                            c,
                            ld,
                            false,
                            w_t,
                            (1, k),
                            rhs,
                            (ld, 1),
                            parallelism,
                        );
                        for t in 0..m {
                            let dst = &mut dx_block[dx_off(t)..dx_off(t) + group_len];
                            col2im(&cols, ld, t * p, g, dst);
                        }
                    }
                }
                b += m;
            }
        });
    dx
}

/// The gradient with respect to the weight, `[c_out, c_in / groups, kh, kw]`, from
/// `x: [n, c_in, h, w]` and `gy: [n, c_out, ho, wo]`: `Σ_b gy_b · im2col(x_b)ᵀ` per group.
pub(crate) fn weight_grad(x: &[f32], gy: &[f32], g: &Geometry) -> Vec<f32> {
    let (p, k, cgo) = (g.out_pixels(), g.k(), g.cg_out());
    let w_len = g.c_out * k;
    let (per, parallelism) = blocks(g.n);
    let block_count = g.n.div_ceil(per).max(1);
    let partials: Vec<Vec<f32>> = (0..block_count)
        .into_par_iter()
        .map(|block| {
            let b_start = block * per;
            let b_end = (b_start + per).min(g.n);
            let mut dw = vec![0.0f32; w_len];
            let nb = images_per_gemm(p, b_end - b_start);
            let mut cols = vec![
                0.0f32;
                if g.is_pointwise() && nb == 1 {
                    0
                } else {
                    k * nb * p
                }
            ];
            let mut packed = vec![0.0f32; if nb == 1 { 0 } else { cgo * nb * p }];
            let mut b = b_start;
            while b < b_end {
                let m = nb.min(b_end - b);
                let ld = m * p;
                for grp in 0..g.groups {
                    let lhs: &[f32] = if m == 1 {
                        let start = (b * g.c_out + grp * cgo) * p;
                        &gy[start..start + cgo * p]
                    } else {
                        pack_images(gy, g, b, m, grp, &mut packed);
                        &packed[..cgo * ld]
                    };
                    let cols_t: &[f32] = if g.is_pointwise() && m == 1 {
                        image_group(x, g, b, grp)
                    } else {
                        for t in 0..m {
                            im2col(image_group(x, g, b + t, grp), g, &mut cols, ld, t * p);
                        }
                        &cols[..k * ld]
                    };
                    let dst = &mut dw[grp * cgo * k..(grp + 1) * cgo * k];
                    // dW_g [c_out/groups, K] += lhs [c_out/groups, ld] · colsᵀ [ld, K].
                    let dims = (cgo, k, ld);
                    matmul(
                        dims,
                        dst,
                        k,
                        true,
                        lhs,
                        (ld, 1),
                        cols_t,
                        (1, ld),
                        parallelism,
                    );
                }
                b += m;
            }
            dw
        })
        .collect();
    let mut partials = partials.into_iter();
    let mut total = partials.next().unwrap_or_else(|| vec![0.0; w_len]);
    for partial in partials {
        total.iter_mut().zip(&partial).for_each(|(t, v)| *t += *v);
    }
    total
}
