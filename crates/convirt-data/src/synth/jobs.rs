//! The images of each v1 set, as [`Job`]s to render: labels, findings, seeds and paths.

use std::collections::BTreeSet;
use std::path::Path;

use convirt_text_sampler::{Report, ReportSource};
use rand::Rng;

use crate::synth::job::Job;
use crate::synth::manifest::Entry;
use crate::synth::seed::{Domain, domain_rng, domain_seed};
use crate::synth::split::split_lookup;
use crate::synth::{Family, Finding, SynthOptions, families_from_mesh, findings_from_mesh};
use crate::{DataError, Split};

/// The probability of each scored family in `cls` (independently).
pub const CLS_PREVALENCE: f64 = 0.2;
/// The probability of pneumothorax in `cls`.
pub const CLS_PNEUMOTHORAX: f64 = 0.05;

fn labels_of(families: &BTreeSet<Family>) -> Vec<bool> {
    let mut labels = vec![false; Family::ALL.len()];
    for f in families {
        labels[f.index()] = true;
    }
    labels
}

/// Every IU report of `file`, in archive order.
pub fn read_reports(file: &Path) -> Result<Vec<Report>, DataError> {
    Ok(ReportSource::open(file)?.read_all()?)
}

/// `pairs`: K renderings of every report, its findings from its MeSH terms (qualifiers left
/// open drawn once per report), labels from [`families_from_mesh`], split by report.
pub fn pairs(options: &SynthOptions, reports: &[Report]) -> Vec<Job> {
    let split_of = split_lookup(reports);
    let mut sorted: Vec<&Report> = reports.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let ext = options.format.extension();
    let mut entries = Vec::new();
    for (r, report) in sorted.iter().enumerate() {
        let mut rng = domain_rng(options.seed, Domain::PairsFindings, r as u64);
        let findings = findings_from_mesh(&report.mesh, &mut rng);
        let labels = labels_of(&families_from_mesh(&report.mesh));
        for k in 0..options.per_report {
            let index = (r * options.per_report + k) as u64;
            let entry = Entry {
                path: format!("images/{}_{k}.{ext}", report.id),
                report_id: Some(report.id.clone()),
                split: split_of(&report.id),
                seed: domain_seed(options.seed, Domain::PairsImage, index),
                labels: labels.clone(),
                findings: Vec::new(),
            };
            entries.push(Job::v1(entry, findings.clone()));
        }
    }
    entries
}

/// `cls`: each scored family present with probability 0.2, pneumothorax 0.05, qualifiers drawn.
pub fn cls(options: &SynthOptions) -> Vec<Job> {
    let [train, val, test] = options.cls_counts();
    let ext = options.format.extension();
    (0..train + val + test)
        .map(|i| {
            let mut rng = domain_rng(options.seed, Domain::ClsLabels, i as u64);
            let mut findings = Vec::new();
            for family in Family::FINDINGS {
                let p = if family == Family::Pneumothorax {
                    CLS_PNEUMOTHORAX
                } else {
                    CLS_PREVALENCE
                };
                if rng.random_bool(p) {
                    findings.push(Finding::random(family, &mut rng));
                }
            }
            let split = super::split::split_by_position(i, train, val);
            entry(
                format!("images/{i:05}.{ext}"),
                split,
                domain_seed(options.seed, Domain::ClsImage, i as u64),
                findings,
            )
        })
        .collect()
}

/// `retrieval`: per category, candidates then image queries, each positive for exactly that
/// category (Normal: no finding), from their own seed domains.
pub fn retrieval(options: &SynthOptions) -> (Vec<Job>, Vec<Job>) {
    let [per_candidate, per_query] = options.retrieval_counts();
    let ext = options.format.extension();
    let mut candidates = Vec::new();
    let mut queries = Vec::new();
    for (c, family) in Family::ALL.iter().enumerate() {
        for (domain, count, dir, out) in [
            (
                Domain::RetrievalCandidate,
                per_candidate,
                "candidates",
                &mut candidates,
            ),
            (Domain::RetrievalQuery, per_query, "queries", &mut queries),
        ] {
            for j in 0..count {
                let index = (c * 100_000 + j) as u64;
                let mut rng = domain_rng(options.seed, domain, index);
                let findings = if *family == Family::Normal {
                    Vec::new()
                } else {
                    vec![Finding::random(*family, &mut rng)]
                };
                out.push(entry(
                    format!("{dir}/{}_{j:03}.{ext}", family.name()),
                    Split::Test,
                    rng.random(),
                    findings,
                ));
            }
        }
    }
    (candidates, queries)
}

fn entry(path: String, split: Split, seed: u64, findings: Vec<Finding>) -> Job {
    let mut families: BTreeSet<Family> = findings.iter().map(|f| f.family).collect();
    if families.is_empty() {
        families.insert(Family::Normal);
    }
    let entry = Entry {
        path,
        report_id: None,
        split,
        seed,
        labels: labels_of(&families),
        findings: Vec::new(),
    };
    Job::v1(entry, findings)
}
