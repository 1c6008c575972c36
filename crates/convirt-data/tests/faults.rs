//! Fault injection on the data path: images missing, truncated, empty or of the wrong format
//! (in `read_image` and in the pair loader, where each skip must name its file, all of them kept);
//! CSVs whose unbalanced quotes would merge rows; text-query files with empty texts or no rows.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use convirt_augment::{ConvirtAugment, Image};
use convirt_data::{
    CHEXPERT_8X200, DataError, PairExample, PairLoader, PairLoaderConfig, ReportText, SkipPolicy,
    Skipped, Table, read_candidates, read_chexpert, read_image, read_image_queries,
    read_text_queries,
};
use convirt_text_sampler::{SentenceSampler, TextTokenizer, assets, parse_mimic};
use image::{GrayImage, ImageFormat, Luma};

fn tokenizer() -> Arc<TextTokenizer> {
    let path = assets::require(assets::MINILM_TOKENIZER).expect("run scripts/fetch-assets.sh");
    Arc::new(
        TextTokenizer::from_file(path)
            .unwrap()
            .with_max_len(32)
            .unwrap(),
    )
}

fn encoded(format: ImageFormat) -> Vec<u8> {
    let picture = GrayImage::from_fn(40, 30, |x, y| Luma([(x * 5 + y * 3) as u8]));
    let mut bytes = Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// `n` single-image examples `s0..`, each a 40×30 PNG and a two-sentence report.
fn examples(dir: &Path, n: usize) -> Vec<PairExample> {
    (0..n)
        .map(|k| {
            let path = dir.join(format!("s{k}.png"));
            convirt_augment::save(&Image::noise(40, 30, k as u64).unwrap(), &path).unwrap();
            PairExample {
                group: format!("s{k}"),
                images: vec![path],
                report: ReportText::Parsed(parse_mimic(
                    &format!("FINDINGS: Study {k} lungs are clear. Heart is normal."),
                    format!("s{k}"),
                )),
            }
        })
        .collect()
}

fn loader(examples: Vec<PairExample>, policy: SkipPolicy) -> PairLoader {
    PairLoader::new(
        examples,
        Arc::new(ConvirtAugment::paper_with_size(16)),
        Arc::new(SentenceSampler::new(5)),
        tokenizer(),
        PairLoaderConfig {
            batch_size: 4,
            seed: 3,
            threads: 2,
            prefetch: 2,
            skip_policy: policy,
            ..PairLoaderConfig::default()
        },
    )
    .unwrap()
}

/// Runs epoch 0 to its end and returns its skips and the number of pairs it yielded.
fn run_epoch(loader: &PairLoader) -> (Skipped, usize) {
    let mut epoch = loader.epoch(0, 0);
    let mut pairs = 0;
    for batch in epoch.by_ref() {
        pairs += batch.unwrap().rows();
    }
    assert_eq!(epoch.skip_reasons().len(), epoch.skipped().count);
    (epoch.finish().skipped, pairs)
}

#[test]
fn fault_missing_image_is_a_skip_reason_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = examples(dir.path(), 6);
    let missing = dir.path().join("gone/film-0042.png");
    examples[2].images = vec![missing.clone()];
    let (skipped, pairs) = run_epoch(&loader(examples.clone(), SkipPolicy::SkipAndCount));
    assert_eq!((skipped.count, pairs), (1, 5));
    let reason = &skipped.reasons[0];
    assert_eq!(reason.file.as_deref(), Some(missing.as_path()));
    assert_eq!(reason.kind, "io");
    assert_eq!(reason.line, None);
    assert!(reason.message.contains("film-0042.png"), "{reason}");
    let json = reason.to_json();
    assert_eq!(json["file"], missing.to_string_lossy().as_ref());
    assert_eq!(json["kind"], "io");

    // Under Fail the epoch ends with the same error, naming the path.
    let results: Vec<_> = loader(examples, SkipPolicy::Fail).epoch(0, 0).collect();
    let error = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(
        matches!(error, DataError::Io { file, .. } if *file == missing),
        "{error}"
    );
}

