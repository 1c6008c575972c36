//! SynthCXR v2 on the real IU reports: the MeSH parser's counts and severities, nuisance
//! independent of the labels (two-sample KS), what each finding does to the measured image,
//! determinism, and the sets read back.

use std::collections::BTreeMap;

use convirt_data::synth::v2::jobs::{self, RETRIEVAL, labels_of, positive_sentences};
use convirt_data::synth::v2::mesh::{
    Given, findings_from_report, report_sentences, severity_word, side_from_sentences,
};
use convirt_data::synth::v2::render::nuisance_rng;
use convirt_data::synth::v2::{
    Family, Finding, Kind, Nuisance, Renderer, SEVERITY_COUNTS, families_from_mesh,
};
use convirt_data::synth::{
    Draw, ImageFormat, LungMasks, Side, SynthOptions, SynthSet, SynthVersion, Zone, generate,
    jobs::read_reports, read_manifest,
};
use convirt_data::{SkipPolicy, Split, read_candidates, read_image_queries, read_text_queries};
use convirt_text_sampler::{MeshTerm, Report, assets, rng_for};

fn renderer() -> Renderer {
    Renderer::new(LungMasks::open(assets::require(assets::LUNG_MASKS).unwrap()).unwrap())
}

fn reports() -> Vec<Report> {
    read_reports(&assets::require(assets::IU_REPORTS).unwrap()).unwrap()
}

fn term(text: &str) -> MeshTerm {
    MeshTerm::parse(text)
}

#[test]
fn family_counts_on_the_real_reports() {
    let mut counts: BTreeMap<Family, usize> = BTreeMap::new();
    for r in reports() {
        for f in families_from_mesh(&r.mesh) {
            *counts.entry(f).or_default() += 1;
        }
    }
    let got: Vec<(&str, usize)> = Family::ALL
        .iter()
        .map(|f| (f.name(), counts.get(f).copied().unwrap_or(0)))
        .collect();
    assert_eq!(
        got,
        [
            ("Normal", 1391),
            ("Cardiomegaly", 395),
            ("Effusion", 199),
            ("Opacity", 628),
            ("Hyperinflation", 279),
            ("Device", 384),
            ("LowVolumes", 291),
            ("ElevatedDiaphragm", 118),
            ("Scoliosis", 99),
            ("Atelectasis", 332),
            ("Nodule", 126),
            ("Granuloma", 525),
            ("DegenerativeSpine", 566),
            ("Aorta", 429),
            ("RibFracture", 77),
            ("Pneumothorax", 23),
            ("Edema", 100),
            ("HiatalHernia", 48),
        ]
    );
}

#[test]
fn the_severity_table_is_the_reports_own() {
    let mut counts = [[0u32; 3]; 18];
    for r in reports() {
        for t in &r.mesh {
            let Some(family) = Family::from_term(t) else {
                continue;
            };
            if let Some(s) = t.qualifiers.iter().find_map(|q| severity_word(q)) {
                counts[family.index()][usize::from(s) - 1] += 1;
            }
        }
    }
    assert_eq!(counts, SEVERITY_COUNTS);
}

#[test]
fn qualifiers_give_side_zone_severity_count_and_kind() {
    let g = Given::from_term(Family::Effusion, &term("Pleural Effusion/left/small"));
    assert_eq!(
        (g.side, g.zone, g.severity),
        (Some(Side::Left), None, Some(1))
    );
    let g = Given::from_term(Family::Effusion, &term("Costophrenic Angle/right/blunted"));
    assert_eq!((g.side, g.severity), (Some(Side::Right), Some(1)));
    let g = Given::from_term(Family::Opacity, &term("Opacity/lung/lingula"));
    assert_eq!((g.side, g.zone), (Some(Side::Left), Some(Zone::Middle)));
    let g = Given::from_term(Family::Opacity, &term("Opacity/retrocardiac"));
    assert_eq!((g.side, g.zone), (Some(Side::Left), Some(Zone::Lower)));
    let g = Given::from_term(Family::Opacity, &term("Opacity/lung/middle lobe/right"));
    assert_eq!((g.side, g.zone), (Some(Side::Right), Some(Zone::Middle)));
    let g = Given::from_term(Family::Cardiomegaly, &term("Cardiomegaly/borderline"));
    assert_eq!(g.severity, Some(1));
    let g = Given::from_term(Family::Cardiomegaly, &term("Cardiomegaly/severe"));
    assert_eq!(g.severity, Some(3));
    let g = Given::from_term(Family::Device, &term("Implanted Medical Device/left"));
    assert_eq!((g.kind, g.side), (Some(Kind::Pacemaker), Some(Side::Left)));
    let g = Given::from_term(Family::Device, &term("Surgical Instruments/mediastinum"));
    assert_eq!(g.kind, Some(Kind::Sternotomy));
    let g = Given::from_term(Family::Device, &term("Catheters, Indwelling/right"));
    assert_eq!(g.kind, Some(Kind::CentralLine));
    let g = Given::from_term(Family::Aorta, &term("Calcinosis/aorta"));
    assert_eq!(g.kind, Some(Kind::Calcified));
    let g = Given::from_term(
        Family::Granuloma,
        &term("Calcified Granuloma/scattered/multiple"),
    );
    assert!(g.multiple);
    let mut rng = rng_for(3, 0, 0);
    let f = convirt_data::synth::v2::mesh::complete(Family::Granuloma, g, None, &mut rng);
    assert!(
        (3..=6).contains(&f.count),
        "multiple granulomas: {}",
        f.count
    );
}

