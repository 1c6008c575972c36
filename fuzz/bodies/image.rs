// The `image` fuzz body, shared by fuzz/fuzz_targets/image.rs and tests/fuzz_corpus.rs.
//
// An input is a 9-byte header and a file: bytes 0..8 are the augmentation seed (u64, little
// endian), byte 8 picks the output side from `SIZES`, and the rest is the image file (PNG or
// JPEG, format sniffed from its bytes). The decoded image goes through the paper's augmentation
// (`ConvirtAugment::paper_scaled`, and `paper_with_size`, whose unscaled blur is wide next to a
// tiny output) and the evaluation transform (pad to square, resize). Decode errors are typed
// and fine; a panic, a wrong output size or an intensity outside [0, 1] is a bug.
//
// The decode is passed in: the fuzz target calls `convirt_augment::decode` on the bytes (after
// refusing sides over `MAX_SIDE` from the header), and tests/fuzz_corpus.rs writes each seed to
// a file and calls `convirt_augment::open`, which reads it and runs the same `decode`.

use convirt_augment::{AugmentError, ConvirtAugment, Image, Transform, evaluation, sample_rng};

/// The header before the file: seed, then the size selector.
pub const HEADER: usize = 9;

/// Output sides, picked by header byte 8: the small training size first, then edge cases.
pub const SIZES: [usize; 5] = [32, 1, 2, 7, 16];

/// The largest side the fuzz target decodes, so no input makes the fuzzer run out of memory.
pub const MAX_SIDE: u32 = 2048;

/// Runs one input; returns whether its file decoded (and was augmented).
pub fn run(data: &[u8], decode: impl FnOnce(&[u8]) -> Result<Image, AugmentError>) -> bool {
    if data.len() < HEADER {
        return false;
    }
    let seed = u64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
    let size = SIZES[data[8] as usize % SIZES.len()];
    let Ok(image) = decode(&data[HEADER..]) else {
        return false;
    };
    assert!(image.width() >= 1 && image.height() >= 1);
    assert_eq!(image.to_f32().len(), image.width() * image.height());
    let mut rng = sample_rng(seed, 0, 0);
    for augment in [
        ConvirtAugment::paper_scaled(size),
        ConvirtAugment::paper_with_size(size),
    ] {
        check(&augment.apply_ref(&image, &mut rng), size, "augment", 0.0);
    }
    // The evaluation transform does not clamp, and its antialiased resize (the `Warp` sampler)
    // can round a white pixel to 1.0000001 (fuzzing found it: fuzz/corpus/image/
    // jpeg_eval_overshoot, a 16×16 JPEG resized to 7×7); allow float rounding, nothing more.
    check(
        &evaluation(size).apply_ref(&image, &mut rng),
        size,
        "evaluation",
        1e-5,
    );
    true
}

/// Output `size × size`, every intensity finite and in [0, 1] give or take `slack`.
fn check(out: &Image, size: usize, what: &str, slack: f32) {
    assert_eq!((out.width(), out.height()), (size, size), "{what}");
    for v in out.to_f32() {
        assert!((-slack..=1.0 + slack).contains(&v), "{what}: intensity {v}");
    }
}
