//! Where `scripts/fetch-assets.sh` puts the real assets, for tests, examples and tools.

use std::path::PathBuf;

use crate::TextError;

/// The IU X-ray reports archive, relative to [`assets_dir`].
pub const IU_REPORTS: &str = "iu/NLMCXR_reports.tgz";
/// The CheXpert train label CSV.
pub const CHEXPERT_TRAIN: &str = "chexpert/chexpert_train.csv.gz";
/// The RSNA Pneumonia labels.
pub const RSNA_LABELS: &str = "rsna/kaggle_stage_2_train_labels.csv.zip";
/// The 517 real lung masks.
pub const LUNG_MASKS: &str = "masks/semantic_masks_v7labs_lungs.zip";
/// The all-MiniLM-L6-v2 folder (`model.safetensors`, `tokenizer.json`, `vocab.txt`, `config.json`).
pub const MINILM: &str = "minilm";
/// MiniLM's tokenizer.
pub const MINILM_TOKENIZER: &str = "minilm/tokenizer.json";

/// `$CONVIRT_ASSETS` if set and non-empty, else `~/.cache/convirt/assets` (the script's default).
pub fn assets_dir() -> PathBuf {
    match std::env::var_os("CONVIRT_ASSETS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(".cache/convirt/assets"),
    }
}

/// The path of asset `relative` (one of this module's constants), or
/// [`TextError::MissingAsset`] telling to run `scripts/fetch-assets.sh`.
///
/// Tests that need the assets call this and fail with that message: they never skip.
pub fn require(relative: &str) -> Result<PathBuf, TextError> {
    let path = assets_dir().join(relative);
    if path.exists() {
        Ok(path)
    } else {
        Err(TextError::MissingAsset { file: path })
    }
}
