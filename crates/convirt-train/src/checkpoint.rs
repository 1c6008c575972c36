//! Checkpoints: the model, Adam's state and the [`TrainState`], written atomically; the last and
//! the best are kept.
//!
//! Layout of a run's `checkpoints/` folder:
//!
//! ```text
//! step-00000120/{model.bpk, optimizer.bpk, state.json}   one complete checkpoint
//! last.json, best.json                                  {"folder": "step-00000120", ...}
//! ```
//!
//! A checkpoint is written into a hidden temporary folder, synced, then renamed into place;
//! only then is `last.json` (or `best.json`) replaced, itself by write-then-rename. A crash at
//! any point leaves the previous pointers naming complete checkpoints. Weights are burnpack
//! files with float32 tensors and burn's parameter ids, so a checkpoint written on one backend
//! loads on another, and Adam's moments find their parameters again.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn_store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};

use crate::{ConvirtModel, TrainError, TrainState};

const MODEL: &str = "model.bpk";
const OPTIMIZER: &str = "optimizer.bpk";
const STATE: &str = "state.json";
const LAST: &str = "last.json";
const BEST: &str = "best.json";

/// What `last.json` and `best.json` hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pointer {
    /// The checkpoint's folder name, within the checkpoints folder.
    pub folder: String,
    /// The step it was taken after.
    pub step: u64,
    /// The validation loss at that point, if one was measured.
    pub val_loss: Option<f64>,
}

/// A run's checkpoints folder.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    dir: PathBuf,
}

/// Which pointer to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The latest checkpoint (what `--resume` continues from).
    Last,
    /// The one with the lowest validation loss.
    Best,
}

