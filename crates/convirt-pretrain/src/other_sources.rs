//! CheXpert Plus and IU X-ray as pretraining examples.
//!
//! Layouts under the dataset root:
//!
//! ```text
//! chexpert-plus:ROOT   ROOT/CheXpert-v1.0[-small]/{train,valid}.csv and their images,
//!                      ROOT/df_chexpert_plus_240401.csv[.gz] (the CheXpert Plus reports)
//! iu-xray:ROOT         ROOT/NLMCXR_reports.tgz (or ROOT/ecgen-radiology/*.xml),
//!                      ROOT/images/<image id>.png (Open-i's NLMCXR_png)
//! ```
//!
//! CheXpert's own split gives train (`train.csv`) and validation (`valid.csv`); CheXpert has no
//! test split of reports. IU X-ray is split by report, 80/10/10, with SynthCXR's fixed split
//! (`convirt_data::synth::split`), so the IU pairs and SynthCXR's `pairs` share their test set.

use std::path::{Path, PathBuf};

use convirt_data::synth::split::split_reports;
use convirt_data::{
    PairExample, SkipPolicy, Split, read_chexpert, read_chexpert_plus_pairs, read_iu_pairs,
};

use crate::PretrainError;

fn first_existing(root: &Path, names: &[&str]) -> Result<PathBuf, PretrainError> {
    names
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.exists())
        .ok_or_else(|| {
            PretrainError::io(
                root,
                format!("none of {names:?} found under the dataset root"),
            )
        })
}

/// CheXpert images joined with CheXpert Plus reports, one example per study.
pub fn chexpert_plus(root: &Path, split: Split) -> Result<Vec<PairExample>, PretrainError> {
    let folder = first_existing(root, &["CheXpert-v1.0", "CheXpert-v1.0-small"])?;
    let csv = match split {
        Split::Train => folder.join("train.csv"),
        Split::Validate => folder.join("valid.csv"),
        Split::Test => {
            return Err(PretrainError::Config(
                "CheXpert has no test split of reports; use train or validate".into(),
            ));
        }
    };
    let records = read_chexpert(&csv, SkipPolicy::SkipAndCount)?;
    let reports = first_existing(
        root,
        &[
            "df_chexpert_plus_240401.csv",
            "df_chexpert_plus_240401.csv.gz",
        ],
    )?;
    let pairs = read_chexpert_plus_pairs(
        &reports,
        &records.records,
        root,
        true,
        SkipPolicy::SkipAndCount,
    )?;
    if pairs.skipped.count + records.skipped.count > 0 {
        eprintln!(
            "chexpert-plus: {} label rows and {} report rows skipped ({} reports without an image)",
            records.skipped.count, pairs.skipped.count, pairs.unmatched
        );
    }
    Ok(pairs.examples)
}

/// IU X-ray XML reports with their PNG images, one example per report.
pub fn iu_xray(root: &Path, split: Split) -> Result<Vec<PairExample>, PretrainError> {
    let reports = first_existing(root, &["NLMCXR_reports.tgz", "ecgen-radiology"])?;
    let images = first_existing(root, &["images", "NLMCXR_png"])?;
    let loaded = read_iu_pairs(&reports, &images, SkipPolicy::SkipAndCount)?;
    if loaded.skipped.count > 0 {
        eprintln!(
            "iu-xray: {} reports skipped (no text or no image)",
            loaded.skipped.count
        );
    }
    let ids: Vec<String> = loaded.records.iter().map(|e| e.group.clone()).collect();
    let splits = split_reports(&ids);
    Ok(loaded
        .records
        .into_iter()
        .filter(|e| {
            splits
                .binary_search_by(|(id, _)| id.as_str().cmp(&e.group))
                .is_ok_and(|i| splits[i].1 == split)
        })
        .collect())
}