#[test]
fn fault_every_skip_is_kept_with_its_path_not_only_the_first_ten() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = examples(dir.path(), 40);
    let mut missing = HashSet::new();
    for k in (0..40).filter(|k| k % 3 != 0) {
        let path = dir.path().join(format!("missing-{k}.png"));
        examples[k].images = vec![path.clone()];
        missing.insert(path);
    }
    assert_eq!(missing.len(), 26);
    let (skipped, pairs) = run_epoch(&loader(examples, SkipPolicy::SkipAndCount));
    assert_eq!((skipped.count, pairs), (26, 14));
    assert_eq!(skipped.first_errors.len(), Skipped::KEPT);
    assert_eq!(skipped.reasons.len(), 26);
    let named: HashSet<PathBuf> = skipped
        .reasons
        .iter()
        .filter_map(|r| r.file.clone())
        .collect();
    assert_eq!(named, missing, "each skip names its own missing file");
    assert!(skipped.reasons.iter().all(|r| r.kind == "io"));
    assert_eq!(skipped.since(20).len(), 6);
}

#[test]
fn fault_truncated_jpeg_in_the_loader_is_a_skip_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = examples(dir.path(), 5);
    let jpeg = encoded(ImageFormat::Jpeg);
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &jpeg[..jpeg.len() * 9 / 10]).unwrap();
    examples[1].images = vec![cut.clone()];
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    examples[4].images = vec![empty.clone()];
    let (skipped, pairs) = run_epoch(&loader(examples, SkipPolicy::SkipAndCount));
    assert_eq!((skipped.count, pairs), (2, 3));
    let by_file: HashSet<(PathBuf, &str)> = skipped
        .reasons
        .iter()
        .map(|r| (r.file.clone().unwrap(), r.kind))
        .collect();
    assert_eq!(
        by_file,
        HashSet::from([(cut.clone(), "image"), (empty, "image")])
    );
    let reason = skipped
        .reasons
        .iter()
        .find(|r| r.file.as_ref() == Some(&cut));
    assert!(
        reason.unwrap().message.contains("truncated JPEG"),
        "{reason:?}"
    );
}

#[test]
fn fault_read_image_refuses_truncated_empty_and_wrong_format_files_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let jpeg = encoded(ImageFormat::Jpeg);
    let png = encoded(ImageFormat::Png);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("jpeg-50.jpg", jpeg[..jpeg.len() / 2].to_vec()),
        ("jpeg-90.jpg", jpeg[..jpeg.len() * 9 / 10].to_vec()),
        ("jpeg-no-eoi.jpg", jpeg[..jpeg.len() - 2].to_vec()),
        ("png-50.png", png[..png.len() / 2].to_vec()),
        ("png-no-iend.png", png[..png.len() - 12].to_vec()),
        ("zero.jpg", Vec::new()),
        ("zero.png", Vec::new()),
        ("text.jpg", b"FINDINGS: not an image.\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = read_image(&path).unwrap_err();
        assert!(
            matches!(&error, DataError::Image { file, .. } if *file == path),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
    // The whole files still decode.
    for (name, bytes) in [("whole.jpg", &jpeg), ("whole.png", &png)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let image = read_image(&path).unwrap();
        assert_eq!((image.width(), image.height()), (40, 30), "{name}");
    }
}

const CHEXPERT_HEADER: &str = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices";

fn chexpert_row(patient: usize) -> String {
    format!(
        "CheXpert-v1.0-small/train/patient{patient:05}/study1/view1_frontal.jpg,Female,60,Frontal,AP,,,1.0,,,,,,,,,,,"
    )
}

#[test]
fn fault_csv_unbalanced_quote_in_a_non_free_text_column_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    // Line 3's Sex opens a quote that line 5's Sex closes: rows 3–5 would become one row.
    let rows = [
        CHEXPERT_HEADER.to_owned(),
        chexpert_row(1),
        chexpert_row(2).replace(",Female,", ",\"Female,"),
        chexpert_row(3),
        chexpert_row(4).replace(",Female,", ",Female\","),
        chexpert_row(5),
    ];
    let file = dir.path().join("train.csv");
    std::fs::write(&file, rows.join("\n") + "\n").unwrap();
    for policy in [SkipPolicy::Fail, SkipPolicy::SkipAndCount] {
        let error = read_chexpert(&file, policy).unwrap_err();
        assert!(
            matches!(&error, DataError::SpansLines { file: f, line: 3, column, lines: 3 } if *f == file && column == "Sex"),
            "{policy:?}: {error:?}"
        );
        assert!(error.to_string().contains("train.csv:3:"), "{error}");
    }

    // A quote that nothing closes, in the last row: the file ends inside it.
    let rows = [
        CHEXPERT_HEADER.to_owned(),
        chexpert_row(1),
        chexpert_row(2),
        chexpert_row(3).replace(",AP,", ",\"AP,"),
    ];
    std::fs::write(&file, rows.join("\n")).unwrap();
    let error = read_chexpert(&file, SkipPolicy::SkipAndCount).unwrap_err();
    assert!(
        matches!(&error, DataError::UnterminatedQuote { line: 4, .. }),
        "{error:?}"
    );
}

