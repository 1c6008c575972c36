//! The real IU X-ray reports and MiniLM tokenizer fetched by `scripts/fetch-assets.sh`.
//! These tests fail, with a message to run the script, when the assets are missing.

mod common;

use std::collections::HashMap;

use convirt_text_sampler::{
    Format, ReportSource, ReportStats, SentenceSampler, TextSampler, TextTokenizer, assets,
};

#[test]
fn iu_archive_counts_match_the_independent_count() {
    let source = ReportSource::open(common::asset(assets::IU_REPORTS)).unwrap();
    assert_eq!(source.format, Format::IuArchive);
    let stats = ReportStats::of(&source).unwrap();
    assert_eq!(stats.reports, 3955);
    assert_eq!(stats.with_findings, 3425);
    assert_eq!(stats.with_impression, 3921);
    assert_eq!(stats.empty, 28);
    assert!((3.0..6.0).contains(&stats.sentences_mean), "{stats:?}");
}

#[test]
fn iu_mesh_terms_match_the_independent_count() {
    let reports = ReportSource::open(common::asset(assets::IU_REPORTS))
        .unwrap()
        .read_all()
        .unwrap();
    assert!(
        reports.iter().all(|r| !r.mesh.is_empty()),
        "every IU report has a <major> term"
    );
    let mut raw: HashMap<&str, usize> = HashMap::new();
    for r in &reports {
        for t in &r.mesh {
            *raw.entry(t.raw.as_str()).or_default() += 1;
        }
    }
    // Counted with Python's xml.etree over the same archive.
    assert_eq!(raw["normal"], 1391);
    assert_eq!(raw["Cardiomegaly/mild"], 135);
    assert_eq!(raw["Pulmonary Atelectasis/base/left"], 51);
    assert_eq!(raw["Technical Quality of Image Unsatisfactory"], 86);
    let ids: std::collections::HashSet<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 3955, "ids are unique");
    assert!(ids.contains("CXR3029"));
    assert!(reports.iter().map(|r| r.images.len()).sum::<usize>() > 7000);
}

#[test]
fn extracted_folder_gives_the_same_reports_as_the_archive() {
    let tgz = common::asset(assets::IU_REPORTS);
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::open(&tgz).unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(dir.path())
        .unwrap();
    let from_folder = ReportSource::open(dir.path()).unwrap();
    assert_eq!(from_folder.format, Format::IuXml);
    let mut a = ReportSource::open(&tgz).unwrap().read_all().unwrap();
    let mut b = from_folder.read_all().unwrap();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b);
}

#[test]
fn every_non_empty_iu_report_samples_and_tokenizes() {
    let reports = ReportSource::open(common::asset(assets::IU_REPORTS))
        .unwrap()
        .read_all()
        .unwrap();
    let tokenizer = TextTokenizer::from_file(common::asset(assets::MINILM_TOKENIZER)).unwrap();
    let sampler = SentenceSampler::new(0);
    let texts: Vec<String> = reports
        .iter()
        .enumerate()
        .filter_map(|(i, r)| sampler.sample(r, 0, i as u64))
        .collect();
    assert_eq!(texts.len(), 3955 - 28);
    let batch = tokenizer.encode(&texts).unwrap();
    assert_eq!(batch.shape[0], texts.len());
    assert!(batch.shape[1] <= 128);
    assert!(
        batch.lengths().iter().all(|&n| n >= 3),
        "[CLS] word [SEP] at least"
    );
}
