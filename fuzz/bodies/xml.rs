// The `xml` fuzz body, shared by fuzz/fuzz_targets/xml.rs and tests/fuzz_corpus.rs.
//
// Any bytes through the IU X-ray (Open-i) XML parser, `parse_iu`, alone: the `reports` target
// spreads each input over four parsers, this one spends every execution on the XML reader, its
// entities, attributes and nesting. Typed errors are fine; a panic is a bug. On a parsed report:
// the parse is deterministic, the id is never empty (it falls back to the file stem), the
// texts are trimmed, and the samplers agree on whether it has text.

use std::path::Path;

use convirt_text_sampler::{FullReport, SentenceSampler, SpanSampler, TextSampler, parse_iu};

/// Runs one input; returns whether it parsed as a report.
pub fn run(data: &[u8]) -> bool {
    let file = Path::new("ecgen-radiology/1.xml");
    let Ok(report) = parse_iu(data, file) else {
        return false;
    };
    let again = parse_iu(data, file).expect("the same bytes parse twice");
    assert_eq!(format!("{report:?}"), format!("{again:?}"));
    assert!(!report.id.is_empty(), "{report:?}");
    for text in [&report.findings, &report.impression] {
        assert_eq!(text.trim(), text.as_str(), "{report:?}");
    }
    for s in &report.sections {
        assert_eq!(s.text.trim(), s.text.as_str(), "{report:?}");
    }
    let full = FullReport.sample(&report, 0, 0);
    for seed in 0..3 {
        let sentence = SentenceSampler::new(seed).sample(&report, 0, seed);
        let span = SpanSampler::new(1, 3).sample(&report, 0, seed);
        assert_eq!(sentence.is_some(), full.is_some(), "{report:?}");
        assert_eq!(span.is_some(), full.is_some(), "{report:?}");
    }
    true
}
