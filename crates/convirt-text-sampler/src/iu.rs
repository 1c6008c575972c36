//! IU X-ray (Open-i) XML reports, as in `NLMCXR_reports.tgz` (`ecgen-radiology/N.xml`).
//!
//! Each report is an `<eCitation>` holding `<AbstractText Label="...">` sections (COMPARISON,
//! INDICATION, FINDINGS, IMPRESSION), `<MeSH><major>` terms such as
//! `Opacity/lung/base/left`, and one `<parentImage id="...">` per image. An empty or absent
//! `AbstractText` is an empty section; 28 of the 3,955 real reports have neither Findings nor
//! Impression.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};

use crate::{MeshTerm, Report, Section, TextError, as_text, normalize_lines};

/// Parses one IU X-ray XML report. `file` names the source in errors, and its stem is the id
/// when the XML has no `<uId id="...">`.
///
/// Errors: empty input ([`TextError::Empty`]); invalid UTF-8 or binary data; malformed XML or a
/// root element other than `<eCitation>` ([`TextError::Xml`]).
///
/// ```
/// use std::path::Path;
/// let xml = r#"<eCitation><uId id="CXR1"/><Abstract>
///   <AbstractText Label="FINDINGS">Clear lungs.</AbstractText>
///   <AbstractText Label="IMPRESSION">Normal chest.</AbstractText></Abstract>
///   <MeSH><major>Cardiomegaly/mild</major></MeSH></eCitation>"#;
/// let r = convirt_text_sampler::parse_iu(xml.as_bytes(), Path::new("1.xml"))?;
/// assert_eq!((r.id.as_str(), r.findings.as_str()), ("CXR1", "Clear lungs."));
/// assert_eq!(r.mesh[0].qualifiers, ["mild"]);
/// # Ok::<(), convirt_text_sampler::TextError>(())
/// ```
pub fn parse_iu(bytes: &[u8], file: &Path) -> Result<Report, TextError> {
    let text = as_text(bytes, file)?;
    if text.trim().is_empty() {
        return Err(TextError::Empty {
            file: file.to_path_buf(),
        });
    }
    let mut reader = Reader::from_str(text);
    let xml_error = |reader: &Reader<&[u8]>, message: String| TextError::Xml {
        file: file.to_path_buf(),
        position: reader.error_position(),
        message,
    };
    let mut report = Report::default();
    let mut depth = 0usize;
    let mut seen_root = false;
    // The element whose text is being gathered, and the text so far.
    let mut capture: Option<Capture> = None;
    let mut buf = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(&reader, e.to_string()))?;
        match event {
            Event::Start(e) => {
                if depth == 0 {
                    check_root(&e, seen_root).map_err(|m| xml_error(&reader, m))?;
                    seen_root = true;
                }
                depth += 1;
                if capture.is_none() {
                    capture = start_capture(&e);
                    buf.clear();
                }
                attributes(&e, &mut report);
            }
            Event::Empty(e) => {
                if depth == 0 {
                    check_root(&e, seen_root).map_err(|m| xml_error(&reader, m))?;
                    seen_root = true;
                }
                attributes(&e, &mut report);
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name();
                if let Some(c) = &capture
                    && c.element() == name.as_ref()
                {
                    finish(capture.take().unwrap_or(Capture::Major), &buf, &mut report);
                }
            }
            Event::Text(t) => {
                if capture.is_some() {
                    let s = t.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                    buf.push_str(&s);
                } else if depth == 0 && !t.decode().map(|s| s.trim().is_empty()).unwrap_or(false) {
                    return Err(xml_error(&reader, "text outside the root element".into()));
                }
            }
            Event::CData(t) => {
                if capture.is_some() {
                    let s = t.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                    buf.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if capture.is_some() {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let name = r.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                            resolve_xml_entity(&name)
                                .ok_or_else(|| {
                                    xml_error(&reader, format!("unknown entity &{name};"))
                                })?
                                .to_string()
                        }
                        Err(e) => return Err(xml_error(&reader, e.to_string())),
                    };
                    buf.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !seen_root {
        return Err(xml_error(&reader, "no <eCitation> element".into()));
    }
    if depth != 0 {
        return Err(xml_error(
            &reader,
            format!("{depth} element(s) left open at the end"),
        ));
    }
    if report.id.is_empty() {
        report.id = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    Ok(report)
}

/// An element whose text the parser keeps.
enum Capture {
    /// `<AbstractText Label="...">`, with its label upper-cased.
    Abstract(String),
    /// `<major>`, a MeSH term.
    Major,
}

impl Capture {
    fn element(&self) -> &'static [u8] {
        match self {
            Capture::Abstract(_) => b"AbstractText",
            Capture::Major => b"major",
        }
    }
}

fn check_root(e: &BytesStart<'_>, seen_root: bool) -> Result<(), String> {
    if seen_root {
        return Err("a second root element".into());
    }
    let name = e.local_name();
    if name.as_ref() != b"eCitation" {
        return Err(format!(
            "root element is <{}>, expected <eCitation>",
            String::from_utf8_lossy(name.as_ref())
        ));
    }
    Ok(())
}

fn start_capture(e: &BytesStart<'_>) -> Option<Capture> {
    match e.local_name().as_ref() {
        b"AbstractText" => {
            let label = attribute(e, b"Label")
                .unwrap_or_default()
                .trim()
                .to_ascii_uppercase();
            Some(Capture::Abstract(label))
        }
        b"major" => Some(Capture::Major),
        _ => None,
    }
}

/// Reads the ids from `<uId id>` and `<parentImage id>`.
fn attributes(e: &BytesStart<'_>, report: &mut Report) {
    match e.local_name().as_ref() {
        b"uId" if report.id.is_empty() => {
            report.id = attribute(e, b"id").unwrap_or_default();
        }
        b"parentImage" => {
            if let Some(id) = attribute(e, b"id") {
                report.images.push(id);
            }
        }
        _ => {}
    }
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn finish(capture: Capture, text: &str, report: &mut Report) {
    match capture {
        Capture::Major => {
            let term = MeshTerm::parse(text);
            if !term.raw.is_empty() {
                report.mesh.push(term);
            }
        }
        Capture::Abstract(label) => {
            let text = normalize_lines(text);
            match label.as_str() {
                "FINDINGS" => report.findings = text,
                "IMPRESSION" => report.impression = text,
                _ if text.is_empty() => {}
                _ => report.sections.push(Section { name: label, text }),
            }
        }
    }
}
