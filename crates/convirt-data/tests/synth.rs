//! SynthCXR: family counts and split on the real IU reports, determinism, renderer invariants
//! measured on the images, the retrieval CSVs read back, typed mask errors.

use std::collections::HashSet;

use convirt_data::synth::{
    Domain, Family, Finding, ImageFormat, LungMasks, Renderer, Severity, Side, SynthOptions,
    SynthSet, Zone, domain_seed, families_from_mesh, generate, jobs, read_manifest, read_split,
    split_reports,
};
use convirt_data::{
    DataError, SkipPolicy, Split, read_candidates, read_image_queries, read_text_queries,
};
use convirt_text_sampler::assets;

fn renderer() -> Renderer {
    Renderer::new(LungMasks::open(assets::require(assets::LUNG_MASKS).unwrap()).unwrap())
}

fn finding(family: Family, side: Side, zone: Zone) -> Finding {
    Finding {
        family,
        side,
        zone,
        severity: Severity::Moderate,
        calcified: false,
    }
}

#[test]
fn family_counts_on_the_real_reports() {
    let reports = jobs::read_reports(&assets::require(assets::IU_REPORTS).unwrap()).unwrap();
    assert_eq!(reports.len(), 3955);
    let mut counts = [0usize; 7];
    for r in &reports {
        for f in families_from_mesh(&r.mesh) {
            counts[f.index()] += 1;
        }
    }
    // Normal, Cardiomegaly, Effusion, Opacity, Atelectasis, Nodule, Pneumothorax.
    assert_eq!(counts, [1391, 375, 161, 574, 332, 473, 23]);
}

#[test]
fn split_is_80_10_10_disjoint_and_matches_the_committed_file() {
    let reports = jobs::read_reports(&assets::require(assets::IU_REPORTS).unwrap()).unwrap();
    let ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
    let split = split_reports(&ids);
    let committed = read_split(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/synthcxr/iu_split.csv"
    ))
    .unwrap();
    assert_eq!(split, committed);
    let unique: HashSet<&str> = split.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(unique.len(), 3955);
    assert_eq!(unique, ids.iter().map(String::as_str).collect());
    let count = |s| split.iter().filter(|(_, x)| *x == s).count();
    assert_eq!(
        (
            count(Split::Train),
            count(Split::Validate),
            count(Split::Test)
        ),
        (3164, 395, 396)
    );
}

