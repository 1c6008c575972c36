//! Numerically stable building blocks shared by the losses.

use burn::tensor::{Int, Tensor, TensorData};

/// Norms below this are treated as this, as PyTorch's `F.normalize` does.
pub const NORM_EPS: f64 = 1e-12;

/// Divides each row by its L2 norm (at least [`NORM_EPS`]).
pub fn l2_normalize(x: Tensor<2>) -> Tensor<2> {
    let norm = x.clone().square().sum_dim(1).sqrt().clamp_min(NORM_EPS);
    x / norm
}

/// Cosine similarities of every row of `a` with every row of `b`: `[N, M]`.
/// Both inputs must already be L2-normalised.
pub fn cosine_matrix(a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
    a.matmul(b.transpose())
}

/// `log Σ exp(x)` along `dim`, kept as a size-1 dimension, computed as `m + log Σ exp(x − m)` with
/// `m` the (detached) maximum, so it never overflows.
pub fn log_sum_exp(x: Tensor<2>, dim: usize) -> Tensor<2> {
    let m = x.clone().detach().max_dim(dim);
    (x - m.clone()).exp().sum_dim(dim).log() + m
}

/// Row and column log-sum-exp of a logit matrix bounded above by `bound`, from one shared
/// `exp(x − bound)`: `([N, 1] rows, [M, 1] columns)` for an `[N, M]` input.
///
/// Cosine logits are bounded by `1/τ`, so no maximum has to be found and the exponential is taken
/// once for both directions. Exact as long as no whole row or column underflows, which holds
/// when `x ≥ bound − 80` everywhere: for cosine logits, when `2/τ ≤ 80`
/// (see [`Temperature::shared_shift`](crate::Temperature::shared_shift)).
pub fn log_sum_exp_rows_cols(x: Tensor<2>, bound: f64) -> (Tensor<2>, Tensor<2>) {
    let cols = x.dims()[1];
    let e = x.sub_scalar(bound).exp();
    let by_row = e.clone().sum_dim(1).log().add_scalar(bound);
    let by_col = e.sum_dim(0).log().add_scalar(bound).reshape([cols, 1]);
    (by_row, by_col)
}

/// `log(1 + exp(x))` without overflow: `max(x, 0) + log1p(exp(−|x|))`.
pub fn softplus<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    x.clone().clamp_min(0.0) + x.abs().neg().exp().log1p()
}

/// Picks `x[i, index[i]]` for every row: `[N, 1]`.
pub fn take_per_row(x: Tensor<2>, index: Vec<i64>) -> Tensor<2> {
    let n = index.len();
    let device = x.device();
    let index = Tensor::<2, Int>::from_data(TensorData::new(index, [n, 1]), &device);
    x.gather(1, index)
}

/// The diagonal of a square matrix, as `[N, 1]`.
pub fn diagonal(x: Tensor<2>) -> Tensor<2> {
    let n = x.dims()[0];
    take_per_row(x, (0..n as i64).collect())
}

/// Mean cross-entropy of each row of `logits` against its positive logit `positives[i]` (`[N, 1]`):
/// `mean_i [lse_j(logits[i, j]) − positives[i]]`.
pub fn row_cross_entropy(logits: Tensor<2>, positives: Tensor<2>) -> Tensor<1> {
    (log_sum_exp(logits, 1) - positives).mean()
}
