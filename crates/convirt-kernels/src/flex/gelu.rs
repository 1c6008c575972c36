//! GELU on flex, f32: `x · Φ(x)` and its derivative `Φ(x) + x · φ(x)`, in parallel.
//!
//! `Φ(x) = (1 + erf(x / √2)) / 2`, with erf by Abramowitz and Stegun's 7.1.26,
//! `erf(z) = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) e^(−z²)`, `t = 1 / (1 + p z)` for `z ≥ 0`
//! (odd in z), absolute error below 1.5e-7 in exact arithmetic and 3e-7 as evaluated in f32. Its `e^(−z²)` is `e^(−x²/2)`, the normal density's
//! own exponential, so the derivative costs one `exp` per element too. The sums run in f32.

use rayon::prelude::*;

const P: f32 = 0.327_591_1;
const A: [f32; 5] = [
    0.254_829_6,
    -0.284_496_74,
    1.421_413_8,
    -1.453_152,
    1.061_405_4,
];
const FRAC_1_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
/// `1 / √(2π)`.
const FRAC_1_SQRT_2PI: f32 = 0.398_942_3;

/// `e^y` for `y ≤ 0`, branch-free so that the loops calling it vectorise: `y = n·ln 2 + r`
/// with `|r| ≤ ln 2 / 2` (ln 2 in two parts), `e^r` by its degree-6 Taylor polynomial (relative error below 2e-7
/// there), and `2^n` written into the exponent bits. Below −87 (where e^y is under f32's
/// smallest normal) it returns 0.
#[inline]
fn exp_nonpositive(y: f32) -> f32 {
    let below = y < -87.0;
    let y = y.max(-87.0);
    // ceil of a negative number is its truncation toward zero: `as i32` is one instruction
    // (cvttss2si, vectorisable), where `f32::ceil` without SSE4.1 is a call into libm (1.7% of
    // the #7 train step).
    let n = ((y * std::f32::consts::LOG2_E - 0.5) as i32) as f32;
    // Cody and Waite's two-part ln 2: n · LN2_HI is exact in f32 for |n| ≤ 126.
    let r = (y - n * 0.693_359_4) - n * -2.121_944_4e-4;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    let scale = f32::from_bits((((n as i32) + 127) as u32) << 23);
    let out = p * scale;
    if below { 0.0 } else { out }
}

/// `(Φ(x), e^(−x²/2))`.
#[inline]
fn phi_and_exp(x: f32) -> (f32, f32) {
    let z = (x * FRAC_1_SQRT_2).abs();
    let t = 1.0 / (P * z + 1.0);
    let poly = t * A[0] + t * t * (A[1] + t * (A[2] + t * (A[3] + t * A[4])));
    let e = exp_nonpositive(-0.5 * x * x);
    let erf = 1.0 - poly * e;
    let erf = if x < 0.0 { -erf } else { erf };
    (0.5 * (1.0 + erf), e)
}

/// Elements per parallel task.
const CHUNK: usize = 1 << 14;

/// `x · Φ(x)` elementwise.
pub(crate) fn forward(x: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0f32; x.len()];
    out.par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK))
        .for_each(|(out, x)| {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = v * phi_and_exp(v).0;
            }
        });
    out
}

/// `grad · (Φ(x) + x · φ(x))` elementwise.
pub(crate) fn input_grad(x: &[f32], grad: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0f32; x.len()];
    out.par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK).zip(grad.par_chunks(CHUNK)))
        .for_each(|(out, (x, grad))| {
            for ((o, &v), &g) in out.iter_mut().zip(x).zip(grad) {
                let (phi, e) = phi_and_exp(v);
                *o = g * (phi + v * FRAC_1_SQRT_2PI * e);
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf to double precision by its Taylor series, which converges well over |z| ≤ 3.
    fn erf64(z: f64) -> f64 {
        let mut sum = 0.0;
        let mut term = z;
        let mut n = 0.0;
        while term.abs() > 1e-17 {
            sum += term / (2.0 * n + 1.0);
            n += 1.0;
            term *= -z * z / n;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn phi_is_within_three_ten_millionths_of_the_series() {
        let mut worst = 0.0f64;
        for i in -4000..=4000 {
            let x = i as f64 / 1000.0;
            let exact = 0.5 * (1.0 + erf64(x / std::f64::consts::SQRT_2));
            let ours = f64::from(phi_and_exp(x as f32).0);
            worst = worst.max((ours - exact).abs());
        }
        assert!(worst < 3e-7, "worst |Φ error| {worst:e}");
    }

    #[test]
    fn exp_is_within_three_ten_millionths_relative() {
        let mut worst = 0.0f64;
        for i in 0..=87_000 {
            let y = -(i as f32) / 1000.0;
            let exact = f64::from(y).exp();
            let ours = f64::from(exp_nonpositive(y));
            worst = worst.max((ours - exact).abs() / exact);
        }
        assert!(worst < 3e-7, "worst relative error {worst:e}");
        assert_eq!(exp_nonpositive(-100.0), 0.0);
        assert_eq!(exp_nonpositive(0.0), 1.0);
    }

    #[test]
    fn the_gradient_matches_a_finite_difference_of_the_forward() {
        for i in -60..=60 {
            let x = i as f32 / 10.0;
            let h = 1e-2f32;
            let fd = (forward(&[x + h])[0] - forward(&[x - h])[0]) / (2.0 * h);
            let g = input_grad(&[x], &[1.0])[0];
            assert!(
                (fd - g).abs() < 2e-4,
                "x {x}: finite difference {fd}, ours {g}"
            );
        }
    }
}
