//! The batch-normalisation extension against burn's own `BatchNorm::forward`: outputs, the input,
//! γ and β gradients, and the running statistics, in training (autodiff, with and without
//! gradient checkpointing), in inference (a plain device), and for a frozen layer on an autodiff
//! device. Shapes cover the towers' (4-D, 1×1 planes after a pool, batch 1) and a 3-D input. The
//! bar is issue 16's: per tensor, `max|ours − burn's| / max|burn's|` ≤ 1e-4.

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;
use common::{BAR, scale_relative};

use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::tensor::{Device, Distribution, Tensor, TensorData};
use convirt_kernels::batch_norm_module;

/// A layer of `channels` with non-trivial γ, β and running statistics, so that no term of the
/// normalisation can be wrong unnoticed.
fn layer(channels: usize, device: &Device) -> BatchNorm {
    let mut bn = BatchNormConfig::new(channels)
        .with_momentum(0.3)
        .init(device);
    let random = |low: f64, high: f64| {
        Tensor::<1>::random([channels], Distribution::Uniform(low, high), device)
    };
    let trainable = |t: Tensor<1>| {
        if device.is_autodiff() {
            t.require_grad()
        } else {
            t
        }
    };
    bn.gamma = bn.gamma.map(|_| trainable(random(0.5, 1.5)));
    bn.beta = bn.beta.map(|_| trainable(random(-0.5, 0.5)));
    bn.running_mean = burn::module::RunningState::new(random(-1.0, 1.0));
    bn.running_var = burn::module::RunningState::new(random(0.5, 2.0));
    bn
}

/// A copy of `bn` with running statistics of its own: a clone shares them (`RunningState` is
/// behind an `Arc`), so an update through one would show in the other.
fn twin(bn: &BatchNorm) -> BatchNorm {
    let mut copy = bn.clone();
    copy.running_mean = burn::module::RunningState::new(bn.running_mean.value_sync());
    copy.running_var = burn::module::RunningState::new(bn.running_var.value_sync());
    copy
}

/// An input of `shape` with a channel-dependent offset and scale, like real activations.
fn input<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    let x = Tensor::<D>::random(shape, Distribution::Normal(0.0, 1.0), device);
    let mut offset_shape = [1usize; D];
    offset_shape[1] = shape[1];
    let channels = Tensor::<1, burn::tensor::Int>::arange(0..shape[1] as i64, device).float();
    let offset = channels.clone().mul_scalar(0.7).reshape(offset_shape);
    let spread = channels
        .mul_scalar(0.3)
        .add_scalar(0.5)
        .reshape(offset_shape);
    x * spread + offset
}

/// Asserts that every named pair is within the bar.
fn assert_close(what: &str, pairs: Vec<(&str, TensorData, TensorData)>) {
    for (name, ours, burns) in pairs {
        let error = scale_relative(ours, burns);
        assert!(error <= BAR, "{what}: {name} differs by {error:e}");
    }
}

/// Two training steps through both layers: outputs, the three gradients and the running
/// statistics after each step.
fn check_training<const D: usize>(shape: [usize; D], device: &Device) {
    let ours = layer(shape[1], device);
    let burns = twin(&ours);
    for step in 0..2 {
        let x = input(shape, device).require_grad();
        let probe = Tensor::<D>::random(shape, Distribution::Normal(0.0, 1.0), device);
        let a = batch_norm_module(&ours, x.clone());
        let b = burns.forward(x.clone());
        let what = format!("{shape:?}, step {step}");
        assert_close(&what, vec![("output", a.to_data(), b.to_data())]);
        let grads_a = (a * probe.clone()).sum().backward();
        let grads_b = (b * probe).sum().backward();
        let grad = |t: &Tensor<D>, g| t.grad(g).expect("an input gradient").into_data();
        let param = |t: &Tensor<1>, g| t.grad(g).expect("a parameter gradient").into_data();
        assert_close(
            &what,
            vec![
                ("x gradient", grad(&x, &grads_a), grad(&x, &grads_b)),
                (
                    "γ gradient",
                    param(&ours.gamma.val(), &grads_a),
                    param(&burns.gamma.val(), &grads_b),
                ),
                (
                    "β gradient",
                    param(&ours.beta.val(), &grads_a),
                    param(&burns.beta.val(), &grads_b),
                ),
                (
                    "running mean",
                    ours.running_mean.value_sync().into_data(),
                    burns.running_mean.value_sync().into_data(),
                ),
                (
                    "running variance",
                    ours.running_var.value_sync().into_data(),
                    burns.running_var.value_sync().into_data(),
                ),
            ],
        );
    }
}

