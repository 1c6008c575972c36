//! The data path's throughput: decode JPEG files from disk, augment (the paper's five
//! transforms), sample a sentence and tokenize, through [`PairLoader`] with `--threads` workers.
//! Prints one JSON line.
//!
//! ```text
//! cargo run --release --example bench_loader -- --size 224 --batch 32 --threads 1
//! cargo run --release --example bench_loader -- --images DIR --threads 2
//! ```
//!
//! Without `--images`, it writes `--count` 1024² gray JPEGs (a smooth gradient plus noise, about
//! the compressed size of a downsampled chest X-ray) into a temporary folder first. The
//! tokenizer is the fetched MiniLM one (`scripts/fetch-assets.sh`). The consumer only counts the
//! batches, so this is the most the loader can feed a trainer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use convirt::augment::{ConvirtAugment, Image};
use convirt::data::{PairExample, PairLoader, PairLoaderConfig, ReportText};
use convirt::text::{SentenceSampler, TextTokenizer, assets, parse_mimic};

#[derive(Parser)]
#[command(about = "Images/s of the prefetching pair loader from JPEG files")]
struct Args {
    /// A folder of .jpg/.jpeg/.png images [default: generate --count 1024² JPEGs].
    #[arg(long)]
    images: Option<PathBuf>,
    /// Images generated when --images is absent.
    #[arg(long, default_value_t = 256)]
    count: usize,
    /// Side of the generated images.
    #[arg(long, default_value_t = 1024)]
    src: usize,
    /// Output side.
    #[arg(long, default_value_t = 224)]
    size: usize,
    /// Pairs per batch.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Loader worker threads.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Timed epochs over the images.
    #[arg(long, default_value_t = 2)]
    epochs: u64,
}

const REPORT: &str = "FINDINGS: The lungs are clear without focal consolidation. There is no pleural \
effusion or pneumothorax. The cardiomediastinal silhouette is within normal limits. Mild \
degenerative changes are seen in the thoracic spine.\n\nIMPRESSION: No acute cardiopulmonary process.";

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_loader: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let (dir, generated) = match &args.images {
        Some(dir) => (dir.clone(), false),
        None => {
            let dir = std::env::temp_dir().join(format!("convirt-bench-loader-{}", args.src));
            generate(&dir, args.count, args.src)?;
            (dir, true)
        }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no .jpg/.jpeg/.png images", dir.display()));
    }
    let examples: Vec<PairExample> = files
        .iter()
        .enumerate()
        .map(|(k, path)| PairExample {
            group: format!("s{k}"),
            images: vec![path.clone()],
            report: ReportText::Parsed(parse_mimic(REPORT, format!("s{k}"))),
        })
        .collect();
    let tokenizer = assets::require(assets::MINILM_TOKENIZER).map_err(|e| e.to_string())?;
    let tokenizer = TextTokenizer::from_file(tokenizer).map_err(|e| e.to_string())?;
    let config = PairLoaderConfig {
        batch_size: args.batch,
        threads: args.threads,
        prefetch: args.threads + 1,
        ..PairLoaderConfig::default()
    };
    let loader = PairLoader::new(
        examples,
        Arc::new(ConvirtAugment::paper_with_size(args.size)),
        Arc::new(SentenceSampler::new(0)),
        Arc::new(tokenizer),
        config,
    )
    .map_err(|e| e.to_string())?;

    let start = Instant::now();
    let mut pairs = 0usize;
    for epoch in 0..args.epochs {
        for batch in loader.epoch(epoch, 0) {
            pairs += batch.map_err(|e| e.to_string())?.rows();
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let (width, height) = convirt::augment::open(&files[0])
        .map(|i| (i.width(), i.height()))
        .map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::json!({
            "what": "loader",
            "threads": args.threads,
            "images_per_s": pairs as f64 / seconds,
            "pairs": pairs,
            "seconds": seconds,
            "batch": args.batch,
            "size": args.size,
            "source": format!("{width}x{height} {}", if generated { "generated jpeg" } else { "files" }),
            "images": files.len(),
        })
    );
    Ok(())
}

/// Writes `count` `src × src` gray JPEGs (gradient + noise) into `dir`, unless already there.
fn generate(dir: &Path, count: usize, src: usize) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for k in 0..count {
        let path = dir.join(format!("{k:05}.jpg"));
        if path.is_file() {
            continue;
        }
        let noise = Image::noise(src, src, k as u64).map_err(|e| e.to_string())?;
        let data: Vec<u8> = noise
            .to_u8()
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let (x, y) = (i % src, i / src);
                let gradient = 40.0 + 150.0 * (x + y) as f32 / (2 * src) as f32;
                (gradient + (n as f32 - 128.0) / 8.0).clamp(0.0, 255.0) as u8
            })
            .collect();
        let image = Image::from_u8(src, src, data).map_err(|e| e.to_string())?;
        convirt::augment::save(&image, &path).map_err(|e| e.to_string())?;
    }
    Ok(())
}
