//! SynthCXR's `pairs` set as image–report examples: each IU report with its K renderings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use convirt_data::synth::jobs::read_reports;
use convirt_data::synth::{SynthOptions, SynthSet, generate};
use convirt_data::{PairExample, ReportText, Split};
use convirt_text_sampler::assets;

use crate::PretrainError;

/// Where SynthCXR sets live unless a folder is given: `synthcxr/` beside the assets.
pub fn default_dir() -> PathBuf {
    assets::assets_dir()
        .parent()
        .map_or_else(|| PathBuf::from("synthcxr"), |p| p.join("synthcxr"))
}

/// The `pairs` set's examples of `split`, generating the set first if it is not cached in
/// `dir/pairs` (default: [`default_dir`]). One example per report, grouping its renderings.
/// Reports with neither Findings nor Impression text (28 of the 3,955) have no sentence to pair
/// and are left out.
pub fn examples(dir: Option<&Path>, split: Split) -> Result<Vec<PairExample>, PretrainError> {
    let dir = dir.map_or_else(default_dir, Path::to_path_buf);
    // The pretraining pipeline stays on v1 until issue 18 moves it to v2.
    let options = SynthOptions::v1(dir.join("pairs"));
    let generated = generate(SynthSet::Pairs, &options)?;
    let reports: BTreeMap<String, _> = read_reports(&options.reports)?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let manifest = &generated.manifest;
    let mut grouped: BTreeMap<&str, Vec<PathBuf>> = BTreeMap::new();
    for entry in manifest.split(split) {
        let id = entry.report_id.as_deref().ok_or_else(|| {
            PretrainError::Config(format!("{}: pairs entry without report id", entry.path))
        })?;
        grouped
            .entry(id)
            .or_default()
            .push(manifest.image_path(entry));
    }
    grouped
        .into_iter()
        .filter(|(id, _)| reports.get(*id).is_none_or(|r| !r.is_empty()))
        .map(|(id, images)| {
            let report = reports.get(id).ok_or_else(|| {
                PretrainError::Config(format!(
                    "{}: report {id} of the manifest is not in {}",
                    manifest.dir.display(),
                    options.reports.display()
                ))
            })?;
            Ok(PairExample {
                group: id.to_string(),
                images,
                report: ReportText::Parsed(report.clone()),
            })
        })
        .collect()
}
