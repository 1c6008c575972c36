//! MIMIC-CXR free-text reports (`files/pNN/pSUBJECT/sSTUDY.txt`).
//!
//! A report is a `FINAL REPORT` banner followed by sections that each start with a header at the
//! beginning of a line: `EXAMINATION:`, `INDICATION:`, `TECHNIQUE:`, `COMPARISON:`, `FINDINGS:`,
//! `IMPRESSION:` and others (see [`HEADERS`](crate::header::HEADERS)). Headers are recognised in
//! any case and with any spacing before the colon; text on the header's own line belongs to
//! the section. A section that appears twice is joined with a blank line.
//!
//! # The fallback rule
//!
//! About a third of MIMIC-CXR reports have no Findings and a sixth no Impression. When a report
//! has **neither** (after parsing, both are empty), its **last paragraph** (text between blank
//! lines) that holds a sentence and does not open with a non-clinical header (indication, history, comparison,
//! technique, ...) becomes the Impression, and [`Report::fallback`] is set. This is the rule of
//! MIMIC-CXR's own `create_section_files.py`. A report with only one of the two keeps just that
//! one: no fallback. A report with no paragraph left (empty, or only indication/comparison
//! text) stays empty: [`Report::is_empty`] is true, and samplers return `None` for it.

use std::path::Path;

use crate::header::{HeaderKind, is_final_report_banner, parse_header};
use crate::{Report, Section, TextError, as_text, normalize_lines, split_sentences};

/// Parses the text of one MIMIC-CXR report. Never fails: text without any header goes through
/// the [fallback rule](self), and an empty text gives an empty report.
///
/// ```
/// let r = convirt_text_sampler::parse_mimic(
///     "FINAL REPORT\n INDICATION: Cough.\n\n FINDINGS: Clear lungs.\n\n impression:  No acute process.",
///     "s1",
/// );
/// assert_eq!(r.findings, "Clear lungs.");
/// assert_eq!(r.impression, "No acute process.");
/// assert_eq!(r.section("indication"), Some("Cough."));
/// ```
pub fn parse_mimic(text: &str, id: impl Into<String>) -> Report {
    let mut report = Report {
        id: id.into(),
        ..Report::default()
    };
    let mut current: Option<(&'static str, HeaderKind)> = None;
    let mut lines: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if is_final_report_banner(line) {
            continue;
        }
        if let Some(header) = parse_header(line) {
            flush(&mut report, current, &lines);
            current = Some((header.name, header.kind));
            lines.clear();
            lines.push(header.rest);
        } else {
            lines.push(line);
        }
    }
    flush(&mut report, current, &lines);
    if report.is_empty()
        && let Some(paragraph) = fallback_paragraph(text)
    {
        report.impression = paragraph;
        report.fallback = true;
    }
    report
}

/// Reads a MIMIC-CXR report from its bytes; the id is the file stem (`s50414267`).
/// Invalid UTF-8 or binary data give a [`TextError`] naming `file`.
pub fn parse_mimic_bytes(bytes: &[u8], file: &Path) -> Result<Report, TextError> {
    let text = as_text(bytes, file)?;
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(parse_mimic(text, id))
}

/// Files the lines gathered for one section (`None`: the text before the first header).
fn flush(report: &mut Report, section: Option<(&'static str, HeaderKind)>, lines: &[&str]) {
    let text = normalize_lines(&lines.join("\n"));
    if text.is_empty() {
        return;
    }
    let append = |target: &mut String| {
        if !target.is_empty() {
            target.push_str("\n\n");
        }
        target.push_str(&text);
    };
    match section {
        Some((_, HeaderKind::Findings)) => append(&mut report.findings),
        Some((_, HeaderKind::Impression)) => append(&mut report.impression),
        Some((name, HeaderKind::Other)) => {
            match report.sections.iter_mut().find(|s| s.name == name) {
                Some(existing) => {
                    existing.text.push_str("\n\n");
                    existing.text.push_str(&text);
                }
                None => report.sections.push(Section {
                    name: name.to_string(),
                    text,
                }),
            }
        }
        None => report.sections.push(Section {
            name: "PREAMBLE".to_string(),
            text,
        }),
    }
}

/// Whether `text` holds at least one sentence (punctuation-only paragraphs do not).
fn has_sentence(text: &str) -> bool {
    !split_sentences(text).is_empty()
}

/// The last paragraph that has a sentence and does not open with a non-clinical header, header
/// text stripped.
fn fallback_paragraph(text: &str) -> Option<String> {
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.split('\n') {
        if is_final_report_banner(line) {
            continue;
        }
        if line.trim().is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(last) = paragraphs.last_mut() {
            last.push(line);
        }
    }
    paragraphs.into_iter().rev().find_map(|lines| {
        let first = lines.first()?;
        match parse_header(first) {
            Some(h) if h.kind == HeaderKind::Other => None,
            Some(h) => {
                let rest: Vec<&str> = std::iter::once(h.rest)
                    .chain(lines[1..].iter().copied())
                    .collect();
                Some(normalize_lines(&rest.join("\n"))).filter(|t| has_sentence(t))
            }
            None => Some(normalize_lines(&lines.join("\n"))).filter(|t| has_sentence(t)),
        }
    })
}
