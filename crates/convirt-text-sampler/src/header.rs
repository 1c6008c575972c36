//! Recognising the section headers of free-text reports (`FINDINGS:`, `Impression :`, ...).

/// What a recognised header starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// The Findings section (`FINDINGS`, `FINDING`, `FINDINGS AND IMPRESSION`).
    Findings,
    /// The Impression section (`IMPRESSION`, `IMPRESSIONS`, `CONCLUSION`, `CONCLUSIONS`).
    Impression,
    /// Any other known section: examination, indication, history, technique, comparison, ...
    Other,
}

/// The headers recognised, upper-case with single spaces, and what each starts.
pub const HEADERS: &[(&str, HeaderKind)] = &[
    ("FINDINGS", HeaderKind::Findings),
    ("FINDING", HeaderKind::Findings),
    ("FINDINGS AND IMPRESSION", HeaderKind::Findings),
    ("FINDINGS/IMPRESSION", HeaderKind::Findings),
    ("IMPRESSION", HeaderKind::Impression),
    ("IMPRESSIONS", HeaderKind::Impression),
    ("CONCLUSION", HeaderKind::Impression),
    ("CONCLUSIONS", HeaderKind::Impression),
    ("EXAMINATION", HeaderKind::Other),
    ("EXAM", HeaderKind::Other),
    ("TYPE OF EXAMINATION", HeaderKind::Other),
    ("INDICATION", HeaderKind::Other),
    ("INDICATIONS", HeaderKind::Other),
    ("HISTORY", HeaderKind::Other),
    ("CLINICAL HISTORY", HeaderKind::Other),
    ("CLINICAL INFORMATION", HeaderKind::Other),
    ("REASON FOR EXAM", HeaderKind::Other),
    ("REASON FOR EXAMINATION", HeaderKind::Other),
    ("TECHNIQUE", HeaderKind::Other),
    ("PROCEDURE", HeaderKind::Other),
    ("COMPARISON", HeaderKind::Other),
    ("COMPARISONS", HeaderKind::Other),
    ("NOTIFICATION", HeaderKind::Other),
    ("RECOMMENDATION", HeaderKind::Other),
    ("RECOMMENDATIONS", HeaderKind::Other),
    ("WET READ", HeaderKind::Other),
    ("ADDENDUM", HeaderKind::Other),
];

/// A header found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// The canonical name from [`HEADERS`] (`"FINDINGS"`).
    pub name: &'static str,
    /// What it starts.
    pub kind: HeaderKind,
    /// The rest of the line after the colon, untrimmed (text on the header's own line).
    pub rest: &'a str,
}

/// Recognises a known header at the start of `line`: the name in any case, with any spacing,
/// then a colon (`"FINDINGS:"`, `" Impression :  No effusion."`). A line that holds nothing
/// but a known name, without a colon (`"IMPRESSION"`), is a header too. Unknown words before a
/// colon (`"Note: ..."`) are text, not headers.
///
/// ```
/// use convirt_text_sampler::header::{parse_header, HeaderKind};
///
/// let h = parse_header("  impression :  No effusion.").unwrap();
/// assert_eq!((h.name, h.kind, h.rest.trim()), ("IMPRESSION", HeaderKind::Impression, "No effusion."));
/// assert!(parse_header("Note: small effusion").is_none());
/// ```
pub fn parse_header(line: &str) -> Option<Header<'_>> {
    let line = line.trim_start();
    let (name, rest) = match line.find(':') {
        Some(colon) if colon <= 40 => (&line[..colon], &line[colon + 1..]),
        _ => (line.trim_end(), ""),
    };
    if name.is_empty() || name.len() > 40 {
        return None;
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '/' || c == '\t')
    {
        return None;
    }
    let canonical = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    HEADERS
        .iter()
        .find(|(h, _)| *h == canonical)
        .map(|&(name, kind)| Header { name, kind, rest })
}

/// Whether `line` is the `FINAL REPORT` banner that opens MIMIC-CXR reports (any case/spacing).
pub fn is_final_report_banner(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() == 2
        && words[0].eq_ignore_ascii_case("FINAL")
        && words[1].eq_ignore_ascii_case("REPORT")
}
