//! Skips through the real loader into the run's log: bad images in the validation split and in
//! training are each named once in `metrics.jsonl`, missing files by their path, and summed at
//! the end, although the run stops long before its epoch ends.

mod common;

use std::path::Path;

use convirt::data::Split;
use convirt::pretrain::{pretrain, synth_pairs};
use convirt::train::{Record, read_records};

/// `pairs` in `dir/pairs`: the cached set's manifest, its images as symbolic links.
fn linked_pairs(dir: &Path) {
    let from = synth_pairs::default_dir().join("pairs");
    synth_pairs::examples(None, Split::Validate).unwrap(); // generated and cached
    let to = dir.join("pairs");
    std::fs::create_dir_all(to.join("images")).unwrap();
    for file in ["manifest.csv", "stamp.json"] {
        std::fs::copy(from.join(file), to.join(file)).unwrap();
    }
    for entry in std::fs::read_dir(from.join("images")).unwrap() {
        let entry = entry.unwrap();
        std::os::unix::fs::symlink(entry.path(), to.join("images").join(entry.file_name()))
            .unwrap();
    }
}

/// Replaces a linked image by its first half.
fn truncate(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::remove_file(path).unwrap();
    std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
}

#[test]
fn fault_skipped_items_are_named_once_in_the_log_and_summed() {
    let _serial = common::serial();
    let device = common::device();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("synthcxr");
    linked_pairs(&data);
    let val = synth_pairs::examples(Some(&data), Split::Validate).unwrap();
    truncate(&val[0].images[0]);
    std::fs::remove_file(&val[1].images[0]).unwrap();
    let train = synth_pairs::examples(Some(&data), Split::Train).unwrap();
    let mut broken = 0;
    for example in train.iter().step_by(4) {
        for image in &example.images {
            truncate(image);
        }
        broken += 1;
    }
    assert!(broken > 500);

    let mut options = common::tiny_pretrain(4, 2);
    options.data = format!("synthcxr:{}", data.display());
    let run_dir = tmp.path().join("run");
    let run = pretrain(&options, &run_dir, &device, false).unwrap();
    let skips: Vec<(String, String)> = read_records(&run_dir.join("metrics.jsonl"))
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Skip { split, reason, .. } => Some((split, reason)),
            _ => None,
        })
        .collect();
    let val_skips: Vec<&String> = skips
        .iter()
        .filter(|s| s.0 == "val")
        .map(|s| &s.1)
        .collect();
    // Named once, though both validations skipped them.
    assert_eq!(val_skips.len(), 2, "{val_skips:?}");
    assert!(
        val_skips[0].contains(&val[0].images[0].display().to_string()),
        "{val_skips:?}"
    );
    assert!(
        val_skips[1].contains(&val[1].images[0].display().to_string()),
        "{val_skips:?}"
    );
    assert_eq!(run.summary.state.skipped_val, 2);
    let train_skips: Vec<&String> = skips
        .iter()
        .filter(|s| s.0 == "train")
        .map(|s| &s.1)
        .collect();
    assert!(
        !train_skips.is_empty(),
        "a quarter of the images are broken, none was skipped?"
    );
    assert_eq!(run.summary.state.skipped_train, train_skips.len() as u64);
    for reason in &train_skips {
        assert!(
            reason.contains("images/CXR") && reason.contains(".png"),
            "{reason}"
        );
    }
}
