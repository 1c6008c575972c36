//! What a `--resume` may change: [`check_resume`] compares the settings given with the run's
//! own, key by key, before anything is written.

use std::collections::BTreeMap;
use std::path::Path;

use convirt_train::TrainError;

use crate::{PretrainError, PretrainOptions};

/// Settings that never change what a run computes: a resume may always change them.
pub const ALWAYS_ALLOWED: [&str; 2] = ["time_budget_s", "loader_threads"];

/// Checks that `options` continue the run in `run_dir`: every setting equals the one in its
/// `config.toml`, except [`ALWAYS_ALLOWED`] and the dotted keys in `allowed` (e.g.
/// `train.max_steps`, `batch_size`). The differences are named, `key: old -> new`. A run folder
/// without a `config.toml` has nothing to compare (the trainer then decides).
///
/// ```
/// use convirt_pretrain::{PretrainOptions, check_resume};
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("config.toml"), PretrainOptions::cpu().to_toml()?)?;
/// let mut other = PretrainOptions::cpu();
/// other.batch_size = 16;
/// other.time_budget_s = Some(60.0);
/// let refused = check_resume(dir.path(), &other, &[]).unwrap_err().to_string();
/// assert!(refused.contains("batch_size: 32 -> 16") && !refused.contains("time_budget_s"));
/// assert!(check_resume(dir.path(), &other, &["batch_size".into()]).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_resume(
    run_dir: &Path,
    options: &PretrainOptions,
    allowed: &[String],
) -> Result<(), PretrainError> {
    let path = run_dir.join("config.toml");
    if !path.is_file() {
        return Ok(());
    }
    let saved = PretrainOptions::from_file(&path)?;
    let (old, new) = (flatten(&saved)?, flatten(options)?);
    let keys: Vec<String> = old
        .keys()
        .chain(new.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .filter(|key| !ALWAYS_ALLOWED.contains(&key.as_str()))
        .filter(|key| !allowed.iter().any(|a| a == *key))
        .map(|key| {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "unset".into());
            format!("{key}: {} -> {}", show(old.get(key)), show(new.get(key)))
        })
        .collect();
    if keys.is_empty() {
        Ok(())
    } else {
        Err(TrainError::ChangedSettings { path, keys }.into())
    }
}

/// The settings as dotted keys and their TOML values.
fn flatten(options: &PretrainOptions) -> Result<BTreeMap<String, String>, PretrainError> {
    let table: toml::Table =
        toml::from_str(&options.to_toml()?).map_err(|e| PretrainError::Config(e.to_string()))?;
    let mut out = BTreeMap::new();
    walk("", &table, &mut out);
    Ok(out)
}

fn walk(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let key = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => walk(&key, inner, out),
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}
