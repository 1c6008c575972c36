//! The evaluation core end to end on synthetic cached features, with timings:
//! label-fraction subsets → linear probe → mean AUROC with bootstrap CIs → ROC plot, then a
//! retrieval run → precision@k → retrieval grid.
//!
//! `cargo run --release -p convirt-eval --example eval_demo -- [OUT_DIR] [N] [DIM]`
//! (defaults: the system temp dir, 4000 examples, 256 features).

use std::time::Instant;

use convirt_eval::{
    BootstrapConfig, GrayView, LinearProbe, Matrix, ProbeConfig, Targets, bootstrap_auroc,
    combination_strata, mean_auroc, nested_subsets, plot_roc, precision_at_k, rank_candidates,
    retrieval_grid, roc_curve,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const LABELS: usize = 5;

/// The evaluation core end to end on synthetic cached features, with timings.
#[derive(clap::Parser)]
#[command(name = "eval_demo")]
struct Args {
    /// The folder for the plots [default: the system temp dir].
    out: Option<std::path::PathBuf>,
    /// Examples.
    #[arg(default_value_t = 4000)]
    n: usize,
    /// Feature size.
    #[arg(default_value_t = 256)]
    dim: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = <Args as clap::Parser>::parse();
    let out: std::path::PathBuf = args.out.unwrap_or_else(std::env::temp_dir);
    let (n, dim) = (args.n, args.dim);
    std::fs::create_dir_all(&out)?;
    let mut rng = ChaCha8Rng::seed_from_u64(1);

    // Features with a label signal in the first LABELS dimensions; half train, half test.
    let mut features = vec![0f32; 2 * n * dim];
    let mut labels = vec![false; 2 * n * LABELS];
    for i in 0..2 * n {
        for j in 0..LABELS {
            labels[i * LABELS + j] = rng.random::<f64>() < 0.1 + 0.08 * j as f64;
        }
        for k in 0..dim {
            let signal = if k < LABELS && labels[i * LABELS + k] {
                0.8
            } else {
                0.0
            };
            features[i * dim + k] = (rng.random::<f32>() - 0.5) * 3.0 + signal;
        }
    }
    let (train_x, test_x) = features.split_at(n * dim);
    let (train_y, test_y) = labels.split_at(n * LABELS);

    let strata = combination_strata(Matrix::new(train_y, LABELS, "labels")?, &[])?;
    let subsets = nested_subsets(&strata, &[0.01, 0.1, 1.0], 0)?;
    let test_x = Matrix::new(test_x, dim, "test")?;
    let test_y = Matrix::new(test_y, LABELS, "test labels")?;
    for subset in &subsets {
        let x: Vec<f32> = subset
            .iter()
            .flat_map(|&i| train_x[i * dim..(i + 1) * dim].iter().copied())
            .collect();
        let y: Vec<bool> = subset
            .iter()
            .flat_map(|&i| train_y[i * LABELS..(i + 1) * LABELS].iter().copied())
            .collect();
        let start = Instant::now();
        let fitted = LinearProbe::fit(
            Matrix::new(&x, dim, "train")?,
            Targets::MultiLabel(Matrix::new(&y, LABELS, "labels")?),
            ProbeConfig::default(),
        );
        let (probe, reports) = match fitted {
            Ok(fit) => fit,
            Err(e) => {
                println!("{:>5} examples: no probe ({e})", subset.len());
                continue;
            }
        };
        let fit_s = start.elapsed().as_secs_f64();
        let p = probe.predict_proba(test_x)?;
        let m = mean_auroc(Matrix::new(&p, LABELS, "p")?, test_y)?;
        let iterations: Vec<usize> = reports.iter().map(|r| r.iterations).collect();
        println!(
            "{:>5} examples: fit {fit_s:.3} s (L-BFGS iterations {iterations:?}), mean AUROC {:.4}, per label {:.3?}",
            subset.len(),
            m.mean,
            m.per_label
        );
        if subset.len() == n {
            let mut curves = Vec::new();
            for j in 0..LABELS {
                let scores: Vec<f64> = (0..test_x.rows()).map(|i| p[i * LABELS + j]).collect();
                let truth = test_y.column(j);
                let start = Instant::now();
                let ci = bootstrap_auroc(&scores, &truth, BootstrapConfig::default())?;
                println!(
                    "  label {j}: AUROC {:.4} [{:.4}, {:.4}] (1000 resamples, {:.3} s)",
                    ci.estimate,
                    ci.lower,
                    ci.upper,
                    start.elapsed().as_secs_f64()
                );
                curves.push((format!("label {j}"), roc_curve(&scores, &truth)?));
            }
            let named: Vec<(&str, &_)> = curves.iter().map(|(s, c)| (s.as_str(), c)).collect();
            plot_roc(&named, out.join("roc.png"))?;
        }
    }

    // Retrieval: 8 categories × 200 candidates, 8 × 5 queries, embeddings near category centres.
    let (categories, d) = (8, 64);
    let centres: Vec<f32> = (0..categories * d)
        .map(|_| rng.random::<f32>() - 0.5)
        .collect();
    let embed = |rng: &mut ChaCha8Rng, c: usize| -> Vec<f32> {
        (0..d)
            .map(|k| centres[c * d + k] + (rng.random::<f32>() - 0.5) * 3.5)
            .collect()
    };
    let candidate_categories: Vec<usize> = (0..categories * 200).map(|i| i / 200).collect();
    let candidates: Vec<f32> = candidate_categories
        .iter()
        .flat_map(|&c| embed(&mut rng, c))
        .collect();
    let one_hot: Vec<bool> = candidate_categories
        .iter()
        .flat_map(|&c| (0..categories).map(move |k| k == c))
        .collect();
    let query_categories: Vec<usize> = (0..categories * 5).map(|i| i / 5).collect();
    let queries: Vec<f32> = query_categories
        .iter()
        .flat_map(|&c| embed(&mut rng, c))
        .collect();
    let queries = Matrix::new(&queries, d, "queries")?;
    let candidates = Matrix::new(&candidates, d, "candidates")?;
    let start = Instant::now();
    let report = precision_at_k(
        queries,
        &query_categories,
        candidates,
        Matrix::new(&one_hot, categories, "labels")?,
        &[5, 10, 50],
    )?;
    println!(
        "retrieval 40 queries × 1600 candidates: P@5/10/50 {:.3?} (chance {:.3}), {:.3} s",
        report.mean,
        report.mean_chance,
        start.elapsed().as_secs_f64()
    );

    // A grid of the first query of three categories and their top 5, drawn as gray patterns.
    let top = rank_candidates(queries, candidates, 5)?;
    let picture = |c: usize| -> Vec<u8> {
        (0..48 * 48)
            .map(|i| ((i % 48 * (c + 1) * 5 + i / 48 * 3) % 256) as u8)
            .collect()
    };
    let pictures: Vec<Vec<u8>> = (0..categories).map(picture).collect();
    let view = |c: usize| GrayView {
        width: 48,
        height: 48,
        pixels: &pictures[c],
    };
    let rows = [0, 5 * 3, 5 * 6];
    let query_views: Vec<GrayView> = rows.iter().map(|&q| view(query_categories[q])).collect();
    let retrieved: Vec<Vec<GrayView>> = rows
        .iter()
        .map(|&q| {
            top[q]
                .iter()
                .map(|&j| view(candidate_categories[j]))
                .collect()
        })
        .collect();
    let hits: Vec<Vec<bool>> = rows
        .iter()
        .map(|&q| {
            top[q]
                .iter()
                .map(|&j| candidate_categories[j] == query_categories[q])
                .collect()
        })
        .collect();
    retrieval_grid(
        &query_views,
        &retrieved,
        &hits,
        out.join("retrieval_grid.png"),
    )?;
    println!(
        "wrote {} and {}",
        out.join("roc.png").display(),
        out.join("retrieval_grid.png").display()
    );
    Ok(())
}
