//! From an IU report to v2 [`Finding`]s: side, zone, severity, count and kind from the MeSH
//! qualifiers; a side the terms leave open from the report's sentences; the rest drawn.
//!
//! Severity: `mild`, `small`, `minimal`, `trace`, `borderline` → 1; `moderate` → 2; `large`,
//! `severe`, `marked` → 3. Where a report gives none, it is drawn from that family's empirical
//! distribution over the IU terms that do give one ([`SEVERITY_COUNTS`], checked against the
//! reports by a test). Lingula and retrocardiac are the patient's left.

use std::collections::BTreeMap;

use convirt_text_sampler::{MeshTerm, Report, split_sentences};
use rand::Rng;

use crate::synth::v2::{Family, Finding, Kind};
use crate::synth::{Side, Zone};

/// Per family (in [`Family::ALL`] order), how many IU `<major>` terms give severity 1, 2 and 3.
/// A family with none (Normal, RibFracture) draws uniformly.
pub const SEVERITY_COUNTS: [[u32; 3]; 18] = [
    [0, 0, 0],     // Normal
    [196, 32, 15], // Cardiomegaly
    [103, 12, 13], // Effusion
    [119, 1, 9],   // Opacity
    [51, 2, 8],    // Hyperinflation
    [0, 0, 1],     // Device
    [33, 1, 7],    // LowVolumes
    [21, 0, 0],    // ElevatedDiaphragm
    [44, 8, 5],    // Scoliosis
    [71, 0, 3],    // Atelectasis
    [17, 0, 3],    // Nodule
    [42, 0, 11],   // Granuloma
    [174, 12, 8],  // DegenerativeSpine
    [73, 2, 7],    // Aorta
    [0, 0, 0],     // RibFracture
    [7, 5, 2],     // Pneumothorax
    [33, 1, 0],    // Edema
    [4, 6, 16],    // HiatalHernia
];

/// The severity a qualifier names, if it names one.
pub fn severity_word(word: &str) -> Option<u8> {
    match word.to_ascii_lowercase().as_str() {
        "mild" | "small" | "minimal" | "trace" | "borderline" => Some(1),
        "moderate" => Some(2),
        "large" | "severe" | "marked" => Some(3),
        _ => None,
    }
}

/// Draws a severity for `family` from [`SEVERITY_COUNTS`] (uniform where it has none).
pub fn draw_severity(family: Family, rng: &mut impl Rng) -> u8 {
    let [a, b, c] = SEVERITY_COUNTS[family.index()];
    let [a, b, c] = if a + b + c == 0 { [1, 1, 1] } else { [a, b, c] };
    let x = rng.random_range(0..a + b + c);
    if x < a {
        1
    } else if x < a + b {
        2
    } else {
        3
    }
}

/// What one MeSH term's qualifiers say, before the missing parts are filled in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Given {
    /// The side (`left`, `right`, `bilateral`; `lingula`, `retrocardiac` → left; `middle lobe`
    /// → right).
    pub side: Option<Side>,
    /// The zone.
    pub zone: Option<Zone>,
    /// The severity (1–3).
    pub severity: Option<u8>,
    /// `multiple` or `scattered`.
    pub multiple: bool,
    /// The variant the descriptor and qualifiers name.
    pub kind: Option<Kind>,
}

impl Given {
    /// Reads a term of `family`.
    pub fn from_term(family: Family, term: &MeshTerm) -> Self {
        let mut g = Given::default();
        let d = term.descriptor.trim().to_ascii_lowercase();
        let qualifiers: Vec<String> = term
            .qualifiers
            .iter()
            .map(|q| q.to_ascii_lowercase())
            .collect();
        let has = |q: &str| qualifiers.iter().any(|x| x == q);
        for q in &qualifiers {
            match q.as_str() {
                "left" => g.side = Some(Side::Left),
                "right" => g.side = Some(Side::Right),
                "bilateral" => g.side = Some(Side::Bilateral),
                "apex" | "upper lobe" => g.zone = Some(Zone::Upper),
                "middle lobe" => {
                    g.zone = Some(Zone::Middle);
                    g.side.get_or_insert(Side::Right);
                }
                "lingula" => {
                    g.zone = Some(Zone::Middle);
                    g.side = Some(Side::Left);
                }
                "hilum" => g.zone = Some(Zone::Middle),
                "retrocardiac" => {
                    g.zone = Some(Zone::Lower);
                    g.side = Some(Side::Left);
                }
                "base" | "lower lobe" | "costophrenic angle" => g.zone = Some(Zone::Lower),
                "multiple" | "scattered" => g.multiple = true,
                other => {
                    if let Some(s) = severity_word(other) {
                        g.severity = Some(s);
                    }
                }
            }
        }
        g.kind = match family {
            Family::Device => Some(device_kind(&d, &has)),
            Family::Aorta if d == "calcinosis" || d == "atherosclerosis" => Some(Kind::Calcified),
            Family::Nodule if d == "mass" => Some(Kind::Mass),
            Family::Granuloma
                if has("lymph nodes")
                    || has("mediastinum")
                    || (d == "calcinosis" && has("hilum")) =>
            {
                Some(Kind::Hilar)
            }
            // A blunted angle is a small effusion.
            Family::Effusion if d == "costophrenic angle" => {
                g.severity.get_or_insert(1);
                None
            }
            _ => None,
        };
        g
    }
}

