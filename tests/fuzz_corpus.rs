//! Replays the committed fuzz corpus seeds (fuzz/corpus/<target>/) through the same bodies the
//! cargo-fuzz targets run (fuzz/bodies/*.rs), as ordinary tests: CI builds the targets' logic
//! and checks every seed returns without a panic, with no cargo-fuzz and no nightly. Each test
//! also asserts it found its seeds and that enough of them reach past the first error, so it
//! cannot pass on an empty or broken corpus. See fuzz/README.md.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "../fuzz/bodies/csv.rs"]
mod csv_body;
#[allow(dead_code)]
#[path = "../fuzz/bodies/image.rs"]
mod image_body;
#[allow(dead_code)]
#[path = "../fuzz/bodies/reports.rs"]
mod reports_body;
#[allow(dead_code)]
#[path = "../fuzz/bodies/xml.rs"]
mod xml_body;

/// Every seed of fuzz/corpus/`target`, by file name, sorted; at least `min` of them.
fn seeds(target: &str, min: usize) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("corpus seed"))
        })
        .collect();
    seeds.sort();
    assert!(
        seeds.len() >= min,
        "{}: {} seeds, expected at least {min}",
        dir.display(),
        seeds.len()
    );
    seeds
}

/// Runs `body` on every seed; panics naming the seeds that panicked. Returns the results.
fn replay<T>(target: &str, min: usize, mut body: impl FnMut(&[u8]) -> T) -> Vec<(String, T)> {
    let mut out = Vec::new();
    let mut panicked = Vec::new();
    for (name, data) in seeds(target, min) {
        match catch_unwind(AssertUnwindSafe(|| body(&data))) {
            Ok(result) => out.push((name, result)),
            Err(_) => panicked.push(name),
        }
    }
    assert!(
        panicked.is_empty(),
        "{target}: seeds that panic: {panicked:?}"
    );
    out
}

#[test]
fn image_seeds_decode_and_augment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed");
    let results = replay("image", 8, |data| {
        image_body::run(data, |bytes| {
            std::fs::write(&file, bytes).unwrap();
            convirt_augment::open(&file)
        })
    });
    let decoded: Vec<&str> = results
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(name, _)| name.as_str())
        .collect();
    // The valid files made by fuzz/seeds/image_seeds.rs, and the fuzzer's JPEG whose resize
    // overshoots 1 (the other seeds are broken on purpose).
    for valid in [
        "jpeg_eval_overshoot",
        "jpeg_gray_16x16",
        "jpeg_rgb_9x5",
        "png_gray16_12x7",
        "png_gray8_1x40",
        "png_gray8_8x6",
        "png_graya8_3x1",
        "png_rgb8_5x9",
        "png_rgba16_4x4",
    ] {
        assert!(
            decoded.contains(&valid),
            "{valid} did not decode: {decoded:?}"
        );
    }
    // `open` refuses a header claiming 100,000² pixels instead of allocating 10 GB.
    assert!(!decoded.contains(&"png_huge_header"));
}

#[test]
fn csv_seeds_through_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("scratch");
    let results = replay("csv", csv_body::READERS.len(), |data| {
        csv_body::run(data, &scratch).expect("a seed has a selector byte")
    });
    let mut loaded: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, outcome) in &results {
        // The seeds named `*_ok*` are valid files; the others each break a rule of their reader.
        assert_eq!(
            outcome.loaded,
            name.contains("_ok"),
            "{name} ({}) loaded: {}",
            outcome.reader,
            outcome.loaded
        );
        *loaded.entry(outcome.reader).or_default() += usize::from(outcome.loaded);
    }
    for reader in csv_body::READERS {
        assert!(
            loaded.get(reader).copied().unwrap_or(0) >= 1,
            "no seed loads through {reader}: {loaded:?}"
        );
    }
}

#[test]
fn xml_seeds_parse() {
    let results = replay("xml", 5, xml_body::run);
    let parsed = results.iter().filter(|(_, ok)| *ok).count();
    assert!(parsed >= 3, "only {parsed} XML seeds parse");
}

#[test]
fn report_seeds_parse() {
    let results = replay("reports", 4, reports_body::run);
    // The lossy MIMIC parse gives one report per input; each seed is meant for a real parser too.
    assert!(results.iter().all(|(_, n)| *n >= 2), "{:?}", results);
}

/// The former crashes of fuzz/crashes/csv/ (see fuzz/README.md): zips whose zip64 fields
/// declare a 2^62- or 2^64-byte CSV, which `Table::open` used to preallocate (an allocation
/// failure aborted the process, a capacity overflow panicked). Now it grows as data arrives.
#[test]
fn csv_former_crashes_end_in_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = dir.path().join("scratch");
    let results = replay("../crashes/csv", 2, |data| {
        csv_body::run(data, &scratch).is_some()
    });
    assert!(results.iter().all(|(_, ran)| *ran));
}

/// The former crash of fuzz/crashes/image/ (see fuzz/README.md): a malformed baseline JPEG that
/// makes zune-jpeg 0.5.15's AVX2 IDCT panic (`idct/avx2.rs:246`) inside the decoder; `open` now
/// catches the decoder's panic and returns `AugmentError::Malformed` naming the file.
#[test]
fn image_former_crash_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed");
    replay("../crashes/image", 1, |data| {
        image_body::run(data, |bytes| {
            std::fs::write(&file, bytes).unwrap();
            convirt_augment::open(&file)
        })
    });
}