#[test]
fn fault_csv_free_text_column_spanning_lines_is_accepted_when_declared() {
    let csv = "id,Text,n\n1,\"two\nlines\",5\n2,one line,6\n3,\"runs to the end\nof the file";
    let read = |free: &[&str]| {
        let table = Table::from_reader("notes.csv", Box::new(Cursor::new(csv))).unwrap();
        let text = table.column("Text").unwrap();
        table.with_free_text(free).rows(SkipPolicy::Fail, |row| {
            Ok((row.line, row.get(text).to_owned()))
        })
    };
    // Not declared: the line break is an error at the line its record begins on.
    let error = read(&[]).unwrap_err();
    assert!(
        matches!(&error, DataError::SpansLines { line: 2, column, lines: 2, .. } if column == "Text"),
        "{error:?}"
    );
    // Declared free text: rows 2 and 4 are read whole, and the last record's open quote is
    // still an error naming the line it began on.
    let error = read(&["Text"]).unwrap_err();
    assert!(
        matches!(&error, DataError::UnterminatedQuote { line: 5, .. }),
        "{error:?}"
    );
    let closed = format!("{csv}\",7\n");
    let table = Table::from_reader("notes.csv", Box::new(Cursor::new(closed))).unwrap();
    let text = table.column("Text").unwrap();
    let loaded = table
        .with_free_text(&["Text"])
        .rows(SkipPolicy::Fail, |row| {
            Ok((row.line, row.get(text).to_owned()))
        })
        .unwrap();
    assert_eq!(
        loaded.records,
        [
            (2, "two\nlines".to_owned()),
            (4, "one line".to_owned()),
            (5, "runs to the end\nof the file".to_owned())
        ]
    );
}

#[test]
fn fault_empty_text_query_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("text_queries.csv");
    for (what, text) in [("empty", ""), ("blank", "   "), ("quoted", "\" \"")] {
        std::fs::write(
            &file,
            format!("Variable,Text\nEdema,Pulmonary edema.\nFracture,{text}\nAtelectasis,Basal atelectasis.\n"),
        )
        .unwrap();
        for policy in [SkipPolicy::Fail, SkipPolicy::SkipAndCount] {
            let error = read_text_queries(&file, &CHEXPERT_8X200, policy).unwrap_err();
            assert!(
                matches!(&error, DataError::EmptyText { file: f, line: 3, column } if *f == file && column == "Text"),
                "{what} {policy:?}: {error:?}"
            );
            assert!(error.to_string().contains("text_queries.csv:3:"), "{error}");
        }
    }
}

