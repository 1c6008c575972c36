//! Parameter validation shared by the transforms' constructors.

use crate::AugmentError;

/// An output side must be at least 1.
pub fn size(name: &'static str, n: usize) -> Result<usize, AugmentError> {
    if n > 0 {
        Ok(n)
    } else {
        Err(AugmentError::InvalidParameter {
            name,
            requirement: "at least 1",
            value: 0.0,
        })
    }
}

/// A finite range with `lo ≤ hi`.
pub fn range(name: &'static str, (lo, hi): (f64, f64)) -> Result<(f64, f64), AugmentError> {
    for v in [lo, hi] {
        if !v.is_finite() {
            return Err(AugmentError::InvalidParameter {
                name,
                requirement: "finite",
                value: v,
            });
        }
    }
    if lo > hi {
        return Err(AugmentError::InvalidParameter {
            name,
            requirement: "an ordered range (low ≤ high); the low end",
            value: lo,
        });
    }
    Ok((lo, hi))
}

/// A finite range with `0 < lo ≤ hi`.
pub fn positive_range(name: &'static str, r: (f64, f64)) -> Result<(f64, f64), AugmentError> {
    let (lo, hi) = range(name, r)?;
    if lo <= 0.0 {
        return Err(AugmentError::InvalidParameter {
            name,
            requirement: "> 0",
            value: lo,
        });
    }
    Ok((lo, hi))
}

/// A finite value ≥ 0.
pub fn non_negative(name: &'static str, v: f64) -> Result<f64, AugmentError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(AugmentError::InvalidParameter {
            name,
            requirement: "finite and ≥ 0",
            value: v,
        })
    }
}

/// A probability in [0, 1].
pub fn probability(name: &'static str, p: f64) -> Result<f64, AugmentError> {
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(AugmentError::InvalidParameter {
            name,
            requirement: "in [0, 1]",
            value: p,
        })
    }
}
