//! Throughput measurements that print one JSON line each, with the same keys as the PyTorch
//! reference (`shared/reference/torch_ref.py`), so the two can be run side by side.
//!
//! ```text
//! cargo run --release --example bench -- loss --batch 1024
//! ```

use std::process::ExitCode;
use std::time::Instant;

use burn::tensor::{Distribution, Tensor};
use clap::{Parser, Subcommand};
use convirt::Backend;
use convirt::loss::{ContrastiveLoss, ConvirtLoss};

#[derive(Parser)]
#[command(about = "Benchmarks with the PyTorch reference's output format")]
struct Args {
    /// Backend: flex, tch, wgpu, wgpu:cpu, cuda[:N].
    #[arg(long, global = true, default_value = "flex")]
    backend: Backend,
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// ConVIRT loss, forward + backward, on random `[batch, dim]` embeddings.
    Loss {
        /// Batch size N.
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Embedding size d.
        #[arg(long, default_value_t = 512)]
        dim: usize,
        /// Timed repetitions (at least 5).
        #[arg(long, default_value_t = 20)]
        steps: usize,
        /// Untimed warm-up repetitions.
        #[arg(long, default_value_t = 3)]
        warmup: usize,
    },
}

fn median(mut t: Vec<f64>) -> f64 {
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn loss_bench(
    backend: Backend,
    batch: usize,
    dim: usize,
    steps: usize,
    warmup: usize,
) -> Result<(), String> {
    let device = backend.device().map_err(|e| e.to_string())?.autodiff();
    device.seed(0);
    let v =
        Tensor::<2>::random([batch, dim], Distribution::Normal(0.0, 1.0), &device).require_grad();
    let u =
        Tensor::<2>::random([batch, dim], Distribution::Normal(0.0, 1.0), &device).require_grad();
    let loss = ConvirtLoss::paper().with_finite_check(false);
    let step = || -> Result<f32, String> {
        let out = loss
            .forward(v.clone(), u.clone())
            .map_err(|e| e.to_string())?;
        let grads = out.total.backward();
        // Reading a gradient back forces the backward pass to finish on lazy backends.
        let g = v.grad(&grads).ok_or("no gradient for v")?;
        Ok(g.sum().into_scalar::<f32>() + out.total.into_scalar::<f32>())
    };
    for _ in 0..warmup {
        step()?;
    }
    let mut times = Vec::new();
    for _ in 0..steps.max(5) {
        let start = Instant::now();
        step()?;
        times.push(start.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({
            "what": "loss",
            "backend": backend.to_string(),
            "batch": batch,
            "dim": dim,
            "threads": threads(),
            "median_s": median(times),
        })
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.what {
        What::Loss {
            batch,
            dim,
            steps,
            warmup,
        } => loss_bench(args.backend, batch, dim, steps, warmup),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
