//! Properties that must hold for any input: flips undo themselves, unit jitter and same-size
//! resizes change nothing, blur keeps the mean, and the pipeline always gives the requested size,
//! values in [0, 1] and no NaN.

use convirt_augment::{
    AffineParams, ConvirtAugment, CropBox, Image, JitterParams, RandomResizedCrop, Transform, Warp,
    blur, flip_horizontal, gaussian_kernel, jitter, sample_rng,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn random_u8(w: usize, h: usize, rng: &mut StdRng) -> Image {
    Image::from_u8(w, h, (0..w * h).map(|_| rng.random()).collect()).unwrap()
}

fn random_f32(w: usize, h: usize, rng: &mut StdRng) -> Image {
    Image::from_f32(w, h, (0..w * h).map(|_| rng.random()).collect()).unwrap()
}

/// A smooth gradient with a bright disc, a little like a chest film.
fn smooth(w: usize, h: usize) -> Image {
    let data = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32 / w as f32, (i / w) as f32 / h as f32);
            let d = ((x - 0.4).powi(2) + (y - 0.5).powi(2)).sqrt();
            0.2 + 0.5 * x * y + if d < 0.25 { 0.3 } else { 0.0 }
        })
        .collect();
    Image::from_f32(w, h, data).unwrap()
}

fn psnr(a: &[f32], b: &[f32]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y as f64).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    -10.0 * mse.log10()
}

#[test]
fn flipping_twice_is_the_identity() {
    let mut rng = StdRng::seed_from_u64(1);
    for (w, h) in [(1, 1), (1, 7), (7, 1), (5, 3), (64, 33)] {
        let a = random_u8(w, h, &mut rng);
        assert_eq!(flip_horizontal(&flip_horizontal(&a)), a);
        let b = random_f32(w, h, &mut rng);
        let once = flip_horizontal(&b);
        assert_eq!(flip_horizontal(&once), b);
        if w > 1 {
            assert_ne!(once, b, "a flip of a random {w}×{h} image must change it");
        }
        assert_eq!(once.get(0, h - 1), b.get(w - 1, h - 1));
    }
}

#[test]
fn a_flipped_warp_mirrors_the_unflipped_one() {
    let src = smooth(300, 260);
    let warp = Warp {
        crop: CropBox {
            top: 10,
            left: 20,
            height: 200,
            width: 240,
        },
        flip: false,
        affine: AffineParams::IDENTITY,
        width: 64,
        height: 48,
    };
    let plain = warp.apply(&src);
    let flipped = Warp { flip: true, ..warp }.apply(&src);
    let back = flip_horizontal(&flipped);
    for (a, b) in plain.to_f32().iter().zip(back.to_f32()) {
        assert!((a - b).abs() < 1e-5);
    }
}

#[test]
fn jitter_with_factor_one_is_the_identity() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut values: Vec<f32> = (0..10_000).map(|_| rng.random()).collect();
    values[0] = 0.0;
    values[1] = 1.0;
    let before = values.clone();
    jitter(&mut values, JitterParams::IDENTITY);
    assert_eq!(values, before);
}

#[test]
fn jitter_follows_torchvision() {
    // brightness 1.5 then contrast 0.5 on [0.2, 0.8]: [0.3, 1.0] (clamped), mean 0.65,
    // then 0.5·x + 0.325 = [0.475, 0.825].
    let mut v = vec![0.2f32, 0.8];
    jitter(
        &mut v,
        JitterParams {
            brightness: 1.5,
            contrast: 0.5,
        },
    );
    assert!(
        (v[0] - 0.475).abs() < 1e-6 && (v[1] - 0.825).abs() < 1e-6,
        "{v:?}"
    );
}