#[test]
fn images_depend_on_seed_and_index_only() {
    let r = renderer();
    let f = [finding(Family::Nodule, Side::Left, Zone::Upper)];
    assert_eq!(r.render(&f, 9, 64), r.render(&f, 9, 64));
    assert_ne!(r.render(&f, 9, 64), r.render(&f, 10, 64));
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    for threads in [1, 3] {
        let mut options = SynthOptions::v1(dir.path().join(format!("t{threads}")));
        options.size = 32;
        options.counts = Some([12, 2, 2]);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let done = pool.install(|| generate(SynthSet::Cls, &options)).unwrap();
        assert_eq!(done.manifest.entries.len(), 16);
        bytes.push(
            done.manifest
                .entries
                .iter()
                .map(|e| std::fs::read(done.manifest.image_path(e)).unwrap())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(bytes[0], bytes[1]);
    // The seed domains of the sets are disjoint.
    let seeds: HashSet<u64> = [
        Domain::PairsImage,
        Domain::ClsImage,
        Domain::RetrievalCandidate,
        Domain::RetrievalQuery,
    ]
    .iter()
    .flat_map(|d| (0..1000).map(move |i| domain_seed(0, *d, i)))
    .collect();
    assert_eq!(seeds.len(), 4000);
}

/// Mean intensity of the image over a box in unit coordinates.
fn box_mean(img: &convirt_augment::Image, u: (f32, f32), v: (f32, f32)) -> f32 {
    let n = img.width() as f32;
    let (mut sum, mut count) = (0.0, 0.0);
    for y in (v.0 * n) as usize..(v.1 * n) as usize {
        for x in (u.0 * n) as usize..(u.1 * n) as usize {
            sum += img.get(x, y);
            count += 1.0;
        }
    }
    sum / count
}

#[test]
fn cardiomegaly_widens_the_measured_heart() {
    let r = renderer();
    let cardio = [finding(Family::Cardiomegaly, Side::Bilateral, Zone::Middle)];
    let mut wider = 0;
    for seed in 0..20 {
        let mut widths = Vec::new();
        for findings in [&[][..], &cardio[..]] {
            let scene = r.scene(findings, seed);
            let img = r.render(findings, seed, 256);
            let (hu, hv) = scene.anatomy.heart_centre();
            let y = (hv * 256.0) as usize;
            let row: Vec<f32> = (0..256)
                .map(|x| (y - 2..=y + 2).map(|yy| img.get(x, yy)).sum::<f32>() / 5.0)
                .collect();
            let centre = (hu * 256.0) as usize;
            let lung_left = row[..centre].iter().cloned().fold(f32::MAX, f32::min);
            let threshold = (row[centre] + lung_left) / 2.0;
            let left = (0..centre).rev().find(|&x| row[x] < threshold).unwrap_or(0);
            let right = (centre..256).find(|&x| row[x] < threshold).unwrap_or(255);
            widths.push(right - left);
        }
        if widths[1] > widths[0] {
            wider += 1;
        }
    }
    assert!(
        wider >= 18,
        "cardiomegaly widened the heart in {wider}/20 seeds"
    );
}

#[test]
fn effusion_brightens_the_base_on_its_side_only() {
    let r = renderer();
    let eff = [Finding {
        severity: Severity::Severe,
        ..finding(Family::Effusion, Side::Left, Zone::Lower)
    }];
    for seed in 0..10 {
        let a = r.scene(&[], seed).anatomy;
        let base = (
            a.lung_bottom - 0.25 * a.lung_height(),
            a.lung_bottom - 0.05 * a.lung_height(),
        );
        let left = (a.midline + 0.1, a.midline + a.lung_half_width); // patient's left: image right
        let right = (a.midline - a.lung_half_width, a.midline - 0.1);
        let (without, with) = (r.render(&[], seed, 128), r.render(&eff, seed, 128));
        let gain = box_mean(&with, left, base) - box_mean(&without, left, base);
        let other = box_mean(&with, right, base) - box_mean(&without, right, base);
        assert!(gain > 0.02, "seed {seed}: effusion side gained {gain}");
        assert!(
            other.abs() < 1e-6,
            "seed {seed}: other side changed {other}"
        );
    }
}

#[test]
fn pneumothorax_darkens_a_peripheral_band_on_its_side() {
    let r = renderer();
    let ptx = [Finding {
        severity: Severity::Severe,
        ..finding(Family::Pneumothorax, Side::Right, Zone::Upper)
    }];
    for seed in 0..10 {
        let (without, with) = (
            r.render(&[], seed, 256).to_f32(),
            r.render(&ptx, seed, 256).to_f32(),
        );
        // The band: pixels the pneumothorax made darker.
        let band: Vec<usize> = (0..without.len())
            .filter(|&i| without[i] - with[i] > 0.01)
            .collect();
        assert!(band.len() > 100, "seed {seed}: band of {} px", band.len());
        let left = band.iter().filter(|&&i| i % 256 < 128).count();
        assert!(
            left * 20 >= band.len() * 19,
            "seed {seed}: band must be on the image's left"
        );
        // Peripheral: mostly beyond 35% of its hemithorax (the apex curves medially).
        let a = r.scene(&[], seed).anatomy;
        let lateral = band
            .iter()
            .map(|&i| ((i % 256) as f32 / 256.0 - a.midline).abs())
            .sum::<f32>()
            / band.len() as f32;
        assert!(
            lateral > 0.35 * a.lung_half_width,
            "seed {seed}: band at {lateral}"
        );
    }
}

#[test]
fn a_nodule_is_a_bright_spot_on_its_side() {
    let r = renderer();
    for seed in 0..10 {
        let f = [Finding {
            calcified: true,
            ..finding(Family::Nodule, Side::Left, Zone::Middle)
        }];
        let (without, with) = (
            r.render(&[], seed, 256).to_f32(),
            r.render(&f, seed, 256).to_f32(),
        );
        let (i, diff) = (0..without.len())
            .map(|i| (i, with[i] - without[i]))
            .fold((0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
        assert!(diff > 0.05, "seed {seed}: brightest change {diff}");
        assert!(i % 256 >= 128, "seed {seed}: nodule at column {}", i % 256);
    }
}

#[test]
fn retrieval_csvs_read_back_with_one_positive_each_and_are_cached() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = SynthOptions::v1(dir.path());
    options.size = 24;
    options.format = ImageFormat::Jpg;
    options.counts = Some([3, 2, 0]);
    let done = generate(SynthSet::Retrieval, &options).unwrap();
    assert!(!done.cached);
    let candidates = read_candidates(
        dir.path().join("candidate.csv"),
        &Family::NAMES,
        SkipPolicy::Fail,
    )
    .unwrap();
    assert_eq!(candidates.records.len(), 21);
    for (k, c) in candidates.records.iter().enumerate() {
        assert_eq!(c.category, k / 3);
        assert!(dir.path().join(&c.path).exists());
    }
    let queries = read_image_queries(
        dir.path().join("query.csv"),
        &Family::NAMES,
        SkipPolicy::Fail,
    )
    .unwrap();
    assert_eq!(
        queries
            .records
            .iter()
            .map(|q| q.category)
            .collect::<Vec<_>>(),
        (0..7).flat_map(|c| [c, c]).collect::<Vec<_>>()
    );
    let manifest = read_manifest(dir.path()).unwrap();
    assert_eq!(manifest, done.manifest);
    for e in &manifest.entries {
        let positives: Vec<usize> = (0..7).filter(|&k| e.labels[k]).collect();
        assert_eq!(positives.len(), 1);
        assert_eq!(e.findings.len(), usize::from(positives[0] != 0));
    }
    assert!(generate(SynthSet::Retrieval, &options).unwrap().cached);
    options.size = 20;
    let again = generate(SynthSet::Retrieval, &options).unwrap();
    assert!(!again.cached);
    assert_eq!(
        convirt_augment::open(dir.path().join(&again.manifest.entries[0].path))
            .unwrap()
            .width(),
        20
    );
}

#[test]
fn cls_labels_follow_the_prevalences() {
    let jobs = jobs::cls(&SynthOptions::v1("/unused"));
    let entries: Vec<_> = jobs.iter().map(|j| &j.entry).collect();
    assert_eq!(entries.len(), 13_000);
    assert_eq!(
        entries.iter().filter(|e| e.split == Split::Train).count(),
        10_000
    );
    for family in Family::FINDINGS {
        let p = entries.iter().filter(|e| e.has(family)).count() as f64 / 13_000.0;
        let expected = if family == Family::Pneumothorax {
            0.05
        } else {
            0.2
        };
        assert!((p - expected).abs() < 0.012, "{family:?}: {p}");
    }
    for j in &jobs {
        let e = &j.entry;
        assert_eq!(e.has(Family::Normal), e.findings.is_empty());
        let convirt_data::synth::Draw::V1(findings) = &j.draw else {
            panic!("a v1 job draws v1 findings");
        };
        let roundtrip: Vec<Finding> = e
            .findings
            .iter()
            .map(|f| Finding::parse(f).unwrap())
            .collect();
        assert_eq!(&roundtrip, findings);
    }
}

#[test]
fn pairs_render_every_report_k_times_in_its_split() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = SynthOptions::v1(dir.path());
    options.size = 8;
    options.per_report = 2;
    let manifest = generate(SynthSet::Pairs, &options).unwrap().manifest;
    assert_eq!(manifest.entries.len(), 2 * 3955);
    let split = read_split(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/synthcxr/iu_split.csv"
    ))
    .unwrap();
    let split: std::collections::HashMap<String, Split> = split.into_iter().collect();
    for pair in manifest.entries.chunks(2) {
        let id = pair[0].report_id.clone().unwrap();
        assert_eq!(pair[1].report_id.as_deref(), Some(id.as_str()));
        assert_eq!((pair[0].split, pair[1].split), (split[&id], split[&id]));
        assert_eq!(pair[0].labels, pair[1].labels);
        assert_ne!(pair[0].seed, pair[1].seed);
    }
    assert_eq!(manifest.split(Split::Train).count(), 2 * 3164);
}

#[test]
fn text_queries_cover_every_category() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/synthcxr/text_queries.csv"
    );
    let queries = read_text_queries(file, &Family::NAMES, SkipPolicy::Fail).unwrap();
    for c in 0..7 {
        assert!(queries.records.iter().filter(|q| q.category == c).count() >= 5);
    }
}

