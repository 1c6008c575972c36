//! Throughput measurements that print one JSON line each, with the same keys as the PyTorch
//! reference (`shared/reference/torch_ref.py`), so the two can be run side by side.
//!
//! ```text
//! cargo run --release --example bench -- loss --batch 1024
//! cargo run --release --example bench -- text --batch 32
//! cargo run --release --example bench -- augment --src 1024 --size 224 --seconds 5 --threads 1
//! cargo run --release --example bench -- train --arch resnet18 --batch 32 --size 128 --seq 64 \
//!     --text-model ~/.cache/convirt/assets/minilm --frozen 3 --steps 3 --backend flex
//! cargo run --release --example bench -- pipeline --images DIR --reports NLMCXR_reports.tgz \
//!     --text-model ~/.cache/convirt/assets/minilm --arch resnet18 --size 224 --batch 32 --seq 64 \
//!     --frozen 3 --steps 5 --backend flex
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
    /// One ConVIRT optimisation step (ResNet + BERT + heads + loss + Adam) on a fixed random
    /// batch, like `torch_ref.py train`: 3-channel images, full-length random token ids.
    Train {
        #[command(flatten)]
        step: StepArgs,
        /// Timed steps (the median is reported).
        #[arg(long, default_value_t = 5)]
        steps: usize,
    },
    /// One training run four times, on `--steps` distinct random batches from one seed, dropout
    /// off and a random BERT of `--text-shape`: with convirt-kernels' extensions and fused Adam;
    /// with burn's own modules and Adam (`KernelChoice::Burn`); with the extensions and burn's
    /// Adam; and with the extensions again, the first batch's pixels scaled by 1 + 1e-6 (how far
    /// rounding-sized differences alone move the curve). Prints the curves and their largest
    /// differences.
    Curve {
        #[command(flatten)]
        step: StepArgs,
        /// Steps in each run.
        #[arg(long, default_value_t = 100)]
        steps: usize,
        /// Distinct batches, cycled [default: one per step]. With 1 the run fits one batch and
        /// its loss falls; with one per step it stays near ln(batch) (random pairs).
        #[arg(long)]
        distinct: Option<usize>,
    },
    /// End to end from image files on disk: the prefetching loader (decode, augment, sample,
    /// tokenize) feeding the train step, like `torch_ref.py pipeline`.
    Pipeline {
        #[command(flatten)]
        step: StepArgs,
        /// A folder of PNG/JPEG images (searched recursively).
        #[arg(long)]
        images: std::path::PathBuf,
        /// Reports: the IU .tgz (sentences are paired with images arbitrarily).
        #[arg(long)]
        reports: std::path::PathBuf,
        /// Timed steps.
        #[arg(long, default_value_t = 5)]
        steps: usize,
        /// Loader worker threads [default: the thread budget's share].
        #[arg(long)]
        workers: Option<usize>,
    },
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

/// The model and batch shape shared by `train` and `pipeline`.
#[derive(clap::Args)]
struct StepArgs {
    /// resnet18/34/50, densenet121/169, vit_b_16/32 (`train`; `pipeline`: a ResNet).
    #[arg(long, default_value = "resnet50")]
    arch: String,
    /// A BERT folder (config.json, model.safetensors, tokenizer.json) [default: a random BERT of
    /// `--text-shape`].
    #[arg(long)]
    text_model: Option<std::path::PathBuf>,
    /// The shape of the random BERT used without `--text-model`: base or minilm.
    #[arg(long, default_value = "base")]
    text_shape: String,
    /// Frozen BERT layers (the embeddings are always frozen).
    #[arg(long, default_value_t = 3)]
    frozen: usize,
    /// Pairs per step.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Image side.
    #[arg(long, default_value_t = 224)]
    size: usize,
    /// Tokens per sentence.
    #[arg(long, default_value_t = 64)]
    seq: usize,
    /// Untimed warm-up steps.
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// Compute the step's gradient this many pairs at a time with the feature cache (exact).
    #[arg(long)]
    micro: Option<usize>,
    /// Cache the frozen BERT prefix per sentence (convirt-rs's training default; PyTorch's
    /// reference has no such cache). In `train` the batch repeats, so every timed step hits.
    #[arg(long)]
    cache: bool,
}

/// The two-tower model of `torch_ref.py`'s `build`: a 3-channel image tower (`--arch`: ResNet,
/// DenseNet or ViT at `--size`), BERT, heads to 512.
fn bench_model(
    step: &StepArgs,
    device: &burn::tensor::Device,
) -> Result<convirt::towers::BuiltinModel, Box<dyn std::error::Error>> {
    bench_model_with(step, device, false)
}

