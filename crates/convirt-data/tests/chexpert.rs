//! CheXpert: the real `chexpert_train.csv.gz` against an independent count, and bad rows.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use convirt_data::{
    CHEXPERT_LABELS, DataError, Label, SkipPolicy, UncertaintyPolicy, View, read_chexpert,
};
use convirt_text_sampler::assets;

const HEADER: &str = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices";
const GOOD: &str = "CheXpert-v1.0-small/train/patient00002/study2/view1_frontal.jpg,Female,87,Frontal,AP,,,-1.0,1.0,,-1.0,-1.0,,-1.0,,-1.0,,1.0,";
const LATERAL: &str = "CheXpert-v1.0-small/train/patient00002/study1/view2_lateral.jpg,Female,83,Lateral,,,,,1.0,,,,,,,,,1.0,";

fn write(dir: &tempfile::TempDir, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// The independent count: plain `split(',')` of the decompressed file (no field is quoted),
/// never through the loader. Counts per label column, keyed by the raw text.
#[test]
fn real_train_csv_matches_an_independent_count() {
    let file = assets::require(assets::CHEXPERT_TRAIN).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut expected: Vec<HashMap<&str, usize>> = vec![HashMap::new(); CHEXPERT_LABELS.len()];
    let mut rows = 0;
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), header.len(), "{line}");
        for (k, name) in CHEXPERT_LABELS.iter().enumerate() {
            let col = header.iter().position(|h| h == name).unwrap();
            *expected[k].entry(fields[col]).or_default() += 1;
        }
        rows += 1;
    }
    assert_eq!(rows, 223_414, "the issue's row count");

    let loaded = read_chexpert(&file, SkipPolicy::Fail).unwrap();
    assert_eq!(loaded.records.len(), rows);
    assert!(loaded.skipped.is_empty());
    for (k, name) in CHEXPERT_LABELS.iter().enumerate() {
        let count = |label: Label| {
            loaded
                .records
                .iter()
                .filter(|r| r.labels[k] == label)
                .count()
        };
        let raw = |text: &str| expected[k].get(text).copied().unwrap_or(0);
        let got = [
            Label::Positive,
            Label::Negative,
            Label::Uncertain,
            Label::Blank,
        ]
        .map(count);
        let want = [raw("1.0"), raw("0.0"), raw("-1.0"), raw("")];
        eprintln!(
            "{name:28} 1:{:6} 0:{:6} -1:{:6} blank:{:6}",
            got[0], got[1], got[2], got[3]
        );
        assert_eq!(got, want, "{name}");
        assert_eq!(
            want.iter().sum::<usize>(),
            rows,
            "{name}: only 1.0/0.0/-1.0/blank occur"
        );
    }
    let frontal = loaded
        .records
        .iter()
        .filter(|r| r.view == View::Frontal)
        .count();
    let frontal_raw = text
        .lines()
        .filter(|l| l.split(',').nth(3) == Some("Frontal"))
        .count();
    assert_eq!(frontal, frontal_raw);
}

#[test]
fn parses_a_row_and_applies_the_uncertainty_policy() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "valid.csv", &[HEADER, GOOD, LATERAL]);
    let loaded = read_chexpert(&file, SkipPolicy::Fail).unwrap();
    let [r, lateral] = loaded.records.as_slice() else {
        panic!("two rows")
    };
    assert_eq!(
        (r.patient, r.study, r.age, r.view),
        (2, 2, Some(87), View::Frontal)
    );
    assert_eq!(r.projection.as_deref(), Some("AP"));
    assert_eq!(r.label("Cardiomegaly"), Some(Label::Uncertain));
    assert_eq!(r.label("Lung Opacity"), Some(Label::Positive));
    assert_eq!(r.label("No Finding"), Some(Label::Blank));
    let cardio = 2;
    assert_eq!(r.targets(UncertaintyPolicy::default())[cardio], Some(0.0));
    assert_eq!(r.targets(UncertaintyPolicy::UOnes)[cardio], Some(1.0));
    assert_eq!(r.targets(UncertaintyPolicy::Ignore)[cardio], None);
    assert_eq!(
        r.targets(UncertaintyPolicy::Ignore)[0],
        Some(0.0),
        "blank is negative"
    );
    assert_eq!(
        (lateral.view, lateral.projection.clone()),
        (View::Lateral, None)
    );
}

fn line_of(error: &DataError) -> u64 {
    match error {
        DataError::BadLabel { line, .. }
        | DataError::ColumnCount { line, .. }
        | DataError::BadPath { line, .. }
        | DataError::BadField { line, .. } => *line,
        other => panic!("not a row error: {other}"),
    }
}

#[test]
fn bad_rows_name_file_and_line_and_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let bad_label = GOOD.replace(",-1.0,1.0,", ",-1.0,2.0,");
    let short =
        "CheXpert-v1.0-small/train/patient00003/study1/view1_frontal.jpg,Male,41,Frontal,AP";
    let bad_path = GOOD.replace("patient00002/study2/", "p2/s2/");
    let file = write(
        &dir,
        "train.csv",
        &[HEADER, GOOD, &bad_label, short, &bad_path, LATERAL],
    );

    let error = read_chexpert(&file, SkipPolicy::Fail).unwrap_err();
    assert!(
        matches!(&error, DataError::BadLabel { value, column, .. } if value == "2.0" && column == "Lung Opacity")
    );
    assert_eq!(line_of(&error), 3);
    let message = error.to_string();
    assert!(message.contains("train.csv:3"), "{message}");

    let loaded = read_chexpert(&file, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!(loaded.records.len(), 2);
    assert_eq!(loaded.skipped.count, 3);
    let errors = &loaded.skipped.first_errors;
    assert_eq!(errors.iter().map(line_of).collect::<Vec<_>>(), [3, 4, 5]);
    assert!(matches!(
        errors[1],
        DataError::ColumnCount {
            expected: 19,
            found: 5,
            ..
        }
    ));
    assert!(matches!(&errors[2], DataError::BadPath { path, .. } if path.contains("p2/s2")));
}

#[test]
fn a_missing_file_or_column_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let error = read_chexpert(&missing, SkipPolicy::SkipAndCount).unwrap_err();
    assert!(matches!(&error, DataError::Io { file, .. } if *file == missing));
    assert!(error.to_string().contains("nope.csv"));

    let file = write(
        &dir,
        "train.csv",
        &[&HEADER.replace(",Edema", ",Oedema"), GOOD],
    );
    let error = read_chexpert(&file, SkipPolicy::SkipAndCount).unwrap_err();
    assert!(matches!(&error, DataError::MissingColumn { column, .. } if column == "Edema"));
}

#[test]
fn a_gzipped_csv_reads_like_the_plain_one() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let plain = write(&dir, "train.csv", &[HEADER, GOOD, LATERAL]);
    let gz = dir.path().join("train.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder.write_all(&std::fs::read(&plain).unwrap()).unwrap();
    encoder.finish().unwrap();
    let a = read_chexpert(&plain, SkipPolicy::Fail).unwrap().records;
    let b = read_chexpert(&gz, SkipPolicy::Fail).unwrap().records;
    assert_eq!(a.len(), 2);
    assert_eq!(a, b);
}
