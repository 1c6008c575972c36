//! RSNA Pneumonia labels: the real zip against an independent count, and bad rows.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;

use convirt_data::{DataError, SkipPolicy, read_rsna_labels};
use convirt_text_sampler::assets;

/// The independent count: the zip's CSV read with the `zip` crate and split on ',' by hand.
/// The literals were also checked once with
/// `unzip -p kaggle_stage_2_train_labels.csv.zip | awk -F, 'NR>1{n++; p[$1]++; if($6==1)b++} END{print n, length(p), b}'`
/// → `30227 26684 9555`.
#[test]
fn real_labels_match_an_independent_count() {
    let file = assets::require(assets::RSNA_LABELS).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_index(0)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let mut patients = HashSet::new();
    let mut positive = HashSet::new();
    let mut boxes_of: HashMap<&str, usize> = HashMap::new();
    let mut area = 0.0f64;
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 6, "{line}");
        patients.insert(f[0]);
        if f[5] == "1" {
            positive.insert(f[0]);
            *boxes_of.entry(f[0]).or_default() += 1;
            area += f[3].parse::<f64>().unwrap() * f[4].parse::<f64>().unwrap();
        }
        rows += 1;
    }
    let boxes: usize = boxes_of.values().sum();
    assert_eq!((rows, patients.len(), boxes), (30_227, 26_684, 9_555));

    let loaded = read_rsna_labels(&file, SkipPolicy::Fail).unwrap();
    assert!(loaded.skipped.is_empty());
    let records = &loaded.records;
    assert_eq!(records.len(), patients.len());
    assert_eq!(records.iter().filter(|p| p.target).count(), positive.len());
    assert_eq!(records.iter().map(|p| p.boxes.len()).sum::<usize>(), boxes);
    assert!(records.iter().all(|p| p.target != p.boxes.is_empty()));
    assert!(
        records
            .iter()
            .filter(|p| p.target)
            .all(|p| p.boxes.len() == boxes_of[p.id.as_str()])
    );
    let got: f64 = records
        .iter()
        .flat_map(|p| &p.boxes)
        .map(|b| f64::from(b.width) * f64::from(b.height))
        .sum();
    assert!((got - area).abs() / area < 1e-9, "{got} vs {area}");
    eprintln!(
        "RSNA: {rows} rows, {} patients, {} positive, {boxes} boxes",
        records.len(),
        positive.len()
    );
}

fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("stage_2_train_labels.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn groups_boxes_by_patient_in_first_appearance_order() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "patientId,x,y,width,height,Target\nb,,,,,0\na,264.0,152.0,213.0,379.0,1\nc,1,2,3,4,1\na,562.0,152.0,256.0,453.0,1\n",
    );
    let loaded = read_rsna_labels(&file, SkipPolicy::Fail).unwrap();
    let ids: Vec<(&str, bool, usize)> = loaded
        .records
        .iter()
        .map(|p| (p.id.as_str(), p.target, p.boxes.len()))
        .collect();
    assert_eq!(ids, [("b", false, 0), ("a", true, 2), ("c", true, 1)]);
    assert_eq!(loaded.records[1].boxes[1].width, 256.0);
}

#[test]
fn inconsistent_rows_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "patientId,x,y,width,height,Target\n\
         a,1,2,3,4,1\n\
         b,1,2,3,4,0\n\
         c,,,,,1\n\
         d,,,,,2\n\
         a,,,,,0\n\
         e,,,,,0\n\
         e,,,,,0\n",
    );
    let error = read_rsna_labels(&file, SkipPolicy::Fail).unwrap_err();
    assert!(
        error.to_string().contains("stage_2_train_labels.csv:3"),
        "{error}"
    );
    let loaded = read_rsna_labels(&file, SkipPolicy::SkipAndCount).unwrap();
    let lines: Vec<u64> = loaded
        .skipped
        .first_errors
        .iter()
        .map(|e| match e {
            DataError::BadField { line, .. } => *line,
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(lines, [3, 4, 5, 6, 8]);
    let ids: Vec<&str> = loaded.records.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a", "e"]);
}

#[test]
fn image_paths_resolve_to_dicom_first_then_exports() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("stage_2_train_images");
    std::fs::create_dir(&images).unwrap();
    for name in ["a-1.dcm", "a-1.png", "b-2.png", "c-3.jpg"] {
        std::fs::write(images.join(name), b"x").unwrap();
    }
    let path = |id| convirt_data::rsna_image_path(&images, id);
    assert_eq!(path("a-1").unwrap(), images.join("a-1.dcm"));
    assert_eq!(path("b-2").unwrap(), images.join("b-2.png"));
    assert_eq!(path("c-3").unwrap(), images.join("c-3.jpg"));
    let missing = path("d-4").unwrap_err();
    assert!(
        matches!(&missing, DataError::Missing { file, .. } if *file == images.join("d-4.dcm")),
        "{missing}"
    );
    let patient = convirt_data::RsnaPatient {
        id: "b-2".into(),
        target: false,
        boxes: Vec::new(),
    };
    assert_eq!(patient.image_path(&images).unwrap(), images.join("b-2.png"));
}
