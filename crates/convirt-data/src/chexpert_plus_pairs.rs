//! CheXpert Plus: [`read_chexpert_plus_pairs`] joins the report CSV
//! (`df_chexpert_plus_240401.csv`, one row per image, `path_to_image` such as
//! `train/patient42142/study5/view1_frontal.jpg`) to CheXpert's images
//! ([`ChexpertRecord`]s from [`read_chexpert`](crate::read_chexpert), paths such as
//! `CheXpert-v1.0-small/train/patient42142/study5/view1_frontal.jpg`).
//!
//! The join key is the path after the `CheXpert-v1.0*` folder, without its extension
//! (`train/patient42142/study5/view1_frontal`), so the report CSV joins the original JPEGs, the
//! small JPEGs or a PNG export alike. Rows are grouped by study into one [`PairExample`] (group
//! `patientN/studyM`) holding the study's joined images and the report of its first row with
//! text. Report rows whose image is not among the records given (another split, a view left out
//! by the caller) are counted in [`ChexpertPlusPairs::unmatched`]. Under the skip policy: a row
//! without Findings or Impression text is [`DataError::EmptyReport`]; with `check_files`, an
//! image file that is not there is [`DataError::Missing`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use convirt_text_sampler::{Format, ReportSource, split_sentences};

use crate::{
    ChexpertRecord, DataError, PairExample, ReportText, SkipPolicy, Skipped, visit_reports,
};

/// The studies of a CheXpert Plus join, and what was left out.
#[derive(Debug)]
pub struct ChexpertPlusPairs {
    /// One example per study, ordered by `(patient, study)`.
    pub examples: Vec<PairExample>,
    /// Rows dropped under [`SkipPolicy::SkipAndCount`].
    pub skipped: Skipped,
    /// Report rows whose image is not among the records given.
    pub unmatched: usize,
}

/// `train/patient1/study2/view1_frontal` from either dataset's path: the part after a leading
/// `CheXpert-v1.0*/` folder, without the extension.
pub fn chexpert_join_key(path: &str) -> &str {
    let path = match path.split_once('/') {
        Some((first, rest)) if first.starts_with("CheXpert-v1.0") => rest,
        _ => path,
    };
    match path.rfind('.') {
        Some(dot) if !path[dot..].contains('/') => &path[..dot],
        _ => path,
    }
}

/// Reads the CheXpert Plus report CSV (`.csv` or `.csv.gz`) and joins it to `records`, whose
/// paths are relative to `images_root` (the folder above `CheXpert-v1.0*`).
pub fn read_chexpert_plus_pairs(
    reports_csv: impl AsRef<Path>,
    records: &[ChexpertRecord],
    images_root: impl AsRef<Path>,
    check_files: bool,
    policy: SkipPolicy,
) -> Result<ChexpertPlusPairs, DataError> {
    let (csv, root) = (reports_csv.as_ref(), images_root.as_ref());
    let by_key: HashMap<&str, &ChexpertRecord> = records
        .iter()
        .map(|r| (chexpert_join_key(&r.path), r))
        .collect();
    let source = ReportSource::with_format(csv, Format::ChexpertPlus);
    let mut studies: BTreeMap<(u32, u32), PairExample> = BTreeMap::new();
    let mut skipped = Skipped::default();
    let mut unmatched = 0;
    visit_reports(&source, policy, &mut skipped, &mut |report, _| {
        let Some(record) = by_key.get(chexpert_join_key(&report.id)) else {
            unmatched += 1;
            return Ok(());
        };
        let named = PathBuf::from(format!("{}:{}", csv.display(), report.id));
        if split_sentences(&report.body()).is_empty() {
            return Err(DataError::EmptyReport { file: named });
        }
        let image = root.join(&record.path);
        if check_files && !image.is_file() {
            let what = format!("CheXpert image of report row {}", report.id);
            return Err(DataError::Missing { file: image, what });
        }
        let (patient, study) = (record.patient, record.study);
        let example = studies
            .entry((patient, study))
            .or_insert_with(|| PairExample {
                group: format!("patient{patient:05}/study{study}"),
                images: Vec::new(),
                report: ReportText::Parsed(report),
            });
        example.images.push(image);
        Ok(())
    })?;
    Ok(ChexpertPlusPairs {
        examples: studies.into_values().collect(),
        skipped,
        unmatched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keys_drop_the_dataset_folder_and_the_extension() {
        for path in [
            "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg",
            "CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg",
            "train/patient00001/study1/view1_frontal.jpg",
            "train/patient00001/study1/view1_frontal.png",
        ] {
            assert_eq!(
                chexpert_join_key(path),
                "train/patient00001/study1/view1_frontal"
            );
        }
    }
}
