//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use convirt_text_sampler::assets;

/// The path of a real asset, or a panic that says to run `scripts/fetch-assets.sh`.
pub fn asset(relative: &str) -> PathBuf {
    assets::require(relative).unwrap_or_else(|e| panic!("{e}"))
}

/// Writes `bytes` to `dir/name`, creating parent folders.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, bytes).expect("write");
    path
}

/// An IU X-ray XML report with the given sections and MeSH `<major>` terms.
pub fn iu_xml(id: &str, findings: &str, impression: &str, majors: &[&str]) -> String {
    let majors: String = majors
        .iter()
        .map(|m| format!("<major>{m}</major>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<eCitation>
   <meta type="rr"/>
   <uId id="{id}"/>
   <MedlineCitation><Article><Abstract>
      <AbstractText Label="COMPARISON">None.</AbstractText>
      <AbstractText Label="INDICATION">XXXX-year-old male, chest pain.</AbstractText>
      <AbstractText Label="FINDINGS">{findings}</AbstractText>
      <AbstractText Label="IMPRESSION">{impression}</AbstractText>
   </Abstract></Article></MedlineCitation>
   <MeSH>{majors}<automatic>Lung</automatic></MeSH>
   <parentImage id="{id}_IM-0001-1001"><figureId>F1</figureId></parentImage>
   <parentImage id="{id}_IM-0001-2001"><figureId>F2</figureId></parentImage>
</eCitation>
"#
    )
}
