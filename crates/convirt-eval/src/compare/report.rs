//! The comparison's report: `results.json`, `report.md` (the paper's Table 1 shape, the claims,
//! retrieval, pretraining), and the figures `roc-linear.png`, `roc-finetune.png` (plus the
//! retrieval grids the seed-0 units drew).

use std::fmt::Write as _;
use std::path::Path;

use crate::{RocCurve, plot_roc};

use super::results::{MethodUnits, Results, fraction_key, precision_values, protocol_values};
use super::unit::{RocPoints, UnitResult, write_atomically};
use super::{CompareConfig, CompareError};

/// Writes `results.json`, `report.md` and the ROC figures into `out`.
pub(crate) fn write_report(
    out: &Path,
    config: &CompareConfig,
    methods: &[MethodUnits],
    results: &Results,
    command: &str,
) -> Result<(), CompareError> {
    let json_path = out.join("results.json");
    let json =
        serde_json::to_string_pretty(results).map_err(|e| CompareError::io(&json_path, e))?;
    write_atomically(&json_path, &json)?;
    for (name, pick) in [
        (
            "roc-linear.png",
            (|u: &UnitResult| &u.roc_linear) as fn(&UnitResult) -> &RocPoints,
        ),
        ("roc-finetune.png", |u: &UnitResult| &u.roc_finetune),
    ] {
        let curves: Vec<(String, RocCurve)> = methods
            .iter()
            .filter_map(|(m, units)| units.first().map(|u| (m.name().to_string(), pick(u))))
            .map(|(name, points)| {
                let thresholds = vec![0.0; points.fpr.len()];
                let curve = RocCurve {
                    fpr: points.fpr.clone(),
                    tpr: points.tpr.clone(),
                    thresholds,
                };
                (name, curve)
            })
            .collect();
        let borrowed: Vec<(&str, &RocCurve)> =
            curves.iter().map(|(n, c)| (n.as_str(), c)).collect();
        let path = out.join(name);
        plot_roc(&borrowed, &path).map_err(CompareError::eval(path.display().to_string()))?;
    }
    let markdown = markdown(config, methods, results, command);
    write_atomically(&out.join("report.md"), &markdown)
}

fn cell(values: &[f64]) -> String {
    match crate::mean_sd(values) {
        Ok(crate::MeanSd {
            mean, sd: Some(sd), ..
        }) => format!("{mean:.3} ± {sd:.3}"),
        Ok(crate::MeanSd { mean, .. }) => format!("{mean:.3}"),
        Err(_) => "—".into(),
    }
}