fn device_kind(descriptor: &str, has: &dyn Fn(&str) -> bool) -> Kind {
    match descriptor {
        "catheters, indwelling" => Kind::CentralLine,
        "implanted medical device" if has("aortic valve") || has("mitral valve") => Kind::Stent,
        "implanted medical device" => Kind::Pacemaker,
        "surgical instruments" | "sutures"
            if has("mediastinum") || has("sternum") || has("heart") =>
        {
            Kind::Sternotomy
        }
        "surgical instruments" | "sutures" => Kind::Clips,
        "tube, inserted" if has("abdomen") => Kind::NgTube,
        "tube, inserted" if has("thorax") || has("left") || has("right") => Kind::ChestTube,
        "tube, inserted" => Kind::EtTube,
        "stents" if has("abdomen") => Kind::Clips,
        "stents" => Kind::Stent,
        _ => Kind::Pacemaker,
    }
}

/// The words that name a family in a sentence, for finding the side a term leaves open.
fn keywords(family: Family) -> &'static [&'static str] {
    match family {
        Family::Effusion => &["effusion", "costophrenic", "blunting"],
        Family::Opacity => &[
            "opacit",
            "consolidat",
            "airspace",
            "infiltrat",
            "pneumonia",
            "density",
        ],
        Family::Atelectasis => &["atelecta"],
        Family::Nodule => &["nodul", "mass"],
        Family::Granuloma => &["granulom", "calcified node", "calcified lymph"],
        Family::ElevatedDiaphragm => &["elevat", "eventration"],
        Family::Scoliosis => &["scolio", "curvature"],
        Family::RibFracture => &["fracture"],
        Family::Pneumothorax => &["pneumothora"],
        Family::Edema => &["edema", "congesti"],
        Family::HiatalHernia => &["hernia"],
        Family::Device => &[
            "pacemaker",
            "catheter",
            "picc",
            "line",
            "port",
            "clip",
            "tube",
            "stent",
            "device",
            "aicd",
        ],
        _ => &[],
    }
}

/// The side the report's sentences give for `family`: the first sentence that names the family
/// without a leading negation and names a side (`dextro`/`levo` for scoliosis; `lingula`,
/// `retrocardiac` → left; `both`, `bilateral` → bilateral).
pub fn side_from_sentences(family: Family, sentences: &[String]) -> Option<Side> {
    let words = keywords(family);
    if words.is_empty() {
        return None;
    }
    for s in sentences {
        let lower = s.to_ascii_lowercase();
        let Some(at) = words.iter().filter_map(|w| lower.find(w)).min() else {
            continue;
        };
        let before = &lower[..at];
        if before.starts_with("no ") || before.contains(" no ") || before.contains("without") {
            continue;
        }
        if family == Family::Scoliosis {
            if lower.contains("dextro") {
                return Some(Side::Right);
            }
            if lower.contains("levo") {
                return Some(Side::Left);
            }
        }
        let word = |w: &str| {
            lower
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|t| t == w)
        };
        let (left, right) = (
            word("left") || lower.contains("lingula") || lower.contains("retrocardiac"),
            word("right"),
        );
        // A plural effusion without a side is bilateral ("small pleural effusions").
        let plural = family == Family::Effusion && lower.contains("effusions") && !left && !right;
        if word("bilateral") || word("both") || word("bibasilar") || plural || (left && right) {
            return Some(Side::Bilateral);
        }
        if left {
            return Some(Side::Left);
        }
        if right {
            return Some(Side::Right);
        }
    }
    None
}

/// The side drawn when neither the terms nor the sentences give one.
fn draw_side(family: Family, kind: Kind, rng: &mut impl Rng) -> Side {
    match (family, kind) {
        (Family::Device, Kind::Pacemaker) => {
            if rng.random_bool(0.85) {
                Side::Left
            } else {
                Side::Right
            }
        }
        (Family::Device, Kind::CentralLine) => {
            if rng.random_bool(0.6) {
                Side::Right
            } else {
                Side::Left
            }
        }
        // Scoliosis: the convexity; Aorta and spine findings are midline (side unused).
        (Family::Scoliosis, _) | (Family::ElevatedDiaphragm, _) => {
            if rng.random_bool(0.6) {
                Side::Right
            } else {
                Side::Left
            }
        }
        // Edema is bilateral unless a side is given; a hernia is midline (side unused).
        (Family::Edema, _) | (Family::HiatalHernia, _) => Side::Bilateral,
        (Family::Effusion, _) => match rng.random_range(0..20) {
            0..9 => Side::Bilateral,
            9..14 => Side::Left,
            _ => Side::Right,
        },
        _ => match rng.random_range(0..5) {
            0 | 1 => Side::Left,
            2 | 3 => Side::Right,
            _ => Side::Bilateral,
        },
    }
}

