//! Throughput measurements that print one JSON line each, with the same keys as the PyTorch
//! reference (`shared/reference/torch_ref.py`), so the two can be run side by side.
//!
//! ```text
//! cargo run --release --example bench -- loss --batch 1024
//! cargo run --release --example bench -- text --batch 32
//! cargo run --release --example bench -- augment --src 1024 --size 224 --seconds 5 --threads 1
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
    /// Reports per second through parse + split + sample + tokenize (+ move to the device).
    Text {
        /// Reports: IU .tgz, folder, MIMIC files/ tree or CheXpert Plus CSV [default: the
        /// fetched IU archive].
        #[arg(long)]
        reports: Option<std::path::PathBuf>,
        /// A tokenizer.json [default: the fetched MiniLM one].
        #[arg(long)]
        tokenizer: Option<std::path::PathBuf>,
        /// Sentences per tokenized batch.
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Timed passes over all reports (the median is reported).
        #[arg(long, default_value_t = 3)]
        epochs: usize,
    },
    /// The paper's five-transform augmentation on random 8-bit gray `src × src` images.
    Augment {
        /// Source side in pixels.
        #[arg(long, default_value_t = 512)]
        src: usize,
        /// Output side in pixels.
        #[arg(long, default_value_t = 224)]
        size: usize,
        /// Seconds to run for.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Worker threads (a rayon pool of this size).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
}

/// Runs the full augmentation on 16 random images, batch after batch, for `seconds`.
fn augment_bench(src: usize, size: usize, seconds: f64, threads: usize) -> Result<(), String> {
    use convirt::augment::{ConvirtAugment, Image, augment_batch};
    let images = (0..16)
        .map(|i| Image::noise(src, src, i).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let augment = ConvirtAugment::paper_with_size(size);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| e.to_string())?;
    let (n, dt) = pool.install(|| {
        let mut n = 0u64;
        augment_batch(&augment, &images, 0, 0, 0); // warm-up
        let start = Instant::now();
        while start.elapsed().as_secs_f64() < seconds {
            n += augment_batch(&augment, &images, 0, 1, n).len() as u64;
        }
        (n, start.elapsed().as_secs_f64())
    });
    println!(
        "{}",
        serde_json::json!({
            "what": "augment",
            "src": src,
            "size": size,
            "threads": threads,
            "images_per_s": (n as f64 / dt * 10.0).round() / 10.0,
        })
    );
    Ok(())
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

fn text_bench(
    backend: Backend,
    reports: Option<std::path::PathBuf>,
    tokenizer: Option<std::path::PathBuf>,
    batch: usize,
    epochs: usize,
) -> Result<(), String> {
    use convirt::text::{ReportSource, SentenceSampler, TextSampler, TextTokenizer, assets};
    let device = backend.device().map_err(|e| e.to_string())?;
    let asset = |given: Option<std::path::PathBuf>, default: &str| match given {
        Some(p) => Ok(p),
        None => assets::require(default).map_err(|e| e.to_string()),
    };
    let source =
        ReportSource::open(asset(reports, assets::IU_REPORTS)?).map_err(|e| e.to_string())?;
    let tokenizer = TextTokenizer::from_file(asset(tokenizer, assets::MINILM_TOKENIZER)?)
        .map_err(|e| e.to_string())?;
    let sampler = SentenceSampler::new(0);
    let (mut parse, mut rest, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut count = 0;
    for epoch in 0..epochs.max(1) as u64 {
        let start = Instant::now();
        let parsed = source.read_all().map_err(|e| e.to_string())?;
        let parsed_at = Instant::now();
        let texts: Vec<String> = parsed
            .iter()
            .enumerate()
            .filter_map(|(i, r)| sampler.sample(r, epoch, i as u64))
            .collect();
        let mut tokens = 0usize;
        for chunk in texts.chunks(batch.max(1)) {
            let t = tokenizer
                .encode(chunk)
                .map_err(|e| e.to_string())?
                .to_tensors(&device);
            tokens += t.mask.sum().into_scalar::<i64>() as usize;
        }
        let end = Instant::now();
        if tokens == 0 {
            return Err("no tokens".into());
        }
        count = parsed.len();
        parse.push((parsed_at - start).as_secs_f64());
        rest.push((end - parsed_at).as_secs_f64());
        total.push((end - start).as_secs_f64());
    }
    let total_s = median(total);
    println!(
        "{}",
        serde_json::json!({
            "what": "text",
            "backend": backend.to_string(),
            "reports": count,
            "batch": batch,
            "max_len": tokenizer.max_len(),
            "threads": threads(),
            "parse_s": median(parse),
            "split_sample_tokenize_s": median(rest),
            "median_s": total_s,
            "reports_per_s": count as f64 / total_s,
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
        What::Text {
            reports,
            tokenizer,
            batch,
            epochs,
        } => text_bench(args.backend, reports, tokenizer, batch, epochs),
        What::Augment {
            src,
            size,
            seconds,
            threads,
        } => augment_bench(src, size, seconds, threads),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
