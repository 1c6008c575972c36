//! [`SynthOptions`]: which set to generate, where, and how ([`SynthSet`], [`ImageFormat`]).

use std::path::PathBuf;

use convirt_text_sampler::assets;

/// The SynthCXR sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynthSet {
    /// The IU reports, each rendered `per_report` times, split by report 80/10/10.
    Pairs,
    /// 10,000 / 1,000 / 2,000 labelled images for classification.
    Cls,
    /// ConVIRT's retrieval format: 200 candidates and 10 image queries per category (v1: 7
    /// categories; v2: 8, queries rendered from test-split reports).
    Retrieval,
    /// v2 only: a second retrieval set from other seeds, its queries rendered from
    /// validation-split reports, for calibration and choosing presets (never for reporting).
    RetrievalVal,
}

impl SynthSet {
    /// `pairs`, `cls` or `retrieval`.
    pub fn name(self) -> &'static str {
        match self {
            SynthSet::Pairs => "pairs",
            SynthSet::Cls => "cls",
            SynthSet::Retrieval => "retrieval",
            SynthSet::RetrievalVal => "retrieval-val",
        }
    }
}

/// Which SynthCXR: v1 (issue 6, seven categories) or v2 (issue 17, eighteen, the default).
/// Each keeps its renderer, so a v1 set regenerates bit for bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SynthVersion {
    /// SynthCXR v1: [`Family`](crate::synth::Family), renderer version 3.
    V1,
    /// SynthCXR v2: [`v2::Family`](crate::synth::v2::Family).
    #[default]
    V2,
}

impl SynthVersion {
    /// 1 or 2.
    pub fn number(self) -> u32 {
        match self {
            SynthVersion::V1 => 1,
            SynthVersion::V2 => 2,
        }
    }

    /// The version of a number.
    pub fn from_number(n: u32) -> Option<Self> {
        match n {
            1 => Some(SynthVersion::V1),
            2 => Some(SynthVersion::V2),
            _ => None,
        }
    }

    /// The label columns of this version's manifests, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            SynthVersion::V1 => &crate::synth::Family::NAMES,
            SynthVersion::V2 => &crate::synth::v2::Family::NAMES,
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
/// defaults: v2, 256 px, 2 renderings per report, PNG, seed 0, the assets of
/// `fetch-assets.sh`; [`SynthOptions::v1`] the same for v1.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// Which SynthCXR.
    pub version: SynthVersion,
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
            version: SynthVersion::V2,
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

    /// The defaults of SynthCXR v1, writing to `out`.
    pub fn v1(out: impl Into<PathBuf>) -> Self {
        Self {
            version: SynthVersion::V1,
            ..Self::new(out)
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
