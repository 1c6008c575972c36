//! RSNA Pneumonia's `stage_2_train_labels.csv`: [`read_rsna_labels`] → [`RsnaPatient`]s.
//!
//! Columns `patientId,x,y,width,height,Target`, one row per box: a positive patient
//! (`Target` 1) has one row per box, all four box fields set; a negative one has one row with
//! them blank. Rows are grouped by patient, in first-appearance order.
//! [`rsna_image_path`] finds a patient's image: `stage_2_train_images/<patientId>.dcm`, or a
//! `.png`/`.jpg` export of it; [`read_image`](crate::read_image) decodes either.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::table::{Row, Table};
use crate::{DataError, Loaded, SkipPolicy};

/// One opacity box, in pixels of the 1024² image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RsnaBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// One patient (one image) and its boxes.
#[derive(Debug, Clone, PartialEq)]
pub struct RsnaPatient {
    /// `patientId`, the DICOM file stem.
    pub id: String,
    /// `Target`: pneumonia present.
    pub target: bool,
    /// The boxes; empty exactly when `target` is false.
    pub boxes: Vec<RsnaBox>,
}

/// The extensions [`rsna_image_path`] tries, in order.
pub const RSNA_IMAGE_EXTENSIONS: [&str; 4] = ["dcm", "png", "jpg", "jpeg"];

/// Patient `id`'s image in `images` (e.g. `stage_2_train_images`): the first of `<id>.dcm`,
/// `<id>.png`, `<id>.jpg`, `<id>.jpeg` that exists, else [`DataError::Missing`] naming the
/// `.dcm` path.
pub fn rsna_image_path(images: &Path, id: &str) -> Result<PathBuf, DataError> {
    RSNA_IMAGE_EXTENSIONS
        .iter()
        .map(|ext| images.join(format!("{id}.{ext}")))
        .find(|p| p.is_file())
        .ok_or_else(|| DataError::Missing {
            file: images.join(format!("{id}.dcm")),
            what: format!("RSNA image of patient {id} (also tried .png, .jpg, .jpeg)"),
        })
}

impl RsnaPatient {
    /// This patient's image in `images`; see [`rsna_image_path`].
    pub fn image_path(&self, images: &Path) -> Result<PathBuf, DataError> {
        rsna_image_path(images, &self.id)
    }
}

/// Reads the RSNA labels (plain, `.gz` or `.zip`); bad rows go through `policy`.
pub fn read_rsna_labels(
    file: impl AsRef<Path>,
    policy: SkipPolicy,
) -> Result<Loaded<RsnaPatient>, DataError> {
    let table = Table::open(file)?;
    let file = table.file().to_owned();
    let id = table.column("patientId")?;
    let target = table.column("Target")?;
    let fields = [
        table.column("x")?,
        table.column("y")?,
        table.column("width")?,
        table.column("height")?,
    ];
    let mut rows = table.rows(policy, |row| parse_row(row, id, target, fields))?;

    let mut patients: Vec<RsnaPatient> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (line, patient_id, target, rsna_box) in rows.records {
        let known = index.get(&patient_id).copied();
        let slot = known.unwrap_or_else(|| {
            index.insert(patient_id.clone(), patients.len());
            patients.push(RsnaPatient {
                id: patient_id.clone(),
                target,
                boxes: Vec::new(),
            });
            patients.len() - 1
        });
        let patient = &mut patients[slot];
        // A patient's rows agree on Target, and only a positive one has several rows.
        if known.is_some() && (patient.target != target || !target) {
            let error = DataError::BadField {
                file: file.clone(),
                line,
                column: "patientId".into(),
                message: format!(
                    "patient {patient_id} listed again with Target {}",
                    u8::from(target)
                ),
            };
            rows.skipped.handle(policy, error)?;
            continue;
        }
        patient.boxes.extend(rsna_box);
    }
    Ok(Loaded {
        records: patients,
        skipped: rows.skipped,
    })
}

/// `(line, patientId, Target, box)` of one row, the box fields checked against `Target`.
fn parse_row(
    row: &Row,
    id: usize,
    target: usize,
    fields: [usize; 4],
) -> Result<(u64, String, bool, Option<RsnaBox>), DataError> {
    let patient = row.get(id);
    if patient.is_empty() {
        return Err(row.bad_field(id, "blank patientId"));
    }
    let positive = match row.get(target) {
        "1" => true,
        "0" => false,
        other => return Err(row.bad_field(target, format!("{other:?} is not 0 or 1"))),
    };
    let rsna_box = if positive {
        let [x, y, width, height] = [
            row.parse(fields[0])?,
            row.parse(fields[1])?,
            row.parse(fields[2])?,
            row.parse(fields[3])?,
        ];
        Some(RsnaBox {
            x,
            y,
            width,
            height,
        })
    } else {
        if let Some(&set) = fields.iter().find(|&&f| !row.get(f).is_empty()) {
            return Err(row.bad_field(set, "a box field on a Target 0 row"));
        }
        None
    };
    Ok((row.line, patient.to_owned(), positive, rsna_box))
}
