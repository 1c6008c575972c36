//! The convolution extension against burn's own convolution: values, input, weight and bias
//! gradients, on every shape the towers use (stride 2, padding, 1×1, odd sizes, batch 1, groups,
//! dilation), with and without autodiff. The bar is the one issue 16 sets: per tensor,
//! `max|ours − burn's| / max|burn's|` ≤ 1e-4.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;
use common::{BAR, scale_relative};

use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Distribution, Tensor, TensorData};

/// One convolution case: input `[n, c_in, h, w]`, `c_out`, kernel, stride, padding, dilation,
/// groups.
#[derive(Debug, Clone)]
struct Case {
    x: [usize; 4],
    c_out: usize,
    kernel: [usize; 2],
    stride: [usize; 2],
    padding: [(usize, usize); 2],
    dilation: [usize; 2],
    groups: usize,
}

impl Case {
    fn new(x: [usize; 4], c_out: usize, kernel: usize, stride: usize, padding: usize) -> Self {
        Self {
            x,
            c_out,
            kernel: [kernel, kernel],
            stride: [stride, stride],
            padding: [(padding, padding), (padding, padding)],
            dilation: [1, 1],
            groups: 1,
        }
    }

    fn options(&self) -> ConvOptions<2> {
        ConvOptions::new_with_padding(self.stride, self.padding, self.dilation, self.groups)
    }
}

/// The towers' shapes and the edge cases around them.
fn cases() -> Vec<Case> {
    let mut grouped = Case::new([2, 4, 9, 9], 6, 3, 1, 1);
    grouped.groups = 2;
    let mut dilated = Case::new([2, 3, 11, 10], 4, 3, 1, 2);
    dilated.dilation = [2, 2];
    let mut asymmetric = Case::new([3, 2, 8, 13], 5, 3, 2, 0);
    asymmetric.kernel = [3, 2];
    asymmetric.stride = [2, 1];
    asymmetric.padding = [(1, 0), (0, 2)];
    vec![
        Case::new([2, 3, 33, 31], 8, 7, 2, 3), // the ResNet stem, odd sizes
        Case::new([4, 8, 14, 14], 8, 3, 1, 1), // a basic block's 3×3
        Case::new([4, 8, 15, 15], 16, 3, 2, 1), // a downsampling 3×3, odd size
        Case::new([4, 16, 7, 7], 32, 1, 1, 0), // a bottleneck's 1×1
        Case::new([4, 16, 9, 9], 32, 1, 2, 0), // a downsample shortcut, 1×1 stride 2
        Case::new([1, 5, 12, 12], 7, 3, 1, 1), // batch 1
        Case::new([1, 64, 4, 4], 64, 3, 1, 1), // batch 1, wide, few pixels
        Case::new([9, 6, 3, 3], 10, 3, 1, 1),  // many tiny images (packed GEMM columns)
        Case::new([3, 3, 16, 16], 4, 16, 16, 0), // ViT's patch embedding
        grouped,
        dilated,
        asymmetric,
    ]
}

fn random(shape: [usize; 4], device: &Device) -> Tensor<4> {
    Tensor::random(shape, Distribution::Uniform(-1.0, 1.0), device)
}

#[test]
fn forward_matches_burn_on_every_case() {
    let device = common::device();
    for case in cases() {
        let x = random(case.x, &device);
        let cg_in = case.x[1] / case.groups;
        let w = random([case.c_out, cg_in, case.kernel[0], case.kernel[1]], &device);
        let bias = Tensor::<1>::random([case.c_out], Distribution::Default, &device);
        let ours =
            convirt_kernels::conv2d(x.clone(), w.clone(), Some(bias.clone()), case.options());
        let burns = burn::tensor::module::conv2d(x, w, Some(bias), case.options());
        let err = scale_relative(ours.into_data(), burns.into_data());
        assert!(err <= BAR, "{case:?}: forward {err:e}");
    }
}

#[test]
fn gradients_match_burn_on_every_case() {
    let device = common::device().autodiff();
    for case in cases() {
        let cg_in = case.x[1] / case.groups;
        let x = random(case.x, &device);
        let w = random([case.c_out, cg_in, case.kernel[0], case.kernel[1]], &device);
        let bias = Tensor::<1>::random([case.c_out], Distribution::Default, &device);
        // A random output weighting, so every output element's gradient differs.
        let probe = {
            let shape = burn::tensor::module::conv2d(x.clone(), w.clone(), None, case.options());
            random(shape.dims(), &device)
        };
        let run = |native: bool| {
            let (x, w, bias) = (
                x.clone().detach().require_grad(),
                w.clone().detach().require_grad(),
                bias.clone().detach().require_grad(),
            );
            let out = if native {
                convirt_kernels::conv2d(x.clone(), w.clone(), Some(bias.clone()), case.options())
            } else {
                burn::tensor::module::conv2d(
                    x.clone(),
                    w.clone(),
                    Some(bias.clone()),
                    case.options(),
                )
            };
            let grads = (out.clone() * probe.clone()).sum().backward();
            let grad = |t: &Tensor<4>| t.grad(&grads).expect("a gradient").into_data();
            (
                out.into_data(),
                grad(&x),
                grad(&w),
                bias.grad(&grads).expect("a bias gradient").into_data(),
            )
        };
        let (ours, burns) = (run(true), run(false));
        for (name, a, b) in [
            ("value", ours.0, burns.0),
            ("input grad", ours.1, burns.1),
            ("weight grad", ours.2, burns.2),
            ("bias grad", ours.3, burns.3),
        ] {
            let err = scale_relative(a, b);
            assert!(err <= BAR, "{case:?}: {name} {err:e}");
        }
    }
}

