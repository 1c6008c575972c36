//! MIMIC-CXR-JPG with its reports: [`read_mimic`] → [`MimicStudy`]s, each grouping its images.
//!
//! Under the dataset root:
//! - `mimic-cxr-2.0.0-split.csv(.gz)`: `dicom_id,study_id,subject_id,split`;
//! - `mimic-cxr-2.0.0-metadata.csv(.gz)`: `dicom_id`, `ViewPosition` (PA, AP, LATERAL, LL…);
//! - `mimic-cxr-2.0.0-chexpert.csv(.gz)`: `subject_id,study_id` and the 14 labels (1/0/−1/blank);
//! - images `files/pNN/pSUBJECT/sSTUDY/DICOM.jpg`;
//! - reports `files/pNN/pSUBJECT/sSTUDY.txt`, from the separate reports zip (their own root if
//!   unpacked elsewhere: [`MimicConfig::reports`]).
//!
//! Images whose view is not in [`MimicConfig::views`] (PA and AP by default) are left out and
//! counted in [`MimicDataset::other_views`]; studies left without an image (by the filter, or
//! because their images were skipped as missing) are counted in
//! [`MimicDataset::studies_without_view`]. Studies missing from the CheXpert CSV have no labels.
//! A missing image or report is a [`DataError::Missing`] under the skip policy: the image, or the
//! whole study for a report, is dropped and counted in [`MimicDataset::skipped`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use convirt_text_sampler::{Limits, Report, parse_mimic_bytes, read_file};

use crate::chexpert::{label_columns, read_labels};
use crate::table::Table;
use crate::{CHEXPERT_LABELS, DataError, Label, SkipPolicy, Skipped, Split};

/// The split file's name, without `.csv` / `.csv.gz`.
pub const MIMIC_SPLIT: &str = "mimic-cxr-2.0.0-split";
/// The metadata file's name, without `.csv` / `.csv.gz`.
pub const MIMIC_METADATA: &str = "mimic-cxr-2.0.0-metadata";
/// The CheXpert-labeler file's name, without `.csv` / `.csv.gz`.
pub const MIMIC_CHEXPERT: &str = "mimic-cxr-2.0.0-chexpert";

/// Where the dataset is and what to keep.
#[derive(Debug, Clone)]
pub struct MimicConfig {
    /// The folder holding the CSVs and `files/` of images.
    pub root: PathBuf,
    /// The folder holding `files/` of reports (default: `root`).
    pub reports: PathBuf,
    /// The `ViewPosition`s kept (default `PA`, `AP`); empty keeps every view.
    pub views: Vec<String>,
    /// Check that every image and report exists (default true).
    pub check_files: bool,
    /// What to do with bad rows and missing files.
    pub skip: SkipPolicy,
}

impl MimicConfig {
    /// Frontal PA/AP views, reports under `root`, files checked, failing on bad input.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            reports: root.clone(),
            root,
            views: vec!["PA".into(), "AP".into()],
            check_files: true,
            skip: SkipPolicy::Fail,
        }
    }
}

/// One JPEG of a study.
#[derive(Debug, Clone, PartialEq)]
pub struct MimicImage {
    /// The DICOM id, the file stem.
    pub dicom_id: String,
    /// `ViewPosition` (blank when the metadata has none).
    pub view: String,
    /// `root/files/pNN/pSUBJECT/sSTUDY/DICOM.jpg`.
    pub path: PathBuf,
}

/// One study: its images (ConVIRT samples one per step), report and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct MimicStudy {
    /// `subject_id`.
    pub subject: u64,
    /// `study_id`.
    pub study: u64,
    /// Its split.
    pub split: Split,
    /// The kept images, in split-file order.
    pub images: Vec<MimicImage>,
    /// The 14 CheXpert labels, `None` when the CheXpert CSV lacks the study.
    pub labels: Option<[Label; 14]>,
    /// `reports/files/pNN/pSUBJECT/sSTUDY.txt`.
    pub report: PathBuf,
}

impl MimicStudy {
    /// Reads and parses the report with convirt-text-sampler's MIMIC parser.
    pub fn read_report(&self) -> Result<Report, DataError> {
        let bytes = read_file(&self.report, &Limits::default())?;
        Ok(parse_mimic_bytes(&bytes, &self.report)?)
    }
}

/// The studies of a MIMIC-CXR root, and what was left out.
#[derive(Debug)]
pub struct MimicDataset {
    /// The studies with at least one kept image, ordered by `(subject, study)`.
    pub studies: Vec<MimicStudy>,
    /// Rows and files dropped under [`SkipPolicy::SkipAndCount`].
    pub skipped: Skipped,
    /// Images left out by the view filter.
    pub other_views: usize,
    /// Studies left without an image by the view filter or by skipped missing images.
    pub studies_without_view: usize,
}

impl MimicDataset {
    /// The studies of `split`.
    pub fn split(&self, split: Split) -> impl Iterator<Item = &MimicStudy> {
        self.studies.iter().filter(move |s| s.split == split)
    }
}

/// `files/pNN/pSUBJECT/sSTUDY` under `root`.
pub fn study_dir(root: &Path, subject: u64, study: u64) -> PathBuf {
    let subject = subject.to_string();
    let group = &subject[..subject.len().min(2)];
    root.join("files")
        .join(format!("p{group}"))
        .join(format!("p{subject}"))
        .join(format!("s{study}"))
}

