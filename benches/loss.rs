//! Criterion: ConVIRT loss forward + backward on flex, d = 512.

use burn::tensor::{Device, Distribution, Tensor};
use convirt::loss::{ContrastiveLoss, ConvirtLoss};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn forward_backward(c: &mut Criterion) {
    let device = Device::flex().autodiff();
    let loss = ConvirtLoss::paper().with_finite_check(false);
    let mut group = c.benchmark_group("convirt_loss_fwd_bwd_d512");
    group.sample_size(10);
    for n in [32usize, 256, 1024, 4096] {
        let v =
            Tensor::<2>::random([n, 512], Distribution::Normal(0.0, 1.0), &device).require_grad();
        let u =
            Tensor::<2>::random([n, 512], Distribution::Normal(0.0, 1.0), &device).require_grad();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let out = loss.forward(v.clone(), u.clone()).expect("valid inputs");
                let grads = out.total.backward();
                v.grad(&grads).expect("grad").sum().into_scalar::<f32>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, forward_backward);
criterion_main!(benches);