#[test]
fn a_side_the_terms_leave_open_comes_from_the_sentences() {
    let s = |t: &str| vec![t.to_string()];
    assert_eq!(
        side_from_sentences(Family::Effusion, &s("Small right pleural effusion.")),
        Some(Side::Right)
    );
    assert_eq!(
        side_from_sentences(Family::Effusion, &s("No left pleural effusion.")),
        None
    );
    assert_eq!(
        side_from_sentences(Family::Opacity, &s("Opacity in the lingula.")),
        Some(Side::Left)
    );
    assert_eq!(
        side_from_sentences(Family::Scoliosis, &s("Mild dextroscoliosis of the spine.")),
        Some(Side::Right)
    );
    assert_eq!(
        side_from_sentences(Family::Atelectasis, &s("Bibasilar atelectasis.")),
        Some(Side::Bilateral)
    );
    // On the real reports: most effusions without a side in their terms get one from the text.
    let (mut open, mut found) = (0, 0);
    for r in reports() {
        let sentences = report_sentences(&r);
        for t in &r.mesh {
            if Family::from_term(t) == Some(Family::Effusion)
                && Given::from_term(Family::Effusion, t).side.is_none()
            {
                open += 1;
                found += usize::from(side_from_sentences(Family::Effusion, &sentences).is_some());
            }
        }
    }
    assert!(open >= 15, "{open} effusion terms without a side");
    assert!(found * 2 >= open, "sides from sentences: {found} of {open}");
}

#[test]
fn every_report_renders_every_family_its_terms_give() {
    for (i, r) in reports().iter().enumerate() {
        let findings = findings_from_report(r, &mut rng_for(1, 0, i as u64));
        let mut want = families_from_mesh(&r.mesh);
        want.remove(&Family::Normal);
        let got: std::collections::BTreeSet<Family> = findings.iter().map(|f| f.family).collect();
        assert_eq!(got, want, "report {}", r.id);
        let labels = labels_of(&findings);
        assert_eq!(labels[Family::Normal.index()], findings.is_empty());
        for f in &findings {
            assert_eq!(Finding::parse(&f.label()), Some(*f));
            assert!((1..=3).contains(&f.severity));
        }
    }
}

/// The two-sample Kolmogorov–Smirnov statistic.
fn ks(mut a: Vec<f32>, mut b: Vec<f32>) -> f64 {
    a.sort_by(f32::total_cmp);
    b.sort_by(f32::total_cmp);
    let (mut i, mut j, mut d) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    d
}

#[test]
fn nuisance_does_not_depend_on_the_labels() {
    let mut options = SynthOptions::new("/unused");
    options.counts = Some([14_000, 0, 0]);
    let cls = jobs::cls(&options);
    let nuisance: Vec<Nuisance> = cls
        .iter()
        .map(|j| Nuisance::draw(517, &mut nuisance_rng(j.entry.seed)))
        .collect();
    let names: Vec<&str> = nuisance[0].scalars().iter().map(|(n, _)| *n).collect();
    let mut worst = (0.0, "", "");
    for family in Family::FINDINGS {
        if family == Family::Pneumothorax {
            continue;
        }
        let with: Vec<usize> = (0..cls.len())
            .filter(|&i| cls[i].entry.has(family))
            .collect();
        assert!(with.len() >= 2000, "{family:?}: {} images", with.len());
        for (k, name) in names.iter().enumerate() {
            let pick = |positive: bool| -> Vec<f32> {
                (0..cls.len())
                    .filter(|&i| cls[i].entry.has(family) == positive)
                    .map(|i| nuisance[i].scalars()[k].1)
                    .collect()
            };
            let d = ks(pick(true), pick(false));
            if d > worst.0 {
                worst = (d, family.name(), name);
            }
        }
    }
    eprintln!("largest two-sample KS D over families × nuisance parameters: {worst:?}");
    assert!(worst.0 <= 0.05, "largest KS D {worst:?}");
    assert!(worst.0 > 0.0);
}

