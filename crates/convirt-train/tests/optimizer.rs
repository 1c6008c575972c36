//! One step of `paper_adam` against PyTorch's `Adam(lr=1e-4, weight_decay=1e-6)` worked by hand.

use burn::module::{Module, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor};
use convirt_train::{PAPER_LEARNING_RATE, paper_adam};

#[derive(Module, Debug)]
struct Scalar {
    p: Param<Tensor<1>>,
}

#[test]
fn first_step_matches_pytorch_adam_with_coupled_decay_and_eps_1e8() {
    let device = Device::flex().autodiff();
    let model = Scalar {
        p: Param::from_tensor(Tensor::from_floats([2.0], &device)),
    };
    // loss = 1e-7·p, so d/dp = 1e-7; PyTorch adds weight_decay·p: g = 1e-7 + 1e-6·2 = 2.1e-6.
    let loss = model.p.val().mul_scalar(1e-7).sum();
    let grads = GradientsParams::from_grads(loss.backward(), &model);
    let model = paper_adam().init().step(PAPER_LEARNING_RATE, model, grads);
    let p: f32 = model.p.val().into_scalar();
    // First Adam step: lr · g / (|g| + eps) after bias correction.
    let g = 2.1e-6f64;
    let expected = 2.0 - 1e-4 * g / (g + 1e-8);
    assert!((p as f64 - expected).abs() < 1e-6, "{p} vs {expected}");
    // With burn's default ε = 1e-5 the step would be ~5.8× smaller: the test tells them apart.
    let burn_default = 2.0 - 1e-4 * g / (g + 1e-5);
    assert!((p as f64 - burn_default).abs() > 5e-5);
}