/// [`bench_model`], with BERT's dropout off when `no_dropout` (then only a random BERT).
fn bench_model_with(
    step: &StepArgs,
    device: &burn::tensor::Device,
    no_dropout: bool,
) -> Result<convirt::towers::BuiltinModel, Box<dyn std::error::Error>> {
    use convirt::encoders::{
        BertConfig, DenseNetConfig, Pooling, ResNetConfig, VitConfig, weights::load_bert,
    };
    use convirt::towers::Family;
    let text = match &step.text_model {
        Some(_) if no_dropout => {
            return Err("the curve runs a random BERT: drop --text-model".into());
        }
        Some(dir) => load_bert(dir, device)?.0,
        None => {
            let mut config = match step.text_shape.as_str() {
                "base" => BertConfig::base(),
                "minilm" => BertConfig::minilm_l6(),
                other => {
                    return Err(format!("--text-shape {other}: expected base or minilm").into());
                }
            };
            if no_dropout {
                config.hidden_dropout_prob = 0.0;
                config.attention_probs_dropout_prob = 0.0;
            }
            config.init(device)
        }
    }
    .with_pooling(Pooling::Max);
    let heads = convirt::train::ConvirtModelConfig::new().with_frozen_layers(step.frozen);
    Ok(match Family::of(&step.arch)? {
        Family::ResNet => {
            let image = ResNetConfig::by_name(&step.arch)?
                .with_in_channels(3)
                .init(device);
            heads.init(image, text, device)?.into()
        }
        Family::DenseNet => {
            let image = DenseNetConfig::by_name(&step.arch)?.init(device);
            heads.init(image, text, device)?.into()
        }
        Family::Vit => {
            let image = VitConfig::by_name(&step.arch)?
                .with_image_size(step.size)
                .init(device)?;
            heads.init(image, text, device)?.into()
        }
    })
}

fn train_bench(
    backend: Backend,
    step: StepArgs,
    steps: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let device = backend.device()?.autodiff();
    device.seed(0);
    let model = bench_model(&step, &device)?;
    let n = step.batch;
    let batch = random_batch(&step, &device.clone().without_autodiff())?;
    let times = convirt::with_model!(model, |m| time_steps(m, &step, &batch, steps, &device))?;
    let med = median(times);
    println!(
        "{}",
        serde_json::json!({
            "what": "train_step",
            "arch": step.arch,
            "bert": step.text_model.as_ref().and_then(|d| d.file_name()).map_or(format!("random-{}", step.text_shape), |f| f.to_string_lossy().into_owned()),
            "batch": n,
            "size": step.size,
            "seq": step.seq,
            "frozen": step.frozen,
            "cache": step.cache,
            "micro": step.micro,
            "backend": backend.to_string(),
            "kernels": format!("{:?}", convirt_kernels::kernel_choice()).to_lowercase(),
            "threads": rayon::current_num_threads(),
            "median_s": (med * 1e4).round() / 1e4,
            "pairs_per_s": ((n as f64 / med) * 1e3).round() / 1e3,
        })
    );
    Ok(())
}

/// Seconds of each timed step (after `--warmup` untimed ones) on the same batch.
/// One batch of random pairs on the host, as `torch_ref.py train` builds it: `[N, 3, S, S]`
/// standard-normal pixels and full-length token ids drawn from 1000..20000.
fn random_batch(
    step: &StepArgs,
    host: &burn::tensor::Device,
) -> Result<convirt::train::HostBatch, Box<dyn std::error::Error>> {
    let n = step.batch;
    let values = |t: Tensor<1>| {
        t.into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .map_err(|e| format!("{e:?}"))
    };
    let images = Tensor::<1>::random(
        [n * 3 * step.size * step.size],
        Distribution::Normal(0.0, 1.0),
        host,
    );
    let ids = Tensor::<1>::random([n * step.seq], Distribution::Uniform(1000.0, 20000.0), host);
    Ok(convirt::train::HostBatch {
        images: values(images)?,
        image_shape: [n, 3, step.size, step.size],
        second_view: None,
        ids: values(ids)?.into_iter().map(|x| x as i64).collect(),
        mask: vec![1; n * step.seq],
        seq_len: step.seq,
    })
}

