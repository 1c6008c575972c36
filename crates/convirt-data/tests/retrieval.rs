//! The 8×200 retrieval CSVs, on fixtures in ConVIRT's format, with 8 and with 7 categories.

use std::path::PathBuf;

use convirt_data::{
    CHEXPERT_8X200, DataError, SkipPolicy, read_candidates, read_image_queries, read_text_queries,
};

const HEADER: &str = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A candidate row positive for `positive` (CheXpert column names), `0.0` elsewhere among the 8.
fn candidate(index: usize, positive: &[&str]) -> String {
    let header: Vec<&str> = HEADER.split(',').collect();
    let mut fields = vec![
        format!("CheXpert-v1.0/train/patient{index:05}/study1/view1_frontal.jpg"),
        "Male".into(),
        "50".into(),
        "Frontal".into(),
        "PA".into(),
    ];
    for name in &header[5..] {
        let value = if positive.contains(name) {
            "1.0"
        } else if CHEXPERT_8X200.contains(name) {
            "0.0"
        } else {
            ""
        };
        fields.push(value.into());
    }
    fields.join(",")
}

#[test]
fn candidates_each_take_their_one_positive_category() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{HEADER}\n");
    for (i, name) in CHEXPERT_8X200.iter().enumerate() {
        for j in 0..3 {
            text += &(candidate(i * 3 + j, &[name]) + "\n");
        }
    }
    let file = write(&dir, "candidate.csv", &text);
    let loaded = read_candidates(&file, &CHEXPERT_8X200, SkipPolicy::Fail).unwrap();
    let categories: Vec<usize> = loaded.records.iter().map(|c| c.category).collect();
    let expected: Vec<usize> = (0..8).flat_map(|k| [k; 3]).collect();
    assert_eq!(categories, expected);
    assert!(loaded.records[4].path.contains("patient00004"));
}

#[test]
fn a_candidate_without_exactly_one_positive_is_a_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let text = [
        HEADER.to_owned(),
        candidate(0, &["Edema"]),
        candidate(1, &["Edema", "Fracture"]),
        candidate(2, &[]),
    ]
    .join("\n");
    let file = write(&dir, "candidate.csv", &text);
    let error = read_candidates(&file, &CHEXPERT_8X200, SkipPolicy::Fail).unwrap_err();
    assert!(
        matches!(&error, DataError::BadField { line: 3, message, .. } if message.contains("2 of the categories")),
        "{error}"
    );
    let loaded = read_candidates(&file, &CHEXPERT_8X200, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!(loaded.records.len(), 1);
    assert_eq!(loaded.records[0].category, 2, "Edema");
    assert_eq!(loaded.skipped.count, 2);
}

#[test]
fn queries_map_variables_to_a_caller_category_list() {
    let dir = tempfile::tempdir().unwrap();
    let synth = [
        "Normal",
        "Cardiomegaly",
        "Effusion",
        "Opacity",
        "Atelectasis",
        "Nodule",
        "Pneumothorax",
    ];
    let images = write(
        &dir,
        "query.csv",
        "Variable,Path\nNodule,retrieval/q/0.png\nNormal,retrieval/q/1.png\n",
    );
    let loaded = read_image_queries(&images, &synth, SkipPolicy::Fail).unwrap();
    let got: Vec<(usize, &str)> = loaded
        .records
        .iter()
        .map(|q| (q.category, q.path.as_str()))
        .collect();
    assert_eq!(got, [(5, "retrieval/q/0.png"), (0, "retrieval/q/1.png")]);
    // "Normal" is not one of ConVIRT's 8 categories.
    let error = read_image_queries(&images, &CHEXPERT_8X200, SkipPolicy::Fail).unwrap_err();
    assert!(error.to_string().contains("query.csv:2"), "{error}");

    let texts = write(
        &dir,
        "text_query.csv",
        "Variable,Text\nPneumothorax,\"Small left apical pneumothorax, unchanged.\"\nEdema,Mild pulmonary edema.\nEdema\n",
    );
    let loaded = read_text_queries(&texts, &CHEXPERT_8X200, SkipPolicy::SkipAndCount).unwrap();
    let got: Vec<(usize, &str)> = loaded
        .records
        .iter()
        .map(|q| (q.category, q.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (7, "Small left apical pneumothorax, unchanged."),
            (2, "Mild pulmonary edema.")
        ]
    );
    assert!(matches!(
        loaded.skipped.first_errors[..],
        [DataError::ColumnCount {
            line: 4,
            found: 1,
            ..
        }]
    ));
}
