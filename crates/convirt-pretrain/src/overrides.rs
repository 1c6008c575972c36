//! `--set KEY=VALUE` overrides for any TOML-shaped settings ([`PretrainOptions`], `convirt::compare::CompareConfig`).
//!
//! [`PretrainOptions`]: crate::PretrainOptions

use serde::Serialize;
use serde::de::DeserializeOwned;

/// `value` with `key=value` overrides applied, keys dotted as in the TOML
/// (`train.learning_rate=3e-4`, `pretrain.arch=resnet50`). Values are TOML values; a bare word is
/// taken as a string. An unknown key is an error when the settings deny unknown fields.
///
/// ```
/// use convirt_pretrain::PretrainOptions;
/// let options = convirt_pretrain::overrides::with_overrides(
///     &PretrainOptions::paper(),
///     &["train.learning_rate=3e-4".into(), "arch=resnet18".into()],
/// )?;
/// assert_eq!((options.arch.as_str(), options.train.learning_rate), ("resnet18", 3e-4));
/// # Ok::<(), String>(())
/// ```
pub fn with_overrides<T: Serialize + DeserializeOwned>(
    value: &T,
    overrides: &[String],
) -> Result<T, String> {
    let text = toml::to_string(value).map_err(|e| e.to_string())?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    for item in overrides {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| format!("override {item:?} is not key=value"))?;
        let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        let mut slot = &mut table;
        let parts: Vec<&str> = key.trim().split('.').collect();
        for part in &parts[..parts.len() - 1] {
            slot = slot
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| format!("{key}: {part} is not a table"))?;
        }
        slot.insert(parts[parts.len() - 1].to_string(), value);
    }
    let text = toml::to_string(&table).map_err(|e| e.to_string())?;
    toml::from_str(&text).map_err(|e| e.to_string())
}
