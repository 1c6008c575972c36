//! CheXpert's `train.csv` / `valid.csv`: [`read_chexpert`] → [`ChexpertRecord`]s.
//!
//! Columns `Path,Sex,Age,Frontal/Lateral,AP/PA` and the 14 [`CHEXPERT_LABELS`], valued
//! `1.0`/`0.0`/`-1.0`/blank (see [`Label`] and [`UncertaintyPolicy`]).
//! Paths must be `…/patientNNNNN/studyN/viewN_frontal.jpg`.

use std::path::Path;

use crate::table::{Row, Table};
use crate::{CHEXPERT_LABELS, DataError, Label, Loaded, SkipPolicy, UncertaintyPolicy};

/// The layout a CheXpert path must follow, for error messages.
pub const CHEXPERT_PATH_LAYOUT: &str = "…/patientNNNNN/studyN/viewN_<view>.jpg";

/// Frontal or lateral, CheXpert's `Frontal/Lateral` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// `Frontal`.
    Frontal,
    /// `Lateral`.
    Lateral,
}

/// One image row of a CheXpert label CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct ChexpertRecord {
    /// `Path`, as written (relative to the folder above `CheXpert-v1.0*`).
    pub path: String,
    /// The patient number of `patientNNNNN`.
    pub patient: u32,
    /// The study number of `studyN`.
    pub study: u32,
    /// `Sex` as written (`Male`, `Female`, `Unknown`).
    pub sex: String,
    /// `Age` in years; `None` when blank.
    pub age: Option<u32>,
    /// `Frontal/Lateral`.
    pub view: View,
    /// `AP/PA` (`AP`, `PA`, `LL`, `RL`…); `None` when blank, as for laterals.
    pub projection: Option<String>,
    /// The 14 labels, in [`CHEXPERT_LABELS`] order.
    pub labels: [Label; 14],
}

impl ChexpertRecord {
    /// The 14 training targets under `policy` (`None`: masked).
    pub fn targets(&self, policy: UncertaintyPolicy) -> [Option<f32>; 14] {
        self.labels.map(|l| l.target(policy))
    }

    /// The label of observation `name` (one of [`CHEXPERT_LABELS`]).
    pub fn label(&self, name: &str) -> Option<Label> {
        CHEXPERT_LABELS
            .iter()
            .position(|c| *c == name)
            .map(|i| self.labels[i])
    }
}

/// Reads a CheXpert label CSV (plain or `.gz`); bad rows go through `policy`.
pub fn read_chexpert(
    file: impl AsRef<Path>,
    policy: SkipPolicy,
) -> Result<Loaded<ChexpertRecord>, DataError> {
    let table = Table::open(file)?;
    let path = table.column("Path")?;
    let sex = table.column("Sex")?;
    let age = table.column("Age")?;
    let view = table.column("Frontal/Lateral")?;
    let projection = table.column("AP/PA")?;
    let labels = label_columns(&table, &CHEXPERT_LABELS)?;
    table.rows(policy, |row| {
        let text = row.get(path);
        let (patient, study) =
            parse_chexpert_path(text).ok_or_else(|| row.bad_path(text, CHEXPERT_PATH_LAYOUT))?;
        let view = match row.get(view) {
            "Frontal" => View::Frontal,
            "Lateral" => View::Lateral,
            other => {
                return Err(row.bad_field(view, format!("{other:?} is not Frontal or Lateral")));
            }
        };
        let projection = Some(row.get(projection).to_owned()).filter(|p| !p.is_empty());
        Ok(ChexpertRecord {
            path: text.to_owned(),
            patient,
            study,
            sex: row.get(sex).to_owned(),
            age: row.parse_opt(age)?,
            view,
            projection,
            labels: read_labels(row, &labels)?,
        })
    })
}

/// The indices of the label columns `names` in `table`, or [`DataError::MissingColumn`].
pub fn label_columns<const N: usize>(
    table: &Table,
    names: &[&str; N],
) -> Result<[usize; N], DataError> {
    let mut out = [0; N];
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = table.column(name)?;
    }
    Ok(out)
}

/// The labels at `columns` of `row`.
pub fn read_labels<const N: usize>(
    row: &Row,
    columns: &[usize; N],
) -> Result<[Label; N], DataError> {
    let mut out = [Label::Blank; N];
    for (slot, &column) in out.iter_mut().zip(columns) {
        *slot = Label::from_row(row, column)?;
    }
    Ok(out)
}

/// `(patient, study)` from `…/patientNNNNN/studyN/viewN_x.jpg`, or `None` off the layout.
pub fn parse_chexpert_path(path: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = path.split('/').collect();
    let [.., patient, study, image] = parts.as_slice() else {
        return None;
    };
    let patient = number_after(patient, "patient")?;
    let study = number_after(study, "study")?;
    let stem = image.strip_suffix(".jpg")?;
    let (view, _) = stem.split_once('_')?;
    number_after(view, "view")?;
    Some((patient, study))
}

fn number_after(text: &str, prefix: &str) -> Option<u32> {
    let digits = text.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_patient_study_view_layout() {
        let ok = "CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg";
        assert_eq!(parse_chexpert_path(ok), Some((64541, 1)));
        assert_eq!(
            parse_chexpert_path("train/patient1/study2/view2_lateral.jpg"),
            Some((1, 2))
        );
        for bad in [
            "CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.png",
            "CheXpert-v1.0-small/valid/patientX/study1/view1_frontal.jpg",
            "CheXpert-v1.0-small/valid/patient1/s1/view1_frontal.jpg",
            "patient1/study1",
        ] {
            assert_eq!(parse_chexpert_path(bad), None, "{bad}");
        }
    }
}