/// `root/name.csv.gz` if it exists, else `root/name.csv` (whose absence the caller reports).
pub fn find_csv(root: &Path, name: &str) -> PathBuf {
    let gz = root.join(format!("{name}.csv.gz"));
    if gz.exists() {
        gz
    } else {
        root.join(format!("{name}.csv"))
    }
}

struct SplitRow {
    dicom_id: String,
    study: u64,
    subject: u64,
    split: Split,
}

/// Reads a MIMIC-CXR-JPG root as `config` says.
pub fn read_mimic(config: &MimicConfig) -> Result<MimicDataset, DataError> {
    let mut skipped = Skipped::default();
    let views = read_views(
        &find_csv(&config.root, MIMIC_METADATA),
        config.skip,
        &mut skipped,
    )?;
    let labels = read_mimic_labels(
        &find_csv(&config.root, MIMIC_CHEXPERT),
        config.skip,
        &mut skipped,
    )?;

    let table = Table::open(find_csv(&config.root, MIMIC_SPLIT))?;
    let split_file = table.file().to_owned();
    let [dicom, study, subject, split] = [
        table.column("dicom_id")?,
        table.column("study_id")?,
        table.column("subject_id")?,
        table.column("split")?,
    ];
    let mut rows = table.rows(config.skip, |row| {
        Ok((
            row.line,
            SplitRow {
                dicom_id: row.get(dicom).to_owned(),
                study: row.parse(study)?,
                subject: row.parse(subject)?,
                split: Split::from_row(row, split)?,
            },
        ))
    })?;
    skipped.merge(std::mem::take(&mut rows.skipped));

    let mut studies: BTreeMap<(u64, u64), MimicStudy> = BTreeMap::new();
    let mut seen_study: HashMap<u64, (u64, Split)> = HashMap::new();
    let mut other_views = 0;
    for (line, row) in rows.records {
        match seen_study.get(&row.study) {
            Some(&(subject, split)) if (subject, split) != (row.subject, row.split) => {
                let error = DataError::BadField {
                    file: split_file.clone(),
                    line,
                    column: "study_id".into(),
                    message: format!(
                        "study {} already listed with subject {subject}, split {split:?}",
                        row.study
                    ),
                };
                skipped.handle(config.skip, error)?;
                continue;
            }
            _ => {
                seen_study.insert(row.study, (row.subject, row.split));
            }
        }
        let dir = study_dir(&config.root, row.subject, row.study);
        let entry = studies
            .entry((row.subject, row.study))
            .or_insert_with(|| MimicStudy {
                subject: row.subject,
                study: row.study,
                split: row.split,
                images: Vec::new(),
                labels: labels.get(&row.study).copied(),
                report: study_dir(&config.reports, row.subject, row.study).with_extension("txt"),
            });
        let view = views.get(&row.dicom_id).cloned().unwrap_or_default();
        if !config.views.is_empty() && !config.views.contains(&view) {
            other_views += 1;
            continue;
        }
        let path = dir.join(format!("{}.jpg", row.dicom_id));
        if config.check_files && !path.is_file() {
            skipped.handle(
                config.skip,
                DataError::Missing {
                    file: path,
                    what: format!("image of {}:{line}", split_file.display()),
                },
            )?;
            continue;
        }
        entry.images.push(MimicImage {
            dicom_id: row.dicom_id,
            view,
            path,
        });
    }

    let mut kept = Vec::with_capacity(studies.len());
    let mut studies_without_view = 0;
    for study in studies.into_values() {
        if study.images.is_empty() {
            studies_without_view += 1;
        } else if config.check_files && !study.report.is_file() {
            let what = format!("report of study {}", study.study);
            skipped.handle(
                config.skip,
                DataError::Missing {
                    file: study.report,
                    what,
                },
            )?;
        } else {
            kept.push(study);
        }
    }
    Ok(MimicDataset {
        studies: kept,
        skipped,
        other_views,
        studies_without_view,
    })
}

/// `dicom_id → ViewPosition` from the metadata CSV.
fn read_views(
    file: &Path,
    skip: SkipPolicy,
    skipped: &mut Skipped,
) -> Result<HashMap<String, String>, DataError> {
    let table = Table::open(file)?;
    let dicom = table.column("dicom_id")?;
    let view = table.column("ViewPosition")?;
    let loaded = table.rows(skip, |row| {
        Ok((row.get(dicom).to_owned(), row.get(view).to_owned()))
    })?;
    skipped.merge(loaded.skipped);
    Ok(loaded.records.into_iter().collect())
}

/// `study_id → labels` from the CheXpert-labeler CSV.
fn read_mimic_labels(
    file: &Path,
    skip: SkipPolicy,
    skipped: &mut Skipped,
) -> Result<HashMap<u64, [Label; 14]>, DataError> {
    let table = Table::open(file)?;
    let study = table.column("study_id")?;
    let columns = label_columns(&table, &CHEXPERT_LABELS)?;
    let loaded = table.rows(skip, |row| {
        Ok((row.parse(study)?, read_labels(row, &columns)?))
    })?;
    skipped.merge(loaded.skipped);
    Ok(loaded.records.into_iter().collect())
}