impl Checkpoints {
    /// The checkpoints in `dir` (created on the first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves a complete checkpoint after `state.step` and points `last.json` at it (and
    /// `best.json` when `best`). Older checkpoints that neither pointer names are removed.
    pub fn save(
        &self,
        model: &ConvirtModel,
        optimizer: &ModuleOptimizer,
        state: &TrainState,
        best: bool,
    ) -> Result<PathBuf, TrainError> {
        fs::create_dir_all(&self.dir).map_err(|e| TrainError::io(&self.dir, e))?;
        let name = format!("step-{:08}", state.step);
        let folder = self.dir.join(&name);
        if !folder.exists() {
            let tmp = self.dir.join(format!(".tmp-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            fs::create_dir_all(&tmp).map_err(|e| TrainError::io(&tmp, e))?;
            write_model(model, &tmp.join(MODEL))?;
            let optim_path = tmp.join(OPTIMIZER);
            optimizer
                .save(&optim_path)
                .map_err(|e| TrainError::io(&optim_path, e))?;
            let json = serde_json::to_vec_pretty(state).map_err(|e| TrainError::io(STATE, e))?;
            write_synced(&tmp.join(STATE), &json)?;
            for file in [MODEL, OPTIMIZER] {
                sync_file(&tmp.join(file))?;
            }
            fs::rename(&tmp, &folder).map_err(|e| TrainError::io(&folder, e))?;
            sync_dir(&self.dir)?;
        } else {
            // Same step, same weights and moments: only the loop's state moves on (a
            // validation, the end of the run). Replace state.json atomically.
            let json = serde_json::to_vec_pretty(state).map_err(|e| TrainError::io(STATE, e))?;
            let tmp = folder.join(".state.json.tmp");
            write_synced(&tmp, &json)?;
            let path = folder.join(STATE);
            fs::rename(&tmp, &path).map_err(|e| TrainError::io(&path, e))?;
            sync_dir(&folder)?;
        }
        let pointer = Pointer {
            folder: name,
            step: state.step,
            val_loss: state.val_last,
        };
        self.write_pointer(LAST, &pointer)?;
        if best {
            self.write_pointer(BEST, &pointer)?;
        }
        self.prune()?;
        Ok(folder)
    }

    /// The pointer `which`, if that checkpoint exists.
    pub fn pointer(&self, which: Which) -> Result<Option<Pointer>, TrainError> {
        let path = self.dir.join(match which {
            Which::Last => LAST,
            Which::Best => BEST,
        });
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| TrainError::io(&path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TrainError::io(&path, e)),
        }
    }

    /// The folder of checkpoint `which`, if there is one.
    pub fn folder(&self, which: Which) -> Result<Option<PathBuf>, TrainError> {
        Ok(self.pointer(which)?.map(|p| self.dir.join(p.folder)))
    }

    /// Loads the checkpoint in `folder` into `model` (built with the run's architecture) and
    /// `optimizer` (built with the run's settings).
    pub fn load(
        folder: &Path,
        model: ConvirtModel,
        optimizer: ModuleOptimizer,
    ) -> Result<(ConvirtModel, ModuleOptimizer, TrainState), TrainError> {
        let model = read_model(model, &folder.join(MODEL))?;
        let optim_path = folder.join(OPTIMIZER);
        let optimizer = optimizer
            .load(&optim_path)
            .map_err(|e| TrainError::io(&optim_path, e))?;
        let state_path = folder.join(STATE);
        let bytes = fs::read(&state_path).map_err(|e| TrainError::io(&state_path, e))?;
        let state = serde_json::from_slice(&bytes).map_err(|e| TrainError::io(&state_path, e))?;
        Ok((model, optimizer, state))
    }

    fn write_pointer(&self, file: &str, pointer: &Pointer) -> Result<(), TrainError> {
        let json = serde_json::to_vec_pretty(pointer).map_err(|e| TrainError::io(file, e))?;
        let tmp = self.dir.join(format!(".{file}.tmp"));
        write_synced(&tmp, &json)?;
        let path = self.dir.join(file);
        fs::rename(&tmp, &path).map_err(|e| TrainError::io(&path, e))?;
        sync_dir(&self.dir)
    }

    /// Removes checkpoints no pointer names and temporary folders of interrupted saves.
    fn prune(&self) -> Result<(), TrainError> {
        let keep: Vec<String> = [Which::Last, Which::Best]
            .into_iter()
            .filter_map(|w| self.pointer(w).ok().flatten().map(|p| p.folder))
            .collect();
        let entries = fs::read_dir(&self.dir).map_err(|e| TrainError::io(&self.dir, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stale_step = name.starts_with("step-") && !keep.contains(&name);
            let stale_tmp = name.starts_with(".tmp-step-");
            if (stale_step || stale_tmp) && entry.path().is_dir() {
                fs::remove_dir_all(entry.path()).map_err(|e| TrainError::io(entry.path(), e))?;
            }
        }
        Ok(())
    }
}

/// Writes `model`'s parameters and buffers to a burnpack file.
pub fn write_model(model: &ConvirtModel, path: &Path) -> Result<(), TrainError> {
    // burn 0.22's BatchNorm keeps its latest running-statistics update pending per thread and
    // folds it in on the next use; saving reads the folded value, one update behind. `valid()`
    // folds pending updates in place (shared state), so what is saved is what training would use.
    let _ = model.valid();
    let mut store = BurnpackStore::from_file(path)
        .auto_extension(false)
        .overwrite(true);
    model
        .save_into(&mut store)
        .map_err(|e| TrainError::io(path, e))
}

/// Reads a burnpack file written by [`write_model`] into `model`; every tensor must match.
pub fn read_model(mut model: ConvirtModel, path: &Path) -> Result<ConvirtModel, TrainError> {
    if !path.is_file() {
        return Err(TrainError::io(path, "no such file"));
    }
    let mut store = BurnpackStore::from_file(path).auto_extension(false);
    model
        .load_from(&mut store)
        .map_err(|e| TrainError::Checkpoint {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(model)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    let mut file = fs::File::create(path).map_err(|e| TrainError::io(path, e))?;
    file.write_all(bytes).map_err(|e| TrainError::io(path, e))?;
    file.sync_all().map_err(|e| TrainError::io(path, e))
}

fn sync_file(path: &Path) -> Result<(), TrainError> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| TrainError::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<(), TrainError> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| TrainError::io(dir, e))
}
