//! Fault injection on the CheXpert Plus CSV: unbalanced quotes must not merge rows silently.
//! Line breaks are allowed only in the free-text columns (`report`, `section_*`); elsewhere a
//! field spanning lines is an error naming the file and the line its record begins on, and so
//! is a file that ends inside a quoted field.

mod common;

use std::path::Path;

use convirt_text_sampler::{Limits, Report, ReportSource, TextError, read_chexpert_plus};

const HEADER: &str = "path_to_image,report,section_findings,section_impression,age\n";

fn read(csv: &str) -> Result<Vec<Report>, TextError> {
    let mut out = Vec::new();
    read_chexpert_plus(
        csv.as_bytes(),
        Path::new("plus.csv"),
        &Limits::default(),
        &mut |r| {
            out.push(r);
            Ok(())
        },
    )?;
    Ok(out)
}

fn row(k: usize) -> String {
    format!(
        "train/patient{k}/study1/view1_frontal.jpg,,Lungs clear {k}.,No acute process {k}.,{k}\n"
    )
}

#[test]
fn fault_csv_unbalanced_quote_in_a_non_free_text_column_is_an_error_naming_file_and_line() {
    // Line 3's path opens a quote that nothing closes: the csv reader would merge every row
    // after it into that one field.
    let csv = format!(
        "{HEADER}{}\"train/patient2/study1/view1_frontal.jpg,,Clear.,Fine.,2\n{}{}",
        row(1),
        row(3),
        row(4)
    );
    let err = read(&csv).unwrap_err();
    assert!(
        matches!(&err, TextError::SpansLines { line: 3, column, lines: 4, .. } if column == "path_to_image"),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("plus.csv:3:"), "{err}");

    // In the age column, closed two rows later by a stray quote: still an error, at line 3.
    let csv = format!(
        "{HEADER}{}train/patient2/study1/view1_frontal.jpg,,Clear.,Fine.,\"2\n{}\"5\n{}",
        row(1),
        row(3),
        row(4)
    );
    let err = read(&csv).unwrap_err();
    assert!(
        matches!(&err, TextError::SpansLines { line: 3, column, .. } if column == "age"),
        "{err:?}"
    );
}

#[test]
fn fault_csv_free_text_spanning_lines_is_accepted() {
    let csv = format!(
        "{HEADER}{}train/patient2/study1/view1_frontal.jpg,\"EXAM: CHEST\n\nIMPRESSION: x.\",\"Heart normal.\n\nLungs clear.\",\"1. No acute disease.\r\n2. Stable, \"\"unchanged\"\".\",60\n{}",
        row(1),
        row(3)
    );
    let reports = read(&csv).unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[1].id, "train/patient2/study1/view1_frontal.jpg");
    assert_eq!(reports[1].findings, "Heart normal.\n\nLungs clear.");
    assert_eq!(
        reports[1].impression,
        "1. No acute disease.\n2. Stable, \"unchanged\"."
    );
    assert_eq!(reports[2].findings, "Lungs clear 3.");
    // The row after the multi-line one starts on line 9 (header 1, row 2, rows 3–8).
    assert_eq!(
        reports[2].id, "train/patient3/study1/view1_frontal.jpg",
        "ids are intact"
    );
}

#[test]
fn fault_csv_unterminated_quote_in_free_text_is_an_error_naming_the_line_the_record_began() {
    // The impression of line 3 opens a quote; the file ends before it closes, so rows 4 and 5
    // are inside it.
    let csv = format!(
        "{HEADER}{}train/patient2/study1/view1_frontal.jpg,,Clear.,\"No acute process.\n{}{}",
        row(1),
        row(3),
        row(4)
    );
    let err = read(&csv).unwrap_err();
    assert!(
        matches!(err, TextError::UnterminatedQuote { line: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("plus.csv:3:"), "{err}");

    // Through a file on disk, plain: the message names the file.
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(dir.path(), "df_chexpert_plus.csv", &csv);
    let err = ReportSource::open(&path).unwrap().read_all().unwrap_err();
    assert!(
        matches!(&err, TextError::UnterminatedQuote { file, line: 3 } if *file == path),
        "{err:?}"
    );
}

#[test]
fn fault_csv_unterminated_quote_in_the_last_field_of_the_last_row_is_an_error() {
    let csv = format!("{HEADER}{}{}a.jpg,,Clear.,Fine.,\"7", row(1), row(2));
    let err = read(&csv).unwrap_err();
    assert!(
        matches!(err, TextError::UnterminatedQuote { line: 4, .. }),
        "{err:?}"
    );
}

#[test]
fn fault_csv_row_with_the_wrong_field_count_is_an_error_naming_the_line() {
    let csv = format!(
        "{HEADER}{}train/patient2/study1/view1_frontal.jpg,,Clear.,Fine.\n{}",
        row(1),
        row(3)
    );
    let err = read(&csv).unwrap_err();
    assert!(
        matches!(&err, TextError::Csv { line: 3, message, .. } if message.contains("4 fields, the header has 5")),
        "{err:?}"
    );
}

#[test]
fn fault_csv_balanced_file_reads_every_row() {
    let csv = format!("{HEADER}{}{}{}", row(1), row(2), row(3));
    let reports = read(&csv).unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "train/patient1/study1/view1_frontal.jpg",
            "train/patient2/study1/view1_frontal.jpg",
            "train/patient3/study1/view1_frontal.jpg"
        ]
    );
}