#[test]
fn gradients_match_a_finite_difference() {
    // Independent of burn's backward: d/dw[i] of Σ probe ⊙ conv(x, w), by central differences in
    // f64 arithmetic over f32 convolutions, for a few weight and input entries.
    let device = common::device().autodiff();
    let case = Case::new([2, 3, 7, 6], 4, 3, 2, 1);
    let x = random(case.x, &device);
    let w = random([4, 3, 3, 3], &device);
    let probe = random([2, 4, 4, 3], &device);
    let objective = |x: Tensor<4>, w: Tensor<4>| -> f64 {
        let out = convirt_kernels::conv2d(x, w, None, case.options());
        f64::from((out * probe.clone()).sum().into_scalar::<f32>())
    };
    let (xg, wg) = (x.clone().require_grad(), w.clone().require_grad());
    let grads = (convirt_kernels::conv2d(xg.clone(), wg.clone(), None, case.options())
        * probe.clone())
    .sum()
    .backward();
    let dx = xg
        .grad(&grads)
        .unwrap()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let dw = wg
        .grad(&grads)
        .unwrap()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let eps = 1e-2f32;
    let nudge = |t: &Tensor<4>, index: usize, by: f32| {
        let dims = t.dims();
        let mut values = t.clone().into_data().try_to_vec::<f32>().unwrap();
        values[index] += by;
        Tensor::<4>::from_data(TensorData::new(values, dims), &device)
    };
    for index in [0, 13, 40, 80] {
        let numeric = (objective(x.clone(), nudge(&w, index, eps))
            - objective(x.clone(), nudge(&w, index, -eps)))
            / (2.0 * f64::from(eps));
        let analytic = f64::from(dw[index]);
        assert!(
            (numeric - analytic).abs() < 2e-3 * analytic.abs().max(1.0),
            "dw[{index}]: {numeric} vs {analytic}"
        );
    }
    for index in [0, 7, 50, 251] {
        let numeric = (objective(nudge(&x, index, eps), w.clone())
            - objective(nudge(&x, index, -eps), w.clone()))
            / (2.0 * f64::from(eps));
        let analytic = f64::from(dx[index]);
        assert!(
            (numeric - analytic).abs() < 2e-3 * analytic.abs().max(1.0),
            "dx[{index}]: {numeric} vs {analytic}"
        );
    }
}

#[test]
fn the_module_call_matches_conv2d_forward_for_every_padding_kind() {
    let device = common::device();
    let x = random([2, 3, 10, 9], &device);
    for (padding, stride) in [
        (PaddingConfig2d::Valid, [1, 1]),
        (PaddingConfig2d::Same, [1, 1]),
        (PaddingConfig2d::Explicit(1, 2, 0, 1), [2, 2]),
    ] {
        let conv = Conv2dConfig::new([3, 5], [3, 4])
            .with_stride(stride)
            .with_padding(padding.clone())
            .init(&device);
        let ours = convirt_kernels::conv2d_module(&conv, x.clone());
        let burns = conv.forward(x.clone());
        assert_eq!(ours.dims(), burns.dims(), "{padding:?}");
        let err = scale_relative(ours.into_data(), burns.into_data());
        assert!(err <= BAR, "{padding:?}: {err:e}");
    }
}

#[test]
fn a_frozen_weight_gets_no_gradient_and_the_input_still_does() {
    let device = common::device().autodiff();
    let x = random([2, 3, 8, 8], &device).require_grad();
    let w = random([4, 3, 3, 3], &device); // not tracked: a frozen layer
    let out = convirt_kernels::conv2d(
        x.clone(),
        w.clone(),
        None,
        ConvOptions::new([1, 1], [1, 1], [1, 1], 1),
    );
    let grads = out.sum().backward();
    assert!(w.grad(&grads).is_none());
    let dx = x.grad(&grads).unwrap();
    // Σ_out conv(x, w) differentiated by x: each input pixel sums the weights that touch it, so the
    // an interior pixel's gradients, summed over input channels, add up to every weight.
    let full: f32 = w.sum().into_scalar::<f32>();
    let centre = dx
        .slice([0..1, 0..3, 4..5, 4..5])
        .sum()
        .into_scalar::<f32>();
    assert!(
        (centre - full).abs() < 1e-4 * full.abs().max(1.0),
        "{centre} vs {full}"
    );
}
