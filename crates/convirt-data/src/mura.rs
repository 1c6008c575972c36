//! MURA: `train_labeled_studies.csv` + `train_image_paths.csv` (or `valid_…`) →
//! [`MuraStudy`]s with their images and study-level abnormal label ([`read_mura`]).
//!
//! Neither file has a header. Studies are `MURA-v1.1/<split>/XR_<PART>/patientNNNNN/studyN_<positive|negative>/,<0|1>`;
//! images are `<study>imageN.png`. The label must agree with the folder's suffix, and every
//! image must belong to a labeled study.

use std::collections::HashMap;
use std::path::Path;

use crate::lines::read_lines;
use crate::{DataError, Loaded, SkipPolicy};

/// The layout a MURA study path must follow, for error messages.
pub const MURA_STUDY_LAYOUT: &str = "…/XR_<PART>/patientNNNNN/studyN_<positive|negative>/";

/// One MURA study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuraStudy {
    /// The study folder, as written (ends with `/`).
    pub path: String,
    /// The body part, `XR_` removed (`SHOULDER`, `WRIST`…).
    pub body_part: String,
    /// The patient number.
    pub patient: u32,
    /// The study number.
    pub study: u32,
    /// The study-level label: abnormal (1) or normal (0).
    pub abnormal: bool,
    /// The image paths, in file order.
    pub images: Vec<String>,
}

/// Reads the labeled studies, then attaches the images; bad lines go through `policy`.
pub fn read_mura(
    labeled_studies: impl AsRef<Path>,
    image_paths: impl AsRef<Path>,
    policy: SkipPolicy,
) -> Result<Loaded<MuraStudy>, DataError> {
    let studies_file = labeled_studies.as_ref();
    let mut loaded = read_lines(studies_file, policy, |line, text| {
        let bad = |message: String| DataError::BadField {
            file: studies_file.to_owned(),
            line,
            column: "label".into(),
            message,
        };
        let (path, label) = text.split_once(',').ok_or_else(|| DataError::ColumnCount {
            file: studies_file.to_owned(),
            line,
            expected: 2,
            found: 1,
        })?;
        let abnormal = match label.trim() {
            "1" => true,
            "0" => false,
            other => return Err(bad(format!("{other:?} is not 0 or 1"))),
        };
        let (body_part, patient, study, positive) =
            parse_study(path).ok_or_else(|| DataError::BadPath {
                file: studies_file.to_owned(),
                line,
                path: path.to_owned(),
                expected: MURA_STUDY_LAYOUT,
            })?;
        if positive != abnormal {
            return Err(bad(format!(
                "label {label} disagrees with the folder {path}"
            )));
        }
        Ok(MuraStudy {
            path: path.to_owned(),
            body_part,
            patient,
            study,
            abnormal,
            images: Vec::new(),
        })
    })?;

    let index: HashMap<String, usize> = loaded
        .records
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.clone(), i))
        .collect();
    let images_file = image_paths.as_ref();
    let images = read_lines(images_file, policy, |line, text| {
        let study = text.rsplit_once('/').map(|(dir, _)| format!("{dir}/"));
        let slot = study.and_then(|s| index.get(&s).copied());
        match slot {
            Some(slot) if text.ends_with(".png") => Ok((slot, text.to_owned())),
            _ => Err(DataError::BadPath {
                file: images_file.to_owned(),
                line,
                path: text.to_owned(),
                expected: "<a labeled study>imageN.png",
            }),
        }
    })?;
    for (slot, image) in images.records {
        loaded.records[slot].images.push(image);
    }
    loaded.skipped.merge(images.skipped);
    Ok(loaded)
}

/// `(body part, patient, study, positive)` of `…/XR_PART/patientN/studyN_positive/`.
fn parse_study(path: &str) -> Option<(String, u32, u32, bool)> {
    let parts: Vec<&str> = path.strip_suffix('/')?.split('/').collect();
    let [.., part, patient, study] = parts.as_slice() else {
        return None;
    };
    let part = part.strip_prefix("XR_")?;
    let patient = patient.strip_prefix("patient")?.parse().ok()?;
    let (study, label) = study.strip_prefix("study")?.split_once('_')?;
    let positive = match label {
        "positive" => true,
        "negative" => false,
        _ => return None,
    };
    Some((part.to_owned(), patient, study.parse().ok()?, positive))
}
