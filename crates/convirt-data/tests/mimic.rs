//! MIMIC-CXR-JPG: a fixture tree in the exact real layout, written by the test.

use std::io::Write;
use std::path::Path;

use convirt_data::{DataError, Label, MimicConfig, SkipPolicy, Split, read_mimic};

const LABELS: &str = "No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices";

/// Subject 10000032: study 50414267 (PA + LATERAL, train), study 53189527 (AP, train);
/// subject 11000011: study 51000001 (LATERAL only, validate), study 52000002 (PA, test).
fn fixture(dir: &Path) {
    let gz = |name: &str, text: &str| {
        let file = std::fs::File::create(dir.join(name)).unwrap();
        let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap();
    };
    gz(
        "mimic-cxr-2.0.0-split.csv.gz",
        "dicom_id,study_id,subject_id,split\n\
         d-pa-1,50414267,10000032,train\n\
         d-lat-1,50414267,10000032,train\n\
         d-ap-2,53189527,10000032,train\n\
         d-lat-3,51000001,11000011,validate\n\
         d-pa-4,52000002,11000011,test\n",
    );
    gz(
        "mimic-cxr-2.0.0-metadata.csv.gz",
        "dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns\n\
         d-pa-1,10000032,50414267,CHEST (PA AND LAT),PA,3056,2544\n\
         d-lat-1,10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544\n\
         d-ap-2,10000032,53189527,CHEST (PORTABLE AP),AP,2705,2539\n\
         d-lat-3,11000011,51000001,CHEST (PA AND LAT),LATERAL,3056,2544\n\
         d-pa-4,11000011,52000002,CHEST (PA AND LAT),PA,3056,2544\n",
    );
    std::fs::write(
        dir.join("mimic-cxr-2.0.0-chexpert.csv"),
        format!(
            "subject_id,study_id,{LABELS}\n\
             10000032,50414267,1.0,,,,,,,,,,,,,\n\
             10000032,53189527,,,1.0,-1.0,,,,,,,0.0,,,\n"
        ),
    )
    .unwrap();
    let images = [
        ("p10/p10000032/s50414267", "d-pa-1"),
        ("p10/p10000032/s50414267", "d-lat-1"),
        ("p10/p10000032/s53189527", "d-ap-2"),
        ("p11/p11000011/s51000001", "d-lat-3"),
        ("p11/p11000011/s52000002", "d-pa-4"),
    ];
    for (study, dicom) in images {
        let folder = dir.join("files").join(study);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("{dicom}.jpg")),
            [0xFF, 0xD8, 0xFF, 0xD9],
        )
        .unwrap();
        let report = format!(
            "                                 FINAL REPORT\n EXAMINATION:  CHEST\n\n FINDINGS: Study {study}. Lungs are clear.\n\n IMPRESSION: No acute process.\n"
        );
        std::fs::write(dir.join("files").join(format!("{study}.txt")), report).unwrap();
    }
}

#[test]
fn groups_images_by_study_and_keeps_frontal_views() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let data = read_mimic(&MimicConfig::new(dir.path())).unwrap();
    let ids: Vec<(u64, u64, Split, usize)> = data
        .studies
        .iter()
        .map(|s| (s.subject, s.study, s.split, s.images.len()))
        .collect();
    assert_eq!(
        ids,
        [
            (10000032, 50414267, Split::Train, 1),
            (10000032, 53189527, Split::Train, 1),
            (11000011, 52000002, Split::Test, 1),
        ]
    );
    assert_eq!((data.other_views, data.studies_without_view), (2, 1));
    assert!(data.skipped.is_empty());
    let first = &data.studies[0];
    assert_eq!(first.images[0].view, "PA");
    assert_eq!(
        first.images[0].path,
        dir.path().join("files/p10/p10000032/s50414267/d-pa-1.jpg")
    );
    assert_eq!(
        first.report,
        dir.path().join("files/p10/p10000032/s50414267.txt")
    );
    let labels = data.studies[1].labels.unwrap();
    assert_eq!(
        (labels[0], labels[2], labels[3], labels[10]),
        (
            Label::Blank,
            Label::Positive,
            Label::Uncertain,
            Label::Negative
        )
    );
    assert_eq!(data.studies[2].labels, None, "not in the CheXpert CSV");
    assert_eq!(data.split(Split::Train).count(), 2);

    let report = first.read_report().unwrap();
    assert_eq!(report.id, "s50414267");
    assert!(report.findings.contains("s50414267"));
    assert_eq!(report.impression, "No acute process.");
}

#[test]
fn the_view_filter_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let mut config = MimicConfig::new(dir.path());
    config.views.clear();
    let all = read_mimic(&config).unwrap();
    assert_eq!(all.studies.len(), 4);
    assert_eq!(
        all.studies[0].images.len(),
        2,
        "PA and LATERAL of one study"
    );
    assert_eq!(all.other_views, 0);
    config.views = vec!["LATERAL".into()];
    let lateral = read_mimic(&config).unwrap();
    let studies: Vec<u64> = lateral.studies.iter().map(|s| s.study).collect();
    assert_eq!(studies, [50414267, 51000001]);
}

#[test]
fn a_missing_image_or_report_is_an_error_or_a_counted_skip() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let image = dir.path().join("files/p10/p10000032/s53189527/d-ap-2.jpg");
    std::fs::remove_file(&image).unwrap();
    let report = dir.path().join("files/p11/p11000011/s52000002.txt");
    std::fs::remove_file(&report).unwrap();

    let error = read_mimic(&MimicConfig::new(dir.path())).unwrap_err();
    assert!(
        matches!(&error, DataError::Missing { file, .. } if *file == image),
        "{error}"
    );

    let mut config = MimicConfig::new(dir.path());
    config.skip = SkipPolicy::SkipAndCount;
    let data = read_mimic(&config).unwrap();
    assert_eq!(data.studies.len(), 1);
    assert_eq!(data.skipped.count, 2);
    let files: Vec<_> = data
        .skipped
        .first_errors
        .iter()
        .map(|e| match e {
            DataError::Missing { file, .. } => file.clone(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(files, [image, report]);
}

#[test]
fn a_bad_split_row_names_file_and_line_and_a_missing_csv_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    std::fs::remove_file(dir.path().join("mimic-cxr-2.0.0-split.csv.gz")).unwrap();
    let error = read_mimic(&MimicConfig::new(dir.path())).unwrap_err();
    assert!(
        matches!(&error, DataError::Io { file, .. } if file.ends_with("mimic-cxr-2.0.0-split.csv")),
        "{error}"
    );

    std::fs::write(
        dir.path().join("mimic-cxr-2.0.0-split.csv"),
        "dicom_id,study_id,subject_id,split\nd-pa-1,50414267,10000032,train\nd-ap-2,53189527,10000032,training\nd-pa-4,5200x,11000011,test\n",
    )
    .unwrap();
    let error = read_mimic(&MimicConfig::new(dir.path())).unwrap_err();
    assert!(
        error.to_string().contains("mimic-cxr-2.0.0-split.csv:3"),
        "{error}"
    );
    let mut config = MimicConfig::new(dir.path());
    config.skip = SkipPolicy::SkipAndCount;
    let data = read_mimic(&config).unwrap();
    assert_eq!(data.skipped.count, 2);
    assert!(
        matches!(data.skipped.first_errors[1], DataError::BadField { line: 4, ref column, .. } if column == "study_id")
    );
    assert_eq!(data.studies.len(), 1);
}
