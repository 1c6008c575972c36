//! The layer-normalisation extension against burn's `LayerNorm::forward`: values, and the input,
//! γ and β gradients, with and without autodiff and under gradient checkpointing, on BERT's
//! shape, a 2-D input, one feature, no bias and rows with a large offset. (The gradients' composed
//! default body, which tch and wgpu run, is checked against flex's kernel in `src/flex/mod.rs`.)
//! The bar is issue 16's: per tensor, `max|ours − burn's| / max|burn's|` ≤ 1e-4. With one feature
//! (the output is β) x's and γ's gradients vanish as differences of equal terms; there the bar is
//! 1e-4 of those terms' size.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;
use common::{BAR, diff_and_scale, scale_relative};

use burn::nn::{LayerNorm, LayerNormConfig};
use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::layer_norm_module;

/// A layer with γ and β away from their initial 1 and 0.
fn layer(d: usize, epsilon: f64, bias: bool, device: &Device) -> LayerNorm {
    let mut norm = LayerNormConfig::new(d)
        .with_epsilon(epsilon)
        .with_bias(bias)
        .init(device);
    let random = |low, high| {
        let t = Tensor::<1>::random([d], Distribution::Uniform(low, high), device);
        if device.is_autodiff() {
            t.require_grad()
        } else {
            t
        }
    };
    norm.gamma = norm.gamma.map(|_| random(0.5, 1.5));
    norm.beta = norm.beta.map(|b| b.map(|_| random(-0.5, 0.5)));
    norm
}

fn check<const D: usize>(
    shape: [usize; D],
    epsilon: f64,
    bias: bool,
    offset: f32,
    device: &Device,
) {
    let norm = layer(shape[D - 1], epsilon, bias, device);
    let x = Tensor::<D>::random(shape, Distribution::Normal(0.0, 2.0), device).add_scalar(offset);
    let what = format!("{shape:?}, ε {epsilon}, bias {bias}, offset {offset}");
    let ours = layer_norm_module(&norm, x.clone(), epsilon);
    let burns = norm.forward(x.clone());
    let error = scale_relative(ours.to_data(), burns.to_data());
    assert!(error <= BAR, "{what}: output differs by {error:e}");
    if !device.is_autodiff() {
        return;
    }
    let x = x.require_grad();
    let probe = Tensor::<D>::random(shape, Distribution::Normal(0.0, 1.0), device);
    let ga = (layer_norm_module(&norm, x.clone(), epsilon) * probe.clone())
        .sum()
        .backward();
    let probe_gamma = probe.clone() * norm.gamma.val().unsqueeze::<D>();
    let probe_x = probe.clone() * x.clone().detach();
    let gb = (norm.forward(x.clone()) * probe).sum().backward();
    let grad = |t: &Tensor<D>, g| t.grad(g).expect("an input gradient").into_data();
    let param = |t: &Tensor<1>, g| t.grad(g).expect("a parameter gradient").into_data();
    let mut pairs = vec![
        ("x gradient", grad(&x, &ga), grad(&x, &gb)),
        (
            "γ gradient",
            param(&norm.gamma.val(), &ga),
            param(&norm.gamma.val(), &gb),
        ),
    ];
    if let Some(beta) = &norm.beta {
        pairs.push((
            "β gradient",
            param(&beta.val(), &ga),
            param(&beta.val(), &gb),
        ));
    }
    // With one feature the output is β, and x's and γ's gradients are differences of equal
    // terms: of size |probe·γ|/√ε for x, Σ|probe·x|/√ε for γ. burn's composition cancels them
    // exactly; libtorch's kernel (on tch) leaves their rounding, ~1e-7 of that size. There the
    // bar is 1e-4 of that size, not of zero.
    let cancelling = (shape[D - 1] == 1).then(|| {
        let root = epsilon.sqrt();
        let largest = |t: Tensor<D>| f64::from(t.abs().max().into_scalar::<f32>());
        let total = |t: Tensor<D>| f64::from(t.abs().sum().into_scalar::<f32>());
        [
            ("x gradient", largest(probe_gamma) / root),
            ("γ gradient", total(probe_x) / root),
        ]
    });
    for (name, a, b) in pairs {
        let scale = cancelling
            .iter()
            .flatten()
            .find(|(n, _)| *n == name)
            .map(|(_, scale)| *scale as f32);
        let error = match scale {
            Some(scale) => diff_and_scale(a, b).0 / scale,
            None => scale_relative(a, b),
        };
        assert!(error <= BAR, "{what}: {name} differs by {error:e}");
    }
}

fn shapes(device: &Device) {
    check([4, 16, 384], 1e-12, true, 0.0, device); // BERT's hidden states, MiniLM's width
    check([130, 768], 1e-6, true, 0.0, device); // 2-D, more rows than one task holds
    check([3, 5, 1], 1e-5, true, 0.0, device); // one feature: the output is β
    check([2, 7, 33], 1e-5, false, 0.0, device); // no bias
    check([8, 64], 1e-12, true, 100.0, device); // rows far from zero
}

/// On flex the forward is burn-flex's own `layer_norm`, so without autodiff this checks the
/// wrapper (`layer_norm_module`: its ε, γ, and a missing β as zeros), not a kernel.
#[test]
fn the_wrapper_matches_burn_in_inference() {
    shapes(&common::device());
}

#[test]
fn training_matches_burn() {
    shapes(&common::device().autodiff());
}

#[test]
fn training_matches_burn_under_gradient_checkpointing() {
    check(
        [4, 9, 48],
        1e-12,
        true,
        0.0,
        &common::device().autodiff().gradient_checkpointing(),
    );
}
