//! The prefetching pair loader: determinism across thread counts, resume, groups, skips, and
//! batch contents recomputed from the public pieces.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use convirt_augment::{
    ConvirtAugment, HorizontalFlip, Image, TensorLayout, Transform, evaluation, sample_rng,
};
use convirt_data::{
    DataError, EvalText, ImageChoice, PairBatch, PairExample, PairLoader, PairLoaderConfig,
    ReportText, SkipPolicy, Stream, read_image, stream_rng,
};
use convirt_text_sampler::{
    SentenceSampler, TextSampler, TextTokenizer, assets, parse_mimic, split_sentences,
};
use rand::Rng;

fn tokenizer() -> Arc<TextTokenizer> {
    let path = assets::require(assets::MINILM_TOKENIZER).expect("run scripts/fetch-assets.sh");
    Arc::new(
        TextTokenizer::from_file(path)
            .unwrap()
            .with_max_len(32)
            .unwrap(),
    )
}

/// `n` studies, study `k` with `1 + k % 3` noise PNGs of 40×30 and a three-sentence report.
fn examples(dir: &Path, n: usize) -> Vec<PairExample> {
    (0..n)
        .map(|k| {
            let images = (0..1 + k % 3)
                .map(|j| {
                    let path = dir.join(format!("s{k}_{j}.png"));
                    let image = Image::noise(40, 30, (k * 10 + j) as u64).unwrap();
                    convirt_augment::save(&image, &path).unwrap();
                    path
                })
                .collect();
            let text = format!(
                "FINDINGS: Study {k} has clear lungs today. The heart size is normal here.\n\n\
                 IMPRESSION: No acute process in study {k}."
            );
            PairExample {
                group: format!("s{k}"),
                images,
                report: ReportText::Parsed(parse_mimic(&text, format!("s{k}"))),
            }
        })
        .collect()
}

fn config(threads: usize, prefetch: usize) -> PairLoaderConfig {
    PairLoaderConfig {
        batch_size: 4,
        seed: 11,
        threads,
        prefetch,
        ..PairLoaderConfig::default()
    }
}

fn loader(examples: Vec<PairExample>, config: PairLoaderConfig) -> PairLoader {
    PairLoader::new(
        examples,
        Arc::new(ConvirtAugment::paper_with_size(16)),
        Arc::new(SentenceSampler::new(5)),
        tokenizer(),
        config,
    )
    .unwrap()
}

fn collect(loader: &PairLoader, epoch: u64, start: usize) -> Vec<PairBatch> {
    loader
        .epoch(epoch, start)
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

#[test]
fn batches_are_bitwise_equal_for_any_thread_count_and_resume_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let examples = examples(dir.path(), 10);
    let one = loader(examples.clone(), config(1, 1));
    let full = collect(&one, 2, 0);
    assert_eq!(full.len(), 3);
    assert_eq!(one.batches_per_epoch(), 3);
    assert_eq!(
        full.iter().map(PairBatch::rows).collect::<Vec<_>>(),
        [4, 4, 2]
    );
    for (threads, prefetch) in [(2, 2), (3, 1), (4, 8)] {
        let other = loader(examples.clone(), config(threads, prefetch));
        assert_eq!(collect(&other, 2, 0), full, "threads {threads}");
        assert_eq!(
            collect(&other, 2, 1),
            full[1..],
            "resume, threads {threads}"
        );
    }
    assert_eq!(collect(&one, 2, 2), full[2..]);
    assert!(collect(&one, 2, 3).is_empty());
    // Another epoch: another order, other draws.
    assert_ne!(collect(&one, 3, 0), full);
    let mut seen: Vec<usize> = full.iter().flat_map(|b| b.examples.clone()).collect();
    seen.sort();
    assert_eq!(seen, (0..10).collect::<Vec<_>>());
}

