//! [`SynthOptions`]: which set to generate, where, and how ([`SynthSet`], [`ImageFormat`]).

use std::path::PathBuf;

use convirt_text_sampler::assets;

/// The three SynthCXR sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynthSet {
    /// The IU reports, each rendered `per_report` times, split by report 80/10/10.
    Pairs,
    /// 10,000 / 1,000 / 2,000 labelled images for classification.
    Cls,
    /// ConVIRT's retrieval format: 7 × 200 candidates, 7 × 10 image queries.
    Retrieval,
}

impl SynthSet {
    /// `pairs`, `cls` or `retrieval`.
    pub fn name(self) -> &'static str {
        match self {
            SynthSet::Pairs => "pairs",
            SynthSet::Cls => "cls",
            SynthSet::Retrieval => "retrieval",
        }
    }
}

/// The image file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// 8-bit gray PNG (fast compression).
    Png,
    /// 8-bit gray JPEG, quality 95.
    Jpg,
}

impl ImageFormat {
    /// `png` or `jpg`: the file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpg => "jpg",
        }
    }
}

/// Everything [`generate`](crate::synth::generate) needs. [`SynthOptions::new`] gives the
/// defaults: 256 px, 2 renderings per report, PNG, seed 0, the assets of `fetch-assets.sh`.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// The set's folder.
    pub out: PathBuf,
    /// Image side in pixels.
    pub size: usize,
    /// `pairs`: renderings per report (K).
    pub per_report: usize,
    /// The image format.
    pub format: ImageFormat,
    /// The set seed; each set and role draws from its own domain of it.
    pub seed: u64,
    /// The lung masks zip.
    pub masks: PathBuf,
    /// The IU reports `.tgz` (`pairs` only).
    pub reports: PathBuf,
    /// Per-set image counts, to generate a smaller set (tests, benchmarks): `cls` train, val,
    /// test; `retrieval` candidates and queries per category; `None` is the sizes.
    pub counts: Option<[usize; 3]>,
}

impl SynthOptions {
    /// The defaults, writing to `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        let dir = assets::assets_dir();
        Self {
            out: out.into(),
            size: 256,
            per_report: 2,
            format: ImageFormat::Png,
            seed: 0,
            masks: dir.join(assets::LUNG_MASKS),
            reports: dir.join(assets::IU_REPORTS),
            counts: None,
        }
    }

    /// The `cls` counts (train, val, test): 10,000, 1,000, 2,000 unless overridden.
    pub fn cls_counts(&self) -> [usize; 3] {
        self.counts.unwrap_or([10_000, 1_000, 2_000])
    }

    /// The `retrieval` counts per category (candidates, queries): 200 and 10 unless overridden.
    pub fn retrieval_counts(&self) -> [usize; 2] {
        match self.counts {
            Some([c, q, _]) => [c, q],
            None => [200, 10],
        }
    }
}
