//! Samplers: determinism per (seed, epoch, index), uniformity, filters, empty reports.

use std::collections::HashMap;

use convirt_text_sampler::{
    FullReport, Report, SentenceSampler, SpanSampler, TextSampler, parse_mimic,
};

fn report() -> Report {
    parse_mimic(
        "FINDINGS: The heart is normal in size. The lungs are clear. No pleural effusion.\n\nIMPRESSION: No acute cardiopulmonary process. Normal.",
        "s1",
    )
}

const LONG: [&str; 4] = [
    "The heart is normal in size.",
    "The lungs are clear.",
    "No pleural effusion.",
    "No acute cardiopulmonary process.",
];

#[test]
fn sentence_sampler_is_uniform_over_sentences_that_pass_the_filter() {
    let r = report();
    let s = SentenceSampler::new(1);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let n = 20_000;
    for index in 0..n {
        *counts.entry(s.sample(&r, 0, index).unwrap()).or_default() += 1;
    }
    assert_eq!(counts.len(), 4, "{counts:?}"); // "Normal." has 1 word < 3
    for sentence in LONG {
        let c = counts[sentence] as f64;
        // 5,000 expected; 5 standard deviations is about ±306.
        assert!((c - n as f64 / 4.0).abs() < 310.0, "{sentence}: {c}");
    }
}

#[test]
fn min_tokens_filter_and_its_fallback() {
    let r = report();
    let all = SentenceSampler::new(1).with_min_tokens(0);
    let seen: std::collections::HashSet<String> =
        (0..400).filter_map(|i| all.sample(&r, 0, i)).collect();
    assert!(seen.contains("Normal."));
    assert_eq!(seen.len(), 5);

    let strict = SentenceSampler::new(1).with_min_tokens(4);
    let seen: std::collections::HashSet<String> =
        (0..400).filter_map(|i| strict.sample(&r, 0, i)).collect();
    let mut seen: Vec<String> = seen.into_iter().collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            "No acute cardiopulmonary process.",
            "The heart is normal in size.",
            "The lungs are clear."
        ]
    );

    // When no sentence is long enough, every sentence is a candidate.
    let short = parse_mimic("IMPRESSION: No pneumothorax.", "s2");
    assert_eq!(
        SentenceSampler::new(3).sample(&short, 4, 4).as_deref(),
        Some("No pneumothorax.")
    );
}

#[test]
fn draws_depend_on_seed_epoch_and_index_only() {
    let r = report();
    let s = SentenceSampler::new(7);
    let forward: Vec<String> = (0..500).map(|i| s.sample(&r, 3, i).unwrap()).collect();
    let backward: Vec<String> = (0..500)
        .rev()
        .map(|i| s.sample(&r, 3, i).unwrap())
        .collect();
    assert_eq!(forward, backward.into_iter().rev().collect::<Vec<_>>());
    let threaded: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                scope.spawn(move || {
                    (t..500)
                        .step_by(4)
                        .map(|i| (i, s.sample(&report(), 3, i).unwrap()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(u64, String)> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort();
        all.into_iter().map(|(_, t)| t).collect()
    });
    assert_eq!(forward, threaded);
    let other_epoch: Vec<String> = (0..500).map(|i| s.sample(&r, 4, i).unwrap()).collect();
    let other_seed: Vec<String> = (0..500)
        .map(|i| SentenceSampler::new(8).sample(&r, 3, i).unwrap())
        .collect();
    let agree = |a: &[String], b: &[String]| a.iter().zip(b).filter(|(x, y)| x == y).count();
    // Independent draws agree about a quarter of the time, not always.
    assert!(
        agree(&forward, &other_epoch) < 200,
        "{}",
        agree(&forward, &other_epoch)
    );
    assert!(
        agree(&forward, &other_seed) < 200,
        "{}",
        agree(&forward, &other_seed)
    );
}

#[test]
fn empty_reports_give_none() {
    let empty = parse_mimic("INDICATION: cough", "s3");
    assert!(empty.is_empty());
    assert_eq!(SentenceSampler::new(0).sample(&empty, 0, 0), None);
    assert_eq!(SpanSampler::new(0, 3).sample(&empty, 0, 0), None);
    assert_eq!(FullReport.sample(&empty, 0, 0), None);
    assert_eq!(SentenceSampler::new(0).sample_sentences(&[], 0, 0), None);
    // Text, but no sentence in it: every sampler agrees there is nothing to give.
    let dots = parse_mimic("FINDINGS: . -- ___.", "s4");
    assert!(!dots.is_empty());
    assert_eq!(SentenceSampler::new(0).sample(&dots, 0, 0), None);
    assert_eq!(SpanSampler::new(0, 3).sample(&dots, 0, 0), None);
    assert_eq!(FullReport.sample(&dots, 0, 0), None);
}

#[test]
fn full_report_is_findings_then_impression() {
    assert_eq!(
        FullReport.sample(&report(), 9, 9).as_deref(),
        Some(
            "The heart is normal in size. The lungs are clear. No pleural effusion. No acute cardiopulmonary process. Normal."
        )
    );
}

#[test]
fn spans_are_consecutive_and_cover_every_length() {
    let r = report();
    let sentences = convirt_text_sampler::split_sentences(&r.body());
    assert_eq!(sentences.len(), 5);
    let s = SpanSampler::new(5, 3);
    let mut lengths = [0usize; 4];
    let mut starts = [0usize; 5];
    for i in 0..3_000 {
        let span = s.sample(&r, 0, i).unwrap();
        let start = sentences
            .iter()
            .position(|x| span.starts_with(x.as_str()))
            .unwrap();
        let len = (1..=3)
            .find(|&l| start + l <= 5 && sentences[start..start + l].join(" ") == span)
            .unwrap();
        lengths[len] += 1;
        starts[start] += 1;
        assert_eq!(s.sample(&r, 0, i).unwrap(), span);
    }
    assert_eq!(lengths[0], 0);
    for l in 1..=3 {
        assert!((800..1200).contains(&lengths[l]), "{lengths:?}");
    }
    assert!(starts.iter().all(|&c| c > 100), "{starts:?}");
    assert_eq!(SpanSampler::new(5, 0).max_sentences, 1);
}
