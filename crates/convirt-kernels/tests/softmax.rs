//! The softmax extension against burn's `activation::softmax`: values and input gradients, with
//! and without autodiff, on attention's shape (over its last dimension, where the native
//! backward runs), over an inner dimension (the default body), with padded keys at finfo.min as
//! BERT adds them, and with one-element rows. The bar is issue 16's: per tensor,
//! `max|ours − burn's| / max|burn's|` ≤ 1e-4; values also hold to 1e-6 absolute.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;

use burn::tensor::activation;
use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::softmax;

/// `(input, dim)` cases: attention scores `[N, heads, L, L]` over keys; the same over heads; a
/// batch with padded keys; rows of one element.
fn cases(device: &Device) -> Vec<(Tensor<4>, usize)> {
    let scores = Tensor::<4>::random([2, 3, 9, 9], Distribution::Normal(0.0, 3.0), device);
    // Keys 6.. of the second sentence are padding: finfo(f32).min added, as BERT does.
    let mut bias = vec![0.0f32; 2 * 9];
    for b in &mut bias[9 + 6..] {
        *b = f32::MIN;
    }
    let bias = Tensor::<1>::from_floats(bias.as_slice(), device).reshape([2, 1, 1, 9]);
    vec![
        (scores.clone(), 3),
        (scores.clone(), 1),
        (scores + bias, 3),
        (
            Tensor::<4>::random([2, 2, 3, 1], Distribution::Normal(0.0, 1.0), device),
            3,
        ),
    ]
}

#[test]
fn values_match_burn() {
    for device in [common::device(), common::device().autodiff()] {
        for (x, dim) in cases(&device) {
            let (diff, scale) = common::diff_and_scale(
                softmax(x.clone(), dim).into_data(),
                activation::softmax(x, dim).into_data(),
            );
            assert!(scale > 0.0);
            assert!(diff <= 1e-6, "dim {dim}: {diff:e} absolute");
        }
    }
}

#[test]
fn gradients_match_burn() {
    let device = common::device().autodiff();
    for (x, dim) in cases(&device) {
        let x = x.require_grad();
        let probe = Tensor::<4>::random(x.dims(), Distribution::Normal(0.0, 1.0), &device);
        let ours = (softmax(x.clone(), dim) * probe.clone()).sum().backward();
        let burns = (activation::softmax(x.clone(), dim) * probe)
            .sum()
            .backward();
        let (ours, burns) = (
            x.grad(&ours).unwrap().into_data(),
            x.grad(&burns).unwrap().into_data(),
        );
        let error = common::scale_relative(ours, burns);
        assert!(error <= common::BAR, "dim {dim}: {error:e}");
    }
}

/// The gradient sums to zero along the softmax dimension (softmax's outputs sum to one), and
/// rows of one element get none: checks of the formula itself, not only agreement with burn.
#[test]
fn gradients_sum_to_zero_along_the_dimension() {
    let device = common::device().autodiff();
    for (x, dim) in cases(&device) {
        let x = x.require_grad();
        let probe = Tensor::<4>::random(x.dims(), Distribution::Normal(0.0, 1.0), &device);
        let grads = (softmax(x.clone(), dim) * probe).sum().backward();
        let g = x.grad(&grads).unwrap();
        let scale: f32 = g.clone().abs().max().into_scalar();
        let row_sums: f32 = g.sum_dim(dim).abs().max().into_scalar();
        assert!(
            row_sums <= 1e-5 * scale.max(1e-3),
            "dim {dim}: {row_sums:e} of {scale:e}"
        );
    }
}
