//! Student's t distribution: [`t_cdf`] and [`t_quantile`] for any degrees of freedom, computed
//! (regularised incomplete beta by continued fraction, quantile by bisection), not tabulated.

use crate::EvalError;

/// `P(T <= t)` for Student's t with `df > 0` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²).
    let tail = regularized_beta(df / (df + t * t), df / 2.0, 0.5) / 2.0;
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The `p`-quantile of Student's t with `df` degrees of freedom: the `t` with
/// [`t_cdf`]`(t, df) = p`, to about 1e-12.
///
/// ```
/// use convirt_eval::t_quantile;
/// // The familiar table values: 12.706 (df 1), 2.776 (df 4), 1.960 (df → ∞).
/// assert!((t_quantile(0.975, 1.0)? - 12.706_204_736).abs() < 1e-6);
/// assert!((t_quantile(0.975, 4.0)? - 2.776_445_105).abs() < 1e-6);
/// assert!((t_quantile(0.975, 1e9)? - 1.959_963_985).abs() < 1e-6);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn t_quantile(p: f64, df: f64) -> Result<f64, EvalError> {
    if !(p > 0.0 && p < 1.0) {
        return Err(EvalError::BadParameter {
            name: "p",
            value: p.to_string(),
            expected: "strictly between 0 and 1",
        });
    }
    if !(df > 0.0 && df.is_finite()) {
        return Err(EvalError::BadParameter {
            name: "df",
            value: df.to_string(),
            expected: "positive and finite",
        });
    }
    if p < 0.5 {
        return Ok(-t_quantile(1.0 - p, df)?);
    }
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while t_cdf(high, df) < p {
        low = high;
        high *= 2.0;
        if high > 1e300 {
            break;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if t_cdf(mid, df) < p {
            low = mid;
        } else {
            high = mid;
        }
        if high - low <= 1e-15 * high.max(1.0) {
            break;
        }
    }
    Ok(0.5 * (low + high))
}

/// The regularised incomplete beta function `I_x(a, b)`, for `0 <= x <= 1`, `a, b > 0`.
pub(crate) fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let log_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry above.
    if x < (a + 1.0) / (a + b + 2.0) {
        log_front.exp() * beta_fraction(x, a, b) / a
    } else {
        1.0 - log_front.exp() * beta_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of the incomplete beta function, by the modified Lentz method.
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut result = d;
    for m in 1..=10_000 {
        let m = m as f64;
        // Even step: d_{2m}; odd step: d_{2m+1}.
        for numerator in [
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + numerator * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + numerator / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            result *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-16 {
            break;
        }
    }
    result
}

/// `ln Γ(x)` for `x > 0`, by the Lanczos approximation (g = 7, 9 terms; ~1e-15 relative).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return std::f64::consts::PI.ln()
            - (std::f64::consts::PI * x).sin().abs().ln()
            - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, &c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials() {
        // Γ(n) = (n − 1)!, Γ(1/2) = √π.
        let mut factorial = 1.0_f64;
        for n in 1..20 {
            let got = ln_gamma(n as f64);
            assert!((got - factorial.ln()).abs() < 1e-12, "n = {n}");
            factorial *= n as f64;
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
    }

    #[test]
    fn t_with_one_df_is_cauchy() {
        // Cauchy: F(t) = 1/2 + atan(t)/π, quantile tan(π(p − 1/2)).
        for t in [-30.0, -2.5, -0.3, 0.0, 0.7, 4.0, 100.0_f64] {
            let expected = 0.5 + t.atan() / std::f64::consts::PI;
            assert!((t_cdf(t, 1.0) - expected).abs() < 1e-12, "t = {t}");
        }
        for p in [0.01, 0.3, 0.6, 0.975, 0.999] {
            let expected = (std::f64::consts::PI * (p - 0.5)).tan();
            let got = t_quantile(p, 1.0).unwrap();
            assert!(
                (got - expected).abs() < 1e-9 * expected.abs().max(1.0),
                "p = {p}"
            );
        }
    }

    #[test]
    fn t_with_two_df_has_closed_form() {
        // df = 2: quantile = (2p − 1) √(2 / (4p(1 − p))).
        for p in [0.05_f64, 0.5, 0.9, 0.975] {
            let expected = (2.0 * p - 1.0) * (2.0 / (4.0 * p * (1.0 - p))).sqrt();
            assert!(
                (t_quantile(p, 2.0).unwrap() - expected).abs() < 1e-10,
                "p = {p}"
            );
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(t_quantile(1.0, 3.0).is_err());
        assert!(t_quantile(0.5, 0.0).is_err());
        assert!(t_quantile(f64::NAN, 3.0).is_err());
    }
}