#[test]
fn bad_mask_archives_are_typed_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.zip");
    let err = LungMasks::open(&missing).unwrap_err();
    assert!(
        matches!(&err, DataError::Io { file, .. } if *file == missing),
        "{err}"
    );
    let corrupt = dir.path().join("corrupt.zip");
    std::fs::write(&corrupt, b"not a zip at all").unwrap();
    let err = LungMasks::open(&corrupt).unwrap_err();
    assert!(
        matches!(&err, DataError::Archive { file, .. } if *file == corrupt),
        "{err}"
    );
    assert!(err.to_string().contains("corrupt.zip"));
}

/// FNV-1a over bytes: a fingerprint of rendered pixels.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn v1_renders_bit_for_bit_as_before_v2() {
    // SynthCXR v1 must stay reproducible under its version number (issue 17): the first five
    // `cls` images at 64 px, fingerprinted on the renderer as it was before v2 was added.
    let r = renderer();
    let jobs = jobs::cls(&SynthOptions::v1("/unused"));
    let mut all = Vec::new();
    for j in &jobs[..5] {
        let convirt_data::synth::Draw::V1(findings) = &j.draw else {
            panic!("a v1 job draws v1 findings");
        };
        all.extend(r.render(findings, j.entry.seed, 64).to_u8());
    }
    assert_eq!(all.len(), 5 * 64 * 64);
    assert_eq!(fnv1a(&all), V1_FINGERPRINT, "{:#x}", fnv1a(&all));
}

/// [`v1_renders_bit_for_bit_as_before_v2`]'s fingerprint.
const V1_FINGERPRINT: u64 = 0xdc57_9953_7a30_7078;
