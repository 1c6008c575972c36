//! COVIDx split files (`train.txt`, `test.txt`): [`read_covidx`] → [`CovidxRecord`]s.
//!
//! No header; one image per line, `patient_id filename label source`, separated by spaces.
//! The label is one of three classes ([`CovidxClass`]). Images are `<root>/<split>/<filename>`.

use std::path::Path;

use crate::lines::read_lines;
use crate::{DataError, Loaded, SkipPolicy};

/// The three COVIDx classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CovidxClass {
    /// `normal`.
    Normal,
    /// `pneumonia` (non-COVID).
    Pneumonia,
    /// `COVID-19`.
    Covid19,
}

impl CovidxClass {
    /// Parses `normal`, `pneumonia` or `COVID-19` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "normal" => Some(Self::Normal),
            "pneumonia" => Some(Self::Pneumonia),
            "covid-19" => Some(Self::Covid19),
            _ => None,
        }
    }
}

/// One line of a COVIDx split file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CovidxRecord {
    /// `patient_id`.
    pub patient_id: String,
    /// `filename`, relative to the split's image folder.
    pub filename: String,
    /// `label`.
    pub class: CovidxClass,
    /// `source` (the contributing dataset: `cohen`, `rsna`, `sirm`…).
    pub source: String,
}

/// Reads a COVIDx split file; bad lines go through `policy`.
pub fn read_covidx(
    file: impl AsRef<Path>,
    policy: SkipPolicy,
) -> Result<Loaded<CovidxRecord>, DataError> {
    let file = file.as_ref();
    read_lines(file, policy, |line, text| {
        let fields: Vec<&str> = text.split_whitespace().collect();
        let [patient_id, filename, label, source] = fields.as_slice() else {
            return Err(DataError::ColumnCount {
                file: file.to_owned(),
                line,
                expected: 4,
                found: fields.len(),
            });
        };
        let class = CovidxClass::parse(label).ok_or_else(|| DataError::BadField {
            file: file.to_owned(),
            line,
            column: "label".into(),
            message: format!("{label:?} is not normal, pneumonia or COVID-19"),
        })?;
        Ok(CovidxRecord {
            patient_id: patient_id.to_string(),
            filename: filename.to_string(),
            class,
            source: source.to_string(),
        })
    })
}
