//! [`Family`]: the seven SynthCXR categories, and which IU MeSH descriptors map to each.

use std::collections::BTreeSet;

use convirt_text_sampler::MeshTerm;

/// A SynthCXR category: `Normal` (no finding) or one of six finding families.
///
/// The order is the column order of every SynthCXR CSV (manifest, `candidate.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// No finding (IU's `normal` term).
    Normal,
    /// An enlarged heart shadow (`Cardiomegaly`).
    Cardiomegaly,
    /// `Pleural Effusion`.
    Effusion,
    /// `Opacity`, `Airspace Disease`, `Consolidation`, `Infiltrate`, `Pneumonia`.
    Opacity,
    /// `Pulmonary Atelectasis`.
    Atelectasis,
    /// `Nodule`, `Mass`, `Calcified Granuloma`, `Granulomatous Disease`.
    Nodule,
    /// `Pneumothorax`.
    Pneumothorax,
}

impl Family {
    /// All seven, in column order; also the retrieval categories.
    pub const ALL: [Family; 7] = [
        Family::Normal,
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Atelectasis,
        Family::Nodule,
        Family::Pneumothorax,
    ];

    /// The six finding families (all but `Normal`).
    pub const FINDINGS: [Family; 6] = [
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Atelectasis,
        Family::Nodule,
        Family::Pneumothorax,
    ];

    /// The five families scored by the downstream classification benchmark.
    pub const SCORED: [Family; 5] = [
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Atelectasis,
        Family::Nodule,
    ];

    /// The names of [`Family::ALL`], as CSV column and retrieval category names.
    pub const NAMES: [&'static str; 7] = [
        "Normal",
        "Cardiomegaly",
        "Effusion",
        "Opacity",
        "Atelectasis",
        "Nodule",
        "Pneumothorax",
    ];

    /// The column name (`"Effusion"`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self.index()]
    }

    /// The position in [`Family::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The family of a name in [`Family::NAMES`] (exact).
    pub fn from_name(name: &str) -> Option<Family> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// The family of a MeSH descriptor (ASCII case-insensitive, exact words), if any:
    /// `normal` → `Normal`, `Pleural Effusion` → `Effusion`, `Infiltrate` → `Opacity`, ...
    pub fn from_descriptor(descriptor: &str) -> Option<Family> {
        const TABLE: [(&str, Family); 14] = [
            ("normal", Family::Normal),
            ("cardiomegaly", Family::Cardiomegaly),
            ("pleural effusion", Family::Effusion),
            ("opacity", Family::Opacity),
            ("airspace disease", Family::Opacity),
            ("consolidation", Family::Opacity),
            ("infiltrate", Family::Opacity),
            ("pneumonia", Family::Opacity),
            ("pulmonary atelectasis", Family::Atelectasis),
            ("nodule", Family::Nodule),
            ("mass", Family::Nodule),
            ("calcified granuloma", Family::Nodule),
            ("granulomatous disease", Family::Nodule),
            ("pneumothorax", Family::Pneumothorax),
        ];
        let d = descriptor.trim();
        TABLE
            .iter()
            .find(|(name, _)| d.eq_ignore_ascii_case(name))
            .map(|&(_, f)| f)
    }
}

/// The families a report's MeSH `<major>` terms name (`Normal` included when IU's `normal` term
/// is there). Terms of other descriptors (`Calcinosis`, `Spine`, ...) are ignored.
///
/// ```
/// use convirt_data::synth::{Family, families_from_mesh};
/// use convirt_text_sampler::MeshTerm;
///
/// let terms = [MeshTerm::parse("Infiltrate/lung/left"), MeshTerm::parse("Calcinosis/aorta")];
/// assert_eq!(families_from_mesh(&terms).into_iter().collect::<Vec<_>>(), [Family::Opacity]);
/// ```
pub fn families_from_mesh(terms: &[MeshTerm]) -> BTreeSet<Family> {
    terms
        .iter()
        .filter_map(|t| Family::from_descriptor(&t.descriptor))
        .collect()
}
