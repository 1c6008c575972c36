//! Checkpoints: the model, Adam's state and the [`TrainState`], written atomically, checksummed
//! and owned by their run; the last and the best are kept.
//!
//! Layout of a run's `checkpoints/` folder:
//!
//! ```text
//! step-00000120/{model.bpk, optimizer.bpk, state.json, <run files>, manifest.json}
//! step-00000120.1/...       the same step saved again (a validation after it, the run's end)
//! last.json, best.json      {"folder": "step-00000120", "step": 120, "run_id": "…", ...}
//! ```
//!
//! A checkpoint is written into a hidden temporary folder; every file is fsynced, then
//! `manifest.json` (the run id and each file's SHA-256, see [`Manifest`]) is written and synced
//! last, then the folder is renamed into place and its parent synced. The published folder is
//! verified against its manifest before `last.json` (or `best.json`) is replaced, itself by
//! write-fsync-rename, and only then are older checkpoints pruned. A crash at any point leaves
//! the previous pointers naming complete, verified checkpoints; a folder is never written twice.
//! A model with a NaN or infinite weight is never checkpointed.
//!
//! Weights are burnpack files with float32 tensors and burn's parameter ids, so a checkpoint
//! written on one backend loads on another, and Adam's moments find their parameters again.

use std::fs;
use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn_store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};

use crate::faults::{self, FaultPlan, FaultPoint};
use crate::manifest::{MANIFEST, Manifest, corrupt};
use crate::{ConvirtModel, TrainError, TrainState, check_finite};
use convirt_encoders::{ImageTower, TextTower};

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
    /// The run that wrote it (`None` in checkpoints written before run ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
}

