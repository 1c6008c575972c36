//! `--data`: where the image–report pairs come from.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use convirt_data::{MimicConfig, PairExample, Split, read_mimic};

use crate::PretrainError;

/// A data source, written `KIND[:PATH]` on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// SynthCXR's `pairs` set (generated on first use), in the given folder or the cache.
    SynthCxr(Option<PathBuf>),
    /// MIMIC-CXR-JPG with its reports, at the dataset root.
    MimicCxr(PathBuf),
    /// CheXpert images with the CheXpert Plus reports CSV, at the dataset root.
    ChexpertPlus(PathBuf),
    /// IU X-ray (Open-i) XML reports with PNG images, at the dataset root.
    IuXray(PathBuf),
}

impl FromStr for DataSource {
    type Err = PretrainError;

    fn from_str(s: &str) -> Result<Self, PretrainError> {
        let (kind, path) = match s.split_once(':') {
            Some((k, p)) => (k, Some(PathBuf::from(p))),
            None => (s, None),
        };
        let need = |path: Option<PathBuf>| {
            path.filter(|p| !p.as_os_str().is_empty()).ok_or_else(|| {
                PretrainError::Config(format!("--data {kind} needs a dataset root: {kind}:ROOT"))
            })
        };
        match kind {
            "synthcxr" => Ok(Self::SynthCxr(path)),
            "mimic-cxr" => Ok(Self::MimicCxr(need(path)?)),
            "chexpert-plus" => Ok(Self::ChexpertPlus(need(path)?)),
            "iu-xray" => Ok(Self::IuXray(need(path)?)),
            other => Err(PretrainError::Config(format!(
                "unknown data source {other:?}: synthcxr[:DIR], mimic-cxr:ROOT, \
                 chexpert-plus:ROOT or iu-xray:ROOT"
            ))),
        }
    }
}

impl fmt::Display for DataSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SynthCxr(None) => write!(f, "synthcxr"),
            Self::SynthCxr(Some(p)) => write!(f, "synthcxr:{}", p.display()),
            Self::MimicCxr(p) => write!(f, "mimic-cxr:{}", p.display()),
            Self::ChexpertPlus(p) => write!(f, "chexpert-plus:{}", p.display()),
            Self::IuXray(p) => write!(f, "iu-xray:{}", p.display()),
        }
    }
}

impl DataSource {
    /// The pairs of `split`, one example per study or report.
    pub fn examples(&self, split: Split) -> Result<Vec<PairExample>, PretrainError> {
        match self {
            Self::MimicCxr(root) => {
                let data = read_mimic(&MimicConfig::new(root))?;
                Ok(data.split(split).map(PairExample::from).collect())
            }
            Self::SynthCxr(dir) => crate::synth_pairs::examples(dir.as_deref(), split),
            Self::ChexpertPlus(root) => crate::other_sources::chexpert_plus(root, split),
            Self::IuXray(root) => crate::other_sources::iu_xray(root, split),
        }
    }
}
