//! Validation shared by all losses: shapes, emptiness and finiteness of the inputs.

use burn::tensor::Tensor;

use crate::LossError;

/// Checks that `a` and `b` are non-empty, of one `[N, D]` shape, and (when `finite` is set) free of
/// NaN and infinities. The finiteness check reads one boolean back from the device.
pub fn pair(
    a_name: &'static str,
    a: &Tensor<2>,
    b_name: &'static str,
    b: &Tensor<2>,
    finite: bool,
) -> Result<(), LossError> {
    let (sa, sb) = (a.dims(), b.dims());
    non_empty(a_name, sa)?;
    non_empty(b_name, sb)?;
    if sa != sb {
        return Err(LossError::ShapeMismatch {
            a_name,
            a: sa,
            b_name,
            b: sb,
        });
    }
    if finite {
        all_finite(a_name, a)?;
        all_finite(b_name, b)?;
    }
    Ok(())
}

fn non_empty(which: &'static str, shape: [usize; 2]) -> Result<(), LossError> {
    if shape[0] == 0 || shape[1] == 0 {
        return Err(LossError::EmptyBatch { which, shape });
    }
    Ok(())
}

fn all_finite(which: &'static str, x: &Tensor<2>) -> Result<(), LossError> {
    let ok: bool = x.clone().detach().is_finite().all().into_scalar();
    if ok {
        Ok(())
    } else {
        Err(LossError::NonFiniteInput { which })
    }
}

/// Checks a temperature: finite and strictly positive.
pub fn temperature(tau: f64) -> Result<f64, LossError> {
    if tau.is_finite() && tau > 0.0 {
        Ok(tau)
    } else {
        Err(LossError::InvalidTemperature(tau))
    }
}

/// Checks λ: in [0, 1] (NaN fails).
pub fn lambda(lambda: f64) -> Result<f64, LossError> {
    if (0.0..=1.0).contains(&lambda) {
        Ok(lambda)
    } else {
        Err(LossError::InvalidLambda(lambda))
    }
}

/// Checks that a parameter is finite.
pub fn finite(name: &'static str, value: f64) -> Result<f64, LossError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(LossError::InvalidParameter {
            name,
            requirement: "finite",
            value,
        })
    }
}

/// Checks that a parameter is finite and strictly positive.
pub fn positive(name: &'static str, value: f64) -> Result<f64, LossError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(LossError::InvalidParameter {
            name,
            requirement: "finite and > 0",
            value,
        })
    }
}
