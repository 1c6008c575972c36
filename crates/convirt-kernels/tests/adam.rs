//! The Adam extension against PyTorch's update worked in f64 on the host: five steps on one
//! parameter, with and without weight decay, on a contiguous tensor and on a transposed view;
//! and the caller's tensors stay as they were when something else still holds them (the native
//! kernels update in place only what they own alone).

#[cfg(not(any(feature = "flex", feature = "tch")))]
compile_error!(
    "convirt-kernels' tests run on flex or tch: `cargo test -p convirt-kernels --features flex` \
     (or `--features tch` with scripts/backend-env.sh tch)"
);

mod common;

use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::{AdamHyper, adam_step};

fn hyper(time: usize, weight_decay: f64) -> AdamHyper {
    AdamHyper {
        lr: 1e-2,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-8,
        weight_decay,
        time,
    }
}

/// `torch.optim.Adam`'s update (coupled L2 decay), in f64: `(θ', m', v')`.
fn reference(p: &[f64], g: &[f64], m: &[f64], v: &[f64], h: &AdamHyper) -> [Vec<f64>; 3] {
    let t = h.time as i32;
    let (bias_1, bias_2) = (1.0 - h.beta_1.powi(t), 1.0 - h.beta_2.powi(t));
    let (mut p2, mut m2, mut v2) = (p.to_vec(), m.to_vec(), v.to_vec());
    for i in 0..p.len() {
        let g = g[i] + h.weight_decay * p[i];
        m2[i] = h.beta_1 * m[i] + (1.0 - h.beta_1) * g;
        v2[i] = h.beta_2 * v[i] + (1.0 - h.beta_2) * g * g;
        let denom = v2[i].sqrt() / bias_2.sqrt() + h.epsilon;
        p2[i] = p[i] - h.lr / bias_1 * m2[i] / denom;
    }
    [p2, m2, v2]
}

fn host(t: &Tensor<2>) -> Vec<f64> {
    t.to_data()
        .try_to_vec::<f32>()
        .unwrap()
        .into_iter()
        .map(f64::from)
        .collect()
}

/// `max|a − b| / max|b|`.
fn relative(a: &[f64], b: &[f64]) -> f64 {
    let diff = a
        .iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()));
    let scale = b.iter().fold(0.0f64, |m, y| m.max(y.abs()));
    diff / scale
}

fn five_steps(device: &Device, transposed: bool, weight_decay: f64) {
    let make = |shape: [usize; 2]| {
        let t = Tensor::<2>::random(shape, Distribution::Normal(0.0, 1.0), device);
        if transposed { t.transpose() } else { t }
    };
    let shape = if transposed { [37, 23] } else { [23, 37] };
    let mut p = make(shape);
    let mut m = p.zeros_like();
    let mut v = p.zeros_like();
    for time in 1..=5 {
        let g = make(shape).mul_scalar(0.1 * time as f32);
        let h = hyper(time, weight_decay);
        let [ep, em, ev] = reference(&host(&p), &host(&g), &host(&m), &host(&v), &h);
        (p, m, v) = adam_step(p, g, m, v, h);
        for (name, ours, expected, bar) in [
            // θ's bar is relative to max|θ| (about 3): each step of about lr = 1e-2 is checked to
            // about 3e-4 of itself.
            ("θ", host(&p), ep, 1e-6),
            ("m", host(&m), em, 1e-6),
            ("v", host(&v), ev, 1e-5),
        ] {
            let error = relative(&ours, &expected);
            assert!(
                error <= bar,
                "step {time}, {name}, transposed {transposed}, decay {weight_decay}: {error:e}"
            );
        }
    }
}

#[test]
fn five_steps_match_pytorch_update() {
    let device = common::device();
    for transposed in [false, true] {
        for weight_decay in [0.0, 0.05] {
            five_steps(&device, transposed, weight_decay);
        }
    }
}

/// The update's size, not only θ': after one step from zero moments each weight moves by the
/// learning rate against its gradient's sign (|m̂| / √v̂ = 1).
#[test]
fn first_step_moves_each_weight_by_the_learning_rate() {
    let device = common::device();
    let p = Tensor::<2>::random([8, 8], Distribution::Normal(0.0, 1.0), &device);
    let g = Tensor::<2>::random([8, 8], Distribution::Normal(0.0, 1.0), &device);
    let (p2, _, _) = adam_step(
        p.clone(),
        g.clone(),
        g.zeros_like(),
        g.zeros_like(),
        hyper(1, 0.0),
    );
    let moved = host(&(p - p2));
    for (d, g) in moved.iter().zip(host(&g)) {
        assert!(
            (d - 1e-2 * g.signum()).abs() <= 1e-6,
            "moved {d} for gradient {g}"
        );
    }
}

#[test]
fn shared_inputs_are_left_unchanged() {
    let device = common::device();
    let p = Tensor::<2>::random([16, 16], Distribution::Normal(0.0, 1.0), &device);
    let g = Tensor::<2>::random([16, 16], Distribution::Normal(0.0, 1.0), &device);
    let m = Tensor::<2>::random([16, 16], Distribution::Normal(0.0, 0.1), &device);
    let v = Tensor::<2>::random([16, 16], Distribution::Uniform(0.0, 0.1), &device);
    let before = [host(&p), host(&m), host(&v)];
    let (p2, m2, v2) = adam_step(p.clone(), g, m.clone(), v.clone(), hyper(3, 0.01));
    for (name, kept, was) in [
        ("θ", &p, &before[0]),
        ("m", &m, &before[1]),
        ("v", &v, &before[2]),
    ] {
        assert_eq!(
            &host(kept),
            was,
            "{name} was changed through a shared handle"
        );
    }
    // And the step did happen.
    assert!(relative(&host(&p2), &before[0]) > 1e-4);
    assert!(relative(&host(&m2), &before[1]) > 1e-3);
    assert!(relative(&host(&v2), &before[2]) > 1e-4);
}
