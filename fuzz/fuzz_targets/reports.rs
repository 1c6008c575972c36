//! Any bytes through every report parser, the sentence splitter and the samplers: typed errors
//! are fine, panics are not.

#![no_main]

use std::path::Path;

use convirt_text_sampler::{
    FullReport, Limits, SentenceSampler, SpanSampler, TextSampler, parse_iu, parse_mimic,
    parse_mimic_bytes, read_chexpert_plus, split_sentences,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
    for (i, r) in reports.iter().enumerate() {
        let sentence = SentenceSampler::new(1).sample(r, 0, i as u64);
        let span = SpanSampler::new(1, 3).sample(r, 0, i as u64);
        let full = FullReport.sample(r, 0, 0);
        assert_eq!(sentence.is_some(), full.is_some());
        assert_eq!(span.is_some(), full.is_some());
    }
});
