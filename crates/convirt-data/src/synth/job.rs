//! [`Job`]: one image to render — its manifest [`Entry`] and the typed findings of its version.

use crate::synth::manifest::Entry;
use crate::synth::{Finding, v2};

/// The findings to draw, in the types of the version that draws them.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// SynthCXR v1.
    V1(Vec<Finding>),
    /// SynthCXR v2.
    V2(Vec<v2::Finding>),
}

/// One image of a set: where it goes and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Its manifest row (path, split, seed, labels, findings as text).
    pub entry: Entry,
    /// Its findings.
    pub draw: Draw,
}

impl Job {
    /// A v1 job; the entry's findings text is filled from `findings`.
    pub fn v1(mut entry: Entry, findings: Vec<Finding>) -> Self {
        entry.findings = findings.iter().map(Finding::label).collect();
        Job {
            entry,
            draw: Draw::V1(findings),
        }
    }

    /// A v2 job; the entry's findings text is filled from `findings`.
    pub fn v2(mut entry: Entry, findings: Vec<v2::Finding>) -> Self {
        entry.findings = findings.iter().map(v2::Finding::label).collect();
        Job {
            entry,
            draw: Draw::V2(findings),
        }
    }
}
