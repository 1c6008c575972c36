//! [`Finding`]: one v2 finding to draw: family, side, zone, severity 1–3, count and [`Kind`].
//!
//! Sides are the patient's: `Left` is drawn on the image's right half, as on a PA radiograph.

use crate::synth::v2::Family;
use crate::synth::{Side, Zone};

/// What exactly a finding is, where the family has variants (devices, aortas, nodules, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The family's only form.
    Plain,
    /// A pacemaker or defibrillator: a generator in the upper chest with leads to the heart.
    Pacemaker,
    /// Median sternotomy wires: loops down the midline.
    Sternotomy,
    /// A central venous line from the neck or shoulder to the superior vena cava.
    CentralLine,
    /// Surgical clips: short dense segments.
    Clips,
    /// An endotracheal tube in the trachea.
    EtTube,
    /// A nasogastric tube down the midline into the stomach.
    NgTube,
    /// A chest tube in the lateral pleural space.
    ChestTube,
    /// A stent or prosthetic valve over the heart.
    Stent,
    /// An aorta with calcification in its wall (`Calcinosis/aorta`, `Atherosclerosis`).
    Calcified,
    /// A mass (larger than a nodule).
    Mass,
    /// Calcified hilar or mediastinal nodes.
    Hilar,
}

impl Kind {
    /// Every kind, in label order.
    pub const ALL: [Kind; 12] = [
        Kind::Plain,
        Kind::Pacemaker,
        Kind::Sternotomy,
        Kind::CentralLine,
        Kind::Clips,
        Kind::EtTube,
        Kind::NgTube,
        Kind::ChestTube,
        Kind::Stent,
        Kind::Calcified,
        Kind::Mass,
        Kind::Hilar,
    ];

    /// The label text (`pacemaker`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plain => "plain",
            Kind::Pacemaker => "pacemaker",
            Kind::Sternotomy => "sternotomy",
            Kind::CentralLine => "line",
            Kind::Clips => "clips",
            Kind::EtTube => "ettube",
            Kind::NgTube => "ngtube",
            Kind::ChestTube => "chesttube",
            Kind::Stent => "stent",
            Kind::Calcified => "calcified",
            Kind::Mass => "mass",
            Kind::Hilar => "hilar",
        }
    }

    /// The kind of a [`Kind::name`].
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One finding to draw. `Normal` is never a finding: an empty list is a normal image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Its family (never [`Family::Normal`]).
    pub family: Family,
    /// Its side (for scoliosis: the side of the convexity).
    pub side: Side,
    /// Its vertical zone.
    pub zone: Zone,
    /// 1 (mild, small, minimal, trace, borderline), 2 (moderate) or 3 (large, severe, marked).
    pub severity: u8,
    /// How many (granulomas, nodules, fractures, clips); 1 otherwise.
    pub count: u8,
    /// The variant.
    pub kind: Kind,
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Left => "left",
        Side::Right => "right",
        Side::Bilateral => "bilateral",
    }
}

fn zone_name(zone: Zone) -> &'static str {
    match zone {
        Zone::Upper => "upper",
        Zone::Middle => "middle",
        Zone::Lower => "lower",
    }
}

impl Finding {
    /// A finding of `family` with the given qualifiers, count 1 and [`Kind::Plain`].
    pub fn new(family: Family, side: Side, zone: Zone, severity: u8) -> Self {
        Self {
            family,
            side,
            zone,
            severity: severity.clamp(1, 3),
            count: 1,
            kind: Kind::Plain,
        }
    }

    /// The label text for a manifest: `Family:side:zone:severity:count:kind`, e.g.
    /// `Device:left:upper:1:1:pacemaker`. [`Finding::parse`] reads it back.
    pub fn label(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}:{}",
            self.family.name(),
            side_name(self.side),
            zone_name(self.zone),
            self.severity,
            self.count,
            self.kind.name()
        )
    }

    /// Parses [`Finding::label`]'s text; `None` when it is not one.
    ///
    /// ```
    /// use convirt_data::synth::v2::{Family, Finding, Kind};
    /// use convirt_data::synth::{Side, Zone};
    ///
    /// let f = Finding { count: 3, kind: Kind::Hilar, ..Finding::new(Family::Granuloma, Side::Right, Zone::Middle, 1) };
    /// assert_eq!(Finding::parse(&f.label()), Some(f));
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split(':').collect();
        let [family, side, zone, severity, count, kind] = parts[..] else {
            return None;
        };
        let side = match side {
            "left" => Side::Left,
            "right" => Side::Right,
            "bilateral" => Side::Bilateral,
            _ => return None,
        };
        let zone = match zone {
            "upper" => Zone::Upper,
            "middle" => Zone::Middle,
            "lower" => Zone::Lower,
            _ => return None,
        };
        let severity: u8 = severity.parse().ok().filter(|s| (1..=3).contains(s))?;
        let count: u8 = count.parse().ok().filter(|c| *c >= 1)?;
        Some(Finding {
            family: Family::from_name(family).filter(|f| *f != Family::Normal)?,
            side,
            zone,
            severity,
            count,
            kind: Kind::from_name(kind)?,
        })
    }
}
