// The `reports` fuzz body, shared by fuzz/fuzz_targets/reports.rs and tests/fuzz_corpus.rs.
//
// Any bytes through every report parser, the sentence splitter and the samplers: typed errors
// are fine, panics are not.

use std::path::Path;

use convirt_text_sampler::{
    FullReport, Limits, Report, SentenceSampler, SpanSampler, TextSampler, parse_iu, parse_mimic,
    parse_mimic_bytes, read_chexpert_plus, split_sentences,
};

/// Runs one input; returns how many reports the parsers produced (the lossy MIMIC parse always
/// gives one).
pub fn run(data: &[u8]) -> usize {
    let file = Path::new("fuzz-input");
    let limits = Limits::default();
    let mut reports = Vec::new();
    if let Ok(r) = parse_mimic_bytes(data, file) {
        reports.push(r);
    }
    if let Ok(r) = parse_iu(data, file) {
        reports.push(r);
    }
    let _ = read_chexpert_plus(data, file, &limits, &mut |r| {
        reports.push(r);
        Ok(())
    });
    let text = String::from_utf8_lossy(data);
    reports.push(parse_mimic(&text, "lossy"));
    for s in split_sentences(&text) {
        assert!(!s.is_empty() && s.trim() == s && !s.contains("  "), "{s:?}");
        assert!(s.chars().any(char::is_alphanumeric), "{s:?}");
    }
    check_samplers(&reports);
    reports.len()
}

/// The samplers agree on whether a report has text: a sentence, a span and the full report
/// are all there or all absent.
pub fn check_samplers(reports: &[Report]) {
    for (i, r) in reports.iter().enumerate() {
        let sentence = SentenceSampler::new(1).sample(r, 0, i as u64);
        let span = SpanSampler::new(1, 3).sample(r, 0, i as u64);
        let full = FullReport.sample(r, 0, 0);
        assert_eq!(sentence.is_some(), full.is_some(), "{r:?}");
        assert_eq!(span.is_some(), full.is_some(), "{r:?}");
    }
}
