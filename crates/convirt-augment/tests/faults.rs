//! Fault injection on image files: truncated JPEGs and PNGs, empty files, bytes of the wrong
//! format, headers declaring enormous dimensions. Each is an error naming the file; the images
//! are encoded here, in memory.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use convirt_augment::{AugmentError, Image, Pixels, decode, open};
use image::{GrayImage, ImageFormat, Luma};

/// A 64×48 gray gradient with some texture, so the entropy-coded data is not trivial.
fn picture() -> GrayImage {
    GrayImage::from_fn(64, 48, |x, y| {
        Luma([((x * 4 + y * 3) as u8).wrapping_add(((x * y) % 17) as u8 * 5)])
    })
}

fn encoded(format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    picture().write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// A scratch folder of its own per test, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    #[track_caller]
    fn new() -> Self {
        let line = std::panic::Location::caller().line();
        let dir = std::env::temp_dir().join(format!(
            "convirt-augment-faults-{}-{line}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// `open(path)` fails, with an error whose message names the file.
fn fails_naming(path: &Path) -> AugmentError {
    let err = match open(path) {
        Ok(image) => panic!(
            "{} decoded as a {}×{} image",
            path.display(),
            image.width(),
            image.height()
        ),
        Err(e) => e,
    };
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(err.to_string().contains(&name), "{err}");
    err
}

#[test]
fn fault_truncated_jpeg_is_an_error_naming_the_file() {
    let temp = Temp::new();
    let jpeg = encoded(ImageFormat::Jpeg);
    assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
    let whole = open(temp.write("whole.jpg", &jpeg)).unwrap();
    assert_eq!((whole.width(), whole.height()), (64, 48));
    let n = jpeg.len();
    let cuts = [
        ("header", 20),
        ("50pct", n / 2),
        ("90pct", n * 9 / 10),
        ("before-eoi", n - 2),
        ("half-eoi", n - 1),
    ];
    for (what, at) in cuts {
        let path = temp.write(&format!("film-{what}.jpg"), &jpeg[..at]);
        let err = fails_naming(&path);
        assert!(
            matches!(&err, AugmentError::Truncated { path: p, .. } if *p == path),
            "{what}: {err:?}"
        );
        assert!(err.to_string().contains("truncated JPEG"), "{what}: {err}");
        assert!(
            err.to_string().contains(&format!("of {at}")),
            "{what}: says where it stops: {err}"
        );
    }
}

#[test]
fn fault_truncated_jpeg_is_accepted_by_the_bare_decoder_but_not_by_open() {
    // The fault this guards against: the decoder alone pads a JPEG cut before its end marker.
    let temp = Temp::new();
    let jpeg = encoded(ImageFormat::Jpeg);
    let cut = &jpeg[..jpeg.len() - 2];
    let bare = image::load_from_memory_with_format(cut, ImageFormat::Jpeg);
    assert!(bare.is_ok(), "the bare decoder accepts it: {bare:?}");
    let err = fails_naming(&temp.write("no-eoi.jpg", cut));
    assert!(matches!(err, AugmentError::Truncated { .. }), "{err:?}");
}

#[test]
fn fault_jpeg_padding_after_the_end_marker_still_decodes_identically() {
    let temp = Temp::new();
    let jpeg = encoded(ImageFormat::Jpeg);
    let whole = open(temp.write("whole.jpg", &jpeg)).unwrap();
    for (what, pad) in [("zeros", vec![0u8; 16]), ("newline", b"\r\n \n".to_vec())] {
        let mut padded = jpeg.clone();
        padded.extend_from_slice(&pad);
        let image = open(temp.write(&format!("padded-{what}.jpg"), &padded)).unwrap();
        assert_eq!(image.pixels(), whole.pixels(), "{what}");
    }
}

#[test]
fn fault_truncated_png_is_an_error_naming_the_file() {
    let temp = Temp::new();
    let png = encoded(ImageFormat::Png);
    let whole = open(temp.write("whole.png", &png)).unwrap();
    assert_eq!(
        whole.pixels(),
        &Pixels::U8(picture().into_raw()),
        "PNG is lossless"
    );
    let n = png.len();
    let cuts = [
        ("signature", 5),
        ("header", 20),
        ("50pct", n / 2),
        ("90pct", n * 9 / 10),
        ("no-iend", n - 12),
        ("half-iend", n - 1),
    ];
    for (what, at) in cuts {
        let path = temp.write(&format!("film-{what}.png"), &png[..at]);
        let err = fails_naming(&path);
        assert!(
            matches!(
                err,
                AugmentError::Truncated { .. } | AugmentError::Decode { .. }
            ),
            "{what}: {err:?}"
        );
    }
    // Cut after the header, the structure check catches it before the decoder.
    let err = fails_naming(&temp.write("film-90.png", &png[..n * 9 / 10]));
    assert!(
        err.to_string().contains("truncated PNG"),
        "says it is truncated: {err}"
    );
}

#[test]
fn fault_zero_byte_file_is_an_error_naming_the_file() {
    let temp = Temp::new();
    for name in ["empty.jpg", "empty.png", "empty.jpeg"] {
        let err = fails_naming(&temp.write(name, b""));
        assert!(
            matches!(
                err,
                AugmentError::Decode { .. } | AugmentError::Truncated { .. }
            ),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn fault_wrong_format_bytes_are_an_error_naming_the_file() {
    let temp = Temp::new();
    let text = b"Findings: the lungs are clear.\nImpression: no acute process.\n";
    for name in ["report.jpg", "report.png", "report.jpeg"] {
        let err = fails_naming(&temp.write(name, text));
        assert!(
            matches!(err, AugmentError::Decode { .. }),
            "{name}: {err:?}"
        );
    }
    // A JPEG header followed by text, and a PNG signature followed by text.
    let mut fake_jpeg = vec![0xFF, 0xD8];
    fake_jpeg.extend_from_slice(text);
    fails_naming(&temp.write("fake.jpg", &fake_jpeg));
    let mut fake_png = b"\x89PNG\r\n\x1a\n".to_vec();
    fake_png.extend_from_slice(text);
    fails_naming(&temp.write("fake.png", &fake_png));
    // Real bytes under the other extension decode by their content.
    let png_as_jpg = open(temp.write("actually-png.jpg", &encoded(ImageFormat::Png))).unwrap();
    assert_eq!(png_as_jpg.pixels(), &Pixels::U8(picture().into_raw()));
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

#[test]
fn fault_huge_declared_dimensions_are_an_error_not_an_allocation() {
    let temp = Temp::new();
    // A well-formed PNG declaring 100000×100000 8-bit gray (10 GB), with one tiny IDAT.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    let err = fails_naming(&temp.write("huge.png", &png));
    assert!(matches!(err, AugmentError::Decode { .. }), "{err:?}");

    // A whole JPEG whose frame header is patched to 65500×65500 (4.3 G pixels).
    let mut jpeg = encoded(ImageFormat::Jpeg);
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    jpeg[sof + 5..sof + 7].copy_from_slice(&65500u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&65500u16.to_be_bytes());
    let err = fails_naming(&temp.write("huge.jpg", &jpeg));
    assert!(matches!(err, AugmentError::Decode { .. }), "{err:?}");
}

#[test]
fn fault_decoding_bytes_in_memory_checks_them_and_names_the_given_path() {
    let jpeg = encoded(ImageFormat::Jpeg);
    let image: Image = decode(&jpeg, "archive.zip:member.jpg").unwrap();
    assert_eq!((image.width(), image.height()), (64, 48));
    let err = decode(&jpeg[..jpeg.len() / 2], "archive.zip:member.jpg").unwrap_err();
    assert!(matches!(err, AugmentError::Truncated { .. }), "{err:?}");
    assert!(err.to_string().contains("archive.zip:member.jpg"), "{err}");
}
