//! [`generate`]: renders a set into its folder with its manifest, cached by a parameter stamp.

use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

use convirt_augment::Image;
use rayon::prelude::*;

use crate::DataError;
use crate::synth::job::{Draw, Job};
use crate::synth::manifest::{Entry, Manifest, read_manifest, write_manifest};
use crate::synth::{
    Family, ImageFormat, LungMasks, Renderer, SynthOptions, SynthSet, SynthVersion, jobs, v2,
};

/// The stamp file recording the parameters a set was generated with.
pub const STAMP_FILE: &str = "stamp.json";

/// Bumped whenever the v1 renderer's output changes, so cached sets are regenerated.
pub const RENDERER_VERSION: u32 = 3;

/// The v2 renderer's version: bumped at every change of its output; the calibration log in
/// `docs/synthcxr.md` gives each version's gate numbers.
pub const V2_RENDERER_VERSION: u32 = 12;

/// What [`generate`] did.
#[derive(Debug)]
pub struct Generated {
    /// The set's manifest.
    pub manifest: Manifest,
    /// True when the folder already held this set with these parameters (nothing rendered).
    pub cached: bool,
    /// Images rendered and written (0 when cached).
    pub rendered: usize,
    /// Seconds spent rendering and writing them.
    pub seconds: f64,
    /// Lung mask members skipped as unusable.
    pub masks_skipped: usize,
    /// The rayon threads that rendered.
    pub threads: usize,
}

/// The parameters that define a set's content, as the stamp's JSON.
fn stamp(set: SynthSet, options: &SynthOptions) -> String {
    if options.version == SynthVersion::V2 {
        return serde_json::json!({
            "set": set.name(),
            "synth_version": 2,
            "renderer_version": V2_RENDERER_VERSION,
            "size": options.size,
            "per_report": if set == SynthSet::Pairs { options.per_report } else { 0 },
            "format": options.format.extension(),
            "seed": options.seed,
            "counts": options.counts,
        })
        .to_string();
    }
    serde_json::json!({
        "set": set.name(),
        "renderer_version": RENDERER_VERSION,
        "size": options.size,
        "per_report": if set == SynthSet::Pairs { options.per_report } else { 0 },
        "format": options.format.extension(),
        "seed": options.seed,
        "counts": options.counts,
    })
    .to_string()
}

