//! Criterion: each stage of the text path on the real IU X-ray reports, per report. Needs the
//! assets of `scripts/fetch-assets.sh` (it fails with that message when they are missing).

use std::hint::black_box;

use convirt::text::{
    ReportSource, SentenceSampler, TextSampler, TextTokenizer, assets, split_sentences,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn stages(c: &mut Criterion) {
    let asset = |name| assets::require(name).unwrap_or_else(|e| panic!("{e}"));
    let source = ReportSource::open(asset(assets::IU_REPORTS)).expect("IU archive");
    let reports = source.read_all().expect("IU reports");
    let bodies: Vec<String> = reports.iter().map(|r| r.body()).collect();
    let tokenizer = TextTokenizer::from_file(asset(assets::MINILM_TOKENIZER)).expect("tokenizer");
    let sampler = SentenceSampler::new(0);
    let texts: Vec<String> = reports
        .iter()
        .enumerate()
        .filter_map(|(i, r)| sampler.sample(r, 0, i as u64))
        .collect();

    let mut g = c.benchmark_group("text_iu_3955_reports");
    g.sample_size(10);
    g.throughput(Throughput::Elements(reports.len() as u64));
    g.bench_function("parse_tgz", |b| {
        b.iter(|| source.read_all().expect("IU reports").len())
    });
    g.bench_function("split", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|t| split_sentences(black_box(t)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("split_sample", |b| {
        b.iter(|| {
            reports
                .iter()
                .enumerate()
                .filter_map(|(i, r)| sampler.sample(r, 1, i as u64))
                .count()
        })
    });
    g.bench_function("tokenize_batch32", |b| {
        b.iter(|| {
            texts
                .chunks(32)
                .map(|chunk| tokenizer.encode(chunk).expect("encode").shape[1])
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