fn draw_zone(family: Family, rng: &mut impl Rng) -> Zone {
    match family {
        Family::Effusion | Family::ElevatedDiaphragm => Zone::Lower,
        Family::Atelectasis | Family::Opacity => match rng.random_range(0..10) {
            0..6 => Zone::Lower,
            6..8 => Zone::Middle,
            _ => Zone::Upper,
        },
        Family::Pneumothorax => {
            if rng.random_bool(0.7) {
                Zone::Upper
            } else {
                Zone::Middle
            }
        }
        _ => match rng.random_range(0..3) {
            0 => Zone::Upper,
            1 => Zone::Middle,
            _ => Zone::Lower,
        },
    }
}

fn draw_device(rng: &mut impl Rng) -> Kind {
    match rng.random_range(0..5) {
        0 | 1 => Kind::Pacemaker,
        2 => Kind::CentralLine,
        3 => Kind::Sternotomy,
        _ => Kind::Clips,
    }
}

/// Completes `given` into a finding of `family`; `sentence_side` is the side the report's
/// sentences give (used only when the terms give none).
pub fn complete(
    family: Family,
    given: Given,
    sentence_side: Option<Side>,
    rng: &mut impl Rng,
) -> Finding {
    // Every draw is made, used or not, so that one given qualifier does not shift the others.
    let kind_draw = draw_device(rng);
    let kind = given.kind.unwrap_or(match family {
        Family::Device => kind_draw,
        _ => Kind::Plain,
    });
    let side_draw = draw_side(family, kind, rng);
    let zone_draw = draw_zone(family, rng);
    let severity_draw = draw_severity(family, rng);
    let many: u8 = rng.random_range(3..=6);
    let count = match family {
        Family::Granuloma if given.multiple => many,
        Family::Nodule if given.multiple => many.clamp(2, 4),
        Family::RibFracture if given.multiple => many.clamp(2, 3),
        Family::Device if kind == Kind::Clips => {
            if given.multiple {
                many
            } else {
                many.clamp(2, 4)
            }
        }
        _ => 1,
    };
    let zone = match family {
        Family::Effusion | Family::ElevatedDiaphragm => Zone::Lower,
        _ => given.zone.unwrap_or(zone_draw),
    };
    Finding {
        family,
        side: given.side.or(sentence_side).unwrap_or(side_draw),
        zone,
        severity: given.severity.unwrap_or(severity_draw),
        count,
        kind,
    }
}

/// A finding of `family` with every qualifier drawn (for `cls` and retrieval candidates).
pub fn random_finding(family: Family, rng: &mut impl Rng) -> Finding {
    complete(family, Given::default(), None, rng)
}

/// The sentences of a report's Findings and Impression, as the pairs sample them.
pub fn report_sentences(report: &Report) -> Vec<String> {
    let mut out = split_sentences(&report.findings);
    out.extend(split_sentences(&report.impression));
    out
}

/// The findings a report's MeSH terms give, one per family and device kind (the first term of a family gives
/// its kind and qualifiers; later terms of the same family fill what it left open, a
/// `bilateral` or a second side widens it), with open sides taken from the sentences and the
/// rest drawn from `rng`. `normal` and unmapped terms give none.
pub fn findings_from_report(report: &Report, rng: &mut impl Rng) -> Vec<Finding> {
    // One finding per family, and per kind for devices (a pacemaker and a line are two).
    let mut by_family: BTreeMap<(Family, Option<Kind>), Given> = BTreeMap::new();
    for term in &report.mesh {
        let Some(family) = Family::from_term(term).filter(|f| *f != Family::Normal) else {
            continue;
        };
        let g = Given::from_term(family, term);
        let key = (family, g.kind.filter(|_| family == Family::Device));
        by_family
            .entry(key)
            .and_modify(|old| {
                old.side = match (old.side, g.side) {
                    (Some(a), Some(b)) if a != b => Some(Side::Bilateral),
                    (a, b) => a.or(b),
                };
                old.zone = old.zone.or(g.zone);
                old.severity = old.severity.max(g.severity);
                old.multiple |= g.multiple;
                old.kind = old.kind.or(g.kind);
            })
            .or_insert(g);
    }
    let sentences = report_sentences(report);
    by_family
        .into_iter()
        .map(|((family, _), given)| {
            let side = given
                .side
                .is_none()
                .then(|| side_from_sentences(family, &sentences))
                .flatten();
            complete(family, given, side, rng)
        })
        .collect()
}
