//! [`minimize`]: limited-memory BFGS for smooth convex objectives, in f64, deterministic.
//!
//! Two-loop recursion over the last [`LbfgsOptions::memory`] steps, a backtracking Armijo line
//! search (accepting, as Hager–Zhang do, a change within a few ulps of `f` when progress is
//! below round-off), and a stop when the largest gradient component is at most
//! [`LbfgsOptions::tolerance`].

/// Options of [`minimize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LbfgsOptions {
    /// The iteration cap.
    pub max_iterations: usize,
    /// Stop when `max |∇f| <= tolerance`.
    pub tolerance: f64,
    /// How many past steps shape the inverse-Hessian estimate.
    pub memory: usize,
}

/// How a minimisation ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LbfgsReport {
    /// Iterations run.
    pub iterations: usize,
    /// Whether the gradient tolerance was met.
    pub converged: bool,
    /// The final objective.
    pub objective: f64,
    /// The final `max |∇f|`.
    pub gradient: f64,
}

/// Minimises `f` from `x` (updated in place); `f(x, gradient)` returns the objective and writes
/// its gradient.
pub fn minimize(
    x: &mut [f64],
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    options: LbfgsOptions,
) -> LbfgsReport {
    let dim = x.len();
    let mut gradient = vec![0.0; dim];
    let mut value = f(x, &mut gradient);
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::with_capacity(options.memory);
    let mut direction = vec![0.0; dim];
    let mut trial = vec![0.0; dim];
    let mut trial_gradient = vec![0.0; dim];
    let mut iterations = 0;
    while iterations < options.max_iterations && max_abs(&gradient) > options.tolerance {
        iterations += 1;
        two_loop(&gradient, &history, &mut direction);
        let mut slope = dot(&gradient, &direction);
        if slope >= 0.0 {
            // Not a descent direction (round-off): restart from steepest descent.
            history.clear();
            direction
                .iter_mut()
                .zip(&gradient)
                .for_each(|(d, g)| *d = -g);
            slope = dot(&gradient, &direction);
        }
        let mut step = if history.is_empty() {
            (1.0 / max_abs(&gradient)).min(1.0)
        } else {
            1.0
        };
        let slack = 4.0 * f64::EPSILON * value.abs();
        let accepted = loop {
            trial
                .iter_mut()
                .zip(x.iter())
                .zip(&direction)
                .for_each(|((t, xi), d)| *t = xi + step * d);
            let trial_value = f(&trial, &mut trial_gradient);
            if trial_value.is_finite() && trial_value <= value + 1e-4 * step * slope + slack {
                break Some(trial_value);
            }
            step *= 0.5;
            if step < 1e-20 {
                break None;
            }
        };
        let Some(trial_value) = accepted else { break };
        let s: Vec<f64> = trial.iter().zip(x.iter()).map(|(t, xi)| t - xi).collect();
        let y: Vec<f64> = trial_gradient
            .iter()
            .zip(&gradient)
            .map(|(a, b)| a - b)
            .collect();
        let sy = dot(&s, &y);
        if sy > 1e-300 {
            if history.len() == options.memory {
                history.remove(0);
            }
            history.push((s, y, 1.0 / sy));
        }
        x.copy_from_slice(&trial);
        gradient.copy_from_slice(&trial_gradient);
        value = trial_value;
    }
    let max_gradient = max_abs(&gradient);
    LbfgsReport {
        iterations,
        converged: max_gradient <= options.tolerance,
        objective: value,
        gradient: max_gradient,
    }
}

/// `direction = −H ∇f` with `H` the L-BFGS inverse-Hessian estimate.
fn two_loop(gradient: &[f64], history: &[(Vec<f64>, Vec<f64>, f64)], direction: &mut [f64]) {
    let mut q = gradient.to_vec();
    let mut alphas = vec![0.0; history.len()];
    for (k, (s, y, rho)) in history.iter().enumerate().rev() {
        alphas[k] = rho * dot(s, &q);
        q.iter_mut()
            .zip(y)
            .for_each(|(qi, yi)| *qi -= alphas[k] * yi);
    }
    let gamma = history
        .last()
        .map_or(1.0, |(s, y, _)| dot(s, y) / dot(y, y));
    q.iter_mut().for_each(|qi| *qi *= gamma);
    for (k, (s, y, rho)) in history.iter().enumerate() {
        let beta = rho * dot(y, &q);
        q.iter_mut()
            .zip(s)
            .for_each(|(qi, si)| *qi += (alphas[k] - beta) * si);
    }
    direction.iter_mut().zip(&q).for_each(|(d, qi)| *d = -qi);
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_an_ill_conditioned_quadratic() {
        // f = Σ c_i (x_i − i)², condition number 1e4; minimum at x_i = i.
        let scales: Vec<f64> = (0..20).map(|i| 10f64.powf(i as f64 / 19.0 * 4.0)).collect();
        let mut x = vec![0.0; 20];
        let report = minimize(
            &mut x,
            |x, g| {
                let mut f = 0.0;
                for i in 0..x.len() {
                    f += scales[i] * (x[i] - i as f64).powi(2);
                    g[i] = 2.0 * scales[i] * (x[i] - i as f64);
                }
                f
            },
            LbfgsOptions {
                max_iterations: 1000,
                tolerance: 1e-9,
                memory: 10,
            },
        );
        assert!(report.converged, "{report:?}");
        for (i, xi) in x.iter().enumerate() {
            assert!((xi - i as f64).abs() < 1e-9, "x[{i}] = {xi}");
        }
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let mut x = vec![-1.2, 1.0];
        let report = minimize(
            &mut x,
            |x, g| {
                let (a, b) = (x[0], x[1]);
                g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
                g[1] = 200.0 * (b - a * a);
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            },
            LbfgsOptions {
                max_iterations: 2000,
                tolerance: 1e-10,
                memory: 10,
            },
        );
        assert!(report.converged, "{report:?}");
        assert!(
            (x[0] - 1.0).abs() < 1e-8 && (x[1] - 1.0).abs() < 1e-8,
            "{x:?}"
        );
    }
}
