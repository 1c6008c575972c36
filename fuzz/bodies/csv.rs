// The `csv` fuzz body, shared by fuzz/fuzz_targets/csv.rs and tests/fuzz_corpus.rs.
//
// Any bytes through the dataset CSV readers of convirt-data (CheXpert labels, MIMIC-CXR
// split + metadata + CheXpert-labeler CSVs, RSNA, CheXpert Plus pairs, the retrieval image /
// text queries and candidates, COVIDx and MURA lists) and convirt-text-sampler's
// `read_chexpert_plus`. Those readers take a path (they pick plain, `.gz` or `.zip` by name), so
// the input is written under `dir` first.
//
// Byte 0 picks the reader (`READERS`, low nibble modulo their count) and the container (bits
// 4-5: `.csv`, `.csv.gz`, `.zip`, `.csv`; the bytes are written as they are, so `.gz` / `.zip`
// fuzz the decompressors too); the rest is the file. Readers of several files (MIMIC: split,
// metadata, labels; MURA: studies, images) split it at NUL bytes. Every reader runs under both
// skip policies. Typed errors are fine; a panic is a bug, and so is a file that loads under
// `SkipPolicy::Fail` but not identically under `SkipPolicy::SkipAndCount` (nothing skipped).

use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

use convirt_data::{
    CHEXPERT_LABELS, ChexpertRecord, Label, MimicConfig, SkipPolicy, View, read_candidates,
    read_chexpert, read_chexpert_plus_pairs, read_covidx, read_image_queries, read_mimic,
    read_mura, read_rsna_labels, read_text_queries,
};
use convirt_text_sampler::{Limits, read_chexpert_plus};

/// The readers, in the order byte 0 picks them.
pub const READERS: [&str; 10] = [
    "chexpert",
    "rsna",
    "image_queries",
    "text_queries",
    "candidates",
    "mimic",
    "chexpert_plus_pairs",
    "chexpert_plus",
    "covidx",
    "mura",
];

/// The retrieval categories the query readers are given.
pub const CATEGORIES: [&str; 3] = ["Atelectasis", "Cardiomegaly", "Edema"];

/// What one input did: the reader it went to, and whether it loaded under `SkipPolicy::Fail`.
pub struct Outcome {
    pub reader: &'static str,
    pub loaded: bool,
}

/// Runs one input with its files under `dir` (emptied first; each caller its own folder).
pub fn run(data: &[u8], dir: &Path) -> Option<Outcome> {
    let (&selector, rest) = data.split_first()?;
    let reader = READERS[(selector & 0x0f) as usize % READERS.len()];
    let container = (selector >> 4) & 3;
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("fuzz scratch folder");
    // `name` + the container's suffix, written with `bytes`.
    let write = |name: &str, zip: bool, bytes: &[u8]| -> PathBuf {
        let suffix = match container {
            1 => ".csv.gz",
            2 if zip => ".zip",
            _ => ".csv",
        };
        let path = dir.join(format!("{name}{suffix}"));
        fs::write(&path, bytes).expect("fuzz scratch file");
        path
    };
    let loaded = match reader {
        "chexpert" => {
            let file = write("train", true, rest);
            both(reader, |p| read_chexpert(&file, p))
        }
        "rsna" => {
            let file = write("stage_2_train_labels", true, rest);
            both(reader, |p| read_rsna_labels(&file, p))
        }
        "image_queries" => {
            let file = write("image_queries", true, rest);
            both(reader, |p| read_image_queries(&file, &CATEGORIES, p))
        }
        "text_queries" => {
            let file = write("text_queries", true, rest);
            both(reader, |p| read_text_queries(&file, &CATEGORIES, p))
        }
        "candidates" => {
            let file = write("candidates", true, rest);
            both(reader, |p| read_candidates(&file, &CATEGORIES, p))
        }
        "mimic" => {
            let mut parts = rest.splitn(3, |&b| b == 0);
            for name in [
                "mimic-cxr-2.0.0-split",
                "mimic-cxr-2.0.0-metadata",
                "mimic-cxr-2.0.0-chexpert",
            ] {
                write(name, false, parts.next().unwrap_or_default());
            }
            both(reader, |skip| {
                read_mimic(&MimicConfig {
                    check_files: false,
                    skip,
                    ..MimicConfig::new(dir)
                })
            })
        }
        "chexpert_plus_pairs" => {
            let file = write("df_chexpert_plus_240401", false, rest);
            let records = chexpert_records();
            both(reader, |p| {
                read_chexpert_plus_pairs(&file, &records, dir, false, p)
            })
        }
        "chexpert_plus" => {
            // convirt-text-sampler's reader takes the bytes themselves (plain CSV).
            let mut count = 0;
            let result = read_chexpert_plus(
                rest,
                Path::new("plus.csv"),
                &Limits::default(),
                &mut |report| {
                    assert!(!report.id.is_empty(), "{report:?}");
                    count += 1;
                    Ok(())
                },
            );
            if let Ok(n) = &result {
                assert_eq!(*n, count);
            }
            result.is_ok()
        }
        "covidx" => {
            let path = dir.join(if container == 1 {
                "train.txt.gz"
            } else {
                "train.txt"
            });
            fs::write(&path, rest).expect("fuzz scratch file");
            both(reader, |p| read_covidx(&path, p))
        }
        "mura" => {
            let mut parts = rest.splitn(2, |&b| b == 0);
            let studies = write(
                "train_labeled_studies",
                false,
                parts.next().unwrap_or_default(),
            );
            let images = write("train_image_paths", false, parts.next().unwrap_or_default());
            both(reader, |p| read_mura(&studies, &images, p))
        }
        _ => unreachable!("every reader has an arm"),
    };
    Some(Outcome { reader, loaded })
}

/// Reads under both policies. What loads under `Fail` (no bad row) must load the same under
/// `SkipAndCount`, with nothing skipped; returns whether it loaded under `Fail`.
fn both<T: Debug, E: Debug>(reader: &str, read: impl Fn(SkipPolicy) -> Result<T, E>) -> bool {
    let fail = read(SkipPolicy::Fail);
    let skip = read(SkipPolicy::SkipAndCount);
    match (&fail, &skip) {
        (Ok(f), Ok(s)) => {
            assert_eq!(
                format!("{f:?}"),
                format!("{s:?}"),
                "{reader}: the policies disagree"
            );
        }
        (Ok(f), Err(e)) => panic!("{reader}: loads under Fail ({f:?}) but not under Skip: {e:?}"),
        _ => {}
    }
    fail.is_ok()
}

/// CheXpert records for the CheXpert Plus join: patient 1, study 1 and 2, frontal.
fn chexpert_records() -> Vec<ChexpertRecord> {
    (1..=2)
        .map(|study| ChexpertRecord {
            path: format!("CheXpert-v1.0/train/patient00001/study{study}/view1_frontal.jpg"),
            patient: 1,
            study,
            sex: "Female".into(),
            age: Some(60),
            view: View::Frontal,
            projection: Some("PA".into()),
            labels: [Label::Blank; CHEXPERT_LABELS.len()],
        })
        .collect()
}
