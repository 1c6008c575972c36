//! The dropout extension against burn's `Dropout::forward`: which calls drop at all (the training
//! flag, the device, a zero probability), the share dropped, the scaling, the gradient, and the
//! masks a reseeded device repeats.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;

use burn::module::Module;
use burn::nn::DropoutConfig;
use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::dropout_module;

/// flex's generator is one per process: the tests of this file take turns with it, so that a
/// reseeded test is not interleaved with another test's draws.
static GENERATOR: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    GENERATOR
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn training_drops_the_configured_share_and_scales_the_rest() {
    let _turn = turn();
    let device = common::device().autodiff();
    for (prob, shape) in [(0.1, [32, 12, 64, 64]), (0.5, [3, 5, 7, 11])] {
        let dropout = DropoutConfig::new(prob).init();
        let x = Tensor::<4>::random(shape, Distribution::Uniform(1.0, 2.0), &device);
        let y = values(dropout_module(&dropout, x.clone()));
        let x = values(x);
        let scale = (1.0 / (1.0 - prob)) as f32;
        let mut dropped = 0usize;
        for (a, b) in y.iter().zip(&x) {
            if *a == 0.0 {
                dropped += 1;
            } else {
                assert!(
                    (a - b * scale).abs() <= 1e-6 * a.abs(),
                    "{a} is not {b} · {scale}"
                );
            }
        }
        let share = dropped as f64 / y.len() as f64;
        // Five binomial standard errors.
        let bar = 5.0 * (prob * (1.0 - prob) / y.len() as f64).sqrt();
        assert!((share - prob).abs() < bar, "p {prob}: dropped {share}");
    }
}

#[test]
fn the_gradient_is_the_mask() {
    let _turn = turn();
    let device = common::device().autodiff();
    let dropout = DropoutConfig::new(0.3).init();
    let x = Tensor::<2>::random([64, 96], Distribution::Uniform(1.0, 2.0), &device).require_grad();
    let y = dropout_module(&dropout, x.clone());
    let grads = y.clone().sum().backward();
    let grad = values(x.grad(&grads).expect("a gradient"));
    let ratio: Vec<f32> = values(y)
        .iter()
        .zip(values(x))
        .map(|(y, x)| y / x)
        .collect();
    for (g, r) in grad.iter().zip(&ratio) {
        assert!((g - r).abs() < 1e-5, "gradient {g}, y / x {r}");
    }
}

#[test]
fn a_reseeded_device_repeats_its_masks() {
    let _turn = turn();
    let device = common::device().autodiff();
    let dropout = DropoutConfig::new(0.5).init();
    let x = Tensor::<2>::ones([50, 40], &device);
    let draw = |seed: u64| {
        device.seed(seed);
        let first = values(dropout_module(&dropout, x.clone()));
        let second = values(dropout_module(&dropout, x.clone()));
        (first, second)
    };
    let (a1, a2) = draw(11);
    let (b1, b2) = draw(11);
    let (c1, _) = draw(12);
    assert_eq!(a1, b1, "one seed, one first mask");
    assert_eq!(a2, b2, "one seed, one second mask");
    assert_ne!(a1, a2, "two draws after one seed are different masks");
    assert_ne!(a1, c1, "two seeds, two masks");
}

#[test]
fn inference_a_frozen_layer_and_zero_probability_leave_the_input_alone() {
    let _turn = turn();
    let x = |device: &Device| Tensor::<2>::random([8, 8], Distribution::Default, device);
    let plain = common::device();
    let autodiff = common::device().autodiff();
    let on = DropoutConfig::new(0.5).init();
    let cases = [
        ("a device without autodiff", on.clone(), x(&plain)),
        ("a frozen layer", on.clone().freeze(), x(&autodiff)),
        (
            "probability zero",
            DropoutConfig::new(0.0).init(),
            x(&autodiff),
        ),
    ];
    for (what, dropout, x) in cases {
        assert_eq!(
            values(dropout_module(&dropout, x.clone())),
            values(x),
            "{what} dropped something"
        );
    }
}
