//! What pretraining optimises: ConVIRT, or one of the paper's two baselines.

use std::fmt;
use std::str::FromStr;

use convirt_loss::{BinaryContrastiveLoss, ContrastiveLoss, ConvirtLoss, NtXentLoss};
use serde::{Deserialize, Serialize};

use crate::TrainError;

/// The pretraining objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Bidirectional image–text InfoNCE, weighted by λ (the paper's method).
    #[default]
    Convirt,
    /// Image-only NT-Xent between two augmented views of each image (the SimCLR baseline).
    Simclr,
    /// Image–text pairs scored as true/false by a logistic loss (the Contrastive-Binary baseline).
    Binary,
}

impl Objective {
    /// The loss for this objective at temperature `tau` (and, for ConVIRT, weight `lambda`).
    pub fn loss(
        self,
        tau: f64,
        lambda: f64,
    ) -> Result<Box<dyn ContrastiveLoss + Send>, TrainError> {
        let bad = |e: convirt_loss::LossError| TrainError::Model(e.to_string());
        Ok(match self {
            Self::Convirt => Box::new(ConvirtLoss::new(tau, lambda).map_err(bad)?),
            Self::Simclr => Box::new(NtXentLoss::new(tau).map_err(bad)?),
            Self::Binary => Box::new(BinaryContrastiveLoss::new(tau).map_err(bad)?),
        })
    }

    /// Whether each step needs a second augmented view of every image.
    pub fn needs_two_views(self) -> bool {
        self == Self::Simclr
    }

    /// Whether the text tower takes part.
    pub fn uses_text(self) -> bool {
        self != Self::Simclr
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Convirt => "convirt",
            Self::Simclr => "simclr",
            Self::Binary => "binary",
        })
    }
}

impl FromStr for Objective {
    type Err = TrainError;

    fn from_str(s: &str) -> Result<Self, TrainError> {
        match s {
            "convirt" => Ok(Self::Convirt),
            "simclr" => Ok(Self::Simclr),
            "binary" => Ok(Self::Binary),
            other => Err(TrainError::Model(format!(
                "unknown objective {other:?} (convirt, simclr or binary)"
            ))),
        }
    }
}
