//! [`Manifest`]: what a generated set holds, one [`Entry`] per image, in `manifest.csv`:
//! `path,report_id,split,seed,<one column per category>,findings`.
//!
//! `path` is relative to the set's folder; `report_id` is empty outside `pairs` and the
//! retrieval queries; the category columns (v1: [`Family::NAMES`], v2:
//! [`v2::Family::NAMES`](crate::synth::v2::Family::NAMES)) are `1`/`0`; `findings` lists the
//! drawn findings as their label texts (v1 [`Finding::label`], v2
//! [`v2::Finding::label`](crate::synth::v2::Finding::label)) joined by `;`.

use std::path::{Path, PathBuf};

use crate::synth::split::split_name;
use crate::synth::{Family, Finding, SynthVersion, v2};
use crate::table::Table;
use crate::{DataError, SkipPolicy, Split};

/// The manifest's file name inside a set's folder.
pub const MANIFEST_FILE: &str = "manifest.csv";

/// One generated image.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The image, relative to the set's folder.
    pub path: String,
    /// The IU report it renders (`pairs` only).
    pub report_id: Option<String>,
    /// Its split.
    pub split: Split,
    /// The renderer seed it was drawn with.
    pub seed: u64,
    /// Its labels, one per category column of its version; `Normal` is set for normal images.
    pub labels: Vec<bool>,
    /// The findings drawn, as their label texts.
    pub findings: Vec<String>,
}

/// A category of one SynthCXR version: its position among the manifest's label columns.
pub trait Category: Copy {
    /// The column index.
    fn column(self) -> usize;
}

impl Category for Family {
    fn column(self) -> usize {
        self.index()
    }
}

impl Category for v2::Family {
    fn column(self) -> usize {
        self.index()
    }
}

impl Entry {
    /// Whether the image is labelled with `category` (of the entry's own version).
    pub fn has(&self, category: impl Category) -> bool {
        self.labels.get(category.column()).copied().unwrap_or(false)
    }
}

/// A set's folder and its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The set's folder (entries' paths are relative to it).
    pub dir: PathBuf,
    /// Its version (known from its label columns).
    pub version: SynthVersion,
    /// The images, in generation order.
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// The entries of one split.
    pub fn split(&self, split: Split) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.split == split)
    }

    /// The label column of category `name`, if this version has it.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.version.columns().iter().position(|c| *c == name)
    }

    /// The absolute path of an entry's image.
    pub fn image_path(&self, entry: &Entry) -> PathBuf {
        self.dir.join(&entry.path)
    }
}

/// Writes `entries` of `version` to `dir/manifest.csv`.
pub fn write_manifest(
    dir: &Path,
    version: SynthVersion,
    entries: &[Entry],
) -> Result<(), DataError> {
    let file = dir.join(MANIFEST_FILE);
    let mut text = String::from("path,report_id,split,seed");
    for name in version.columns() {
        text.push(',');
        text.push_str(name);
    }
    text.push_str(",findings\n");
    for e in entries {
        text.push_str(&format!(
            "{},{},{},{}",
            e.path,
            e.report_id.as_deref().unwrap_or(""),
            split_name(e.split),
            e.seed
        ));
        for &l in &e.labels {
            text.push_str(if l { ",1" } else { ",0" });
        }
        text.push(',');
        text.push_str(&e.findings.join(";"));
        text.push('\n');
    }
    std::fs::write(&file, text).map_err(|e| DataError::io(&file, e))
}

/// Reads `dir/manifest.csv` of either version (told apart by its columns); any malformed row,
/// label or finding is an error naming the file and line.
pub fn read_manifest(dir: impl AsRef<Path>) -> Result<Manifest, DataError> {
    let dir = dir.as_ref();
    let table = Table::open(dir.join(MANIFEST_FILE))?;
    let version = if SynthVersion::V2
        .columns()
        .iter()
        .all(|c| table.column(c).is_ok())
    {
        SynthVersion::V2
    } else {
        SynthVersion::V1
    };
    let path = table.column("path")?;
    let report = table.column("report_id")?;
    let split = table.column("split")?;
    let seed = table.column("seed")?;
    let findings = table.column("findings")?;
    let families = version
        .columns()
        .iter()
        .map(|n| table.column(n))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = table.rows(SkipPolicy::Fail, |row| {
        let mut labels = vec![false; families.len()];
        for (k, &column) in families.iter().enumerate() {
            labels[k] = match row.get(column) {
                "1" => true,
                "0" => false,
                other => return Err(row.bad_field(column, format!("{other:?} is not 0 or 1"))),
            };
        }
        let text = row.get(findings);
        let parsed = text
            .split(';')
            .filter(|t| !t.is_empty())
            .map(|t| {
                let ok = match version {
                    SynthVersion::V1 => Finding::parse(t).is_some(),
                    SynthVersion::V2 => v2::Finding::parse(t).is_some(),
                };
                ok.then(|| t.to_owned())
                    .ok_or_else(|| row.bad_field(findings, format!("{t:?} is not a finding")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let id = row.get(report);
        Ok(Entry {
            path: row.get(path).to_owned(),
            report_id: (!id.is_empty()).then(|| id.to_owned()),
            split: Split::from_row(row, split)?,
            seed: row.parse(seed)?,
            labels,
            findings: parsed,
        })
    })?;
    Ok(Manifest {
        dir: dir.to_path_buf(),
        version,
        entries: loaded.records,
    })
}