fn curve_bench(
    backend: Backend,
    step: StepArgs,
    steps: usize,
    distinct: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    use convirt_kernels::{KernelChoice, set_kernel_choice};
    let device = backend.device()?.autodiff();
    let host = device.clone().without_autodiff();
    let distinct = distinct.min(steps);
    // The batches first, from one seed, so that every run sees the same ones.
    device.seed(1);
    let mut batches = Vec::with_capacity(distinct);
    for _ in 0..distinct {
        batches.push(random_batch(&step, &host)?);
    }
    let batches: Vec<_> = batches.iter().cycle().take(steps).cloned().collect();
    // The same batches with the first one's pixels scaled by 1 + 1e-6: how far rounding-sized
    // differences alone carry the curve (the floor the native-against-burn difference is read
    // against).
    let mut nudged = batches.clone();
    for x in &mut nudged[0].images {
        *x *= 1.0 + 1e-6;
    }
    let runs: [(&str, KernelChoice, bool, &[convirt::train::HostBatch]); 4] = [
        ("native", KernelChoice::Native, false, &batches),
        ("burn", KernelChoice::Burn, false, &batches),
        (
            "native_with_burns_adam",
            KernelChoice::Native,
            true,
            &batches,
        ),
        ("native_nudged", KernelChoice::Native, false, &nudged),
    ];
    let mut curves: Vec<(&str, Vec<f32>)> = Vec::with_capacity(runs.len());
    for (name, choice, burns_adam, batches) in runs {
        set_kernel_choice(choice);
        device.seed(0);
        let model = bench_model_with(&step, &device, true)?;
        let mut optimizer = if burns_adam {
            convirt::train::paper_adam().burn().init()
        } else {
            convirt::train::paper_adam().init()
        };
        let curve =
            convirt::with_model!(model, |m| loss_curve(m, &mut optimizer, batches, &device))?;
        curves.push((name, curve));
    }
    set_kernel_choice(KernelChoice::Native);
    let curve = |name: &str| -> &[f32] {
        curves
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, c)| c.as_slice())
    };
    let diff = |a: &str, b: &str| {
        curve(a)
            .iter()
            .zip(curve(b))
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max)
    };
    println!(
        "{}",
        serde_json::json!({
            "what": "kernels_curve",
            "arch": step.arch,
            "bert": format!("random-{}-no-dropout", step.text_shape),
            "batch": step.batch,
            "size": step.size,
            "seq": step.seq,
            "frozen": step.frozen,
            "steps": steps,
            "distinct_batches": distinct,
            "backend": backend.to_string(),
            "native_first": curve("native").first(),
            "native_last": curve("native").last(),
            "burn_last": curve("burn").last(),
            "max_abs_diff_native_burn": diff("native", "burn"),
            "max_abs_diff_adam_only": diff("native", "native_with_burns_adam"),
            "max_abs_diff_towers_only": diff("native_with_burns_adam", "burn"),
            "max_abs_diff_nudged": diff("native", "native_nudged"),
            "curves": curves.iter().map(|(n, c)| (*n, c)).collect::<std::collections::BTreeMap<_, _>>(),
        })
    );
    Ok(())
}

/// The loss of each step of one training run over `batches`, stepped by `optimizer`.
fn loss_curve<I: convirt::encoders::ImageTower, T: convirt::encoders::TextTower>(
    mut model: convirt::train::ConvirtModel<I, T>,
    optimizer: &mut burn::optim::ModuleOptimizer,
    batches: &[convirt::train::HostBatch],
    device: &burn::tensor::Device,
) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    use convirt::train::{Objective, StepContext, host_step};
    let loss = ConvirtLoss::paper();
    let mut curve = Vec::with_capacity(batches.len());
    for (k, batch) in batches.iter().enumerate() {
        let context = StepContext {
            objective: Objective::Convirt,
            loss: &loss,
            cache: None,
            device,
            lr: 1e-4,
            step: k as u64,
        };
        let outcome = host_step(model, optimizer, batch, context);
        model = outcome.model;
        curve.push(outcome.result?.total);
    }
    Ok(curve)
}

fn time_steps<I: convirt::encoders::ImageTower, T: convirt::encoders::TextTower>(
    mut model: convirt::train::ConvirtModel<I, T>,
    step: &StepArgs,
    batch: &convirt::train::HostBatch,
    steps: usize,
    device: &burn::tensor::Device,
) -> Result<Vec<f64>, Box<dyn std::error::Error>> {
    use convirt::encoders::FrozenPrefixCache;
    use convirt::train::{Objective, StepContext, cached_step, host_step, paper_adam};
    let mut optimizer = paper_adam().init();
    let loss = ConvirtLoss::paper();
    let mut cache = step
        .cache
        .then(|| FrozenPrefixCache::new(step.frozen, 1 << 20));
    let mut times = Vec::new();
    for k in 0..step.warmup + steps.max(1) {
        let started = Instant::now();
        let context = StepContext {
            objective: Objective::Convirt,
            loss: &loss,
            cache: cache.as_mut(),
            device,
            lr: 1e-4,
            step: k as u64,
        };
        let outcome = match step.micro {
            Some(m) => cached_step(model, &mut optimizer, batch, m, context),
            None => host_step(model, &mut optimizer, batch, context),
        };
        model = outcome.model;
        outcome.result?;
        if k >= step.warmup {
            times.push(started.elapsed().as_secs_f64());
        }
    }
    Ok(times)
}

