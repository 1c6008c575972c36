//! `convirt eval compare`: ConVIRT against its baselines on SynthCXR, for a model of any towers, the paper's Table 1 in
//! miniature. Four image encoders — random init, SimCLR, Contrastive-Binary and ConVIRT, each
//! pretrained with the same recipe, steps and images — are judged by the linear probe and
//! fine-tuning at 1/10/100 % of `cls`'s labels and by zero-shot retrieval on `retrieval`, over
//! several seeds; the paper's claims are tested by paired comparisons across the seeds.
//!
//! The run is resumable: each method × seed is a unit saved as `units/<method>-seed<s>.json`
//! once done (a pretraining cut short resumes from its last checkpoint), and a second call skips
//! what is finished. The output folder:
//!
//! | path | what |
//! |---|---|
//! | `config.toml` | the [`CompareConfig`] (a different one in the same folder is refused) |
//! | `runs/<method>-seed<s>/` | each pretraining run (checkpoints, metrics, loss curve) |
//! | `units/<method>-seed<s>.json` | each unit's [`UnitResult`] |
//! | `results.json` | [`Results`]: per method and protocol, fraction → mean, sd, ci95, seeds |
//! | `report.md` | the tables and the claims |
//! | `roc-linear.png`, `roc-finetune.png`, `figures/` | ROC curves and retrieval grids |
//!
//! | file | what it holds |
//! |---|---|
//! | [`config`] | [`CompareConfig`], [`Method`] |
//! | [`unit`] | [`run_unit`]: one method at one seed; [`ModelFactory`], what each unit starts from |
//! | [`results`] | [`Results`]: gathering and the claims |
//! | `report` | `report.md`, `results.json` and the ROC figures |
//! | [`error`] | [`CompareError`] |

pub mod config;
pub mod error;
mod report;
pub mod results;
pub mod unit;

use std::path::Path;

use burn::tensor::Device;
use convirt_data::synth::Family;
use convirt_encoders::{ImageTower, TextTower};

pub use config::{CompareConfig, FinetuneBudget, Method, file_sha256};
pub use error::CompareError;
pub use results::{Claim, Results, SeedStat};
pub use unit::{
    ModelFactory, Sets, UnitResult, initial_model, read_unit, run_unit, unit_file, unit_name,
};

use crate::protocol::probe::ProbeSet;
use crate::protocol::retrieval::RetrievalSet;

use convirt_pretrain::tokenizer;

/// What [`compare`] did.
#[derive(Debug)]
pub struct CompareRun {
    /// The gathered results (also in `results.json`).
    pub results: Results,
    /// Units run by this call.
    pub ran: usize,
    /// Units found finished and skipped.
    pub skipped: usize,
}

impl CompareRun {
    /// One JSON line: units run and skipped, and each claim's verdict with its difference.
    pub fn summary_line(&self, out: &Path) -> String {
        let claims: serde_json::Map<String, serde_json::Value> = self
            .results
            .claims
            .iter()
            .map(|c| {
                let value = serde_json::json!({
                    "verdict": c.verdict,
                    "difference": c.difference,
                    "ci95": c.ci95,
                });
                (c.key.clone(), value)
            })
            .collect();
        serde_json::json!({
            "what": "compare",
            "out": out.display().to_string(),
            "ran": self.ran,
            "skipped": self.skipped,
            "claims": claims,
        })
        .to_string()
    }
}

/// Copies the report of `out` (config, results, report, ROC figures, retrieval grids and unit
/// files; not the pretraining runs) into `dest`, for committing.
pub fn publish(out: &Path, dest: &Path) -> Result<(), CompareError> {
    for folder in [dest.to_path_buf(), dest.join("figures"), dest.join("units")] {
        std::fs::create_dir_all(&folder).map_err(|e| CompareError::io(&folder, e))?;
    }
    let mut files: Vec<std::path::PathBuf> = [
        "config.toml",
        "results.json",
        "report.md",
        "roc-linear.png",
        "roc-finetune.png",
    ]
    .iter()
    .map(|f| out.join(f))
    .collect();
    for folder in ["figures", "units"] {
        let dir = out.join(folder);
        let entries = std::fs::read_dir(&dir).map_err(|e| CompareError::io(&dir, e))?;
        files.extend(entries.flatten().map(|e| e.path()));
    }
    for file in files {
        let relative = file.strip_prefix(out).unwrap_or(&file);
        let target = dest.join(relative);
        std::fs::copy(&file, &target).map_err(|e| CompareError::io(&file, e))?;
    }
    Ok(())
}

