//! CheXpert Plus report CSV.

mod common;

use std::path::Path;

use convirt_text_sampler::{Format, Limits, Report, ReportSource, TextError, read_chexpert_plus};

fn read(csv: &[u8], limits: Limits) -> Result<Vec<Report>, TextError> {
    let mut out = Vec::new();
    read_chexpert_plus(csv, Path::new("plus.csv"), &limits, &mut |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

const CSV: &str = "path_to_image,path_to_dcm,report,section_narrative,section_clinical_history,section_findings,section_impression,age\n\
train/patient1/study1/view1_frontal.jpg,x.dcm,ignored,,\"Cough, fever.\",\"Heart normal.\n\nLungs clear.\",\"1. No acute disease.\n2. Stable.\",55\n\
train/patient2/study1/view1_frontal.jpg,y.dcm,\"EXAM: CHEST\n\nIMPRESSION: Small left effusion.\",,,,,60\n\
,z.dcm,,,,,,70\n";

#[test]
fn sections_ids_and_free_text_fallback() {
    let reports = read(CSV.as_bytes(), Limits::default()).unwrap();
    assert_eq!(reports.len(), 3);
    let a = &reports[0];
    assert_eq!(a.id, "train/patient1/study1/view1_frontal.jpg");
    assert_eq!(a.findings, "Heart normal.\n\nLungs clear.");
    assert_eq!(a.impression, "1. No acute disease.\n2. Stable.");
    assert_eq!(a.section("clinical history"), Some("Cough, fever."));
    assert_eq!(
        a.sections.len(),
        1,
        "empty section_narrative is dropped: {:?}",
        a.sections
    );
    // Both sections empty: the `report` column is parsed as free text.
    let b = &reports[1];
    assert_eq!(b.impression, "Small left effusion.");
    assert!(!b.fallback);
    // Nothing at all: an empty report whose id is the line its row starts on (quoted fields
    // above span several lines).
    let c = &reports[2];
    assert!(c.is_empty());
    assert_eq!(c.id, "line 9");
}

#[test]
fn files_are_detected_and_read_plain_or_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    let plain = common::write(dir.path(), "df_chexpert_plus.csv", CSV);
    let source = ReportSource::open(&plain).unwrap();
    assert_eq!(source.format, Format::ChexpertPlus);
    let gz_path = dir.path().join("plus.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz_path).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut gz, CSV.as_bytes()).unwrap();
    gz.finish().unwrap();
    let gz = ReportSource::open(&gz_path).unwrap();
    assert_eq!(source.read_all().unwrap(), gz.read_all().unwrap());
}

#[test]
fn bad_csv_gives_typed_errors() {
    let err = read(b"", Limits::default()).unwrap_err();
    assert!(matches!(err, TextError::Empty { .. }), "{err:?}");
    let err = read(b"path_to_image,section_findings\na,b\n", Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            TextError::MissingColumn {
                column: "section_impression",
                ..
            }
        ),
        "{err:?}"
    );
    let err = read(
        b"section_findings,section_impression\nok,fine\n\"caf\xe9\",x\n",
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, TextError::NotUtf8 { offset: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("plus.csv:3"), "{err}");
    let err = read(
        b"section_findings,section_impression\n\"a\0b\",x\n",
        Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, TextError::Binary { .. }), "{err:?}");
    let big = format!(
        "section_findings,section_impression\nsmall,row\n{},x\n",
        "y".repeat(5000)
    );
    let err = read(
        big.as_bytes(),
        Limits {
            max_report_bytes: 4096,
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, TextError::TooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("plus.csv:3"), "{err}");
    // Binary garbage has no usable header.
    let garbage: Vec<u8> = (0..2000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(read(&garbage, Limits::default()).is_err());
}