fn markdown(
    config: &CompareConfig,
    methods: &[MethodUnits],
    results: &Results,
    command: &str,
) -> String {
    let mut md = String::new();
    let seeds = results.seeds;
    let _ = writeln!(md, "# ConVIRT and its baselines on SynthCXR\n");
    let _ = writeln!(
        md,
        "Reproduce: `{command}`. Commit `{}`, config hash `{}`, text queries SHA-256 `{}`. \
         {seeds} seeds; each cell is the mean ± sd over them of the mean AUROC over the five \
         scored families on the test split of `cls`.\n",
        results.commit,
        &results.config_hash[..12.min(results.config_hash.len())],
        &results.text_queries_sha256[..12.min(results.text_queries_sha256.len())],
    );
    let fractions: Vec<String> = config.fractions.iter().map(|f| fraction_key(*f)).collect();
    let _ = write!(md, "| method |");
    for protocol in ["linear", "fine-tune"] {
        for f in &fractions {
            let _ = write!(md, " {protocol} {f} % |");
        }
    }
    let _ = writeln!(md);
    let _ = writeln!(md, "|---|{}", "---|".repeat(2 * fractions.len()));
    for (method, units) in methods {
        let _ = write!(md, "| {} |", method.name());
        for protocol in ["linear", "finetune"] {
            for k in 0..fractions.len() {
                let _ = write!(md, " {} |", cell(&protocol_values(units, protocol, k)));
            }
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "\n## Claims (paired across the {seeds} seeds, 95 % t interval)\n"
    );
    let _ = writeln!(md, "| claim | left − right | 95 % CI | p | verdict |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for c in &results.claims {
        let ci = c
            .ci95
            .map_or("—".to_string(), |[a, b]| format!("[{a:+.3}, {b:+.3}]"));
        let p = c.p_value.map_or("—".to_string(), |p| format!("{p:.3}"));
        let _ = writeln!(
            md,
            "| {} | {:+.3} | {ci} | {p} | **{}** |",
            c.statement, c.difference, c.verdict
        );
    }
    let _ = writeln!(
        md,
        "\nFirst-seed AUROCs come with a 95 % bootstrap interval over the test set \
         ({} resamples) in `results.json` (`test_bootstrap_ci95`).\n",
        config.bootstrap
    );
    let _ = writeln!(md, "## Retrieval (Precision@k, mean over seeds)\n");
    let _ = write!(md, "| method | direction |");
    for k in &config.ks {
        let _ = write!(md, " P@{k} |");
    }
    let _ = writeln!(md, " chance |");
    let _ = writeln!(md, "|---|---|{}---|", "---|".repeat(config.ks.len()));
    for (method, units) in methods {
        for (text, direction) in [(false, "image→image"), (true, "text→image")] {
            let Some(first) = units.first().and_then(|u| u.precision(text)) else {
                continue;
            };
            let note = if text && !method.has_text() {
                " (untrained text tower, reference only)"
            } else {
                ""
            };
            let _ = write!(md, "| {} | {direction}{note} |", method.name());
            for i in 0..first.ks.len() {
                let _ = write!(md, " {} |", cell(&precision_values(units, text, i)));
            }
            let _ = writeln!(md, " {:.3} |", first.chance);
        }
    }
    let _ = writeln!(md, "\n## Pretraining\n");
    let _ = writeln!(
        md,
        "| method | steps | pairs | validation loss first → last | seconds |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|");
    for (method, units) in methods {
        let records: Vec<_> = units.iter().filter_map(|u| u.pretrain.as_ref()).collect();
        if records.is_empty() {
            continue;
        }
        let mean = |f: &dyn Fn(&super::unit::PretrainRecord) -> Option<f64>| {
            let v: Vec<f64> = records.iter().filter_map(|r| f(r)).collect();
            if v.is_empty() {
                "—".to_string()
            } else {
                format!("{:.3}", v.iter().sum::<f64>() / v.len() as f64)
            }
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} → {} | {} |",
            method.name(),
            records[0].steps,
            records[0].pairs_seen,
            mean(&|r| r.val_loss_first),
            mean(&|r| r.val_loss_last),
            mean(&|r| Some(r.wall_s)),
        );
    }
    let _ = writeln!(md, "\n## Figures\n");
    let _ = writeln!(
        md,
        "ROC curves of seed 0 at {} % of the labels, micro-averaged over the five families \
         (all test scores pooled): ![linear probe](roc-linear.png) ![fine-tuning](roc-finetune.png)\n",
        fractions.first().cloned().unwrap_or_default()
    );
    let _ = writeln!(
        md,
        "Retrieval, seed 0: the first query of each category (one row each, in category order) \
         beside its top 10 candidates, framed green for a hit and red for a miss. Text rows \
         start with a blank tile; their queries are the first of each category in the \
         text-query file.\n"
    );
    for (method, _) in methods {
        let _ = writeln!(
            md,
            "- {}: ![image→image](figures/retrieval-{}-image.png){}",
            method.name(),
            method.name(),
            if method.has_text() {
                format!(
                    " ![text→image](figures/retrieval-{}-text.png)",
                    method.name()
                )
            } else {
                String::new()
            }
        );
    }
    md
}
