use serde::Serialize;

/// The worst absolute and relative errors seen over a set of compared outputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ErrorStats {
    /// Number of cases compared.
    pub cases: usize,
    /// Largest `|out − ref|` over every compared value.
    pub max_abs_err: f64,
    /// Largest relative error over every compared output (see the module docs).
    pub max_rel_err: f64,
}

impl ErrorStats {
    /// Compares one output tensor, flattened, with its reference.
    ///
    /// # Panics
    /// If the lengths differ: that is a bug in the caller, not a numeric error.
    pub fn tensor(&mut self, out: &[f32], reference: &[f64]) {
        assert_eq!(
            out.len(),
            reference.len(),
            "compared tensors differ in size"
        );
        let abs = out
            .iter()
            .zip(reference)
            .map(|(&o, &r)| (o as f64 - r).abs())
            .fold(0.0, f64::max);
        let scale = reference.iter().map(|r| r.abs()).fold(0.0, f64::max);
        self.record(abs, scale);
    }

    /// Compares one scalar with its reference.
    pub fn scalar(&mut self, out: f32, reference: f64) {
        self.record((out as f64 - reference).abs(), reference.abs());
    }

    /// Merges another set of comparisons into this one.
    pub fn merge(&mut self, other: ErrorStats) {
        self.cases += other.cases;
        self.max_abs_err = self.max_abs_err.max(other.max_abs_err);
        self.max_rel_err = self.max_rel_err.max(other.max_rel_err);
    }

    fn record(&mut self, abs: f64, scale: f64) {
        let rel = if scale > 0.0 { abs / scale } else { abs };
        // NaN must not hide behind f64::max, which ignores it.
        let nan_to_inf = |x: f64| if x.is_nan() { f64::INFINITY } else { x };
        self.max_abs_err = self.max_abs_err.max(nan_to_inf(abs));
        self.max_rel_err = self.max_rel_err.max(nan_to_inf(rel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_error_is_per_tensor_max() {
        let mut e = ErrorStats::default();
        e.tensor(&[1.0, 2.5], &[1.0, 2.0]);
        assert_eq!(e.max_abs_err, 0.5);
        assert_eq!(e.max_rel_err, 0.25);
        e.scalar(3.0, 4.0);
        assert_eq!(e.max_rel_err, 0.25);
        e.scalar(0.0, 0.0);
        e.tensor(&[0.001], &[0.0]);
        assert_eq!(e.max_rel_err, 0.25);
        assert_eq!(e.max_abs_err, 1.0);
    }

    #[test]
    fn nan_is_the_worst_error() {
        let mut e = ErrorStats::default();
        e.scalar(f32::NAN, 1.0);
        assert!(e.max_rel_err.is_infinite());
    }
}