/// The mean of `value(x, y)` over a box in unit coordinates of `img`'s pixel grid (at least
/// one pixel).
fn box_mean(
    img: &convirt_augment::Image,
    u: (f32, f32),
    v: (f32, f32),
    value: impl Fn(usize, usize) -> f32,
) -> f32 {
    let n = img.width();
    let span = |a: f32, b: f32| {
        let lo = ((a * n as f32) as usize).min(n - 1);
        lo..((b * n as f32) as usize).clamp(lo + 1, n)
    };
    let (mut sum, mut count) = (0.0, 0.0);
    for y in span(v.0, v.1) {
        for x in span(u.0, u.1) {
            sum += value(x, y);
            count += 1.0;
        }
    }
    sum / count
}

fn f(family: Family, side: Side, zone: Zone, severity: u8) -> Finding {
    Finding::new(family, side, zone, severity)
}

#[test]
fn the_same_seed_gives_the_same_chest_with_or_without_findings() {
    let r = renderer();
    for seed in 0..20 {
        let with = r.scene(&[f(Family::Nodule, Side::Left, Zone::Upper, 2)], seed);
        let without = r.scene(&[], seed);
        assert_eq!(with.chest.nuisance, without.chest.nuisance);
        assert_eq!(with.metal, without.metal);
        assert_eq!(r.render(&[], seed, 32), r.render(&[], seed, 32));
    }
}

