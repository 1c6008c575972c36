//! [`Manifest`]: what a checkpoint folder holds, which run wrote it, and a SHA-256 per file.
//!
//! burnpack files carry no checksum, so a flipped byte inside a tensor would load as a slightly
//! different model. Every checkpoint therefore ends with `manifest.json`, written last: the run
//! id, the step, and each file's size and SHA-256. Loading verifies all of them first, so a
//! truncated, zeroed or bit-flipped file is refused with its name, and a folder that another run
//! wrote is never taken for this one's.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::TrainError;
use crate::model::TowerSpec;

/// The manifest's file name inside a checkpoint folder.
pub const MANIFEST: &str = "manifest.json";

/// The manifest format this crate writes.
pub const MANIFEST_FORMAT: u32 = 1;

/// One file's size and SHA-256, as recorded in a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, lowercase hex.
    pub sha256: String,
}

impl FileDigest {
    /// Reads `path` and digests it.
    pub fn of_file(path: &Path) -> Result<Self, TrainError> {
        let mut file = fs::File::open(path).map_err(|e| TrainError::io(path, e))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut bytes = 0u64;
        loop {
            let n = file
                .read(&mut buffer)
                .map_err(|e| TrainError::io(path, e))?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            hasher.update(&buffer[..n]);
        }
        Ok(Self {
            bytes,
            sha256: hex(&hasher.finalize()),
        })
    }
}

/// What `manifest.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: u32,
    /// The run that wrote the checkpoint (see [`RunFolder`](crate::RunFolder)).
    pub run_id: String,
    /// The step the checkpoint was taken after.
    pub step: u64,
    /// Every other file of the folder, by name.
    pub files: BTreeMap<String, FileDigest>,
    /// The model's two towers; absent in checkpoints written before it was recorded, which
    /// load into any towers whose parameters fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub towers: Option<TowerSpec>,
}

impl Manifest {
    /// Digests `names` inside `folder`.
    pub fn of_folder(
        folder: &Path,
        run_id: &str,
        step: u64,
        names: &[&str],
    ) -> Result<Self, TrainError> {
        let mut files = BTreeMap::new();
        for name in names {
            files.insert(name.to_string(), FileDigest::of_file(&folder.join(name))?);
        }
        Ok(Self {
            format: MANIFEST_FORMAT,
            run_id: run_id.to_string(),
            step,
            files,
            towers: None,
        })
    }

    /// Records the model's towers.
    pub fn with_towers(mut self, towers: TowerSpec) -> Self {
        self.towers = Some(towers);
        self
    }

    /// Refuses towers other than the ones the checkpoint in `folder` was written from, naming
    /// both; a manifest without towers accepts any.
    pub fn check_towers(&self, folder: &Path, model: &TowerSpec) -> Result<(), TrainError> {
        match &self.towers {
            Some(written) if written != model => Err(TrainError::TowerMismatch {
                path: folder.to_path_buf(),
                checkpoint: written.to_string(),
                model: model.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// Reads `folder/manifest.json`; `None` if the folder has none (a checkpoint written before
    /// manifests existed).
    pub fn read(folder: &Path) -> Result<Option<Self>, TrainError> {
        let path = folder.join(MANIFEST);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| corrupt(&path, format!("unreadable manifest: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TrainError::io(&path, e)),
        }
    }

    /// Checks every listed file of `folder` against its size and SHA-256, and that the
    /// checkpoint belongs to `run_id` when given. The first mismatch is an error naming the file.
    pub fn verify(&self, folder: &Path, run_id: Option<&str>) -> Result<(), TrainError> {
        if self.format != MANIFEST_FORMAT {
            return Err(corrupt(
                &folder.join(MANIFEST),
                format!(
                    "manifest format {} (this build reads {MANIFEST_FORMAT})",
                    self.format
                ),
            ));
        }
        if let Some(expected) = run_id
            && expected != self.run_id
        {
            return Err(TrainError::Checkpoint {
                path: folder.to_path_buf(),
                message: format!(
                    "written by run {}, not by this run ({expected}): refusing to use it",
                    self.run_id
                ),
            });
        }
        for (name, digest) in &self.files {
            let path = folder.join(name);
            if !path.is_file() {
                return Err(corrupt(&path, "missing".into()));
            }
            let found = FileDigest::of_file(&path)?;
            if found.bytes != digest.bytes {
                return Err(corrupt(
                    &path,
                    format!("{} bytes, the manifest says {}", found.bytes, digest.bytes),
                ));
            }
            if found.sha256 != digest.sha256 {
                return Err(corrupt(
                    &path,
                    "SHA-256 differs from the manifest's: the file is corrupted".into(),
                ));
            }
        }
        Ok(())
    }
}

/// A checkpoint file that fails verification.
pub(crate) fn corrupt(path: &Path, message: String) -> TrainError {
    TrainError::Corrupt {
        path: path.to_path_buf(),
        message,
    }
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(image: &str) -> TowerSpec {
        TowerSpec {
            image: image.into(),
            text: "bert(layers=6,hidden=384)".into(),
        }
    }

    #[test]
    fn a_manifest_written_before_towers_were_recorded_reads_and_accepts_any_towers() {
        let json = r#"{"format":1,"run_id":"r1","step":4,"files":{}}"#;
        let manifest: Manifest = serde_json::from_str(json).unwrap();
        assert_eq!(manifest.towers, None);
        let folder = Path::new("checkpoints/step-4");
        assert!(
            manifest
                .check_towers(folder, &spec("resnet50(in=1)"))
                .is_ok()
        );
        // Written again, it stays as it was: no `towers` key appears.
        assert_eq!(serde_json::to_string(&manifest).unwrap(), json);
    }

    #[test]
    fn recorded_towers_refuse_other_towers_naming_both() {
        let manifest = Manifest {
            format: MANIFEST_FORMAT,
            run_id: "r1".into(),
            step: 4,
            files: BTreeMap::new(),
            towers: None,
        }
        .with_towers(spec("resnet18(in=1)"));
        let back: Manifest =
            serde_json::from_str(&serde_json::to_string(&manifest).unwrap()).unwrap();
        assert_eq!(back, manifest);
        let folder = Path::new("checkpoints/step-4");
        assert!(
            manifest
                .check_towers(folder, &spec("resnet18(in=1)"))
                .is_ok()
        );
        let error = manifest
            .check_towers(folder, &spec("densenet121(in=1)"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("step-4")
                && error.contains("written from resnet18(in=1)")
                && error.contains("densenet121(in=1)"),
            "{error}"
        );
    }
}