#[test]
fn fault_header_only_query_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 3] = [
        ("text_queries.csv", "Variable,Text\n"),
        ("query.csv", "Variable,Path\n"),
        ("candidate.csv", &format!("{CHEXPERT_HEADER}\n")),
    ];
    for (name, text) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let error = match name {
            "text_queries.csv" => read_text_queries(&file, &CHEXPERT_8X200, SkipPolicy::Fail)
                .map(|l| l.records.len())
                .unwrap_err(),
            "query.csv" => read_image_queries(&file, &CHEXPERT_8X200, SkipPolicy::Fail)
                .map(|l| l.records.len())
                .unwrap_err(),
            _ => read_candidates(&file, &CHEXPERT_8X200, SkipPolicy::Fail)
                .map(|l| l.records.len())
                .unwrap_err(),
        };
        assert!(
            matches!(&error, DataError::NoRows { file: f } if *f == file),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
    // A query file whose rows are all skipped is not "no rows": its skips say why.
    let file = dir.path().join("text_queries.csv");
    std::fs::write(&file, "Variable,Text\nNot a category,Some text.\n").unwrap();
    let loaded = read_text_queries(&file, &CHEXPERT_8X200, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!((loaded.records.len(), loaded.skipped.count), (0, 1));
    assert_eq!(loaded.skipped.reasons[0].line, Some(2));
    assert_eq!(
        loaded.skipped.reasons[0].file.as_deref(),
        Some(file.as_path())
    );
}

#[test]
fn fault_every_table_skip_kind_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        CHEXPERT_HEADER.to_owned(),
        chexpert_row(1),
        chexpert_row(2).replace(",1.0,", ",2.0,"),
        "CheXpert-v1.0-small/train/patient00003/study1/view1_frontal.jpg,Male,41".to_owned(),
        chexpert_row(4).replace("patient00004/study1/", "p4/s1/"),
        chexpert_row(5),
    ];
    let file = dir.path().join("train.csv");
    std::fs::write(&file, rows.join("\n") + "\n").unwrap();
    let loaded = read_chexpert(&file, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!((loaded.records.len(), loaded.skipped.count), (2, 3));
    let seen: Vec<(Option<&Path>, Option<u64>, &str)> = loaded
        .skipped
        .reasons
        .iter()
        .map(|r| (r.file.as_deref(), r.line, r.kind))
        .collect();
    let f = Some(file.as_path());
    assert_eq!(
        seen,
        [
            (f, Some(3), "bad_label"),
            (f, Some(4), "column_count"),
            (f, Some(5), "bad_path")
        ]
    );
    for reason in &loaded.skipped.reasons {
        let at = format!("train.csv:{}:", reason.line.unwrap());
        assert!(reason.message.contains(&at), "{reason}");
    }
}

/// A 16-bit MONOCHROME2 DICOM declaring `rows × columns`, holding the samples `stored`.
fn write_dicom(path: &Path, rows: u16, columns: u16, stored: Vec<u16>) {
    use dicom_core::smallvec::SmallVec;
    use dicom_core::{DataElement, PrimitiveValue, VR};
    use dicom_dictionary_std::{tags, uids};
    use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
    let us = |tag, v: u16| DataElement::new(tag, VR::US, PrimitiveValue::from(v));
    let obj = InMemDicomObject::from_element_iter([
        DataElement::new(
            tags::SOP_CLASS_UID,
            VR::UI,
            PrimitiveValue::from(uids::DIGITAL_X_RAY_IMAGE_STORAGE_FOR_PRESENTATION),
        ),
        DataElement::new(
            tags::SOP_INSTANCE_UID,
            VR::UI,
            PrimitiveValue::from("2.25.7"),
        ),
        us(tags::ROWS, rows),
        us(tags::COLUMNS, columns),
        us(tags::SAMPLES_PER_PIXEL, 1),
        DataElement::new(
            tags::PHOTOMETRIC_INTERPRETATION,
            VR::CS,
            PrimitiveValue::from("MONOCHROME2"),
        ),
        us(tags::BITS_ALLOCATED, 16),
        us(tags::BITS_STORED, 12),
        us(tags::HIGH_BIT, 11),
        us(tags::PIXEL_REPRESENTATION, 0),
        DataElement::new(
            tags::PIXEL_DATA,
            VR::OW,
            PrimitiveValue::U16(SmallVec::from_vec(stored)),
        ),
    ]);
    obj.with_meta(FileMetaTableBuilder::new().transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN))
        .unwrap()
        .write_to_file(path)
        .unwrap();
}

#[test]
fn fault_dicom_huge_declared_dimensions_or_truncated_pixels_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.dcm");
    write_dicom(&whole, 3, 4, (0..12).map(|v| v * 300).collect());
    let image = read_image(&whole).unwrap();
    assert_eq!((image.width(), image.height()), (4, 3));
    assert_eq!(image.get(3, 2), 1.0, "the largest sample is white");

    // 65535 × 65535 declared (8 GiB of 16-bit samples), 12 samples present.
    let huge = dir.path().join("huge.dcm");
    write_dicom(&huge, u16::MAX, u16::MAX, (0..12).collect());
    let error = read_image(&huge).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, .. } if *file == huge),
        "{error:?}"
    );

    // The file cut in its pixel data.
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.dcm");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let error = read_image(&cut).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, .. } if *file == cut),
        "{error:?}"
    );
    let empty = dir.path().join("empty.dcm");
    std::fs::write(&empty, b"").unwrap();
    let error = read_image(&empty).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, .. } if *file == empty),
        "{error:?}"
    );
}