#[test]
fn each_row_is_the_image_text_pair_drawn_for_its_example() {
    let dir = tempfile::tempdir().unwrap();
    let examples = examples(dir.path(), 6);
    let mut config = config(2, 2);
    config.layout = TensorLayout::imagenet();
    let loader = loader(examples.clone(), config);
    let augment = ConvirtAugment::paper_with_size(16);
    let sampler = SentenceSampler::new(5);
    let tokenizer = tokenizer();
    let epoch = 4;
    for batch in collect(&loader, epoch, 0) {
        assert_eq!(batch.image_shape(), [batch.rows(), 3, 16, 16]);
        let mut texts = Vec::new();
        for (row, &i) in batch.examples.iter().enumerate() {
            let example = &examples[i];
            let choice = stream_rng(11, epoch, i as u64, Stream::ImageChoice)
                .random_range(0..example.images.len());
            assert_eq!(batch.image_choice[row], choice);
            let image = read_image(&example.images[choice]).unwrap();
            let view = augment
                .apply(image, &mut sample_rng(11, epoch, i as u64))
                .to_f32();
            let plane = 16 * 16;
            for c in 0..3 {
                let start = (row * 3 + c) * plane;
                let got = &batch.images[start..start + plane];
                let (mean, std) = (
                    TensorLayout::imagenet().mean[c],
                    TensorLayout::imagenet().std[c],
                );
                for (g, v) in got.iter().zip(&view) {
                    assert!((g - (v - mean) / std).abs() < 1e-5);
                }
            }
            let ReportText::Parsed(report) = &example.report else {
                unreachable!()
            };
            let text = sampler.sample(report, epoch, i as u64).unwrap();
            assert_eq!(batch.texts[row], text);
            texts.push(text);
        }
        let tokens = tokenizer.encode(&texts).unwrap();
        assert_eq!(
            (batch.ids.clone(), batch.mask.clone()),
            (tokens.ids, tokens.mask)
        );
        assert_eq!(batch.token_shape(), tokens.shape);
    }
}

#[test]
fn a_repeated_group_never_shares_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = examples(dir.path(), 12);
    // Three groups of four: a source that lists one study four times.
    for (k, example) in examples.iter_mut().enumerate() {
        example.group = format!("g{}", k % 3);
    }
    let loader = loader(examples.clone(), config(2, 2));
    for epoch in 0..5 {
        let batches = collect(&loader, epoch, 0);
        let mut all = Vec::new();
        for batch in &batches {
            let groups: HashSet<&str> = batch
                .examples
                .iter()
                .map(|&i| examples[i].group.as_str())
                .collect();
            assert_eq!(
                groups.len(),
                batch.rows(),
                "epoch {epoch}: {:?}",
                batch.examples
            );
            all.extend(batch.examples.iter().copied());
        }
        all.sort();
        assert_eq!(all, (0..12).collect::<Vec<_>>());
        assert!(batches.iter().all(|b| b.rows() <= 3));
    }
}

#[test]
fn a_missing_image_is_skipped_and_counted_or_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples = examples(dir.path(), 8);
    let missing: PathBuf = dir.path().join("gone.png");
    examples[3].images = vec![missing.clone()];
    // An empty report: nothing to sample.
    examples[5].report = ReportText::Parsed(parse_mimic("INDICATION: cough.", "s5"));

    let mut skip = config(2, 2);
    skip.skip_policy = SkipPolicy::SkipAndCount;
    let loader = loader(examples.clone(), skip);
    let mut epoch = loader.epoch(0, 0);
    let batches: Vec<PairBatch> = epoch.by_ref().map(Result::unwrap).collect();
    let rows: usize = batches.iter().map(PairBatch::rows).sum();
    assert_eq!(rows, 6);
    assert!(
        batches
            .iter()
            .all(|b| !b.examples.contains(&3) && !b.examples.contains(&5))
    );
    let summary = epoch.finish();
    assert_eq!(
        (summary.skipped.count, summary.pairs, summary.batches),
        (2, 6, 2)
    );
    let messages: Vec<String> = summary
        .skipped
        .first_errors
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("gone.png")),
        "{messages:?}"
    );
    assert!(
        summary
            .skipped
            .first_errors
            .iter()
            .any(|e| matches!(e, DataError::EmptyReport { file } if file == Path::new("s5")))
    );

    let fail = loader_with(examples, SkipPolicy::Fail);
    let results: Vec<_> = fail.epoch(0, 0).collect();
    let error = results
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("an error under Fail");
    assert!(
        matches!(error, DataError::Io { file, .. } | DataError::EmptyReport { file } if file == &missing || file == Path::new("s5")),
        "{error}"
    );
    assert!(
        results.last().unwrap().is_err(),
        "the epoch stops at the error"
    );
}

