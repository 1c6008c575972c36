//! `convirt reports stats PATH`: one JSON line for every report layout, and a clear error.

use std::path::Path;
use std::process::Command;

use convirt::text::assets;

fn stats(args: &[&Path]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_convirt"))
        .args(["reports", "stats"])
        .args(args)
        .output()
        .expect("run convirt");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(line: &str) -> serde_json::Value {
    assert_eq!(line.lines().count(), 1, "one line: {line:?}");
    serde_json::from_str(line).expect("JSON")
}

#[test]
fn iu_archive_gives_the_independent_counts() {
    let tgz = assets::require(assets::IU_REPORTS).unwrap_or_else(|e| panic!("{e}"));
    let (ok, out, err) = stats(&[&tgz]);
    assert!(ok, "{err}");
    let v = json(&out);
    assert_eq!(v["reports"], 3955);
    assert_eq!(v["with_findings"], 3425);
    assert_eq!(v["with_impression"], 3921);
    assert_eq!(v["empty"], 28);
    let mean = v["sentences_mean"].as_f64().expect("sentences_mean");
    assert!((3.0..8.0).contains(&mean), "{mean}");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "reports",
            "with_findings",
            "with_impression",
            "empty",
            "sentences_mean"
        ]
    );
}

#[test]
fn mimic_tree_and_chexpert_plus_csv() {
    let dir = std::env::temp_dir().join(format!("convirt-reports-stats-{}", std::process::id()));
    let study = dir.join("files/p10/p10000032");
    std::fs::create_dir_all(&study).unwrap();
    std::fs::write(
        study.join("s1.txt"),
        "FINAL REPORT\n FINDINGS: Clear lungs. No effusion.\n\n IMPRESSION: Normal.",
    )
    .unwrap();
    std::fs::write(study.join("s2.txt"), "FINAL REPORT\n impression: stable.").unwrap();
    let (ok, out, err) = stats(&[&dir.join("files")]);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        r#"{"reports":2,"with_findings":1,"with_impression":2,"empty":0,"sentences_mean":2.0}"#
    );
    let csv = dir.join("plus.csv");
    std::fs::write(
        &csv,
        "path_to_image,section_findings,section_impression\na.jpg,Clear.,Normal.\nb.jpg,,\n",
    )
    .unwrap();
    let (ok, out, err) = stats(&[&csv]);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        r#"{"reports":2,"with_findings":1,"with_impression":1,"empty":1,"sentences_mean":1.0}"#
    );
    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<eCitation><unclosed>").unwrap();
    let (ok, out, err) = stats(&[&bad]);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("bad.xml") && err.contains("XML"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