fn pipeline_bench(
    backend: Backend,
    step: StepArgs,
    images: std::path::PathBuf,
    reports: std::path::PathBuf,
    steps: usize,
    workers: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    use convirt::augment::{ConvirtAugment, TensorLayout};
    use convirt::data::{PairExample, PairLoader, PairLoaderConfig, ReportText, ThreadBudget};
    use convirt::encoders::FrozenPrefixCache;
    use convirt::text::{ReportSource, SentenceSampler, TextTokenizer};
    use convirt::train::{Objective, StepContext, host_step, paper_adam};
    use std::sync::Arc;
    let files: Vec<_> = convirt::embed::image_files(&images)?
        .into_iter()
        .filter(|f| {
            f.extension()
                .is_some_and(|e| !e.eq_ignore_ascii_case("dcm"))
        })
        .collect();
    let reports: Vec<_> = ReportSource::open(&reports)?
        .read_all()?
        .into_iter()
        .filter(|r| !r.is_empty())
        .collect();
    if files.is_empty() || reports.is_empty() {
        return Err("need at least one image and one non-empty report".into());
    }
    let examples: Vec<PairExample> = files
        .iter()
        .enumerate()
        .map(|(i, f)| PairExample {
            group: format!("{i}"),
            images: vec![f.clone()],
            report: ReportText::Parsed(reports[i % reports.len()].clone()),
        })
        .collect();
    let dir = step
        .text_model
        .clone()
        .ok_or("pipeline needs --text-model (its tokenizer.json)")?;
    let tokenizer = TextTokenizer::from_file(dir.join("tokenizer.json"))?.with_max_len(step.seq)?;
    let threads = workers.unwrap_or(ThreadBudget::detect().loader);
    let loader = PairLoader::new(
        examples,
        Arc::new(ConvirtAugment::paper_with_size(step.size)),
        Arc::new(SentenceSampler::new(0)),
        Arc::new(tokenizer),
        PairLoaderConfig {
            batch_size: step.batch,
            threads,
            prefetch: threads + 1,
            drop_last: true,
            layout: TensorLayout::imagenet(),
            ..PairLoaderConfig::default()
        },
    )?;
    let device = backend.device()?.autodiff();
    device.seed(0);
    let convirt::towers::BuiltinModel::ResNet(mut model) = bench_model(&step, &device)? else {
        return Err("pipeline: --arch must be a ResNet".into());
    };
    let mut optimizer = paper_adam().init();
    let loss = ConvirtLoss::paper();
    let mut cache = step
        .cache
        .then(|| FrozenPrefixCache::new(step.frozen, 1 << 20));
    let (mut pairs, mut started, mut epoch) = (0usize, None, 0u64);
    let mut batches = loader.epoch(epoch, 0);
    for k in 0..step.warmup + steps.max(1) {
        if k == step.warmup {
            started = Some(Instant::now());
        }
        let batch = match batches.next() {
            Some(b) => b?,
            None => {
                epoch += 1;
                batches = loader.epoch(epoch, 0);
                batches.next().ok_or("an epoch without batches")??
            }
        };
        let host = convirt::pretrain::batches::host_batch(batch);
        let outcome = host_step(
            model,
            &mut optimizer,
            &host,
            StepContext {
                objective: Objective::Convirt,
                loss: &loss,
                cache: cache.as_mut(),
                device: &device,
                lr: 1e-4,
                step: k as u64,
            },
        );
        model = outcome.model;
        outcome.result?;
        if k >= step.warmup {
            pairs += host.len();
        }
    }
    let seconds = started.map_or(0.0, |s| s.elapsed().as_secs_f64());
    println!(
        "{}",
        serde_json::json!({
            "what": "pipeline",
            "arch": step.arch,
            "batch": step.batch,
            "size": step.size,
            "workers": threads,
            "images": files.len(),
            "cache": step.cache,
            "backend": backend.to_string(),
            "threads": rayon::current_num_threads(),
            "pairs_per_s": ((pairs as f64 / seconds) * 1e3).round() / 1e3,
        })
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    // As the binaries run: freed tensors reused from the heap on flex (src/allocator.rs).
    convirt::allocator::tune_for(args.backend);
    let result = match args.what {
        What::Train { step, steps } => {
            train_bench(args.backend, step, steps).map_err(|e| e.to_string())
        }
        What::Curve {
            step,
            steps,
            distinct,
        } => curve_bench(args.backend, step, steps, distinct.unwrap_or(steps).max(1))
            .map_err(|e| e.to_string()),
        What::Pipeline {
            step,
            images,
            reports,
            steps,
            workers,
        } => pipeline_bench(args.backend, step, images, reports, steps, workers)
            .map_err(|e| e.to_string()),
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