#[test]
fn blur_keeps_the_mean_and_the_kernel_is_torchvisions() {
    for (sigma, taps) in [(0.1, 3), (0.5, 5), (1.0, 7), (1.34, 11), (3.0, 19)] {
        let k = gaussian_kernel(sigma);
        assert_eq!(k.len(), taps, "σ = {sigma}");
        assert!((k.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(k.first(), k.last());
    }
    let mut rng = StdRng::seed_from_u64(3);
    for (w, h) in [(224, 224), (50, 31), (3, 2), (1, 1)] {
        let img = random_f32(w, h, &mut rng);
        let v = img.to_f32();
        let (lo, hi) = v
            .iter()
            .fold((1.0f32, 0.0f32), |(l, h), &x| (l.min(x), h.max(x)));
        for sigma in [0.1, 1.0, 3.0] {
            let out = blur(&v, w, h, sigma);
            // A convex combination: never outside the input's range, never NaN.
            assert!(out.iter().all(|x| *x >= lo - 1e-6 && *x <= hi + 1e-6));
            // Reflect padding re-weights the border, so the mean holds only away from tiny images.
            if w * h >= 1000 {
                let mean = out.iter().sum::<f32>() / out.len() as f32;
                let d = (mean - img.mean()).abs();
                assert!(d < 0.005, "{w}×{h} σ {sigma}: {mean} vs {}", img.mean());
            }
        }
    }
    // A blur must actually smooth: the variance of noise drops.
    let img = random_f32(64, 64, &mut rng);
    let out = blur(&img.to_f32(), 64, 64, 2.0);
    let var = |v: &[f32]| {
        let m = v.iter().sum::<f32>() / v.len() as f32;
        v.iter().map(|x| (x - m).powi(2)).sum::<f32>() / v.len() as f32
    };
    assert!(var(&out) < var(&img.to_f32()) / 10.0);
}

#[test]
fn a_same_size_resize_is_the_identity() {
    let mut rng = StdRng::seed_from_u64(4);
    let img = random_u8(37, 21, &mut rng);
    let out = Warp::resize(37, 21, 37, 21).apply(&img);
    for (a, b) in out.to_f32().iter().zip(img.to_f32()) {
        assert!((a - b).abs() < 1e-6);
    }
}

#[test]
fn block_reduction_matches_the_direct_antialiased_warp() {
    let src = smooth(2048, 1900);
    for (crop, affine) in [
        (
            CropBox {
                top: 0,
                left: 0,
                height: 1900,
                width: 2048,
            },
            AffineParams::IDENTITY,
        ),
        (
            CropBox {
                top: 151,
                left: 300,
                height: 1500,
                width: 1400,
            },
            AffineParams {
                angle: -17.0,
                translate: [12.0, -7.5],
                scale: 1.04,
            },
        ),
        (
            CropBox {
                top: 5,
                left: 9,
                height: 800,
                width: 700,
            },
            AffineParams::IDENTITY,
        ),
    ] {
        let warp = Warp {
            crop,
            flip: true,
            affine,
            width: 224,
            height: 224,
        };
        let fast = warp.apply_with(&src, true).to_f32();
        let direct = warp.apply_with(&src, false).to_f32();
        let db = psnr(&fast, &direct);
        assert!(db > 40.0, "{crop:?}: {db} dB");
        assert_ne!(fast, direct, "the reduction path must have run");
    }
}

#[test]
fn the_pipeline_always_gives_the_requested_size_in_range() {
    let mut rng = StdRng::seed_from_u64(5);
    let sizes = [
        (1, 1),
        (1, 300),
        (300, 1),
        (2, 3),
        (17, 900),
        (640, 480),
        (224, 224),
        (97, 1031),
    ];
    for (n, &(w, h)) in sizes.iter().enumerate() {
        let sources = [random_u8(w, h, &mut rng), random_f32(w, h, &mut rng)];
        let u16 = Image::from_u16(w, h, (0..w * h).map(|_| rng.random()).collect()).unwrap();
        for (k, src) in sources.into_iter().chain([u16]).enumerate() {
            for size in [224, 31] {
                let aug = ConvirtAugment::paper_with_size(size);
                let out = aug.apply(src.clone(), &mut sample_rng(9, n as u64, k as u64));
                assert_eq!((out.width(), out.height()), (size, size));
                let v = out.to_f32();
                assert!(
                    v.iter().all(|x| (0.0..=1.0).contains(x)),
                    "{w}×{h} out of range"
                );
            }
        }
    }
}

#[test]
fn the_pipeline_on_a_constant_image_stays_near_that_constant() {
    // With no affine shift out of frame, every step keeps a flat image flat.
    let img = Image::from_u8(400, 300, vec![100; 400 * 300]).unwrap();
    let aug = ConvirtAugment::paper();
    let mut params = aug.sample(400, 300, &mut sample_rng(0, 0, 0));
    params.affine = AffineParams::IDENTITY;
    params.jitter = JitterParams::IDENTITY;
    let out = aug.apply_params(&img, &params).to_f32();
    assert!(out.iter().all(|v| (v - 100.0 / 255.0).abs() < 1e-5));
}

#[test]
fn crop_boxes_fit_and_respect_the_ranges() {
    let crop = RandomResizedCrop::paper(224);
    let mut rng = StdRng::seed_from_u64(6);
    let mut fitted = 0;
    for _ in 0..2000 {
        let (w, h) = (
            rng.random_range(1..3000usize),
            rng.random_range(1..3000usize),
        );
        let b = crop.sample(w, h, &mut rng);
        assert!(b.width >= 1 && b.height >= 1);
        assert!(
            b.left + b.width <= w && b.top + b.height <= h,
            "{b:?} in {w}×{h}"
        );
        if w > 50 && h > 50 && (0.75..=1.333).contains(&(w as f64 / h as f64)) {
            let area = (b.width * b.height) as f64 / (w * h) as f64;
            let ratio = b.width as f64 / b.height as f64;
            assert!((0.55..=1.0).contains(&area), "area {area}");
            assert!((0.70..=1.40).contains(&ratio), "ratio {ratio}");
            fitted += 1;
        }
    }
    assert!(fitted > 50);
}
