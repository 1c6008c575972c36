//! Properties of the contrastive losses that hold for any input, on the device under test.

mod common;

use burn::module::Param;
use burn::tensor::Tensor;
use common::{device, normal, read, tensor};
use convirt::loss::{
    BinaryContrastiveLoss, ContrastiveLoss, ConvirtLoss, NtXentLoss, SigmoidLoss, Temperature,
};

const N: usize = 12;
const D: usize = 32;

fn pair(seed: u64) -> (Vec<f32>, Vec<f32>) {
    (normal(N, D, seed), normal(N, D, seed + 1000))
}

fn total(loss: &dyn ContrastiveLoss, v: &[f32], u: &[f32]) -> f32 {
    let dev = device();
    let out = loss
        .forward(
            tensor(v.to_vec(), N, D, &dev),
            tensor(u.to_vec(), N, D, &dev),
        )
        .unwrap();
    out.total.into_scalar()
}

/// Loss and both gradients with autodiff.
fn with_grads(loss: &ConvirtLoss, v: &[f32], u: &[f32], rows: usize) -> (f32, Vec<f32>, Vec<f32>) {
    let dev = device().autodiff();
    let vt = tensor(v.to_vec(), rows, D, &dev).require_grad();
    let ut = tensor(u.to_vec(), rows, D, &dev).require_grad();
    let out = loss.forward(vt.clone(), ut.clone()).unwrap();
    let grads = out.total.backward();
    let gv = read(vt.grad(&grads).unwrap());
    let gu = read(ut.grad(&grads).unwrap());
    (out.total.into_scalar(), gv, gu)
}

fn close(a: f32, b: f32, tol: f32) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

fn permute_rows(x: &[f32], perm: &[usize]) -> Vec<f32> {
    perm.iter()
        .flat_map(|&i| x[i * D..(i + 1) * D].to_vec())
        .collect()
}

#[test]
fn convirt_is_equivariant_under_a_shared_permutation() {
    let (v, u) = pair(1);
    let perm: Vec<usize> = vec![5, 0, 11, 3, 9, 1, 7, 2, 10, 4, 8, 6];
    let loss = ConvirtLoss::paper();
    let (l0, gv0, gu0) = with_grads(&loss, &v, &u, N);
    let (l1, gv1, gu1) = with_grads(&loss, &permute_rows(&v, &perm), &permute_rows(&u, &perm), N);
    assert!(close(l0, l1, 1e-5), "{l0} vs {l1}");
    for (a, b) in permute_rows(&gv0, &perm).iter().zip(&gv1) {
        assert!((a - b).abs() < 1e-5);
    }
    for (a, b) in permute_rows(&gu0, &perm).iter().zip(&gu1) {
        assert!((a - b).abs() < 1e-5);
    }
    // Permuting only one side breaks the pairing and changes the loss.
    let l2 = total(&loss, &permute_rows(&v, &perm), &u);
    assert!((l2 - l0).abs() > 1e-2);
}

#[test]
fn lambda_one_and_zero_select_one_direction() {
    let (v, u) = pair(2);
    let dev = device();
    let run = |lambda| {
        let out = ConvirtLoss::new(0.1, lambda)
            .unwrap()
            .forward(tensor(v.clone(), N, D, &dev), tensor(u.clone(), N, D, &dev))
            .unwrap();
        let total: f32 = out.total.into_scalar();
        let i2t: f32 = out.image_to_text.unwrap().into_scalar();
        let t2i: f32 = out.text_to_image.unwrap().into_scalar();
        (total, i2t, t2i)
    };
    let (t1, i2t, t2i) = run(1.0);
    assert_eq!(t1, i2t);
    assert!(
        (i2t - t2i).abs() > 1e-3,
        "directions should differ on random data"
    );
    let (t0, _, t2i0) = run(0.0);
    assert_eq!(t0, t2i0);
    let (t75, a, b) = run(0.75);
    assert!(close(t75, 0.75 * a + 0.25 * b, 1e-6));
}