/// A run's checkpoints folder.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    dir: PathBuf,
    run_id: Option<String>,
    run_files: Vec<(String, Vec<u8>)>,
    faults: Option<FaultPlan>,
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
        Self {
            dir: dir.into(),
            run_id: None,
            run_files: Vec::new(),
            faults: None,
        }
    }

    /// Saves and loads as run `run_id`: its manifests carry the id, and a checkpoint of another
    /// run is refused.
    pub fn for_run(mut self, run_id: impl Into<String>) -> Self {
        self.run_id = Some(run_id.into());
        self
    }

    /// Files stored verbatim in every checkpoint (covered by its manifest), e.g. the settings
    /// that rebuild the model, so a checkpoint is complete on its own.
    pub fn with_run_files(mut self, files: Vec<(String, Vec<u8>)>) -> Self {
        self.run_files = files;
        self
    }

    /// Injects the faults of `plan` into the writer (the fault-injection suite).
    pub fn with_faults(mut self, plan: Option<FaultPlan>) -> Self {
        self.faults = plan;
        self
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves a complete checkpoint after `state.step` and points `last.json` at it (and
    /// `best.json` when `best`). Older checkpoints that neither pointer names are removed, once
    /// the new one is published and verified. Refuses a model with a non-finite weight.
    pub fn save<I: ImageTower, T: TextTower>(
        &self,
        model: &ConvirtModel<I, T>,
        optimizer: &ModuleOptimizer,
        state: &TrainState,
        best: bool,
    ) -> Result<PathBuf, TrainError> {
        check_finite(model)?;
        let run_id = self.run_id.as_deref().unwrap_or("unnamed");
        fs::create_dir_all(&self.dir).map_err(|e| TrainError::io(&self.dir, e))?;
        let name = self.free_name(state.step);
        let folder = self.dir.join(&name);
        let tmp = self.dir.join(format!(".tmp-{name}-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| TrainError::io(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| TrainError::io(&tmp, e))?;
        let published = self.publish(model, optimizer, state, &tmp, &folder, run_id);
        if let Err(error) = published {
            // A real failure (a full disk) leaves nothing behind that would fill the disk or
            // block the next save; an injected fault stands for a crash, after which nothing runs.
            if !matches!(error, TrainError::InjectedFault { .. }) {
                let _ = fs::remove_dir_all(&tmp);
            }
            return Err(error);
        }
        // Published: the manifest was computed from the synced files themselves; check that the
        // folder now holds it and files of its sizes before any pointer names it.
        check_published(&folder)?;

        let pointer = Pointer {
            folder: name,
            step: state.step,
            val_loss: state.val_last,
            run_id: Some(run_id.to_string()),
        };
        self.write_pointer(LAST, &pointer)?;
        if best {
            self.write_pointer(BEST, &pointer)?;
        }
        self.prune()?;
        Ok(folder)
    }

    /// Writes the checkpoint into `tmp`, syncs it and renames it to `folder`.
    fn publish<I: ImageTower, T: TextTower>(
        &self,
        model: &ConvirtModel<I, T>,
        optimizer: &ModuleOptimizer,
        state: &TrainState,
        tmp: &Path,
        folder: &Path,
        run_id: &str,
    ) -> Result<(), TrainError> {
        self.fault(FaultPoint::Write, &tmp.join(MODEL))?;
        write_model(model, &tmp.join(MODEL))?;
        let optim_path = tmp.join(OPTIMIZER);
        self.fault(FaultPoint::Write, &optim_path)?;
        optimizer
            .save(&optim_path)
            .map_err(|e| TrainError::io(&optim_path, e))?;
        let json = serde_json::to_vec_pretty(state).map_err(|e| TrainError::io(STATE, e))?;
        self.write(&tmp.join(STATE), &json)?;
        let mut names = vec![MODEL, OPTIMIZER, STATE];
        for (file, bytes) in &self.run_files {
            self.write(&tmp.join(file), bytes)?;
            names.push(file);
        }
        for file in &names {
            self.sync(&tmp.join(file))?;
        }
        let manifest =
            Manifest::of_folder(tmp, run_id, state.step, &names)?.with_towers(model.towers());
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| TrainError::io(MANIFEST, e))?;
        self.write(&tmp.join(MANIFEST), &json)?;
        self.sync(&tmp.join(MANIFEST))?;
        self.sync(tmp)?;
        self.rename(tmp, folder)?;
        self.sync(&self.dir)
    }

    /// The pointer `which`, if there is one.
    pub fn pointer(&self, which: Which) -> Result<Option<Pointer>, TrainError> {
        let path = self.dir.join(match which {
            Which::Last => LAST,
            Which::Best => BEST,
        });
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| corrupt(&path, format!("unreadable pointer: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TrainError::io(&path, e)),
        }
    }

    /// The folder of checkpoint `which`, if there is one.
    pub fn folder(&self, which: Which) -> Result<Option<PathBuf>, TrainError> {
        Ok(self.pointer(which)?.map(|p| self.dir.join(p.folder)))
    }

    /// The folder of checkpoint `which`, verified: it exists, belongs to the pointer's run (and
    /// to this run, when [`Checkpoints::for_run`] named one), and every file matches its
    /// manifest. `None` when there is no such pointer.
    pub fn verified_folder(&self, which: Which) -> Result<Option<PathBuf>, TrainError> {
        let Some(pointer) = self.pointer(which)? else {
            return Ok(None);
        };
        let folder = self.dir.join(&pointer.folder);
        if !folder.is_dir() {
            return Err(corrupt(
                &folder,
                format!("named by {which:?} pointer but missing"),
            ));
        }
        if let (Some(ours), Some(theirs)) = (&self.run_id, &pointer.run_id)
            && ours != theirs
        {
            return Err(TrainError::Checkpoint {
                path: folder,
                message: format!("written by run {theirs}, not by this run ({ours})"),
            });
        }
        match (Manifest::read(&folder)?, &pointer.run_id) {
            (Some(manifest), run_id) => {
                manifest.verify(&folder, run_id.as_deref())?;
                if manifest.step != pointer.step {
                    return Err(corrupt(
                        &folder.join(MANIFEST),
                        format!("step {}, the pointer says {}", manifest.step, pointer.step),
                    ));
                }
            }
            // Checkpoints from before manifests: nothing to verify against.
            (None, None) => {}
            (None, Some(_)) => {
                return Err(corrupt(&folder.join(MANIFEST), "missing".into()));
            }
        }
        Ok(Some(folder))
    }

    /// Loads the checkpoint in `folder` into `model` (built with the run's architecture) and
    /// `optimizer` (built with the run's settings), after verifying the folder against its
    /// manifest when it has one.
    pub fn load<I: ImageTower, T: TextTower>(
        folder: &Path,
        model: ConvirtModel<I, T>,
        optimizer: ModuleOptimizer,
    ) -> Result<(ConvirtModel<I, T>, ModuleOptimizer, TrainState), TrainError> {
        verify_folder(folder, None)?;
        Self::read(folder, model, optimizer)
    }

    /// [`Checkpoints::load`] of a folder already verified ([`Checkpoints::verified_folder`],
    /// [`Checkpoints::newest_own`]): the files are not hashed a second time.
    pub(crate) fn read<I: ImageTower, T: TextTower>(
        folder: &Path,
        model: ConvirtModel<I, T>,
        optimizer: ModuleOptimizer,
    ) -> Result<(ConvirtModel<I, T>, ModuleOptimizer, TrainState), TrainError> {
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

    /// The newest checkpoint folder whose manifest names this run ([`Checkpoints::for_run`]),
    /// verified: what a resume continues from when `last.json` is lost (deleted, or a crash
    /// between publishing the first checkpoint and pointing at it). `None` if there is none; a
    /// corrupted one is an error naming the file, never skipped for an older one.
    pub fn newest_own(&self) -> Result<Option<PathBuf>, TrainError> {
        let Some(run_id) = self.run_id.as_deref() else {
            return Ok(None);
        };
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(None);
        };
        let mut own: Vec<((u64, u32), PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(key) = folder_order(&name) else {
                continue;
            };
            let path = entry.path();
            if let Ok(Some(manifest)) = Manifest::read(&path)
                && manifest.run_id == run_id
            {
                own.push((key, path));
            }
        }
        own.sort();
        match own.pop() {
            Some((_, folder)) => {
                verify_folder(&folder, Some(run_id))?;
                Ok(Some(folder))
            }
            None => Ok(None),
        }
    }

    /// Whether any checkpoint folder (published or not) is present.
    pub fn holds_any(&self) -> bool {
        fs::read_dir(&self.dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("step-"))
        })
    }

    /// `step-N`, or `step-N.k` for the first k not taken: a folder is never written twice.
    fn free_name(&self, step: u64) -> String {
        let base = format!("step-{step:08}");
        if !self.dir.join(&base).exists() {
            return base;
        }
        (1u32..)
            .map(|k| format!("{base}.{k}"))
            .find(|name| !self.dir.join(name).exists())
            .unwrap_or(base)
    }

    fn fault(&self, point: FaultPoint, path: &Path) -> Result<(), TrainError> {
        faults::check(self.faults.as_ref(), point, path)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
        self.fault(FaultPoint::Write, path)?;
        fs::write(path, bytes).map_err(|e| TrainError::io(path, e))
    }

    fn sync(&self, path: &Path) -> Result<(), TrainError> {
        self.fault(FaultPoint::Fsync, path)?;
        fs::File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(|e| TrainError::io(path, e))
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), TrainError> {
        self.fault(FaultPoint::Rename, to)?;
        fs::rename(from, to).map_err(|e| TrainError::io(to, e))
    }

    fn write_pointer(&self, file: &str, pointer: &Pointer) -> Result<(), TrainError> {
        let json = serde_json::to_vec_pretty(pointer).map_err(|e| TrainError::io(file, e))?;
        let tmp = self.dir.join(format!(".{file}.tmp"));
        self.write(&tmp, &json)?;
        self.sync(&tmp)?;
        self.rename(&tmp, &self.dir.join(file))?;
        self.sync(&self.dir)
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

/// The published `folder` holds its manifest and files of the sizes it lists.
fn check_published(folder: &Path) -> Result<(), TrainError> {
    let manifest = Manifest::read(folder)?
        .ok_or_else(|| corrupt(&folder.join(MANIFEST), "missing after publishing".into()))?;
    for (name, digest) in &manifest.files {
        let path = folder.join(name);
        let bytes = fs::metadata(&path)
            .map_err(|e| TrainError::io(&path, e))?
            .len();
        if bytes != digest.bytes {
            return Err(corrupt(
                &path,
                format!("{bytes} bytes, the manifest says {}", digest.bytes),
            ));
        }
    }
    Ok(())
}

/// `step-N` → (N, 0), `step-N.k` → (N, k): the order checkpoints were written in.
fn folder_order(name: &str) -> Option<(u64, u32)> {
    let rest = name.strip_prefix("step-")?;
    match rest.split_once('.') {
        Some((step, k)) => Some((step.parse().ok()?, k.parse().ok()?)),
        None => Some((rest.parse().ok()?, 0)),
    }
}

/// Verifies `folder` against its manifest (and `run_id`, if given); a folder without a manifest
/// (written before manifests) passes.
fn verify_folder(folder: &Path, run_id: Option<&str>) -> Result<(), TrainError> {
    match Manifest::read(folder)? {
        Some(manifest) => manifest.verify(folder, run_id),
        None => Ok(()),
    }
}

/// Writes `model`'s parameters and buffers to a burnpack file.
pub fn write_model<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    path: &Path,
) -> Result<(), TrainError> {
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

/// Reads a burnpack file written by [`write_model`] into `model`; every tensor must match. When
/// the file sits in a checkpoint folder whose manifest records the towers, a model of other
/// towers is refused first ([`TrainError::TowerMismatch`]), before any tensor is read.
pub fn read_model<I: ImageTower, T: TextTower>(
    mut model: ConvirtModel<I, T>,
    path: &Path,
) -> Result<ConvirtModel<I, T>, TrainError> {
    if !path.is_file() {
        return Err(TrainError::io(path, "no such file"));
    }
    if let Some(folder) = path.parent()
        && let Some(manifest) = Manifest::read(folder)?
    {
        manifest.check_towers(folder, &model.towers())?;
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
