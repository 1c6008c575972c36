//! Writes the image seeds of fuzz/corpus/image/ (tiny PNGs and JPEGs made with the image crate,
//! each behind the fuzz body's 9-byte header: seed u64 LE, size selector). Not built with the
//! fuzz crate: copy it into a scratch crate's src/main.rs with
//! `image = { version = "0.25", default-features = false, features = ["png", "jpeg"] }` and run
//! `cargo run --release -- fuzz/corpus/image`. Then fix the CRC of png_huge_header's IHDR, which
//! the patch below leaves stale (fuzz/README.md gives the Python line).

use image::{DynamicImage, ImageBuffer, ImageFormat, Luma, LumaA, Rgb, Rgba};
use std::io::Cursor;

fn enc(img: &DynamicImage, fmt: ImageFormat) -> Vec<u8> {
    let mut v = Vec::new();
    img.write_to(&mut Cursor::new(&mut v), fmt).unwrap();
    v
}

fn seed(name: &str, seed: u64, size_sel: u8, file: &[u8]) {
    let mut out = seed.to_le_bytes().to_vec();
    out.push(size_sel);
    out.extend_from_slice(file);
    std::fs::write(format!("{}/{name}", std::env::args().nth(1).unwrap()), out).unwrap();
}

fn main() {
    let g8 = DynamicImage::ImageLuma8(ImageBuffer::from_fn(8, 6, |x, y| {
        Luma([(x * 30 + y * 7) as u8])
    }));
    let rgb = DynamicImage::ImageRgb8(ImageBuffer::from_fn(5, 9, |x, y| {
        Rgb([(x * 50) as u8, (y * 25) as u8, 200])
    }));
    let rgba16 = DynamicImage::ImageRgba16(ImageBuffer::from_fn(4, 4, |x, y| {
        Rgba([(x * 9000) as u16, (y * 12000) as u16, 3000, 65535])
    }));
    let g16 = DynamicImage::ImageLuma16(ImageBuffer::from_fn(12, 7, |x, y| {
        Luma([(x * 5000 + y * 300) as u16])
    }));
    let la8 = DynamicImage::ImageLumaA8(ImageBuffer::from_fn(3, 1, |x, _| {
        LumaA([(x * 100) as u8, 128])
    }));
    let tall = DynamicImage::ImageLuma8(ImageBuffer::from_fn(1, 40, |_, y| Luma([(y * 6) as u8])));
    let jg = DynamicImage::ImageLuma8(ImageBuffer::from_fn(16, 16, |x, y| {
        Luma([((x ^ y) * 16) as u8])
    }));
    let jrgb = DynamicImage::ImageRgb8(ImageBuffer::from_fn(9, 5, |x, y| {
        Rgb([(x * 28) as u8, 90, (y * 50) as u8])
    }));
    seed("png_gray8_8x6", 1, 0, &enc(&g8, ImageFormat::Png));
    seed("png_rgb8_5x9", 2, 1, &enc(&rgb, ImageFormat::Png));
    seed("png_rgba16_4x4", 3, 3, &enc(&rgba16, ImageFormat::Png));
    seed("png_gray16_12x7", 4, 4, &enc(&g16, ImageFormat::Png));
    seed("png_graya8_3x1", 5, 2, &enc(&la8, ImageFormat::Png));
    seed("png_gray8_1x40", 6, 0, &enc(&tall, ImageFormat::Png));
    let jpeg = enc(&jg, ImageFormat::Jpeg);
    seed("jpeg_gray_16x16", 7, 0, &jpeg);
    seed("jpeg_rgb_9x5", 8, 2, &enc(&jrgb, ImageFormat::Jpeg));
    seed("jpeg_truncated", 9, 0, &jpeg[..jpeg.len() / 2]);
    // A PNG whose header claims 100000 x 100000: refused, never allocated.
    let mut huge = enc(&g8, ImageFormat::Png);
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    seed("png_huge_header", 10, 0, &huge);
}
