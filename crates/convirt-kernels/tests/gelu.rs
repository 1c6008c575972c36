//! The GELU extension against burn's `activation::gelu`: values and input gradients, with and
//! without autodiff, on BERT's feed-forward shape and on values out in both tails. The bar is
//! issue 16's: per tensor, `max|ours − burn's| / max|burn's|` ≤ 1e-4; the values also hold to
//! 1e-6 absolute.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;

use burn::tensor::activation;
use burn::tensor::{Device, Distribution, Tensor, TensorData};
use convirt_kernels::gelu;

/// `max|a − b|` and `max|b|` over two tensors of one shape; `b` must not be all zeros.
fn errors(a: TensorData, b: TensorData) -> (f32, f32) {
    let (diff, scale) = common::diff_and_scale(a, b);
    assert!(scale > 0.0, "the reference tensor is all zeros");
    (diff, scale)
}

fn inputs(device: &Device) -> Vec<Tensor<3>> {
    vec![
        // BERT's intermediate activations, [N, L, 4H] at MiniLM's width.
        Tensor::<3>::random([4, 16, 1536], Distribution::Normal(0.0, 1.5), device),
        // Both tails and the region around zero.
        Tensor::<1>::from_floats(
            [
                -12.0, -6.0, -3.5, -1.0, -1e-3, 0.0, 1e-3, 0.7, 2.5, 5.0, 9.0,
            ],
            device,
        )
        .reshape([1, 1, 11]),
    ]
}

#[test]
fn values_match_burn() {
    for device in [common::device(), common::device().autodiff()] {
        for x in inputs(&device) {
            let (diff, scale) =
                errors(gelu(x.clone()).into_data(), activation::gelu(x).into_data());
            assert!(diff <= 1e-6, "{diff:e} absolute");
            assert!(diff / scale <= 1e-4, "{:e} scale-relative", diff / scale);
        }
    }
}

#[test]
fn gradients_match_burn() {
    let device = common::device().autodiff();
    for x in inputs(&device) {
        let x = x.require_grad();
        let probe = Tensor::<3>::random(x.dims(), Distribution::Normal(0.0, 1.0), &device);
        let ours = (gelu(x.clone()) * probe.clone()).sum().backward();
        let burns = (activation::gelu(x.clone()) * probe).sum().backward();
        let (diff, scale) = errors(
            x.grad(&ours).expect("our gradient").into_data(),
            x.grad(&burns).expect("burn's gradient").into_data(),
        );
        assert!(diff / scale <= 1e-4, "{:e} scale-relative", diff / scale);
    }
}

#[test]
fn gradients_pass_through_to_earlier_layers() {
    // GELU inside a chain: the gradient reaches a weight before it.
    let device = common::device().autodiff();
    let w = Tensor::<2>::random([8, 8], Distribution::Normal(0.0, 1.0), &device).require_grad();
    let x = Tensor::<2>::random([5, 8], Distribution::Normal(0.0, 1.0), &device);
    let ours = gelu(x.clone().matmul(w.clone())).sum().backward();
    let burns = activation::gelu(x.matmul(w.clone())).sum().backward();
    let (diff, scale) = errors(
        w.grad(&ours).expect("our gradient").into_data(),
        w.grad(&burns).expect("burn's gradient").into_data(),
    );
    assert!(diff / scale <= 1e-4, "{:e} scale-relative", diff / scale);
}
