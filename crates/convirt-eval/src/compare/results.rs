//! `results.json`: the units gathered per method (mean ± sd over the seeds, with intervals) and
//! the paper's claims, each tested by a paired comparison across the seeds.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{mean_sd, paired_comparison, t_quantile};

use super::unit::{Precision, UnitResult};
use super::{CompareError, Method};

/// One protocol at one fraction for one method, over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedStat {
    /// The mean over the seeds.
    pub mean: f64,
    /// Their standard deviation (0 for one seed).
    pub sd: f64,
    /// The 95 % t interval of the mean over the seeds (with one seed: the first seed's
    /// bootstrap interval over the test set).
    pub ci95: [f64; 2],
    /// Each seed's value, in seed order.
    pub seeds: Vec<f64>,
    /// The first seed's 95 % bootstrap interval over the test set (`None` without bootstrap).
    pub test_bootstrap_ci95: Option<[f64; 2]>,
}

/// A claim of the paper, tested on the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// A short key (`data_efficiency_linear`, …).
    pub key: String,
    /// What is claimed, in words.
    pub statement: String,
    /// Each seed's value of the left side.
    pub left: Vec<f64>,
    /// Each seed's value of the right side.
    pub right: Vec<f64>,
    /// Mean of left − right.
    pub difference: f64,
    /// Its 95 % paired t interval (`None` with fewer than two seeds or no spread).
    pub ci95: Option<[f64; 2]>,
    /// Two-sided p of the paired t test (`None` as for `ci95`).
    pub p_value: Option<f64>,
    /// `holds` (the interval lies above 0), `fails` (the interval lies below 0, or the mean
    /// difference is negative without an interval), or `inconclusive`.
    pub verdict: String,
}

/// The whole comparison's results, as written to `results.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The code's commit.
    pub commit: String,
    /// [`CompareConfig::config_hash`](super::CompareConfig::config_hash).
    pub config_hash: String,
    /// SHA-256 of the text-query file.
    pub text_queries_sha256: String,
    /// The seeds run.
    pub seeds: u64,
    /// Per method: `linear`, `finetune` (fraction → [`SeedStat`]), `retrieval`, `pretrain`.
    pub methods: Map<String, Value>,
    /// The claims.
    pub claims: Vec<Claim>,
}

/// The units of one method, in seed order.
pub(crate) type MethodUnits<'a> = (Method, Vec<&'a UnitResult>);

/// `"1"`, `"10"`, `"100"`, `"0.5"`.
pub fn fraction_key(percent: f64) -> String {
    format!("{percent}")
}

fn seed_stat(values: Vec<f64>, bootstrap: Option<[f64; 2]>) -> Result<SeedStat, CompareError> {
    let summary = mean_sd(&values).map_err(CompareError::eval("mean over seeds"))?;
    let sd = summary.sd.unwrap_or(0.0);
    let ci95 = if values.len() >= 2 {
        let t = t_quantile(0.975, (values.len() - 1) as f64)
            .map_err(CompareError::eval("t quantile"))?;
        let half = t * sd / (values.len() as f64).sqrt();
        [summary.mean - half, summary.mean + half]
    } else {
        bootstrap.unwrap_or([summary.mean, summary.mean])
    };
    Ok(SeedStat {
        mean: summary.mean,
        sd,
        ci95,
        seeds: values,
        test_bootstrap_ci95: bootstrap,
    })
}

/// Mean AUROC per seed of `protocol` (`linear` or `finetune`) at fraction index `k`.
pub(crate) fn protocol_values(units: &[&UnitResult], protocol: &str, k: usize) -> Vec<f64> {
    units
        .iter()
        .map(|u| match protocol {
            "linear" => u.linear[k].mean,
            _ => u.finetune[k].mean,
        })
        .collect()
}

/// Precision@k at index `i` per seed, image→image or text→image.
pub(crate) fn precision_values(units: &[&UnitResult], text: bool, i: usize) -> Vec<f64> {
    units
        .iter()
        .filter_map(|u| u.precision(text))
        .map(|p| p.values[i])
        .collect()
}

