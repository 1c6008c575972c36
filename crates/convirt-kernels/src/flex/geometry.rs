//! The shapes of one convolution, read once from its tensors and options.

use burn::tensor::ops::ConvOptions;

/// Every size a convolution kernel needs, for `x: [n, c_in, h, w]`,
/// `weight: [c_out, c_in / groups, kh, kw]` and output `[n, c_out, ho, wo]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub n: usize,
    pub c_in: usize,
    pub h: usize,
    pub w: usize,
    pub c_out: usize,
    pub kh: usize,
    pub kw: usize,
    pub stride: [usize; 2],
    /// Padding at the start of each spatial dimension (the end padding only shapes `ho`, `wo`).
    pub pad: [usize; 2],
    pub dilation: [usize; 2],
    pub groups: usize,
    pub ho: usize,
    pub wo: usize,
}

impl Geometry {
    /// The geometry of `x` (`[n, c_in, h, w]`), `weight` (`[c_out, c_in / groups, kh, kw]`) and
    /// the output gradient's spatial size `[ho, wo]`.
    pub fn new(x: &[usize], weight: &[usize], out: &[usize], options: &ConvOptions<2>) -> Self {
        Self {
            n: x[0],
            c_in: x[1],
            h: x[2],
            w: x[3],
            c_out: weight[0],
            kh: weight[2],
            kw: weight[3],
            stride: options.stride,
            pad: [options.padding[0].0, options.padding[1].0],
            dilation: options.dilation,
            groups: options.groups,
            ho: out[2],
            wo: out[3],
        }
    }

    /// Input channels per group.
    pub fn cg_in(&self) -> usize {
        self.c_in / self.groups
    }

    /// Output channels per group.
    pub fn cg_out(&self) -> usize {
        self.c_out / self.groups
    }

    /// Rows of one group's im2col matrix: `c_in / groups · kh · kw`.
    pub fn k(&self) -> usize {
        self.cg_in() * self.kh * self.kw
    }

    /// Output pixels of one image.
    pub fn out_pixels(&self) -> usize {
        self.ho * self.wo
    }

    /// Input elements of one image.
    pub fn in_image(&self) -> usize {
        self.c_in * self.h * self.w
    }

    /// True when im2col is the identity: a 1×1 kernel, stride 1 and no padding.
    pub fn is_pointwise(&self) -> bool {
        self.kh == 1
            && self.kw == 1
            && self.stride == [1, 1]
            && self.pad == [0, 0]
            && self.ho == self.h
            && self.wo == self.w
    }

    /// The output columns `[lo, hi)` of kernel column `j` that read inside the input row, and
    /// the input column of output column `lo` (`ow·sw + j·dw − pw`).
    pub fn valid_cols(&self, j: usize) -> (usize, usize, isize) {
        valid_range(
            self.wo,
            self.w,
            self.stride[1],
            j * self.dilation[1],
            self.pad[1],
        )
    }

    /// As [`Self::valid_cols`], for kernel row `i` and the output rows.
    pub fn valid_rows(&self, i: usize) -> (usize, usize, isize) {
        valid_range(
            self.ho,
            self.h,
            self.stride[0],
            i * self.dilation[0],
            self.pad[0],
        )
    }
}

/// For outputs `o ∈ [0, out)` reading input `o·s + tap − pad`: the range of `o` that lands in
/// `[0, size)`, and the input index at its start.
fn valid_range(out: usize, size: usize, s: usize, tap: usize, pad: usize) -> (usize, usize, isize) {
    let off = tap as isize - pad as isize;
    let lo = if off >= 0 {
        0
    } else {
        (-off as usize).div_ceil(s)
    };
    let end = size as isize - off;
    let hi = if end <= 0 {
        0
    } else {
        (end as usize).div_ceil(s)
    };
    let hi = hi.min(out);
    let lo = lo.min(hi);
    (lo, hi, lo as isize * s as isize + off)
}

#[cfg(test)]
mod tests {
    use super::valid_range;

    #[test]
    fn valid_range_matches_a_direct_scan() {
        for out in 1..7 {
            for size in 1..9 {
                for s in 1..4 {
                    for tap in 0..5 {
                        for pad in 0..4 {
                            let inside: Vec<usize> = (0..out)
                                .filter(|&o| {
                                    let i = (o * s + tap) as isize - pad as isize;
                                    i >= 0 && (i as usize) < size
                                })
                                .collect();
                            let (lo, hi, first) = valid_range(out, size, s, tap, pad);
                            assert_eq!((lo..hi).collect::<Vec<_>>(), inside);
                            if lo < hi {
                                assert_eq!(first, (lo * s + tap) as isize - pad as isize);
                            }
                        }
                    }
                }
            }
        }
    }
}
