//! CheXpert Plus report CSV (`df_chexpert_plus_240401.csv`).
//!
//! One row per image report, with columns `path_to_image`, `report` and the sections split out
//! by the dataset's authors: `section_findings`, `section_impression`, `section_history`,
//! `section_comparison`, `section_technique`, ... Columns are found by header name; only
//! `section_findings` and `section_impression` are required. The id is `path_to_image` (else
//! `line N`). Other non-empty `section_*` columns become [`Section`]s named without the prefix,
//! upper-cased (`section_clinical_history` → `CLINICAL HISTORY`).
//!
//! Only the free-text columns (`report` and every `section_*`) may hold line breaks; a line break
//! in any other column (`path_to_image`, `age`, ...) is [`TextError::SpansLines`]: an unbalanced
//! quote has merged the rows after it into that field. A file that ends inside a quoted field
//! is [`TextError::UnterminatedQuote`] naming the line its last record began on, and a row
//! whose field count differs from the header's is [`TextError::Csv`] naming its line.
//!
//! When both sections are empty and the row has a non-empty `report` column, that free text is
//! parsed like a MIMIC-CXR report, fallback rule included (see [`crate::mimic`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{
    Limits, QuoteWatch, Report, Section, TextError, as_text, lines_spanned, normalize_lines,
    parse_mimic,
};

/// Reads a CheXpert Plus CSV from `reader`, calling `visit` with each row's report in order.
/// Returns the number of reports. `file` names the source in errors, with the line number.
///
/// ```
/// use std::path::Path;
/// use convirt_text_sampler::{read_chexpert_plus, Limits};
///
/// let csv = "path_to_image,section_findings,section_impression\n\
///            train/p1/s1/view1.jpg,Clear lungs.,No acute process.\n";
/// let mut reports = Vec::new();
/// read_chexpert_plus(csv.as_bytes(), Path::new("plus.csv"), &Limits::default(), &mut |r| {
///     reports.push(r);
///     Ok(())
/// })?;
/// assert_eq!(reports[0].impression, "No acute process.");
/// # Ok::<(), convirt_text_sampler::TextError>(())
/// ```
pub fn read_chexpert_plus(
    reader: impl Read,
    file: &Path,
    limits: &Limits,
    visit: &mut dyn FnMut(Report) -> Result<(), TextError>,
) -> Result<usize, TextError> {
    let (reader, quotes) = QuoteWatch::new(reader);
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let csv_error = |e: csv::Error| TextError::Csv {
        file: file.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    };
    let headers = csv.byte_headers().map_err(csv_error)?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err(TextError::Empty {
            file: file.to_path_buf(),
        });
    }
    let header_text: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    let column = |name: &'static str| -> Result<usize, TextError> {
        header_text
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| TextError::MissingColumn {
                file: file.to_path_buf(),
                column: name,
            })
    };
    let findings = column("section_findings")?;
    let impression = column("section_impression")?;
    let path = column("path_to_image").ok();
    let free_text = column("report").ok();
    let others: Vec<(usize, String)> = header_text
        .iter()
        .enumerate()
        .filter(|&(i, h)| h.starts_with("section_") && i != findings && i != impression)
        .map(|(i, h)| {
            (
                i,
                h["section_".len()..].replace('_', " ").to_ascii_uppercase(),
            )
        })
        .collect();
    // Free text may span lines: the report and its sections. Nothing else may.
    let free: Vec<bool> = header_text
        .iter()
        .map(|h| h == "report" || h.starts_with("section_"))
        .collect();
    let spans = |line: u64, i: usize, field: &[u8]| -> Result<(), TextError> {
        let lines = lines_spanned(field);
        if lines > 1 && !free.get(i).copied().unwrap_or(false) {
            return Err(TextError::SpansLines {
                file: file.to_path_buf(),
                line,
                column: header_text.get(i).cloned().unwrap_or_default(),
                lines,
            });
        }
        Ok(())
    };
    for (i, h) in headers.iter().enumerate() {
        spans(1, i, h)?;
    }

    let mut record = csv::ByteRecord::new();
    let mut count = 0usize;
    let mut record_line = 1u64;
    loop {
        let more = csv.read_byte_record(&mut record).map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        if more {
            for (i, field) in record.iter().enumerate() {
                spans(line, i, field)?;
            }
        }
        if quotes.ended_inside_quotes() {
            return Err(TextError::UnterminatedQuote {
                file: file.to_path_buf(),
                line: if more { line } else { record_line },
            });
        }
        if !more {
            break;
        }
        record_line = line;
        if record.len() != headers.len() {
            return Err(TextError::Csv {
                file: file.to_path_buf(),
                line,
                message: format!("{} fields, the header has {}", record.len(), headers.len()),
            });
        }
        let row_file = PathBuf::from(format!("{}:{line}", file.display()));
        let size = record.as_slice().len() as u64;
        if size > limits.max_report_bytes {
            return Err(TextError::TooLarge {
                file: row_file,
                size,
                limit: limits.max_report_bytes,
            });
        }
        let field = |i: usize| -> Result<&str, TextError> {
            as_text(record.get(i).unwrap_or_default(), &row_file)
        };
        let id = match path {
            Some(i) => field(i)?.trim().to_string(),
            None => String::new(),
        };
        let mut report = Report {
            id: if id.is_empty() {
                format!("line {line}")
            } else {
                id
            },
            findings: normalize_lines(field(findings)?),
            impression: normalize_lines(field(impression)?),
            ..Report::default()
        };
        for (i, name) in &others {
            let text = normalize_lines(field(*i)?);
            if !text.is_empty() {
                report.sections.push(Section {
                    name: name.clone(),
                    text,
                });
            }
        }
        if report.is_empty()
            && let Some(i) = free_text
        {
            let parsed = parse_mimic(field(i)?, report.id.clone());
            report.findings = parsed.findings;
            report.impression = parsed.impression;
            report.fallback = parsed.fallback;
        }
        visit(report)?;
        count += 1;
    }
    Ok(count)
}