#[test]
fn every_loss_is_non_negative() {
    let dev = device();
    let losses: Vec<Box<dyn ContrastiveLoss>> = vec![
        Box::new(ConvirtLoss::paper()),
        Box::new(ConvirtLoss::new(0.01, 0.3).unwrap()),
        Box::new(NtXentLoss::new(0.5).unwrap()),
        Box::new(BinaryContrastiveLoss::new(0.1).unwrap()),
        Box::new(SigmoidLoss::new(10.0, -10.0, &dev).unwrap()),
    ];
    for seed in 0..8 {
        let (v, u) = pair(100 + seed);
        for loss in &losses {
            // The log-sum-exp includes the positive term, so each row's loss is ≥ 0 up to
            // f32 rounding of that sum.
            let l = total(loss.as_ref(), &v, &u);
            assert!(l >= -1e-6 && l.is_finite(), "loss {l}");
        }
    }
}

#[test]
fn aligned_pairs_with_small_temperature_give_near_zero_loss() {
    // Random 512-d directions are nearly orthogonal; with u = v each positive dominates.
    let (n, d) = (16, 512);
    let v = normal(n, d, 7);
    let dev = device();
    let out = ConvirtLoss::new(0.01, 0.75)
        .unwrap()
        .forward(tensor(v.clone(), n, d, &dev), tensor(v, n, d, &dev))
        .unwrap();
    let l: f32 = out.total.into_scalar();
    assert!(l.abs() < 1e-3, "loss {l}");
}

#[test]
fn scaling_the_inputs_leaves_the_loss_unchanged() {
    let (v, u) = pair(3);
    let loss = ConvirtLoss::paper();
    let base = total(&loss, &v, &u);
    for (cv, cu) in [(1e-3f32, 1.0f32), (1e3, 1e-3), (7.5, 0.2)] {
        let vs: Vec<f32> = v.iter().map(|x| x * cv).collect();
        let us: Vec<f32> = u.iter().map(|x| x * cu).collect();
        let l = total(&loss, &vs, &us);
        assert!(close(base, l, 1e-5), "{base} vs {l} at scales {cv}, {cu}");
    }
}

#[test]
fn gradient_matches_finite_differences() {
    // A small, smooth case: τ = 0.5 keeps curvature low so central differences in f32 are accurate.
    let rows = 4;
    let v = normal(rows, D, 11);
    let u = normal(rows, D, 12);
    let loss = ConvirtLoss::new(0.5, 0.75).unwrap();
    let (_, gv, gu) = with_grads(&loss, &v, &u, rows);
    let dev = device();
    let eval = |v: &[f32], u: &[f32]| -> f64 {
        let out = loss
            .forward(
                tensor(v.to_vec(), rows, D, &dev),
                tensor(u.to_vec(), rows, D, &dev),
            )
            .unwrap();
        out.total.into_scalar::<f32>() as f64
    };
    let h = 1e-2f32;
    let mut worst = 0.0f64;
    let scale = gv.iter().chain(&gu).map(|g| g.abs()).fold(0.0f32, f32::max) as f64;
    for k in (0..rows * D).step_by(5) {
        for (which, grad) in [(0, &gv), (1, &gu)] {
            let (mut p, mut m) = ((v.clone(), u.clone()), (v.clone(), u.clone()));
            if which == 0 {
                p.0[k] += h;
                m.0[k] -= h;
            } else {
                p.1[k] += h;
                m.1[k] -= h;
            }
            let fd = (eval(&p.0, &p.1) - eval(&m.0, &m.1)) / (2.0 * h as f64);
            worst = worst.max((fd - grad[k] as f64).abs() / scale);
        }
    }
    assert!(worst < 2e-3, "finite differences disagree: {worst}");
}

