//! [`Family`]: SynthCXR v2's eighteen categories, and which IU MeSH terms map to each.

use std::collections::BTreeSet;

use convirt_text_sampler::MeshTerm;

/// A SynthCXR v2 category: `Normal` (no finding) or one of seventeen finding families.
///
/// The order is the column order of every v2 CSV (manifest, `candidate.csv`). Tier A
/// (Cardiomegaly … Scoliosis, Edema, HiatalHernia) is what a 64² radiograph shows; tier B
/// (Atelectasis … RibFracture) is drawn at realistic sizes and scored where calibration lets it
/// (`docs/synthcxr.md`). Pneumothorax is drawn but not scored (23 IU reports). Edema and
/// HiatalHernia came last (version 11), so that the earlier columns kept their places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// No finding (IU's `normal` term).
    Normal,
    /// An enlarged cardiac silhouette (`Cardiomegaly`, `Cardiac Shadow/enlarged`).
    Cardiomegaly,
    /// Pleural fluid (`Pleural Effusion`, `Costophrenic Angle/blunted`).
    Effusion,
    /// Airspace opacity (`Opacity`, `Airspace Disease`, `Infiltrate`, `Pneumonia`,
    /// `Consolidation`, `Density/lung`).
    Opacity,
    /// Hyperinflated lungs (`Lung/hyperdistention`, `Emphysema`, COPD, `Diaphragm/flattened`,
    /// `Lung, Hyperlucent`).
    Hyperinflation,
    /// Metal a report names: pacemakers, sternotomy wires, lines, tubes, clips, stents.
    Device,
    /// Low lung volumes (`Lung/hypoinflation`).
    LowVolumes,
    /// An elevated hemidiaphragm (`Diaphragm/elevated`, `Diaphragmatic Eventration`).
    ElevatedDiaphragm,
    /// A lateral curvature of the spine (`Scoliosis`).
    Scoliosis,
    /// `Pulmonary Atelectasis`: plate-like bands with volume-loss signs.
    Atelectasis,
    /// `Nodule`, `Mass`: soft-tissue round lesions.
    Nodule,
    /// Calcified granulomas and nodes (`Calcified Granuloma`, `Granulomatous Disease`,
    /// `Granuloma`, `Calcinosis` of lung, hilum, nodes or mediastinum).
    Granuloma,
    /// Degenerative thoracic spine (`Thoracic Vertebrae/degenerative`, `Spine/degenerative`,
    /// `Osteophyte`, `Spondylosis`).
    DegenerativeSpine,
    /// A tortuous or calcified aorta (`Aorta/tortuous`, `Aorta, Thoracic`, `Calcinosis/aorta`,
    /// `Atherosclerosis`).
    Aorta,
    /// Healed rib fractures (`Fractures, Bone/ribs`, `Deformity/ribs`).
    RibFracture,
    /// `Pneumothorax` (drawn, not scored).
    Pneumothorax,
    /// Pulmonary venous congestion and edema (`Pulmonary Congestion`, `Pulmonary Edema`):
    /// perihilar haze with indistinct vessels (renderer version 11).
    Edema,
    /// `Hernia, Hiatal`: a retrocardiac soft-tissue mass with an air-fluid level (version 11).
    HiatalHernia,
}

impl Family {
    /// All eighteen, in column order.
    pub const ALL: [Family; 18] = [
        Family::Normal,
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Hyperinflation,
        Family::Device,
        Family::LowVolumes,
        Family::ElevatedDiaphragm,
        Family::Scoliosis,
        Family::Atelectasis,
        Family::Nodule,
        Family::Granuloma,
        Family::DegenerativeSpine,
        Family::Aorta,
        Family::RibFracture,
        Family::Pneumothorax,
        Family::Edema,
        Family::HiatalHernia,
    ];

    /// The seventeen finding families (all but `Normal`).
    pub const FINDINGS: [Family; 17] = [
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Hyperinflation,
        Family::Device,
        Family::LowVolumes,
        Family::ElevatedDiaphragm,
        Family::Scoliosis,
        Family::Atelectasis,
        Family::Nodule,
        Family::Granuloma,
        Family::DegenerativeSpine,
        Family::Aorta,
        Family::RibFracture,
        Family::Pneumothorax,
        Family::Edema,
        Family::HiatalHernia,
    ];

    /// Tier A: the families a 64² radiograph shows by their nature.
    pub const TIER_A: [Family; 10] = [
        Family::Cardiomegaly,
        Family::Effusion,
        Family::Opacity,
        Family::Hyperinflation,
        Family::Device,
        Family::LowVolumes,
        Family::ElevatedDiaphragm,
        Family::Scoliosis,
        Family::Edema,
        Family::HiatalHernia,
    ];

