//! COVIDx split files and MURA's CSVs, on fixtures in their real formats.

use std::path::PathBuf;

use convirt_data::{CovidxClass, DataError, SkipPolicy, read_covidx, read_mura};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn covidx_reads_the_three_classes_and_names_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "train.txt",
        "3 SARS-10.1148rg.242035193-g04mr34g0-Fig8a-day0.jpeg COVID-19 cohen\n\
         ab1 0a1b2c.png normal rsna\n\
         \n\
         ab2 0a1b2d.png pneumonia rsna\n\
         ab3 0a1b2e.png covid rsna\n\
         ab4 0a1b2f.png normal\n",
    );
    let error = read_covidx(&file, SkipPolicy::Fail).unwrap_err();
    assert!(
        matches!(&error, DataError::BadField { line: 5, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("train.txt:5"), "{error}");
    let loaded = read_covidx(&file, SkipPolicy::SkipAndCount).unwrap();
    let got: Vec<(&str, CovidxClass, &str)> = loaded
        .records
        .iter()
        .map(|r| (r.patient_id.as_str(), r.class, r.source.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("3", CovidxClass::Covid19, "cohen"),
            ("ab1", CovidxClass::Normal, "rsna"),
            ("ab2", CovidxClass::Pneumonia, "rsna"),
        ]
    );
    assert_eq!(loaded.records[1].filename, "0a1b2c.png");
    assert_eq!(loaded.skipped.count, 2);
    assert!(matches!(
        loaded.skipped.first_errors[1],
        DataError::ColumnCount {
            line: 6,
            expected: 4,
            found: 3,
            ..
        }
    ));
}

const STUDIES: &str = "MURA-v1.1/train/XR_SHOULDER/patient00001/study1_positive/,1\n\
                       MURA-v1.1/train/XR_WRIST/patient00002/study2_negative/,0\n";
const IMAGES: &str = "MURA-v1.1/train/XR_SHOULDER/patient00001/study1_positive/image1.png\n\
                      MURA-v1.1/train/XR_WRIST/patient00002/study2_negative/image1.png\n\
                      MURA-v1.1/train/XR_SHOULDER/patient00001/study1_positive/image2.png\n";

#[test]
fn mura_groups_images_under_their_labeled_study() {
    let dir = tempfile::tempdir().unwrap();
    let studies = write(&dir, "train_labeled_studies.csv", STUDIES);
    let images = write(&dir, "train_image_paths.csv", IMAGES);
    let loaded = read_mura(&studies, &images, SkipPolicy::Fail).unwrap();
    let got: Vec<(&str, u32, u32, bool, usize)> = loaded
        .records
        .iter()
        .map(|s| {
            (
                s.body_part.as_str(),
                s.patient,
                s.study,
                s.abnormal,
                s.images.len(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("SHOULDER", 1, 1, true, 2), ("WRIST", 2, 2, false, 1)]
    );
    assert!(loaded.records[0].images[1].ends_with("study1_positive/image2.png"));
    assert!(loaded.skipped.is_empty());
}

#[test]
fn mura_bad_lines_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let studies = write(
        &dir,
        "valid_labeled_studies.csv",
        &format!(
            "{STUDIES}MURA-v1.1/valid/XR_HAND/patient00003/study1_positive/,0\nMURA-v1.1/valid/HAND/patient00004/study1_negative/,0\n"
        ),
    );
    let images = write(
        &dir,
        "valid_image_paths.csv",
        &format!("{IMAGES}MURA-v1.1/valid/XR_HAND/patient00009/study1_positive/image1.png\n"),
    );
    let error = read_mura(&studies, &images, SkipPolicy::Fail).unwrap_err();
    assert!(
        error.to_string().contains("valid_labeled_studies.csv:3"),
        "{error}"
    );
    let loaded = read_mura(&studies, &images, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!(loaded.records.len(), 2);
    assert_eq!(loaded.skipped.count, 3);
    let errors = &loaded.skipped.first_errors;
    assert!(
        matches!(errors[0], DataError::BadField { line: 3, .. }),
        "label disagrees with the folder"
    );
    assert!(
        matches!(errors[1], DataError::BadPath { line: 4, .. }),
        "no XR_ prefix"
    );
    assert!(
        matches!(&errors[2], DataError::BadPath { line: 4, file, .. } if file.ends_with("valid_image_paths.csv")),
        "no such study"
    );
}