#[test]
fn each_finding_changes_the_image_where_it_should() {
    let r = renderer();
    let n = 20;
    let mut passed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut opacity_gains = Vec::new();
    for seed in 0..n as u64 {
        let base = r.scene(&[], seed).chest;
        let (top, h, lw, mid) = (
            base.nuisance.lung_top,
            base.lung_height,
            base.nuisance.lung_half_width,
            base.nuisance.midline,
        );
        let bottom = top + h;
        let left = (mid + 0.12, mid + lw - 0.02); // patient's left: the image's right
        let right = (mid - lw + 0.02, mid - 0.12);
        let plain = r.render(&[], seed, 128);
        // Boxes are given in chest coordinates; the field shifts and magnifies the chest.
        let (shift, zoom) = (base.nuisance.shift, base.nuisance.zoom);
        let to_image = |u: (f32, f32), v: (f32, f32)| {
            let iu = |x: f32| (0.5 + shift.0 + zoom * (x - 0.5)).clamp(0.0, 1.0);
            let iv = |y: f32| (0.5 + shift.1 + zoom * (y - 0.5)).clamp(0.0, 1.0);
            ((iu(u.0), iu(u.1)), (iv(v.0), iv(v.1)))
        };
        let gain = |findings: &[Finding], u: (f32, f32), v: (f32, f32)| {
            let (u, v) = to_image(u, v);
            let img = r.render(findings, seed, 128);
            box_mean(&img, u, v, |x, y| img.get(x, y))
                - box_mean(&plain, u, v, |x, y| plain.get(x, y))
        };
        let mut check = |name: &'static str, ok: bool| {
            *passed.entry(name).or_default() += usize::from(ok);
        };
        // Effusion: the base of its side brightens, the other side does not change.
        let e = [f(Family::Effusion, Side::Left, Zone::Lower, 2)];
        let base_band = (bottom - 0.15 * h, bottom - 0.02);
        check(
            "effusion",
            gain(&e, left, base_band) > 0.03 && gain(&e, right, base_band).abs() < 1e-6,
        );
        // An elevated right hemidiaphragm brightens the right base only.
        let d = [f(Family::ElevatedDiaphragm, Side::Right, Zone::Lower, 2)];
        let high = (bottom - 0.2 * h, bottom - 0.08 * h);
        check(
            "elevated",
            gain(&d, right, high) > 0.03 && gain(&d, left, high).abs() < 0.005,
        );
        // Hyperinflation darkens the lungs; low volumes brighten the bases.
        let hyper = [f(Family::Hyperinflation, Side::Bilateral, Zone::Middle, 2)];
        let mid_band = (top + 0.3 * h, top + 0.55 * h);
        check("hyperinflation", gain(&hyper, right, mid_band) < -0.01);
        let low = [f(Family::LowVolumes, Side::Bilateral, Zone::Middle, 2)];
        check(
            "low volumes",
            gain(&low, right, (bottom - 0.25 * h, bottom)) > 0.02,
        );
        // Right middle lobe consolidation brightens beside the right heart border.
        let o = [f(Family::Opacity, Side::Right, Zone::Lower, 2)];
        let og = gain(&o, right, (bottom - 0.35 * h, bottom - 0.05 * h));
        opacity_gains.push(og);
        check("opacity", og > 0.01);
        // A pacemaker puts near-white pixels in the upper chest.
        let p = [Finding {
            kind: Kind::Pacemaker,
            ..f(Family::Device, Side::Left, Zone::Upper, 1)
        }];
        let img = r.render(&p, seed, 128);
        let brighter = (0..128 * 64)
            .filter(|&i| img.get(i % 128, i / 128) > plain.get(i % 128, i / 128) + 0.1)
            .count();
        check("pacemaker", brighter > 30);
        // Metal is opaque (version 9): sternotomy wires show over the mediastinum, where
        // dense tissue is brightest.
        let w = [Finding {
            kind: Kind::Sternotomy,
            ..f(Family::Device, Side::Left, Zone::Middle, 1)
        }];
        let img = r.render(&w, seed, 128);
        let wires = (0..128 * 128)
            .filter(|&i| img.get(i % 128, i / 128) > plain.get(i % 128, i / 128) + 0.1)
            .count();
        check("sternotomy", wires > 20);
        // Cardiomegaly widens the heart: more bright pixels in the heart's row.
        let c = [f(Family::Cardiomegaly, Side::Bilateral, Zone::Middle, 2)];
        let (_, hv) = base.heart_centre();
        check(
            "cardiomegaly",
            gain(&c, (mid - 0.25, mid + 0.3), (hv - 0.02, hv + 0.02)) > 0.01,
        );
        // Scoliosis bends the spine: the column mean at mid-thorax moves.
        let s = [f(Family::Scoliosis, Side::Left, Zone::Middle, 3)];
        let band = (top + 0.4 * h, top + 0.6 * h);
        check("scoliosis", gain(&s, (mid + 0.04, mid + 0.09), band) > 0.01);
        // Edema hazes both perihilar regions (version 11).
        let e = [f(Family::Edema, Side::Bilateral, Zone::Middle, 2)];
        let hila = (top + 0.3 * h, top + 0.5 * h);
        // The haze brightens and the coarser markings move pixels both ways: measure the mean
        // absolute change over each perihilar box (in image coordinates, as `gain` maps them).
        let edema = r.render(&e, seed, 128);
        let change = |u: (f32, f32)| {
            let (u, v) = to_image(u, hila);
            box_mean(&plain, u, v, |x, y| {
                (edema.get(x, y) - plain.get(x, y)).abs()
            })
        };
        check(
            "edema",
            change((mid + 0.08, mid + 0.16)) > 0.01 && change((mid - 0.16, mid - 0.08)) > 0.01,
        );
        // A hiatal hernia puts gas (darker) above fluid (brighter) behind the heart; in an
        // overexposed film one of the two can vanish into the saturated heart.
        let g = [f(Family::HiatalHernia, Side::Bilateral, Zone::Lower, 3)];
        let img = r.render(&g, seed, 128);
        let (darker, brighter) = (0..128 * 128).fold((0, 0), |(d, b), i| {
            let (x, y) = (i % 128, i / 128);
            let diff = img.get(x, y) - plain.get(x, y);
            (d + usize::from(diff < -0.05), b + usize::from(diff > 0.03))
        });
        check("hernia", darker > 15 || brighter > 15);
    }
    for (name, ok) in &passed {
        assert!(
            *ok >= n - 1,
            "{name}: {ok}/{n} seeds (opacity gains {opacity_gains:?})"
        );
    }
    assert_eq!(passed.len(), 11);
}