fn loader_with(examples: Vec<PairExample>, policy: SkipPolicy) -> PairLoader {
    let mut config = config(1, 2);
    config.skip_policy = policy;
    loader(examples, config)
}

#[test]
fn a_corrupt_image_is_a_typed_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.jpg");
    std::fs::write(&path, b"\xff\xd8\xff\xe0 not a jpeg").unwrap();
    let error = read_image(&path).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, .. } if file == &path),
        "{error}"
    );
    let error = read_image(dir.path().join("none.png")).unwrap_err();
    assert!(matches!(error, DataError::Io { .. }));
}

#[test]
fn evaluation_uses_dataset_order_first_image_and_first_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let examples = examples(dir.path(), 5);
    let mut config = PairLoaderConfig::evaluation();
    config.batch_size = 2;
    config.threads = 2;
    let loader = PairLoader::evaluation(
        examples.clone(),
        24,
        EvalText::FirstSentence,
        tokenizer(),
        config,
    )
    .unwrap();
    assert_eq!(loader.config().image_choice, ImageChoice::First);
    let batches = collect(&loader, 0, 0);
    let order: Vec<usize> = batches.iter().flat_map(|b| b.examples.clone()).collect();
    assert_eq!(order, [0, 1, 2, 3, 4]);
    assert_eq!(collect(&loader, 7, 0), batches, "the same every epoch");
    let first = &batches[0];
    assert_eq!(first.image_choice, [0, 0]);
    let expected = evaluation(24)
        .apply(
            read_image(&examples[1].images[0]).unwrap(),
            &mut rand::rng(),
        )
        .to_f32();
    assert_eq!(&first.images[24 * 24..], expected.as_slice());
    let ReportText::Parsed(report) = &examples[1].report else {
        unreachable!()
    };
    assert_eq!(first.texts[1], split_sentences(&report.body())[0]);
    assert_eq!(first.texts[1], "Study 1 has clear lungs today.");
}

#[test]
fn bad_settings_are_config_errors() {
    let dir = tempfile::tempdir().unwrap();
    let examples = examples(dir.path(), 2);
    for broken in [
        PairLoaderConfig {
            batch_size: 0,
            ..config(1, 1)
        },
        PairLoaderConfig {
            threads: 0,
            ..config(1, 1)
        },
        PairLoaderConfig {
            prefetch: 0,
            ..config(1, 1)
        },
    ] {
        let result = PairLoader::new(
            examples.clone(),
            Arc::new(ConvirtAugment::paper_with_size(16)),
            Arc::new(SentenceSampler::new(5)),
            tokenizer(),
            broken,
        );
        assert!(matches!(result, Err(DataError::Config(_))));
    }
}

/// `n` studies of one 40×30 noise PNG each, the report one sentence with both sides in it.
fn sided_examples(dir: &Path, n: usize, sentence: &str) -> Vec<PairExample> {
    (0..n)
        .map(|k| {
            let path = dir.join(format!("sided{k}.png"));
            convirt_augment::save(&Image::noise(40, 30, 500 + k as u64).unwrap(), &path).unwrap();
            PairExample {
                group: format!("s{k}"),
                images: vec![path],
                report: ReportText::Parsed(parse_mimic(
                    &format!("FINDINGS: {sentence}"),
                    format!("s{k}"),
                )),
            }
        })
        .collect()
}