#[test]
fn training_matches_burn_on_the_towers_shapes() {
    let device = common::device().autodiff();
    check_training([4, 8, 7, 9], &device); // a mid-network activation, odd plane
    check_training([1, 3, 5, 5], &device); // batch 1
    check_training([16, 5, 1, 1], &device); // 1×1 planes, as after a global pool
    check_training([2, 64, 28, 28], &device); // ResNet's stage-one size at 112²
    check_training([6, 4, 10], &device); // a 3-D input
}

#[test]
fn training_matches_burn_under_gradient_checkpointing() {
    let device = common::device().autodiff().gradient_checkpointing();
    check_training([3, 6, 9, 7], &device);
}

#[test]
fn the_statistics_are_exact_for_a_large_offset() {
    // A channel whose mean is far larger than its spread: a naive f32 Σx² − (Σx)² would lose the
    // variance; ours accumulates in f64.
    let device = common::device().autodiff();
    let bn = BatchNormConfig::new(2).with_momentum(1.0).init(&device);
    let x = Tensor::<4>::random([4, 2, 16, 16], Distribution::Normal(0.0, 0.01), &device)
        .add_scalar(1000.0);
    let values = x.to_data().try_to_vec::<f32>().unwrap();
    let _ = batch_norm_module(&bn, x);
    let variance = bn
        .running_var
        .value_sync()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    for (ch, &var) in variance.iter().enumerate() {
        let channel: Vec<f64> = (0..4)
            .flat_map(|image| {
                let start = (image * 2 + ch) * 256;
                values[start..start + 256].iter().map(|&v| f64::from(v))
            })
            .collect();
        let mean = channel.iter().sum::<f64>() / channel.len() as f64;
        let exact = channel.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / channel.len() as f64;
        let error = (f64::from(var) - exact).abs() / exact;
        assert!(error < 1e-3, "channel {ch}: variance {var} against {exact}");
    }
}

#[test]
fn inference_matches_burn() {
    let device = common::device();
    let bn = layer(8, &device);
    for shape in [[4, 8, 7, 9], [1, 8, 1, 1]] {
        let x = input(shape, &device);
        let a = batch_norm_module(&bn, x.clone());
        let b = bn.forward(x);
        assert_close(
            &format!("{shape:?}"),
            vec![("output", a.into_data(), b.into_data())],
        );
    }
}

#[test]
fn a_frozen_layer_keeps_its_statistics_and_passes_gradients() {
    let device = common::device().autodiff();
    let ours = layer(5, &device).freeze();
    let burns = twin(&ours);
    let before = ours.running_var.value_sync().into_data();
    let x = input([3, 5, 6, 6], &device).require_grad();
    let probe = Tensor::<4>::random([3, 5, 6, 6], Distribution::Normal(0.0, 1.0), &device);
    let a = batch_norm_module(&ours, x.clone());
    let b = burns.forward(x.clone());
    assert_close("frozen", vec![("output", a.to_data(), b.to_data())]);
    let grads_a = (a * probe.clone()).sum().backward();
    let grads_b = (b * probe).sum().backward();
    assert_close(
        "frozen",
        vec![(
            "x gradient",
            x.grad(&grads_a).expect("an input gradient").into_data(),
            x.grad(&grads_b).expect("an input gradient").into_data(),
        )],
    );
    assert!(
        ours.gamma.val().grad(&grads_a).is_none(),
        "a frozen γ got a gradient"
    );
    assert_eq!(
        ours.running_var.value_sync().into_data(),
        before,
        "a frozen layer's statistics moved"
    );
}
