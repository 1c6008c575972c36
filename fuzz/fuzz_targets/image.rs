//! Any bytes as an image file → `convirt_augment::decode` (what `open` runs on a file's bytes:
//! the completeness check, then the image crate's decoder) → the paper's augmentation and the
//! evaluation transform, with the seed and output size taken from the input. The body is
//! fuzz/bodies/image.rs, which tests/fuzz_corpus.rs replays on fuzz/corpus/image/.

#![no_main]

use std::io::Cursor;

use convirt_augment::{AugmentError, Image};

#[path = "../bodies/image.rs"]
mod body;

/// `convirt_augment::decode`, after refusing sides over `body::MAX_SIDE` from the header alone:
/// `decode` itself only bounds allocations (the image crate's 512 MiB default), which would let
/// the fuzzer spend its memory and time on decompression bombs (see README.md, finding 3).
fn decode(bytes: &[u8]) -> Result<Image, AugmentError> {
    let too_big = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .is_some_and(|(w, h)| w > body::MAX_SIDE || h > body::MAX_SIDE);
    if too_big {
        return Err(AugmentError::Decode {
            path: "fuzz-input".into(),
            source: image::ImageError::Limits(image::error::LimitError::from_kind(
                image::error::LimitErrorKind::DimensionError,
            )),
        });
    }
    convirt_augment::decode(bytes, "fuzz-input")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data, decode);
});