/// Runs (or continues) the comparison `config` in `out` on `device`, then writes the report;
/// every unit's model comes from `factory` (towers of any kind: the root crate's
/// `convirt::compare::compare` passes the built-in ones `config.pretrain.arch` names). `command`
/// is the command line quoted in the report. Progress goes to standard error.
pub fn compare_with<I: ImageTower, T: TextTower>(
    config: &CompareConfig,
    out: &Path,
    device: &Device,
    command: &str,
    factory: &ModelFactory<'_, I, T>,
) -> Result<CompareRun, CompareError> {
    if config.methods.is_empty() || config.seeds == 0 || config.fractions.is_empty() {
        return Err(CompareError::Config(
            "at least one method, one seed and one fraction".into(),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| CompareError::io(out, e))?;
    let config_path = out.join("config.toml");
    let hash = config.config_hash()?;
    if config_path.is_file() {
        let text =
            std::fs::read_to_string(&config_path).map_err(|e| CompareError::io(&config_path, e))?;
        let earlier = CompareConfig::from_toml(&text)?;
        if earlier.config_hash()? != hash {
            return Err(CompareError::Config(format!(
                "{} holds a comparison with another configuration; use a new output folder",
                out.display()
            )));
        }
    }
    unit::write_atomically(&config_path, &config.to_toml()?)?;
    let queries_sha = file_sha256(&config.text_queries)?;
    let pretrain_error = |source| CompareError::Pretrain {
        unit: "setup".into(),
        source: Box::new(source),
    };
    let setup_error = |source| CompareError::Probe {
        unit: "setup".into(),
        source: Box::new(source),
    };
    let cls = ProbeSet::synthcxr_cls(&config.cls).map_err(setup_error)?;
    let sets = Sets {
        cls_images: cls
            .decode(config.pretrain.image_size)
            .map_err(setup_error)?,
        cls,
        retrieval: RetrievalSet::read(
            &config.retrieval,
            &Family::NAMES,
            Some(&config.text_queries),
        )
        .map_err(|e| CompareError::io(&config.retrieval, e))?,
        tokenizer: tokenizer(&config.pretrain).map_err(pretrain_error)?,
    };
    let commit = git_commit();
    let (mut ran, mut skipped) = (0, 0);
    let mut units: Vec<(Method, Vec<UnitResult>)> =
        config.methods.iter().map(|&m| (m, Vec::new())).collect();
    for seed in 0..config.seeds {
        for (method, done) in &mut units {
            let path = unit_file(out, *method, seed);
            let result = if path.is_file() {
                skipped += 1;
                read_unit(&path)?
            } else {
                eprintln!("[compare] {} …", unit_name(*method, seed));
                let result = run_unit(config, *method, seed, &sets, out, device, &commit, factory)?;
                ran += 1;
                let s = &result.seconds;
                eprintln!(
                    "[compare] {}: linear {:.3} / fine-tune {:.3} at {} % (pretrain {:.0} s, probe {:.0} s, fine-tune {:.0} s, retrieval {:.0} s)",
                    unit_name(*method, seed),
                    result.linear[0].mean,
                    result.finetune[0].mean,
                    config.fractions[0],
                    s.pretrain,
                    s.linear,
                    s.finetune,
                    s.retrieval
                );
                result
            };
            done.push(result);
        }
    }
    let borrowed: Vec<results::MethodUnits> = units
        .iter()
        .map(|(m, u)| (*m, u.iter().collect()))
        .collect();
    let results = results::gather(
        &borrowed,
        &config.fractions,
        commit,
        hash,
        queries_sha,
        config.seeds,
    )?;
    report::write_report(out, config, &borrowed, &results, command)?;
    Ok(CompareRun {
        results,
        ran,
        skipped,
    })
}

/// The checkout's commit (`git rev-parse --short=12 HEAD`), `-dirty` with uncommitted changes
/// to tracked files; `unknown` outside a git checkout.
pub fn git_commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{commit}-dirty")
            } else {
                commit
            }
        }
        None => "unknown".into(),
    }
}
