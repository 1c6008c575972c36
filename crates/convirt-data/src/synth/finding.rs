//! [`Finding`]: one visible finding (family, side, zone, severity), from MeSH qualifiers or drawn.
//!
//! Sides are the patient's: `Left` is drawn on the image's right half, as on a PA radiograph.

use convirt_text_sampler::MeshTerm;
use rand::Rng;

use crate::synth::Family;

/// The patient's side a finding is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The patient's left: the image's right half.
    Left,
    /// The patient's right: the image's left half.
    Right,
    /// Both lungs.
    Bilateral,
}

/// The vertical zone of a lung a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// Apex and upper lobe.
    Upper,
    /// Middle lobe, lingula, hilum.
    Middle,
    /// Base, lower lobe, costophrenic angle.
    Lower,
}

/// How marked a finding is; it scales size and density.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// `mild`, `small`, `borderline`, `minimal`.
    Mild,
    /// `moderate` (and the default when a report gives none).
    Moderate,
    /// `severe`, `large`.
    Severe,
}

impl Severity {
    /// 0, 1 or 2.
    pub fn level(self) -> usize {
        self as usize
    }
}

/// One finding to draw. `Normal` is never a finding: an empty list is a normal image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finding {
    /// Its family (never [`Family::Normal`]).
    pub family: Family,
    /// Its side.
    pub side: Side,
    /// Its zone (effusions are always basal; the zone is kept as given).
    pub zone: Zone,
    /// Its severity.
    pub severity: Severity,
    /// For nodules: calcified (denser, sharper).
    pub calcified: bool,
}

/// The qualifiers a MeSH term gave, before the missing ones are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Given {
    side: Option<Side>,
    zone: Option<Zone>,
    severity: Option<Severity>,
    calcified: bool,
}

impl Given {
    fn from_term(term: &MeshTerm) -> Self {
        let mut g = Given {
            calcified: term.descriptor.eq_ignore_ascii_case("calcified granuloma"),
            ..Given::default()
        };
        for q in &term.qualifiers {
            match q.to_ascii_lowercase().as_str() {
                "left" => g.side = Some(Side::Left),
                "right" => g.side = Some(Side::Right),
                "bilateral" => g.side = Some(Side::Bilateral),
                "apex" | "upper lobe" => g.zone = Some(Zone::Upper),
                "middle lobe" | "lingula" | "hilum" => g.zone = Some(Zone::Middle),
                "base" | "lower lobe" | "costophrenic angle" | "retrocardiac" => {
                    g.zone = Some(Zone::Lower)
                }
                "mild" | "small" | "borderline" | "minimal" => g.severity = Some(Severity::Mild),
                "moderate" => g.severity = Some(Severity::Moderate),
                "severe" | "large" => g.severity = Some(Severity::Severe),
                "calcified" => g.calcified = true,
                _ => {}
            }
        }
        g
    }
}

impl Finding {
    /// A finding of `family` with every qualifier drawn from `rng`: side left/right/bilateral
    /// (0.4/0.4/0.2), zone uniform (effusions lower, pneumothoraces mostly upper), severity
    /// uniform, nodules calcified with probability 0.3.
    pub fn random(family: Family, rng: &mut impl Rng) -> Self {
        Self::complete(family, Given::default(), rng)
    }

    fn complete(family: Family, given: Given, rng: &mut impl Rng) -> Self {
        let side = given.side.unwrap_or_else(|| match rng.random_range(0..5) {
            0 | 1 => Side::Left,
            2 | 3 => Side::Right,
            _ => Side::Bilateral,
        });
        let drawn_zone = match rng.random_range(0..3) {
            0 => Zone::Upper,
            1 => Zone::Middle,
            _ => Zone::Lower,
        };
        let zone = match family {
            Family::Effusion => Zone::Lower,
            Family::Pneumothorax if given.zone.is_none() && rng.random_bool(0.7) => Zone::Upper,
            _ => given.zone.unwrap_or(drawn_zone),
        };
        let drawn_severity = match rng.random_range(0..3) {
            0 => Severity::Mild,
            1 => Severity::Moderate,
            _ => Severity::Severe,
        };
        let calcified_draw = rng.random_bool(0.3);
        Finding {
            family,
            side,
            zone,
            severity: given.severity.unwrap_or(drawn_severity),
            calcified: family == Family::Nodule && (given.calcified || calcified_draw),
        }
    }

    /// The finding's label text for a manifest: `Effusion:left:lower:mild`, `:calcified` appended
    /// for calcified nodules. [`Finding::parse`] reads it back.
    pub fn label(&self) -> String {
        let side = match self.side {
            Side::Left => "left",
            Side::Right => "right",
            Side::Bilateral => "bilateral",
        };
        let zone = match self.zone {
            Zone::Upper => "upper",
            Zone::Middle => "middle",
            Zone::Lower => "lower",
        };
        let severity = match self.severity {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        };
        let calcified = if self.calcified { ":calcified" } else { "" };
        format!("{}:{side}:{zone}:{severity}{calcified}", self.family.name())
    }

    /// Parses [`Finding::label`]'s text; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split(':').collect();
        if !(4..=5).contains(&parts.len()) {
            return None;
        }
        let family = Family::from_name(parts[0]).filter(|f| *f != Family::Normal)?;
        let side = match parts[1] {
            "left" => Side::Left,
            "right" => Side::Right,
            "bilateral" => Side::Bilateral,
            _ => return None,
        };
        let zone = match parts[2] {
            "upper" => Zone::Upper,
            "middle" => Zone::Middle,
            "lower" => Zone::Lower,
            _ => return None,
        };
        let severity = match parts[3] {
            "mild" => Severity::Mild,
            "moderate" => Severity::Moderate,
            "severe" => Severity::Severe,
            _ => return None,
        };
        let calcified = match parts.get(4) {
            None => false,
            Some(&"calcified") => true,
            Some(_) => return None,
        };
        Some(Finding {
            family,
            side,
            zone,
            severity,
            calcified,
        })
    }
}

/// The findings a report's MeSH `<major>` terms give, one per finding term, with the side, zone
/// and severity its qualifiers name and the others drawn from `rng`. `normal` and terms outside
/// the families give none.
///
/// ```
/// use convirt_data::synth::{Family, Severity, Side, findings_from_mesh};
/// use convirt_text_sampler::{MeshTerm, rng_for};
///
/// let f = findings_from_mesh(&[MeshTerm::parse("Pleural Effusion/left/small")], &mut rng_for(1, 0, 0));
/// assert_eq!((f[0].family, f[0].side, f[0].severity), (Family::Effusion, Side::Left, Severity::Mild));
/// ```
pub fn findings_from_mesh(terms: &[MeshTerm], rng: &mut impl Rng) -> Vec<Finding> {
    terms
        .iter()
        .filter_map(|t| {
            let family = Family::from_descriptor(&t.descriptor)?;
            (family != Family::Normal).then(|| Finding::complete(family, Given::from_term(t), rng))
        })
        .collect()
}
