//! Decoding: 8/16-bit gray keep their depth; RGB/RGBA become gray with PIL's luma weights.

use convirt_augment::{Image, Pixels, open};
use image::{GrayImage, ImageBuffer, Luma, Rgb, Rgba};

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "convirt-augment-load-{}-{name}",
        std::process::id()
    ))
}

fn load(name: &str, save: impl FnOnce(&std::path::Path)) -> Image {
    let path = temp(name);
    save(&path);
    let img = open(&path).unwrap();
    std::fs::remove_file(&path).ok();
    img
}

#[test]
fn gray_8_bit_keeps_its_samples() {
    let img = load("g8.png", |p| {
        GrayImage::from_fn(3, 2, |x, y| Luma([(x * 50 + y * 100) as u8]))
            .save(p)
            .unwrap()
    });
    assert_eq!((img.width(), img.height()), (3, 2));
    assert_eq!(img.pixels(), &Pixels::U8(vec![0, 50, 100, 100, 150, 200]));
}

#[test]
fn gray_16_bit_keeps_its_depth() {
    let img = load("g16.png", |p| {
        ImageBuffer::<Luma<u16>, _>::from_fn(2, 2, |x, y| Luma([(x * 30000 + y * 1000) as u16]))
            .save(p)
            .unwrap()
    });
    assert_eq!(img.pixels(), &Pixels::U16(vec![0, 30000, 1000, 31000]));
    assert!((img.get(1, 0) - 30000.0 / 65535.0).abs() < 1e-7);
}

#[test]
fn rgb_and_rgba_become_pil_luma() {
    // PIL: L = (19595 R + 38470 G + 7471 B + 32768) >> 16.
    let expected =
        |r: u32, g: u32, b: u32| ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16) as u8;
    let rgb = load("rgb.png", |p| {
        ImageBuffer::<Rgb<u8>, _>::from_vec(2, 1, vec![255, 0, 0, 10, 200, 30])
            .unwrap()
            .save(p)
            .unwrap()
    });
    assert_eq!(
        rgb.pixels(),
        &Pixels::U8(vec![expected(255, 0, 0), expected(10, 200, 30)])
    );
    assert_eq!(expected(255, 0, 0), 76);
    let rgba = load("rgba.png", |p| {
        ImageBuffer::<Rgba<u8>, _>::from_vec(1, 1, vec![0, 0, 255, 7])
            .unwrap()
            .save(p)
            .unwrap()
    });
    assert_eq!(rgba.pixels(), &Pixels::U8(vec![expected(0, 0, 255)]));
}