fn precision_json(units: &[&UnitResult], text: bool) -> Value {
    let Some(first) = units.first().and_then(|u| u.precision(text)) else {
        return Value::Null;
    };
    let mut object = Map::new();
    for (i, k) in first.ks.iter().enumerate() {
        let values = precision_values(units, text, i);
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        object.insert(format!("p{k}"), json!(mean));
    }
    object.insert("chance".into(), json!(first.chance));
    let seeds: Vec<Vec<f64>> = units
        .iter()
        .filter_map(|u| u.precision(text))
        .map(|p: &Precision| p.values.clone())
        .collect();
    object.insert("seeds".into(), json!(seeds));
    Value::Object(object)
}

/// Gathers the units, method by method (each in seed order), into [`Results`].
pub(crate) fn gather(
    methods: &[MethodUnits],
    fractions: &[f64],
    commit: String,
    config_hash: String,
    text_queries_sha256: String,
    seeds: u64,
) -> Result<Results, CompareError> {
    let mut table = Map::new();
    for (method, units) in methods {
        let mut entry = Map::new();
        for protocol in ["linear", "finetune"] {
            let mut per_fraction = Map::new();
            for (k, &percent) in fractions.iter().enumerate() {
                let bootstrap = units.first().and_then(|u| match protocol {
                    "linear" => u.linear[k].mean_ci95,
                    _ => u.finetune[k].mean_ci95,
                });
                let stat = seed_stat(protocol_values(units, protocol, k), bootstrap)?;
                per_fraction.insert(fraction_key(percent), json!(stat));
            }
            entry.insert(protocol.into(), Value::Object(per_fraction));
        }
        let mut retrieval = Map::new();
        retrieval.insert("image_image".into(), precision_json(units, false));
        if method.has_text() {
            retrieval.insert("text_image".into(), precision_json(units, true));
        }
        entry.insert("retrieval".into(), Value::Object(retrieval));
        let pretrain: Vec<Value> = units
            .iter()
            .filter_map(|u| u.pretrain.as_ref().map(|p| json!(p)))
            .collect();
        if !pretrain.is_empty() {
            entry.insert("pretrain".into(), json!(pretrain));
        }
        table.insert(method.name().into(), Value::Object(entry));
    }
    Ok(Results {
        commit,
        config_hash,
        text_queries_sha256,
        seeds,
        methods: table,
        claims: claims(methods, fractions)?,
    })
}

/// Tests `left − right` across the seeds.
pub(crate) fn claim(
    key: &str,
    statement: String,
    left: Vec<f64>,
    right: Vec<f64>,
) -> Result<Claim, CompareError> {
    let n = left.len().min(right.len());
    let mean = left.iter().zip(&right).map(|(a, b)| a - b).sum::<f64>() / n.max(1) as f64;
    let spread = left
        .iter()
        .zip(&right)
        .any(|(a, b)| ((a - b) - mean).abs() > 1e-15);
    let (ci95, p_value) = if n >= 2 && spread {
        let d = paired_comparison(&left[..n], &right[..n], 0.95)
            .map_err(CompareError::eval(format!("claim {key}")))?;
        (Some([d.lower, d.upper]), Some(d.p_value))
    } else {
        (None, None)
    };
    let verdict = match ci95 {
        Some([lower, _]) if lower > 0.0 => "holds",
        Some([_, upper]) if upper < 0.0 => "fails",
        Some(_) => "inconclusive",
        None if mean > 0.0 => "holds",
        None => "fails",
    };
    Ok(Claim {
        key: key.into(),
        statement,
        left,
        right,
        difference: mean,
        ci95,
        p_value,
        verdict: verdict.into(),
    })
}

