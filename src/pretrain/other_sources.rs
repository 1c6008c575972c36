//! CheXpert Plus and IU X-ray as pretraining examples.

use std::path::Path;

use convirt_data::{PairExample, Split};

use crate::pretrain::PretrainError;

/// CheXpert images joined with CheXpert Plus reports, one example per study.
pub fn chexpert_plus(root: &Path, split: Split) -> Result<Vec<PairExample>, PretrainError> {
    let _ = split;
    Err(PretrainError::Config(format!(
        "chexpert-plus:{}: the CheXpert Plus join is not in this build yet",
        root.display()
    )))
}

/// IU X-ray XML reports with their PNG images, one example per report.
pub fn iu_xray(root: &Path, split: Split) -> Result<Vec<PairExample>, PretrainError> {
    let _ = split;
    Err(PretrainError::Config(format!(
        "iu-xray:{}: the IU X-ray image join is not in this build yet",
        root.display()
    )))
}
