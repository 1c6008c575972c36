//! im2col and its adjoint col2im for one image and one group, in NCHW.
//!
//! The column matrix has one row per `(channel, kernel row, kernel column)` of the group,
//! `K = c_in / groups · kh · kw` rows, and one column per output pixel. Several images can share
//! one matrix side by side: the image's columns start at `col0` in rows of length `ld`.

use super::geometry::Geometry;

/// Fills this image's columns of `cols` from `x`, the group's `[c_in / groups, h, w]` input.
pub(crate) fn im2col(x: &[f32], g: &Geometry, cols: &mut [f32], ld: usize, col0: usize) {
    let (h, w, wo) = (g.h, g.w, g.wo);
    let sw = g.stride[1];
    let mut row = 0;
    for c in 0..g.cg_in() {
        let plane = &x[c * h * w..(c + 1) * h * w];
        for i in 0..g.kh {
            let (oh_lo, oh_hi, ih0) = g.valid_rows(i);
            for j in 0..g.kw {
                let (ow_lo, ow_hi, iw0) = g.valid_cols(j);
                let dst_row = &mut cols[row * ld + col0..row * ld + col0 + g.out_pixels()];
                for oh in 0..g.ho {
                    let dst = &mut dst_row[oh * wo..(oh + 1) * wo];
                    if oh < oh_lo || oh >= oh_hi || ow_lo >= ow_hi {
                        dst.fill(0.0);
                        continue;
                    }
                    let ih = (ih0 + ((oh - oh_lo) * g.stride[0]) as isize) as usize;
                    let src = &plane[ih * w..(ih + 1) * w];
                    dst[..ow_lo].fill(0.0);
                    dst[ow_hi..].fill(0.0);
                    let start = iw0 as usize;
                    let inner = &mut dst[ow_lo..ow_hi];
                    if sw == 1 {
                        inner.copy_from_slice(&src[start..start + inner.len()]);
                    } else {
                        for (k, d) in inner.iter_mut().enumerate() {
                            *d = src[start + k * sw];
                        }
                    }
                }
                row += 1;
            }
        }
    }
}

/// Adds this image's columns of `cols` back into `dx`, the group's `[c_in / groups, h, w]`
/// input gradient: the adjoint of [`im2col`].
pub(crate) fn col2im(cols: &[f32], ld: usize, col0: usize, g: &Geometry, dx: &mut [f32]) {
    let (h, w, wo) = (g.h, g.w, g.wo);
    let sw = g.stride[1];
    let mut row = 0;
    for c in 0..g.cg_in() {
        let plane = &mut dx[c * h * w..(c + 1) * h * w];
        for i in 0..g.kh {
            let (oh_lo, oh_hi, ih0) = g.valid_rows(i);
            for j in 0..g.kw {
                let (ow_lo, ow_hi, iw0) = g.valid_cols(j);
                let src_row = &cols[row * ld + col0..row * ld + col0 + g.out_pixels()];
                row += 1;
                if ow_lo >= ow_hi {
                    continue;
                }
                for oh in oh_lo..oh_hi {
                    let ih = (ih0 + ((oh - oh_lo) * g.stride[0]) as isize) as usize;
                    let dst = &mut plane[ih * w..(ih + 1) * w];
                    let src = &src_row[oh * wo + ow_lo..oh * wo + ow_hi];
                    let start = iw0 as usize;
                    if sw == 1 {
                        for (d, s) in dst[start..start + src.len()].iter_mut().zip(src) {
                            *d += *s;
                        }
                    } else {
                        for (k, s) in src.iter().enumerate() {
                            dst[start + k * sw] += *s;
                        }
                    }
                }
            }
        }
    }
}