/// t_v at 16² with flip probability `p`; the laterality-aware flip on or off.
fn sided_loader(examples: Vec<PairExample>, p: f64, swaps: bool) -> (PairLoader, ConvirtAugment) {
    let augment = ConvirtAugment {
        flip: HorizontalFlip::new(p).unwrap(),
        ..ConvirtAugment::paper_with_size(16)
    };
    let config = PairLoaderConfig {
        flip_swaps_sides: swaps,
        ..config(2, 2)
    };
    let loader = PairLoader::new(
        examples,
        Arc::new(augment),
        Arc::new(SentenceSampler::new(5)),
        tokenizer(),
        config,
    )
    .unwrap();
    (loader, augment)
}

#[test]
fn the_laterality_aware_flip_swaps_the_sides_of_a_mirrored_views_sentence() {
    let sentence = "Left lower lobe opacity and a small right-sided effusion.";
    let swapped = "Right lower lobe opacity and a small left-sided effusion.";
    let dir = tempfile::tempdir().unwrap();
    let examples = sided_examples(dir.path(), 6, sentence);
    let texts = |p: f64, swaps: bool| -> Vec<String> {
        let (loader, _) = sided_loader(examples.clone(), p, swaps);
        collect(&loader, 1, 0)
            .into_iter()
            .flat_map(|b| b.texts)
            .collect()
    };
    assert_eq!(texts(1.0, true), vec![swapped; 6], "every view mirrored");
    assert_eq!(texts(0.0, true), vec![sentence; 6], "no view mirrored");
    assert_eq!(
        texts(1.0, false),
        vec![sentence; 6],
        "the paper's blind flip"
    );

    // p = 0.5: exactly the rows whose drawn parameters flip get the swap; the images, and
    // everything but the swapped texts' tokens, are those of the loader without the option.
    let (on, augment) = sided_loader(examples.clone(), 0.5, true);
    let (off, _) = sided_loader(examples.clone(), 0.5, false);
    let (on, off) = (collect(&on, 1, 0), collect(&off, 1, 0));
    let mut flips = 0;
    for (a, b) in on.iter().zip(&off) {
        assert_eq!(a.images, b.images);
        assert_eq!(a.examples, b.examples);
        for (row, &i) in a.examples.iter().enumerate() {
            let params = augment.sample(40, 30, &mut sample_rng(11, 1, i as u64));
            flips += usize::from(params.flip);
            let want = if params.flip { swapped } else { sentence };
            assert_eq!(
                (a.texts[row].as_str(), b.texts[row].as_str()),
                (want, sentence)
            );
        }
        let tokens = tokenizer().encode(&a.texts).unwrap();
        assert_eq!((a.ids.clone(), a.mask.clone()), (tokens.ids, tokens.mask));
    }
    assert!(
        (1..6).contains(&flips),
        "{flips} of 6 flipped: both cases seen"
    );
}

/// A transform that does not say whether it mirrors.
struct Opaque;

impl Transform for Opaque {
    fn apply(&self, image: Image, _rng: &mut dyn rand::RngCore) -> Image {
        image
    }
}

#[test]
fn the_laterality_aware_flip_needs_a_transform_that_reports_its_flips() {
    let dir = tempfile::tempdir().unwrap();
    let examples = sided_examples(dir.path(), 2, "Left effusion.");
    let config = PairLoaderConfig {
        flip_swaps_sides: true,
        ..config(1, 1)
    };
    let refused = PairLoader::new(
        examples.clone(),
        Arc::new(Opaque),
        Arc::new(SentenceSampler::new(5)),
        tokenizer(),
        config.clone(),
    )
    .unwrap_err();
    assert!(
        matches!(&refused, DataError::Config(m) if m.contains("reports its flips")),
        "{refused}"
    );
    // The evaluation transform (pad, resize) never mirrors and says so: texts stay as they are.
    let loader = PairLoader::new(
        examples,
        Arc::new(evaluation(16)),
        Arc::new(SentenceSampler::new(5)),
        tokenizer(),
        config,
    )
    .unwrap();
    let texts: Vec<String> = collect(&loader, 0, 0)
        .into_iter()
        .flat_map(|b| b.texts)
        .collect();
    assert_eq!(texts, ["Left effusion.", "Left effusion."]);
}
