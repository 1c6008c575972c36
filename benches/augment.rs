//! Criterion: each augmentation step alone on a 1024×1024 8-bit source (224×224 for the steps that
//! run after the warp), and the full paper pipeline at 512, 1024 and 2048.

use convirt::augment::{
    AffineParams, ConvirtAugment, CropBox, Image, JitterParams, Transform, Warp, blur,
    flip_horizontal, jitter, sample_rng,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A deterministic pseudo-random 8-bit square image, like the reference's random sources.
fn noise(side: usize) -> Image {
    Image::noise(side, side, 0).expect("non-empty")
}

fn steps(c: &mut Criterion) {
    let src = noise(1024);
    let small = Warp::resize(1024, 1024, 224, 224).apply(&src);
    let values = small.to_f32();
    let crop = CropBox {
        top: 100,
        left: 80,
        height: 850,
        width: 900,
    };
    let mut g = c.benchmark_group("augment_step");
    g.sample_size(20);
    g.bench_function("resized_crop_1024_to_224", |b| {
        let warp = Warp {
            crop,
            flip: false,
            affine: AffineParams::IDENTITY,
            width: 224,
            height: 224,
        };
        b.iter(|| warp.apply(black_box(&src)))
    });
    g.bench_function("fused_crop_flip_affine_1024_to_224", |b| {
        let warp = Warp {
            crop,
            flip: true,
            affine: AffineParams {
                angle: 12.0,
                translate: [10.0, -5.0],
                scale: 1.03,
            },
            width: 224,
            height: 224,
        };
        b.iter(|| warp.apply(black_box(&src)))
    });
    g.bench_function("flip_224", |b| {
        b.iter(|| flip_horizontal(black_box(&small)))
    });
    g.bench_function("jitter_224", |b| {
        let p = JitterParams {
            brightness: 1.2,
            contrast: 0.8,
        };
        b.iter(|| {
            let mut v = values.clone();
            jitter(&mut v, p);
            v
        })
    });
    for sigma in [0.5, 1.5, 3.0] {
        g.bench_with_input(
            BenchmarkId::new("blur_224_sigma", sigma),
            &sigma,
            |b, &s| b.iter(|| blur(black_box(&values), 224, 224, s)),
        );
    }
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let augment = ConvirtAugment::paper();
    let mut g = c.benchmark_group("augment_paper_pipeline");
    g.sample_size(20);
    for side in [512usize, 1024, 2048] {
        let src = noise(side);
        g.bench_with_input(BenchmarkId::from_parameter(side), &side, |b, _| {
            let mut k = 0u64;
            b.iter(|| {
                k += 1;
                augment.apply(src.clone(), &mut sample_rng(0, 0, k))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, steps, pipeline);
criterion_main!(benches);
