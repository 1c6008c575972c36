//! TEMP
use crate::pretrain::PretrainError;
use convirt_data::{PairExample, Split};
use std::path::Path;
/// temp
pub fn examples(_dir: Option<&Path>, _split: Split) -> Result<Vec<PairExample>, PretrainError> {
    Err(PretrainError::Config("temp".into()))
}