    /// The names of [`Family::ALL`], as CSV column and retrieval category names.
    pub const NAMES: [&'static str; 18] = [
        "Normal",
        "Cardiomegaly",
        "Effusion",
        "Opacity",
        "Hyperinflation",
        "Device",
        "LowVolumes",
        "ElevatedDiaphragm",
        "Scoliosis",
        "Atelectasis",
        "Nodule",
        "Granuloma",
        "DegenerativeSpine",
        "Aorta",
        "RibFracture",
        "Pneumothorax",
        "Edema",
        "HiatalHernia",
    ];

    /// The column name (`"Hyperinflation"`).
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

    /// The family a MeSH `<major>` term names, if any (ASCII case-insensitive, exact words).
    /// Some descriptors count only with a qualifier: `Lung` with `hypoinflation` or
    /// `hyperdistention`, `Diaphragm` with `elevated` or `flattened`, `Calcinosis` by where it
    /// is (aorta and vessels → Aorta; lung, hilum, nodes, mediastinum → Granuloma).
    ///
    /// ```
    /// use convirt_data::synth::v2::Family;
    /// use convirt_text_sampler::MeshTerm;
    ///
    /// assert_eq!(Family::from_term(&MeshTerm::parse("Lung/hypoinflation/mild")), Some(Family::LowVolumes));
    /// assert_eq!(Family::from_term(&MeshTerm::parse("Calcinosis/aorta")), Some(Family::Aorta));
    /// assert_eq!(Family::from_term(&MeshTerm::parse("Cicatrix/lung/base/left")), None);
    /// ```
    pub fn from_term(term: &MeshTerm) -> Option<Family> {
        let d = term.descriptor.trim().to_ascii_lowercase();
        let has = |q: &str| term.qualifiers.iter().any(|x| x.eq_ignore_ascii_case(q));
        let family = match d.as_str() {
            "normal" => Family::Normal,
            "cardiomegaly" => Family::Cardiomegaly,
            "cardiac shadow" if has("enlarged") => Family::Cardiomegaly,
            "pleural effusion" => Family::Effusion,
            "costophrenic angle" if has("blunted") => Family::Effusion,
            "opacity" | "airspace disease" | "infiltrate" | "pneumonia" | "consolidation" => {
                Family::Opacity
            }
            "density" if has("lung") => Family::Opacity,
            "lung" if has("hyperdistention") => Family::Hyperinflation,
            "lung" if has("hypoinflation") => Family::LowVolumes,
            "emphysema"
            | "pulmonary emphysema"
            | "pulmonary disease, chronic obstructive"
            | "lung, hyperlucent" => Family::Hyperinflation,
            "diaphragm" if has("flattened") => Family::Hyperinflation,
            "diaphragm" if has("elevated") => Family::ElevatedDiaphragm,
            "diaphragmatic eventration" => Family::ElevatedDiaphragm,
            "catheters, indwelling"
            | "implanted medical device"
            | "surgical instruments"
            | "tube, inserted"
            | "stents"
            | "medical device"
            | "sutures" => Family::Device,
            "scoliosis" => Family::Scoliosis,
            "pulmonary atelectasis" => Family::Atelectasis,
            "nodule" | "mass" => Family::Nodule,
            "calcified granuloma" | "granulomatous disease" | "granuloma" => Family::Granuloma,
            "calcinosis" if has("aorta") || has("aorta, thoracic") || has("blood vessels") => {
                Family::Aorta
            }
            "calcinosis"
                if has("lung") || has("lymph nodes") || has("mediastinum") || has("hilum") =>
            {
                Family::Granuloma
            }
            "thoracic vertebrae" | "spine" if has("degenerative") => Family::DegenerativeSpine,
            "osteophyte" | "spondylosis" => Family::DegenerativeSpine,
            "aorta" | "aorta, thoracic" if !has("obscured") => Family::Aorta,
            "atherosclerosis" => Family::Aorta,
            "fractures, bone" | "deformity" if has("ribs") => Family::RibFracture,
            "pneumothorax" => Family::Pneumothorax,
            "pulmonary congestion" | "pulmonary edema" => Family::Edema,
            "hernia, hiatal" => Family::HiatalHernia,
            _ => return None,
        };
        Some(family)
    }
}

/// The families a report's MeSH `<major>` terms name (`Normal` when IU's `normal` term is
/// there). Terms that map to no family (`Cicatrix`, `Markings`, ...) are ignored.
pub fn families_from_mesh(terms: &[MeshTerm]) -> BTreeSet<Family> {
    terms.iter().filter_map(Family::from_term).collect()
}