#[test]
fn v2_retrieval_sets_read_back_and_use_the_split_reports() {
    let dir = tempfile::tempdir().unwrap();
    let names = jobs::retrieval_names();
    for (set, split) in [
        (SynthSet::Retrieval, Split::Test),
        (SynthSet::RetrievalVal, Split::Validate),
    ] {
        let out = dir.path().join(set.name());
        let mut options = SynthOptions::new(&out);
        options.size = 24;
        options.format = ImageFormat::Jpg;
        options.counts = Some([3, 2, 0]);
        let done = generate(set, &options).unwrap();
        let candidates =
            read_candidates(out.join("candidate.csv"), &names, SkipPolicy::Fail).unwrap();
        assert_eq!(candidates.records.len(), 24);
        for (k, c) in candidates.records.iter().enumerate() {
            assert_eq!(c.category, k / 3);
        }
        let queries = read_image_queries(out.join("query.csv"), &names, SkipPolicy::Fail).unwrap();
        assert_eq!(
            queries
                .records
                .iter()
                .map(|q| q.category)
                .collect::<Vec<_>>(),
            (0..8).flat_map(|c| [c, c]).collect::<Vec<_>>()
        );
        let manifest = read_manifest(&out).unwrap();
        assert_eq!(manifest.version, SynthVersion::V2);
        assert_eq!(manifest, done.manifest);
        let split_of: BTreeMap<String, Split> = convirt_data::synth::read_split(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/synthcxr/iu_split.csv"
        ))
        .unwrap()
        .into_iter()
        .collect();
        for e in manifest.entries.iter().filter(|e| e.report_id.is_some()) {
            assert_eq!(split_of[e.report_id.as_ref().unwrap()], split);
        }
        let sentences =
            read_text_queries(out.join("report_queries.csv"), &names, SkipPolicy::Fail).unwrap();
        assert!(sentences.records.len() >= 50, "{}", sentences.records.len());
    }
    let test = read_manifest(dir.path().join("retrieval")).unwrap();
    let val = read_manifest(dir.path().join("retrieval-val")).unwrap();
    let seeds: std::collections::HashSet<u64> = test.entries.iter().map(|e| e.seed).collect();
    assert!(val.entries.iter().all(|e| !seeds.contains(&e.seed)));
}

#[test]
fn committed_v2_text_queries_cover_every_category_with_five() {
    let names: Vec<&str> = RETRIEVAL
        .iter()
        .chain(&[Family::Atelectasis, Family::Nodule])
        .map(|f| f.name())
        .collect();
    for file in ["text_queries_test.csv", "text_queries_val.csv"] {
        let path = format!(
            "{}/../../data/synthcxr/v2/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let queries = read_text_queries(&path, &names, SkipPolicy::Fail).unwrap();
        for (c, name) in names.iter().enumerate() {
            let n = queries.records.iter().filter(|q| q.category == c).count();
            assert!(n >= 5, "{file}: {name} has {n}");
        }
    }
    // The report sentences rule keeps positives and drops negations.
    let s = vec![
        "No pleural effusion.".to_string(),
        "Small left pleural effusion.".to_string(),
    ];
    assert_eq!(positive_sentences(Family::Effusion, &s), vec![s[1].clone()]);
}

#[test]
fn cls_has_its_prevalences_and_pairs_match_the_reports() {
    let cls = jobs::cls(&SynthOptions::new("/unused"));
    assert_eq!(cls.len(), 13_000);
    for family in Family::FINDINGS {
        let p = cls.iter().filter(|j| j.entry.has(family)).count() as f64 / 13_000.0;
        let want = if family == Family::Pneumothorax {
            0.05
        } else {
            0.2
        };
        assert!((p - want).abs() < 0.012, "{family:?}: {p}");
    }
    assert!(
        cls.iter()
            .all(|j| !(j.entry.has(Family::Hyperinflation) && j.entry.has(Family::LowVolumes)))
    );
    let reports = reports();
    let pairs = jobs::pairs(&SynthOptions::new("/unused"), &reports);
    assert_eq!(pairs.len(), 2 * reports.len());
    for pair in pairs.chunks(2) {
        assert_eq!(pair[0].entry.labels, pair[1].entry.labels);
        assert_eq!(pair[0].draw, pair[1].draw);
        assert_ne!(pair[0].entry.seed, pair[1].entry.seed);
        let Draw::V2(findings) = &pair[0].draw else {
            panic!("v2 pairs draw v2 findings");
        };
        assert_eq!(pair[0].entry.labels, labels_of(findings));
    }
}
