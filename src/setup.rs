//! First-run setup for the examples and `convirt eval compare`: the assets (MiniLM, IU reports,
//! lung masks) and the SynthCXR sets, each fetched or generated only when missing.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use convirt_data::synth::{SynthOptions, SynthSet, generate};
use convirt_text_sampler::assets;

/// Runs `scripts/fetch-assets.sh` of the checkout at `repo_root` unless MiniLM's tokenizer and
/// the lung masks are already in the assets folder; returns the seconds spent.
pub fn fetch_assets(repo_root: &Path) -> Result<f64, String> {
    let clock = Instant::now();
    let dir = assets::assets_dir();
    if dir.join(assets::MINILM_TOKENIZER).is_file() && dir.join(assets::LUNG_MASKS).is_file() {
        return Ok(clock.elapsed().as_secs_f64());
    }
    let script = repo_root.join("scripts/fetch-assets.sh");
    let status = Command::new("bash")
        .arg(&script)
        .status()
        .map_err(|e| format!("{}: {e}", script.display()))?;
    if !status.success() {
        return Err(format!("{} failed ({status})", script.display()));
    }
    Ok(clock.elapsed().as_secs_f64())
}

/// Generates the SynthCXR `sets` below `dir` (`dir/pairs`, `dir/cls`, `dir/retrieval`) with
/// their default parameters, each only when its folder does not already hold it; prints one
/// line per set to standard error and returns the seconds spent.
pub fn synthcxr(dir: &Path, sets: &[SynthSet]) -> Result<f64, convirt_data::DataError> {
    let clock = Instant::now();
    for &set in sets {
        // The demo and the comparison stay on v1 until issue 18 moves them to v2.
        let generated = generate(set, &SynthOptions::v1(dir.join(set.name())))?;
        eprintln!(
            "SynthCXR {}: {} images{}",
            set.name(),
            generated.manifest.entries.len(),
            if generated.cached {
                " (cached)".to_string()
            } else {
                format!(", rendered in {:.1} s", generated.seconds)
            }
        );
    }
    Ok(clock.elapsed().as_secs_f64())
}
