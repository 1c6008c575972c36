//! Any bytes as an image file (PNG/JPEG, decoded in memory under dimension limits) → the
//! paper's augmentation and the evaluation transform, with the seed and output size taken from
//! the input. The body is fuzz/bodies/image.rs, which tests/fuzz_corpus.rs replays on
//! fuzz/corpus/image/.

#![no_main]

use std::io::Cursor;

use convirt_augment::{AugmentError, Image, from_dynamic};

#[path = "../bodies/image.rs"]
mod body;

/// `convirt_augment::open` without the file: the image crate's decode (format sniffed from the
/// bytes), then `from_dynamic`. Unlike `open`, it refuses sides over `body::MAX_SIDE` and
/// allocations over 64 MiB.
fn decode(bytes: &[u8]) -> Result<Image, AugmentError> {
    let error = |source| AugmentError::Decode {
        path: "fuzz-input".into(),
        source,
    };
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| error(image::ImageError::IoError(e)))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(body::MAX_SIDE);
    limits.max_image_height = Some(body::MAX_SIDE);
    limits.max_alloc = Some(64 << 20);
    reader.limits(limits);
    let decoded = reader.decode().map_err(error)?;
    from_dynamic(&decoded, "fuzz-input")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data, decode);
});
