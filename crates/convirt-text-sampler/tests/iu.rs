//! IU X-ray XML: sections, MeSH terms, images, archives, folders and malformed input.

mod common;

use std::path::Path;

use common::{iu_xml, write};
use convirt_text_sampler::{Format, MeshTerm, ReportSource, TextError, parse_iu};

#[test]
fn sections_mesh_terms_and_images_are_read() {
    let xml = iu_xml(
        "CXR42",
        "Heart size normal. Clear lung XXXX bilaterally.",
        "No acute disease.",
        &[
            "Opacity/lung/base/left/streaky",
            "Cardiomegaly/mild",
            "Technical Quality of Image Unsatisfactory ",
        ],
    );
    let r = parse_iu(xml.as_bytes(), Path::new("42.xml")).unwrap();
    assert_eq!(r.id, "CXR42");
    assert_eq!(
        r.findings,
        "Heart size normal. Clear lung XXXX bilaterally."
    );
    assert_eq!(r.impression, "No acute disease.");
    assert_eq!(r.section("comparison"), Some("None."));
    assert_eq!(
        r.section("INDICATION"),
        Some("XXXX-year-old male, chest pain.")
    );
    assert_eq!(
        r.mesh.len(),
        3,
        "<automatic> terms are not <major>: {:?}",
        r.mesh
    );
    assert_eq!(r.mesh[0].descriptor, "Opacity");
    assert_eq!(r.mesh[0].qualifiers, ["lung", "base", "left", "streaky"]);
    assert!(r.mesh[0].has_qualifier("LEFT"));
    assert_eq!(r.mesh[1], MeshTerm::parse("Cardiomegaly/mild"));
    assert_eq!(
        r.mesh[2].descriptor,
        "Technical Quality of Image Unsatisfactory"
    );
    assert_eq!(r.images, ["CXR42_IM-0001-1001", "CXR42_IM-0001-2001"]);
    // Reports serialise (for manifests) and come back equal.
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        json.contains(r#""qualifiers":["lung","base","left","streaky"]"#),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<convirt_text_sampler::Report>(&json).unwrap(),
        r
    );
}

#[test]
fn entities_and_whitespace_are_resolved() {
    let xml = iu_xml(
        "CXR1",
        "  Size 1.5 &amp; 2 cm,\n   stable &#8211; &lt;unchanged&gt;  ",
        "",
        &["normal"],
    );
    let r = parse_iu(xml.as_bytes(), Path::new("1.xml")).unwrap();
    assert_eq!(r.findings, "Size 1.5 & 2 cm,\nstable \u{2013} <unchanged>");
    assert_eq!(r.impression, "");
    assert!(r.mesh[0].is_normal());
}

#[test]
fn missing_sections_are_empty_and_missing_uid_uses_the_file_stem() {
    let xml = r#"<eCitation><Abstract><AbstractText Label="FINDINGS"/><AbstractText Label="IMPRESSION"></AbstractText></Abstract></eCitation>"#;
    let r = parse_iu(xml.as_bytes(), Path::new("ecgen-radiology/77.xml")).unwrap();
    assert_eq!(r.id, "77");
    assert!(r.is_empty());
    assert!(r.mesh.is_empty());
}

#[test]
fn malformed_xml_gives_typed_errors_naming_the_file() {
    let cases: [(&[u8], &str); 7] = [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<eCitation><Abstract></eCitation>", "mismatch"),
        (b"<eCitation><Abstract>", "left open"),
        (b"<html><body/></html>", "root"),
        (b"just some text", "no root"),
        (b"<eCitation/><eCitation/>", "second root"),
    ];
    for (bytes, what) in cases {
        let err = parse_iu(bytes, Path::new("dir/9.xml")).unwrap_err();
        assert!(
            matches!(err, TextError::Xml { .. } | TextError::Empty { .. }),
            "{what}: {err:?}"
        );
        assert!(err.to_string().contains("dir/9.xml"), "{what}: {err}");
    }
    let err = parse_iu(b"<eCitation>\xff\xfe</eCitation>", Path::new("u.xml")).unwrap_err();
    assert!(
        matches!(err, TextError::NotUtf8 { offset: 11, .. }),
        "{err:?}"
    );
    let bogus = br#"<eCitation><AbstractText Label="FINDINGS">&bogus;</AbstractText></eCitation>"#;
    let err = parse_iu(bogus, Path::new("e.xml")).unwrap_err();
    assert!(matches!(err, TextError::Xml { .. }), "{err:?}");
}

fn make_tgz(path: &Path, members: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, *bytes).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

#[test]
fn archive_and_folder_give_the_same_reports() {
    let dir = tempfile::tempdir().unwrap();
    let a = iu_xml("CXR1", "Clear lungs.", "Normal.", &["normal"]);
    let b = iu_xml("CXR2", "", "Cardiomegaly.", &["Cardiomegaly/mild"]);
    let tgz = dir.path().join("reports.tgz");
    make_tgz(
        &tgz,
        &[
            ("ecgen-radiology/1.xml", a.as_bytes()),
            ("ecgen-radiology/README", b"not xml"),
            ("ecgen-radiology/2.xml", b.as_bytes()),
        ],
    );
    let from_tgz = ReportSource::open(&tgz).unwrap();
    assert_eq!(from_tgz.format, Format::IuArchive);
    let from_tgz = from_tgz.read_all().unwrap();
    write(dir.path(), "folder/ecgen-radiology/1.xml", &a);
    write(dir.path(), "folder/ecgen-radiology/2.xml", &b);
    let folder = ReportSource::open(dir.path().join("folder")).unwrap();
    assert_eq!(folder.format, Format::IuXml);
    let from_folder = folder.read_all().unwrap();
    assert_eq!(from_tgz.len(), 2);
    assert_eq!(from_tgz, from_folder);
    assert_eq!(from_tgz[1].impression, "Cardiomegaly.");
}

#[test]
fn a_bad_archive_member_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("r.tgz");
    make_tgz(
        &tgz,
        &[
            ("x/1.xml", iu_xml("CXR1", "A.", "B.", &[]).as_bytes()),
            ("x/2.xml", b"<eCitation>"),
        ],
    );
    let err = ReportSource::open(&tgz).unwrap().read_all().unwrap_err();
    assert!(err.to_string().contains("r.tgz:x/2.xml"), "{err}");

    let not_gzip = write(dir.path(), "fake.tgz", b"\x00\x01garbage that is not gzip");
    let err = ReportSource::open(&not_gzip)
        .unwrap()
        .read_all()
        .unwrap_err();
    assert!(matches!(err, TextError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("fake.tgz"), "{err}");
}