#[test]
fn learnable_temperature_receives_a_gradient_and_is_clamped() {
    let dev = device().autodiff();
    let (v, u) = pair(5);
    let loss = ConvirtLoss::new(0.07, 0.75)
        .unwrap()
        .with_learnable_temperature(100.0, &dev)
        .unwrap();
    assert!((loss.temperature.value() - 0.07).abs() < 1e-6);
    let out = loss
        .forward(tensor(v.clone(), N, D, &dev), tensor(u.clone(), N, D, &dev))
        .unwrap();
    let grads = out.total.backward();
    let param = loss.temperature.log_scale.as_ref().unwrap();
    let g: f32 = param
        .val()
        .grad(&grads)
        .expect("log τ gets a gradient")
        .into_scalar();
    assert!(g.abs() > 0.0 && g.is_finite());

    // Asking for τ below the bound starts at the bound.
    let at_bound = ConvirtLoss::new(0.001, 0.75)
        .unwrap()
        .with_learnable_temperature(100.0, &dev)
        .unwrap();
    assert!((at_bound.temperature.value() - 0.01).abs() < 1e-6);

    // A parameter that has drifted above the bound is clamped: τ = 0.01 and no gradient.
    let mut drifted = ConvirtLoss::paper();
    drifted.temperature = Temperature {
        initial: 0.1,
        log_scale: Some(Param::from_tensor(Tensor::from_floats(
            [1000f32.ln()],
            &dev,
        ))),
        max_scale: 100.0,
    };
    assert!((drifted.temperature.value() - 0.01).abs() < 1e-6);
    let out = drifted
        .forward(tensor(v, N, D, &dev), tensor(u, N, D, &dev))
        .unwrap();
    let grads = out.total.backward();
    let p = drifted.temperature.log_scale.as_ref().unwrap();
    let g = p
        .val()
        .grad(&grads)
        .map(|g| g.into_scalar::<f32>())
        .unwrap_or(0.0);
    assert_eq!(g, 0.0);
}

#[test]
fn siglip_scale_and_bias_learn_when_asked() {
    let dev = device().autodiff();
    let (v, u) = pair(6);
    let loss = SigmoidLoss::siglip(&dev);
    let out = loss
        .forward(tensor(v, N, D, &dev), tensor(u, N, D, &dev))
        .unwrap();
    let grads = out.total.backward();
    let gs: f32 = loss.log_scale.val().grad(&grads).unwrap().into_scalar();
    let gb: f32 = loss.bias.val().grad(&grads).unwrap().into_scalar();
    // At bias −10 every logit is near −10: each true pair costs −log σ(−10) ≈ 10 and pulls the
    // bias up with slope ≈ −1, while each of the N(N−1) negatives pushes back by only σ(−10) ≈ 5e−5.
    // So d L / d bias ≈ −1.
    assert!((gb + 1.0).abs() < 0.05, "bias gradient {gb}");
    assert!(gs.is_finite() && gs != 0.0);
}

#[test]
fn ntxent_with_identical_views_beats_random_views() {
    let (v, u) = pair(8);
    let loss = NtXentLoss::new(0.1).unwrap();
    assert!(total(&loss, &v, &v) < total(&loss, &v, &u));
}

#[test]
fn convirt_matches_a_direct_evaluation() {
    // Independent check in plain f64 Rust of the formula on a tiny batch.
    let (rows, dim) = (3, 4);
    let v = normal(rows, dim, 21);
    let u = normal(rows, dim, 22);
    let (tau, lambda) = (0.2f64, 0.6f64);
    let unit = |x: &[f32]| -> Vec<Vec<f64>> {
        x.chunks(dim)
            .map(|r| {
                let n = r.iter().map(|a| (*a as f64).powi(2)).sum::<f64>().sqrt();
                r.iter().map(|a| *a as f64 / n).collect()
            })
            .collect()
    };
    let (vn, un) = (unit(&v), unit(&u));
    let s = |i: usize, j: usize| vn[i].iter().zip(&un[j]).map(|(a, b)| a * b).sum::<f64>() / tau;
    let mut expect = 0.0;
    for i in 0..rows {
        let row: f64 = (0..rows).map(|k| s(i, k).exp()).sum::<f64>().ln() - s(i, i);
        let col: f64 = (0..rows).map(|k| s(k, i).exp()).sum::<f64>().ln() - s(i, i);
        expect += (lambda * row + (1.0 - lambda) * col) / rows as f64;
    }
    let dev = device();
    let got: f32 = ConvirtLoss::new(tau, lambda)
        .unwrap()
        .forward(tensor(v, rows, dim, &dev), tensor(u, rows, dim, &dev))
        .unwrap()
        .total
        .into_scalar();
    assert!((got as f64 - expect).abs() < 1e-5, "{got} vs {expect}");
}
