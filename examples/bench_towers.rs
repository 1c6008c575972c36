//! Tower throughput: ResNet images/s (forward, or forward + backward) and BERT sentences/s, one
//! JSON line per run, with the same keys as `tools/bench_towers.py` (PyTorch) for side-by-side runs:
//!
//! ```text
//! cargo run --release --example bench_towers -- --model resnet50 --mode train --batch 8 --size 224
//! cargo run --release --example bench_towers -- --model minilm --bert-config DIR/config.json --batch 32 --seq 64
//! ```

use std::path::PathBuf;
use std::time::Instant;

use burn::tensor::{Distribution, Int, Tensor};
use clap::Parser;
use convirt::Backend;
use convirt::encoders::FrozenPrefixCache;
use convirt::encoders::{BertConfig, ImageEncoder, ResNetConfig, TextEncoder};

#[derive(Parser)]
struct Args {
    /// resnet18, resnet34, resnet50 or minilm (any BERT, shaped by --bert-config).
    #[arg(long)]
    model: String,
    /// `infer` (forward, no graph) or `train` (forward + backward).
    #[arg(long, default_value = "infer")]
    mode: String,
    /// Batch size.
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Image side.
    #[arg(long, default_value_t = 224)]
    size: usize,
    /// Sequence length.
    #[arg(long, default_value_t = 64)]
    seq: usize,
    /// BERT config.json (for --model minilm).
    #[arg(long)]
    bert_config: Option<PathBuf>,
    /// BERT: freeze the embeddings and this many bottom layers (train mode only).
    #[arg(long, default_value_t = 0)]
    frozen: usize,
    /// BERT: serve the frozen bottom from a per-sentence cache (`FrozenPrefixCache`), warm.
    #[arg(long)]
    cache: bool,
    /// Timed steps.
    #[arg(long, default_value_t = 3)]
    steps: usize,
    /// Backend.
    #[arg(long, default_value = "flex")]
    backend: Backend,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = Args::parse();
    let train = match a.mode.as_str() {
        "infer" => false,
        "train" => true,
        other => return Err(format!("--mode {other}: expected infer or train").into()),
    };
    convirt::allocator::tune_for(a.backend);
    let base = a.backend.device()?;
    let device = if train { base.autodiff() } else { base };
    device.seed(0);
    let step: Box<dyn Fn() -> f32> = if a.model.starts_with("resnet") {
        let net = ResNetConfig::by_name(&a.model)?.init(&device);
        let x = Tensor::<4>::random(
            [a.batch, 3, a.size, a.size],
            Distribution::Normal(0.0, 1.0),
            &device,
        );
        Box::new(move || {
            let h = net.encode_images(x.clone()).sum();
            if train {
                let grads = h.backward();
                let g = net.conv1.weight.val().grad(&grads).expect("grad");
                g.sum().into_scalar::<f32>()
            } else {
                h.into_scalar::<f32>()
            }
        })
    } else {
        let path = a
            .bert_config
            .clone()
            .ok_or("--bert-config is required for BERT")?;
        let bert = BertConfig::from_file(&path)?
            .init(&device)
            .freeze_bottom(a.frozen)?;
        let ids = Tensor::<2, Int>::random(
            [a.batch, a.seq],
            Distribution::Uniform(1000.0, 20000.0),
            &device,
        );
        let mask = Tensor::<2, Int>::ones([a.batch, a.seq], &device);
        let sentences: Vec<Vec<i64>> = ids
            .to_data()
            .convert::<i64>()
            .try_into_vec::<i64>()?
            .chunks(a.seq)
            .map(<[i64]>::to_vec)
            .collect();
        let cache = std::cell::RefCell::new(FrozenPrefixCache::new(a.frozen, usize::MAX));
        let use_cache = a.cache;
        let dev = device.clone();
        Box::new(move || {
            let h = if use_cache {
                let mut cache = cache.borrow_mut();
                cache
                    .encode_text(&bert, &sentences, &dev)
                    .expect("cached encode")
                    .sum()
            } else {
                bert.encode_text(ids.clone(), mask.clone()).sum()
            };
            if train {
                let grads = h.backward();
                let top = bert.encoder.layer.last().expect("a layer");
                let g = top
                    .intermediate
                    .dense
                    .weight
                    .val()
                    .grad(&grads)
                    .expect("grad");
                g.sum().into_scalar::<f32>()
            } else {
                h.into_scalar::<f32>()
            }
        })
    };
    step();
    let mut times: Vec<f64> = (0..a.steps.max(1))
        .map(|_| {
            let t = Instant::now();
            step();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{}",
        serde_json::json!({
            "what": "towers",
            "impl": format!("convirt-rs/{}", a.backend),
            "model": a.model,
            "mode": a.mode,
            "batch": a.batch,
            "size": a.size,
            "seq": a.seq,
            "frozen": a.frozen,
            "cache": a.cache,
            "median_s": median,
            "items_per_s": a.batch as f64 / median,
        })
    );
    Ok(())
}