/// The paper's claims that the comparison can test; a claim whose methods or fractions were not
/// run is left out.
fn claims(methods: &[MethodUnits], fractions: &[f64]) -> Result<Vec<Claim>, CompareError> {
    let find = |m: Method| methods.iter().find(|(x, _)| *x == m).map(|(_, u)| u);
    let fraction = |p: f64| fractions.iter().position(|&f| (f - p).abs() < 1e-9);
    let mut out = Vec::new();
    if let (Some(convirt), Some(random), Some(k10), Some(k100)) = (
        find(Method::Convirt),
        find(Method::Random),
        fraction(10.0),
        fraction(100.0),
    ) {
        for (protocol, words) in [("linear", "linear probe"), ("finetune", "fine-tuning")] {
            out.push(claim(
                &format!("data_efficiency_{protocol}"),
                format!("{words}: ConVIRT with 10 % of the labels ≥ random init with 100 %"),
                protocol_values(convirt, protocol, k10),
                protocol_values(random, protocol, k100),
            )?);
        }
    }
    if let (Some(convirt), Some(simclr), Some(k1)) =
        (find(Method::Convirt), find(Method::Simclr), fraction(1.0))
    {
        out.push(claim(
            "image_text_beats_image_only",
            "linear probe with 1 % of the labels: ConVIRT > SimCLR".into(),
            protocol_values(convirt, "linear", k1),
            protocol_values(simclr, "linear", k1),
        )?);
    }
    if let Some(convirt) = find(Method::Convirt) {
        let p10 = convirt
            .first()
            .and_then(|u| u.image_image.ks.iter().position(|&k| k == 10));
        if let Some(i) = p10 {
            let chance = convirt[0].image_image.chance;
            let chance_of = |v: &Vec<f64>| vec![chance; v.len()];
            let image = precision_values(convirt, false, i);
            out.push(claim(
                "retrieval_image_image_vs_chance",
                "image→image P@10: ConVIRT > chance".into(),
                image.clone(),
                chance_of(&image),
            )?);
            if let Some(random) = find(Method::Random) {
                out.push(claim(
                    "retrieval_image_image_vs_random",
                    "image→image P@10: ConVIRT > random init".into(),
                    image,
                    precision_values(random, false, i),
                )?);
            }
            let text = precision_values(convirt, true, i);
            if !text.is_empty() {
                out.push(claim(
                    "retrieval_text_image_vs_chance",
                    "text→image P@10: ConVIRT > chance".into(),
                    text.clone(),
                    chance_of(&text),
                )?);
                if let Some(random) = find(Method::Random) {
                    out.push(claim(
                        "retrieval_text_image_vs_random",
                        "text→image P@10: ConVIRT > random init (its untrained text tower)".into(),
                        text,
                        precision_values(random, true, i),
                    )?);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_holds_fails_or_is_inconclusive_by_its_paired_interval() {
        let better = claim(
            "k",
            "s".into(),
            vec![0.80, 0.82, 0.81],
            vec![0.70, 0.71, 0.69],
        )
        .unwrap();
        assert_eq!(better.verdict, "holds");
        assert!((better.difference - 0.11).abs() < 1e-12);
        let d = paired_comparison(&better.left, &better.right, 0.95).unwrap();
        assert_eq!(better.ci95, Some([d.lower, d.upper]));
        assert_eq!(better.p_value, Some(d.p_value));
        let worse = claim(
            "k",
            "s".into(),
            vec![0.70, 0.71, 0.69],
            vec![0.80, 0.82, 0.81],
        )
        .unwrap();
        assert_eq!(worse.verdict, "fails");
        let mixed = claim(
            "k",
            "s".into(),
            vec![0.80, 0.70, 0.76],
            vec![0.75, 0.74, 0.75],
        )
        .unwrap();
        assert_eq!(mixed.verdict, "inconclusive");
        // Without spread or with one seed there is no interval: the sign decides.
        let constant = claim("k", "s".into(), vec![0.3, 0.3], vec![0.1, 0.1]).unwrap();
        assert_eq!((constant.verdict.as_str(), constant.ci95), ("holds", None));
        let single = claim("k", "s".into(), vec![0.1], vec![0.2]).unwrap();
        assert_eq!((single.verdict.as_str(), single.p_value), ("fails", None));
    }

    #[test]
    fn seed_statistics_use_the_t_interval_and_fall_back_to_the_bootstrap() {
        let stat = seed_stat(vec![0.6, 0.7, 0.8], Some([0.5, 0.9])).unwrap();
        assert!((stat.mean - 0.7).abs() < 1e-12 && (stat.sd - 0.1).abs() < 1e-12);
        // t(0.975, 2) = 4.302653: half-width 4.302653 · 0.1 / √3.
        let half = 4.302_652_729_911_275 * 0.1 / 3f64.sqrt();
        assert!((stat.ci95[1] - 0.7 - half).abs() < 1e-9);
        assert_eq!(stat.test_bootstrap_ci95, Some([0.5, 0.9]));
        let one = seed_stat(vec![0.6], Some([0.55, 0.65])).unwrap();
        assert_eq!((one.sd, one.ci95), (0.0, [0.55, 0.65]));
    }
}
