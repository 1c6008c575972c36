//! [`RunFolder`]: one run's folder, locked while it trains, with the id that every checkpoint
//! of the run carries.
//!
//! A run folder holds `run.json` (the run id), the trainer's `train_config.json`, the caller's
//! run files (e.g. `convirt pretrain`'s `config.toml`), `metrics.jsonl` and `checkpoints/`.
//! Opening it takes an exclusive lock on `.lock`, so two processes never train into the same
//! folder. A fresh run refuses a folder that holds anything of an earlier run; a resumed one
//! keeps the folder's id. Nothing is written when opening: the trainer validates everything
//! first and calls [`RunFolder::publish`] last.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::TrainError;
use crate::manifest::hex;

/// The run id file.
pub const RUN_FILE: &str = "run.json";
const LOCK_FILE: &str = ".lock";
/// Files and folders whose presence means a run was started in a folder.
const RUN_MARKERS: [&str; 4] = [
    RUN_FILE,
    "train_config.json",
    "metrics.jsonl",
    "checkpoints",
];

/// What `run.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunId {
    /// A random id, fixed when the run starts; every checkpoint's manifest repeats it.
    pub run_id: String,
}

/// An open, locked run folder.
#[derive(Debug)]
pub struct RunFolder {
    dir: PathBuf,
    run_id: String,
    is_new: bool,
    _lock: fs::File,
}

impl RunFolder {
    /// Locks `dir` (creating it) and reads or draws the run id. With `resume`, the folder must
    /// hold a run (`run.json`, or a checkpoint written before run ids existed); without, it must
    /// hold none of an earlier run's files (`run.json`, `train_config.json`, `metrics.jsonl`,
    /// `checkpoints/`, nor any of `extra`).
    pub fn open(dir: &Path, resume: bool, extra: &[&str]) -> Result<Self, TrainError> {
        fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| TrainError::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(TrainError::Locked {
                    path: dir.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(TrainError::io(&lock_path, e)),
        }
        let id_path = dir.join(RUN_FILE);
        let existing = match fs::read(&id_path) {
            Ok(bytes) => Some(
                serde_json::from_slice::<RunId>(&bytes)
                    .map_err(|e| TrainError::io(&id_path, e))?
                    .run_id,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(TrainError::io(&id_path, e)),
        };
        let earlier: Vec<&str> = RUN_MARKERS
            .iter()
            .chain(extra)
            .copied()
            .filter(|name| holds(&dir.join(name)))
            .collect();
        let (run_id, is_new) = match (resume, existing) {
            (true, Some(id)) => (id, false),
            (true, None) if dir.join("checkpoints").join("last.json").is_file() => {
                // A run from before run ids: adopt it under a new id.
                (new_run_id(dir), true)
            }
            (true, None) => {
                return Err(TrainError::Checkpoint {
                    path: dir.to_path_buf(),
                    message: "holds no run to resume (no run.json, no checkpoint)".into(),
                });
            }
            (false, _) if !earlier.is_empty() => {
                return Err(TrainError::Checkpoint {
                    path: dir.to_path_buf(),
                    message: format!(
                        "holds an earlier run ({}): resume it with --resume, or choose another folder",
                        earlier.join(", ")
                    ),
                });
            }
            (false, _) => (new_run_id(dir), true),
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            run_id,
            is_new,
            _lock: lock,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The run's id.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// Writes `run.json` (for a new run) and `files` into the folder, each atomically
    /// (write, fsync, rename, fsync of the folder).
    pub fn publish(&self, files: &[(String, Vec<u8>)]) -> Result<(), TrainError> {
        if self.is_new {
            let id = RunId {
                run_id: self.run_id.clone(),
            };
            let json = serde_json::to_vec_pretty(&id).map_err(|e| TrainError::io(RUN_FILE, e))?;
            write_atomically(&self.dir.join(RUN_FILE), &json)?;
        }
        for (name, bytes) in files {
            write_atomically(&self.dir.join(name), bytes)?;
        }
        Ok(())
    }
}

/// Whether `path` is a file, or a folder with anything in it.
fn holds(path: &Path) -> bool {
    if path.is_dir() {
        fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
    } else {
        path.is_file()
    }
}

/// 16 hex digits from the clock, the process, the folder and a counter.
fn new_run_id(dir: &Path) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::SeqCst).to_le_bytes());
    hasher.update(dir.to_string_lossy().as_bytes());
    hex(&hasher.finalize()[..8])
}

/// Writes `bytes` to `path` through a synced temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let mut file = fs::File::create(&tmp).map_err(|e| TrainError::io(&tmp, e))?;
    file.write_all(bytes).map_err(|e| TrainError::io(&tmp, e))?;
    file.sync_all().map_err(|e| TrainError::io(&tmp, e))?;
    drop(file);
    fs::rename(&tmp, path).map_err(|e| TrainError::io(path, e))?;
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| TrainError::io(dir, e))
}
