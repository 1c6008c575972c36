//! [`MeshTerm`]: an IU X-ray MeSH `<major>` term with its qualifiers.

use serde::{Deserialize, Serialize};

/// A MeSH `<major>` term of an IU X-ray report, such as
/// `Opacity/lung/base/left/streaky`: the descriptor (`Opacity`) and its qualifiers in order
/// (`lung`, `base`, `left`, `streaky`: site, zone, side, severity or shape).
///
/// ```
/// use convirt_text_sampler::MeshTerm;
///
/// let t = MeshTerm::parse("Pulmonary Atelectasis/base/left");
/// assert_eq!(t.descriptor, "Pulmonary Atelectasis");
/// assert_eq!(t.qualifiers, ["base", "left"]);
/// assert!(MeshTerm::parse("normal").is_normal());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeshTerm {
    /// The term as written in the XML, trimmed.
    pub raw: String,
    /// The descriptor before the first `/`, trimmed (`"Cardiomegaly"`, `"normal"`).
    pub descriptor: String,
    /// The qualifiers after it, each trimmed, empty ones dropped.
    pub qualifiers: Vec<String>,
}

impl MeshTerm {
    /// Splits a `<major>` term at its slashes.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        let mut parts = raw.split('/').map(str::trim);
        let descriptor = parts.next().unwrap_or_default().to_string();
        let qualifiers = parts
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        Self {
            raw: raw.to_string(),
            descriptor,
            qualifiers,
        }
    }

    /// Whether this is IU's `normal` term (any case): a report with no findings.
    pub fn is_normal(&self) -> bool {
        self.descriptor.eq_ignore_ascii_case("normal")
    }

    /// Whether one of the qualifiers equals `q` (ASCII case-insensitive), e.g. `"left"`.
    pub fn has_qualifier(&self, q: &str) -> bool {
        self.qualifiers.iter().any(|x| x.eq_ignore_ascii_case(q))
    }
}
