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

mod fused {
    use burn::module::Param;
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::{GradientsParams, ModuleOptimizer};
    use burn::tensor::{Device, Tensor};
    use convirt_train::{PAPER_LEARNING_RATE, paper_adam};

    /// A deterministic wave (no random draw: the tests of this file run in parallel, and the
    /// device's generator is shared).
    fn wave<const D: usize>(shape: [usize; D], a: f32, b: f32, device: &Device) -> Tensor<D> {
        let n: usize = shape.iter().product();
        let values: Vec<f32> = (0..n).map(|i| ((i as f32 + 1.0) * a).sin() * b).collect();
        Tensor::<1>::from_floats(values.as_slice(), device).reshape(shape)
    }

    fn loss(model: &Linear, device: &Device, step: usize) -> Tensor<1> {
        let x = wave([4, 6], 0.37 + step as f32 * 0.1, 1.0, device);
        let target = wave([4, 5], 0.91 + step as f32 * 0.07, 2.0, device);
        (model.forward(x) - target).powi_scalar(2).mean()
    }

    /// `steps` steps of `optimizer` from `model`, the gradients from fixed batches.
    fn train(
        mut model: Linear,
        optimizer: &mut ModuleOptimizer,
        steps: std::ops::Range<usize>,
        device: &Device,
    ) -> Linear {
        for step in steps {
            let grads = GradientsParams::from_grads(loss(&model, device, step).backward(), &model);
            model = optimizer.step(PAPER_LEARNING_RATE * 100.0, model, grads);
        }
        model
    }

    fn weights(model: &Linear) -> Vec<f32> {
        let mut w = model.weight.val().into_data().try_to_vec::<f32>().unwrap();
        w.extend(
            model
                .bias
                .as_ref()
                .unwrap()
                .val()
                .into_data()
                .try_to_vec::<f32>()
                .unwrap(),
        );
        w
    }

    fn relative(a: &[f32], b: &[f32]) -> f32 {
        let diff = a
            .iter()
            .zip(b)
            .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()));
        diff / b.iter().fold(0.0f32, |m, y| m.max(y.abs()))
    }

    fn start(device: &Device) -> Linear {
        let mut linear = LinearConfig::new(6, 5).init(device);
        linear.weight = Param::from_tensor(wave([6, 5], 1.3, 0.5, device));
        linear.bias = Some(Param::from_tensor(wave([5], 2.1, 0.1, device)));
        linear
    }

    /// The fused optimiser follows burn's `Adam` with the same settings (β and ε rounded to f32
    /// there) over ten steps.
    #[test]
    fn fused_adam_follows_burns_adam() {
        let device = Device::flex().autodiff();
        let fused = train(start(&device), &mut paper_adam().init(), 0..10, &device);
        let burns = train(
            start(&device),
            &mut paper_adam().burn().init(),
            0..10,
            &device,
        );
        let (fused, burns, init) = (weights(&fused), weights(&burns), weights(&start(&device)));
        let error = relative(&fused, &burns);
        assert!(error <= 1e-5, "{error:e}");
        // Ten steps of lr 1e-2 moved the weights: the comparison is not of two unchanged models.
        assert!(relative(&burns, &init) > 1e-2);
    }

    /// burn's `Adam` and the fused one read each other's optimiser records: five steps with one,
    /// its record saved and loaded into the other, five more, match ten steps with one.
    #[test]
    fn records_are_interchangeable_with_burns_adam() {
        let device = Device::flex().autodiff();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("optimizer.bpk");
        let straight = weights(&train(
            start(&device),
            &mut paper_adam().init(),
            0..10,
            &device,
        ));
        // Without the moments (a fresh optimiser at step 5) the run differs.
        let model = train(start(&device), &mut paper_adam().init(), 0..5, &device);
        let restarted = train(model, &mut paper_adam().init(), 5..10, &device);
        assert!(relative(&weights(&restarted), &straight) > 1e-3);
        for (first, second) in [
            (paper_adam().burn().init(), paper_adam().init()),
            (paper_adam().init(), paper_adam().burn().init()),
        ] {
            let mut first = first;
            let model = train(start(&device), &mut first, 0..5, &device);
            first.save(&path).unwrap();
            let mut second = second.load(&path).unwrap();
            let resumed = train(model, &mut second, 5..10, &device);
            let error = relative(&weights(&resumed), &straight);
            assert!(error <= 1e-5, "{error:e}");
        }
    }
}
