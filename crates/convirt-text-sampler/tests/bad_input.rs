//! Bad input in every format: typed errors naming the file, or documented empty results.

mod common;

use common::write;
use convirt_text_sampler::{Format, Limits, ReportSource, ReportStats, TextError};

fn garbage(n: usize, seed: u32) -> Vec<u8> {
    (0..n as u32)
        .map(|i| (i.wrapping_add(seed).wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect()
}

#[test]
fn mimic_tree_with_edge_case_reports() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    write(
        &files,
        "p10/p10000032/s50414267.txt",
        "FINAL REPORT\n FINDINGS: Clear lungs.\n\n IMPRESSION: Normal.",
    );
    write(
        &files,
        "p10/p10000032/s50000001.txt",
        "FINAL REPORT\n impression: no effusion.",
    );
    write(&files, "p10/p10000033/s50000002.txt", "");
    write(
        &files,
        "p11/p11000001/s50000003.txt",
        "FINAL REPORT\n INDICATION: cough\n\n The lungs are clear.",
    );
    write(&files, "p11/p11000001/notes.csv", "not a report");
    let source = ReportSource::open(&files).unwrap();
    assert_eq!(source.format, Format::Mimic);
    let reports = source.read_all().unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["s50000001", "s50414267", "s50000002", "s50000003"]);
    let stats = ReportStats::of(&source).unwrap();
    assert_eq!(
        (
            stats.reports,
            stats.with_findings,
            stats.with_impression,
            stats.empty
        ),
        (4, 1, 3, 1)
    );
    assert_eq!(stats.sentences(), 4);
    assert_eq!(
        stats.to_json(),
        r#"{"reports":4,"with_findings":1,"with_impression":3,"empty":1,"sentences_mean":1.0}"#
    );
}

#[test]
fn non_utf8_binary_and_huge_files_are_named_errors_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = b"FINDINGS: Clear lungs, no \xe9panchement.".to_vec();
    let binary = garbage(4096, 7);
    let huge = "FINDINGS: stable. ".repeat(70_000); // 1.2 MB
    for (ext, good) in [
        ("txt", "IMPRESSION: Normal.".to_string()),
        ("xml", common::iu_xml("CXR1", "A.", "B.", &[])),
    ] {
        for (name, bytes) in [
            ("latin1", latin1.clone()),
            ("binary", binary.clone()),
            ("huge", huge.clone().into_bytes()),
        ] {
            let folder = dir.path().join(format!("{ext}-{name}"));
            write(&folder, &format!("a/1.{ext}"), &good);
            let bad = write(&folder, &format!("b/2.{ext}"), &bytes);
            let err = ReportSource::open(&folder).unwrap().read_all().unwrap_err();
            assert!(
                err.to_string().contains(&*bad.to_string_lossy()),
                "{ext} {name}: {err}"
            );
            let expected = match name {
                "latin1" => matches!(err, TextError::NotUtf8 { .. }),
                "binary" => matches!(err, TextError::NotUtf8 { .. } | TextError::Binary { .. }),
                _ => matches!(
                    err,
                    TextError::TooLarge {
                        limit: Limits::DEFAULT_MAX_REPORT_BYTES,
                        ..
                    }
                ),
            };
            assert!(expected, "{ext} {name}: {err:?}");
        }
    }
    // Raising the limit lets the huge report through.
    let folder = dir.path().join("txt-huge");
    let reports = ReportSource::open(&folder)
        .unwrap()
        .with_limits(Limits {
            max_report_bytes: 4 << 20,
        })
        .read_all()
        .unwrap();
    assert_eq!(reports[1].findings.matches("stable.").count(), 70_000);
}

#[test]
fn unknown_and_ambiguous_paths_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = ReportSource::open(dir.path().join("missing.tgz")).unwrap_err();
    assert!(matches!(err, TextError::Io { .. }), "{err:?}");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(matches!(
        ReportSource::open(&empty),
        Err(TextError::UnknownFormat { .. })
    ));
    write(&empty, "1.xml", "<eCitation/>");
    write(&empty, "2.txt", "IMPRESSION: x");
    assert!(matches!(
        ReportSource::open(&empty),
        Err(TextError::UnknownFormat { .. })
    ));
    let png = write(dir.path(), "image.png", garbage(100, 1));
    assert!(matches!(
        ReportSource::open(&png),
        Err(TextError::UnknownFormat { .. })
    ));
    // A binary file given an explicit archive format is an I/O error, not a panic.
    let err = ReportSource::with_format(&png, Format::IuArchive)
        .read_all()
        .unwrap_err();
    assert!(err.to_string().contains("image.png"), "{err}");
    let err = ReportSource::with_format(&png, Format::ChexpertPlus)
        .read_all()
        .unwrap_err();
    assert!(err.to_string().contains("image.png"), "{err}");
}

#[test]
fn empty_files_follow_their_documented_result() {
    let dir = tempfile::tempdir().unwrap();
    // MIMIC: an empty file is an empty report.
    let txt = write(dir.path(), "s1.txt", "");
    let reports = ReportSource::open(&txt).unwrap().read_all().unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].is_empty());
    // IU: an empty XML file is not XML.
    let xml = write(dir.path(), "1.xml", "");
    assert!(matches!(
        ReportSource::open(&xml).unwrap().read_all(),
        Err(TextError::Empty { .. })
    ));
    // CheXpert Plus: an empty CSV has no header.
    let csv = write(dir.path(), "p.csv", "");
    assert!(matches!(
        ReportSource::open(&csv).unwrap().read_all(),
        Err(TextError::Empty { .. })
    ));
}
