//! [`PairExample`]: one study or report and its images, the unit the [`PairLoader`] samples;
//! [`ReportText`]: its report, parsed already or read when needed.
//!
//! [`PairLoader`]: crate::PairLoader

use std::path::PathBuf;

use convirt_text_sampler::{Limits, Report, parse_mimic_bytes, read_file};

use crate::{DataError, MimicStudy};

/// A report: parsed at load time (IU X-ray, CheXpert Plus, in memory) or a file read by the
/// loader's worker when the example is drawn (MIMIC-CXR's 227k `.txt` files).
#[derive(Debug, Clone, PartialEq)]
pub enum ReportText {
    /// A report parsed already.
    Parsed(Report),
    /// A MIMIC-CXR free-text report file, parsed with convirt-text-sampler's MIMIC parser.
    MimicFile(PathBuf),
}

impl ReportText {
    /// The parsed report. A file that is missing, too large or not text is an error naming it.
    pub fn load(&self) -> Result<Report, DataError> {
        match self {
            ReportText::Parsed(report) => Ok(report.clone()),
            ReportText::MimicFile(path) => {
                let bytes = read_file(path, &Limits::default())?;
                Ok(parse_mimic_bytes(&bytes, path)?)
            }
        }
    }

    /// The file behind the report, for error messages: the file, or the report's id.
    pub fn source(&self) -> PathBuf {
        match self {
            ReportText::Parsed(report) => PathBuf::from(&report.id),
            ReportText::MimicFile(path) => path.clone(),
        }
    }
}

/// One image-text example: a study (MIMIC, CheXpert) or report (IU X-ray) with its images.
/// ConVIRT draws one of the images per epoch; all of them belong to the one `group`, so the
/// loader never puts two examples of one group in a batch (a true pair would also be a negative).
#[derive(Debug, Clone, PartialEq)]
pub struct PairExample {
    /// The study or report id; examples of the same group never share a batch.
    pub group: String,
    /// The images (PNG, JPEG or DICOM, see [`read_image`](crate::read_image)); at least one.
    pub images: Vec<PathBuf>,
    /// The report.
    pub report: ReportText,
}

impl From<&MimicStudy> for PairExample {
    /// Group `s<study>`, the study's images, its report file read lazily.
    fn from(study: &MimicStudy) -> Self {
        Self {
            group: format!("s{}", study.study),
            images: study.images.iter().map(|i| i.path.clone()).collect(),
            report: ReportText::MimicFile(study.report.clone()),
        }
    }
}