/// Generates `set` of `options.version` into `options.out`: `manifest.csv`, `stamp.json`, the
/// images, and for the retrieval sets also `candidate.csv` (`Path` + one column per category)
/// and `query.csv` (`Variable,Path`); v2's also `report_queries.csv` (`Variable,Text`: positive
/// sentences of the split's reports, never committed). Images render in parallel (rayon); each
/// depends only on its entry.
///
/// When `out/stamp.json` records the same parameters, nothing is rendered and the manifest is
/// read back (`cached`). Otherwise the set's image folders are cleared and regenerated.
pub fn generate(set: SynthSet, options: &SynthOptions) -> Result<Generated, DataError> {
    let out = options.out.as_path();
    let stamp_text = stamp(set, options);
    let stamp_file = out.join(STAMP_FILE);
    if std::fs::read_to_string(&stamp_file).is_ok_and(|s| s.trim() == stamp_text) {
        return Ok(Generated {
            manifest: read_manifest(out)?,
            cached: true,
            rendered: 0,
            seconds: 0.0,
            masks_skipped: 0,
            threads: rayon::current_num_threads(),
        });
    }
    if options.size == 0 {
        return Err(DataError::Missing {
            file: out.to_path_buf(),
            what: "an image size of at least 1 px".into(),
        });
    }
    let masks = LungMasks::open(&options.masks)?;
    let masks_skipped = masks.skipped.count;
    // Only the version's own renderer is built (each holds the lung shapes).
    let (renderer, renderer_v2) = match options.version {
        SynthVersion::V1 => (Some(Renderer::new(masks)), None),
        SynthVersion::V2 => (None, Some(v2::Renderer::new(masks))),
    };
    let mut report_sentences = Vec::new();
    let (entries, queries): (Vec<Job>, Vec<Job>) = match (options.version, set) {
        (SynthVersion::V1, SynthSet::Pairs) => (
            jobs::pairs(options, &jobs::read_reports(&options.reports)?),
            vec![],
        ),
        (SynthVersion::V1, SynthSet::Cls) => (jobs::cls(options), vec![]),
        (SynthVersion::V1, SynthSet::Retrieval) => jobs::retrieval(options),
        (SynthVersion::V1, SynthSet::RetrievalVal) => {
            return Err(DataError::Missing {
                file: out.to_path_buf(),
                what: "SynthCXR v2 (retrieval-val is a v2 set)".into(),
            });
        }
        (SynthVersion::V2, SynthSet::Pairs) => (
            v2::jobs::pairs(options, &jobs::read_reports(&options.reports)?),
            vec![],
        ),
        (SynthVersion::V2, SynthSet::Cls) => (v2::jobs::cls(options), vec![]),
        (SynthVersion::V2, SynthSet::Retrieval | SynthSet::RetrievalVal) => {
            let r = v2::jobs::retrieval(options, &jobs::read_reports(&options.reports)?, set);
            report_sentences = r.report_sentences;
            (r.candidates, r.queries)
        }
    };
    let _ = std::fs::remove_file(&stamp_file);
    for dir in ["images", "candidates", "queries"] {
        let path = out.join(dir);
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| DataError::io(&path, e))?;
        }
    }
    let all: Vec<&Job> = entries.iter().chain(&queries).collect();
    let mut dirs: Vec<&Path> = all
        .iter()
        .filter_map(|j| Path::new(&j.entry.path).parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let path = out.join(dir);
        std::fs::create_dir_all(&path).map_err(|e| DataError::io(&path, e))?;
    }
    let start = Instant::now();
    all.par_iter().try_for_each(|j| {
        let e = &j.entry;
        let image = match (&j.draw, &renderer, &renderer_v2) {
            (Draw::V1(findings), Some(r), _) => r.render(findings, e.seed, options.size),
            (Draw::V2(findings), _, Some(r)) => r.render(findings, e.seed, options.size),
            _ => {
                return Err(DataError::Missing {
                    file: out.join(&e.path),
                    what: format!("a job of SynthCXR v{}", options.version.number()),
                });
            }
        };
        save_image(&image, &out.join(&e.path), options.format)
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let candidates: Vec<Entry> = entries.into_iter().map(|j| j.entry).collect();
    let queries: Vec<Entry> = queries.into_iter().map(|j| j.entry).collect();
    match (options.version, set) {
        (SynthVersion::V1, SynthSet::Retrieval) => {
            let columns: Vec<usize> = (0..Family::NAMES.len()).collect();
            write_retrieval_csvs(out, &Family::NAMES, &columns, &candidates, &queries)?;
        }
        (SynthVersion::V2, SynthSet::Retrieval | SynthSet::RetrievalVal) => {
            let columns: Vec<usize> = v2::jobs::RETRIEVAL.iter().map(|f| f.index()).collect();
            let names = v2::jobs::retrieval_names();
            write_retrieval_csvs(out, &names, &columns, &candidates, &queries)?;
            write_report_queries(out, &report_sentences)?;
        }
        _ => {}
    }
    let mut manifest_entries = candidates;
    manifest_entries.extend(queries);
    write_manifest(out, options.version, &manifest_entries)?;
    std::fs::write(&stamp_file, &stamp_text).map_err(|e| DataError::io(&stamp_file, e))?;
    Ok(Generated {
        rendered: manifest_entries.len(),
        manifest: Manifest {
            dir: out.to_path_buf(),
            version: options.version,
            entries: manifest_entries,
        },
        cached: false,
        seconds,
        masks_skipped,
        threads: rayon::current_num_threads(),
    })
}

/// Saves an image as 8-bit gray PNG (fast compression) or JPEG (quality 95).
pub fn save_image(image: &Image, file: &Path, format: ImageFormat) -> Result<(), DataError> {
    use image::ImageEncoder;
    let error = |message: String| DataError::Image {
        file: file.to_path_buf(),
        message,
    };
    let bytes = image.to_u8();
    let (w, h) = (image.width() as u32, image.height() as u32);
    let writer = BufWriter::new(std::fs::File::create(file).map_err(|e| DataError::io(file, e))?);
    match format {
        ImageFormat::Png => image::codecs::png::PngEncoder::new_with_quality(
            writer,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Sub,
        )
        .write_image(&bytes, w, h, image::ExtendedColorType::L8),
        ImageFormat::Jpg => image::codecs::jpeg::JpegEncoder::new_with_quality(writer, 95)
            .write_image(&bytes, w, h, image::ExtendedColorType::L8),
    }
    .map_err(|e| error(e.to_string()))
}

/// `candidate.csv` (CheXpert-like: `Path` and `1.0`/`0.0` per category, the categories
/// `names` at label `columns`) and `query.csv` (each query's first category present).
fn write_retrieval_csvs(
    out: &Path,
    names: &[&str],
    columns: &[usize],
    candidates: &[Entry],
    queries: &[Entry],
) -> Result<(), DataError> {
    let mut text = String::from("Path");
    for name in names {
        text.push(',');
        text.push_str(name);
    }
    text.push('\n');
    for e in candidates {
        text.push_str(&e.path);
        for &c in columns {
            let l = e.labels.get(c).copied().unwrap_or(false);
            text.push_str(if l { ",1.0" } else { ",0.0" });
        }
        text.push('\n');
    }
    let file = out.join("candidate.csv");
    std::fs::write(&file, text).map_err(|e| DataError::io(&file, e))?;
    let mut text = String::from("Variable,Path\n");
    for e in queries {
        let category = names
            .iter()
            .zip(columns)
            .find(|(_, c)| e.labels.get(**c).copied().unwrap_or(false))
            .map_or("Normal", |(n, _)| *n);
        text.push_str(&format!("{category},{}\n", e.path));
    }
    let file = out.join("query.csv");
    std::fs::write(&file, text).map_err(|e| DataError::io(&file, e))
}

/// `report_queries.csv` (`Variable,Text`): the positive report sentences of a v2 retrieval set.
fn write_report_queries(out: &Path, sentences: &[(v2::Family, String)]) -> Result<(), DataError> {
    let file = out.join("report_queries.csv");
    let error = |e: csv::Error| DataError::io(&file, std::io::Error::other(e));
    let mut w = csv::Writer::from_path(&file).map_err(error)?;
    w.write_record(["Variable", "Text"]).map_err(error)?;
    for (family, text) in sentences {
        w.write_record([family.name(), text.as_str()])
            .map_err(error)?;
    }
    w.flush().map_err(|e| DataError::io(&file, e))
}
