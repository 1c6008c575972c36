//! ConVIRT's loss inside your own burn training loop, on a toy paired dataset.
//!
//! Two "modalities" are noisy, differently-mixed views of one hidden 16-d cause: an "image"
//! feature of 64 values and a "report" feature of 32. Two projection heads (Linear–ReLU–Linear,
//! as ConVIRT's g_v and g_u) are trained with `ConvirtLoss::paper()` and Adam; held-out
//! text→image retrieval shows what the loss teaches. It runs in seconds on the CPU:
//!
//! ```text
//! cargo run --release --example contrastive_demo
//! ```
//!
//! The last line is JSON: top-1 and top-5 text→image retrieval before and after training.

use std::time::Instant;

use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::optim::GradientsParams;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use convirt::Backend;
use convirt::loss::{ContrastiveLoss, ConvirtLoss};
use convirt::train::paper_adam;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const LATENT: usize = 16;
const IMAGE: usize = 64;
const TEXT: usize = 32;
const EMBED: usize = 32;
const BATCH: usize = 32;
const STEPS: usize = 400;
const HELD_OUT: usize = 256;

/// g_v and g_u: Linear–ReLU–Linear heads into a shared space.
#[derive(Module, Debug)]
struct Heads {
    image_1: Linear,
    image_2: Linear,
    text_1: Linear,
    text_2: Linear,
}

impl Heads {
    fn new(device: &Device) -> Self {
        Self {
            image_1: LinearConfig::new(IMAGE, 128).init(device),
            image_2: LinearConfig::new(128, EMBED).init(device),
            text_1: LinearConfig::new(TEXT, 128).init(device),
            text_2: LinearConfig::new(128, EMBED).init(device),
        }
    }

    fn forward(&self, image: Tensor<2>, text: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let v = self.image_2.forward(relu(self.image_1.forward(image)));
        let u = self.text_2.forward(relu(self.text_1.forward(text)));
        (v, u)
    }
}

/// A source of paired toy features sharing a hidden cause.
struct Pairs {
    rng: StdRng,
    image_mix: Vec<f32>,
    text_mix: Vec<f32>,
}

impl Pairs {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let image_mix = (0..LATENT * IMAGE).map(|_| gauss(&mut rng)).collect();
        let text_mix = (0..LATENT * TEXT).map(|_| gauss(&mut rng)).collect();
        Self {
            rng,
            image_mix,
            text_mix,
        }
    }

    /// `n` pairs: image = tanh(z·A) + noise, text = z·B + noise.
    fn batch(&mut self, n: usize, device: &Device) -> (Tensor<2>, Tensor<2>) {
        let mut image = Vec::with_capacity(n * IMAGE);
        let mut text = Vec::with_capacity(n * TEXT);
        for _ in 0..n {
            let z: Vec<f32> = (0..LATENT).map(|_| gauss(&mut self.rng)).collect();
            for (j, out) in [(IMAGE, &mut image), (TEXT, &mut text)] {
                let mix = if j == IMAGE {
                    &self.image_mix
                } else {
                    &self.text_mix
                };
                for c in 0..j {
                    let x: f32 = (0..LATENT).map(|k| z[k] * mix[k * j + c]).sum::<f32>() * 0.25;
                    let x = if j == IMAGE { x.tanh() } else { x };
                    out.push(x + 0.3 * gauss(&mut self.rng));
                }
            }
        }
        (
            Tensor::from_data(TensorData::new(image, [n, IMAGE]), device),
            Tensor::from_data(TensorData::new(text, [n, TEXT]), device),
        )
    }
}

fn gauss(rng: &mut StdRng) -> f32 {
    let (a, b): (f32, f32) = (rng.random::<f32>().max(1e-7), rng.random());
    (-2.0 * a.ln()).sqrt() * (std::f32::consts::TAU * b).cos()
}

/// Fraction of reports whose own image ranks in the top `k` by cosine similarity.
fn text_to_image_top_k(v: Tensor<2>, u: Tensor<2>, k: usize) -> f64 {
    let n = v.dims()[0];
    let norm = |x: Tensor<2>| x.clone() / x.square().sum_dim(1).sqrt().clamp_min(1e-12);
    let sim = norm(u).matmul(norm(v).transpose());
    let sim: Vec<f32> = sim
        .into_data()
        .convert::<f32>()
        .try_into_vec()
        .expect("f32");
    let hits = (0..n)
        .filter(|&i| {
            let row = &sim[i * n..(i + 1) * n];
            row.iter().filter(|&&s| s > row[i]).count() < k
        })
        .count();
    hits as f64 / n as f64
}

/// Takes no arguments; `--help` says what it does.
#[derive(clap::Parser, Debug)]
#[command(
    name = "contrastive_demo",
    about = "ConVIRT's loss inside your own burn training loop, on a toy paired dataset"
)]
struct Args {}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Args {} = <Args as clap::Parser>::parse();
    let backend = Backend::from_env()?;
    let device = backend.device()?.autodiff();
    device.seed(0);
    let mut train = Pairs::new(1);
    let mut test = Pairs {
        rng: StdRng::seed_from_u64(2),
        ..Pairs::new(1)
    };
    let (test_image, test_text) = test.batch(HELD_OUT, &device);

    let mut heads = Heads::new(&device);
    let loss = ConvirtLoss::paper();
    // ConVIRT's Adam (PyTorch semantics: ε = 1e-8, coupled L2 decay 1e-6); the toy task uses a
    // larger learning rate than the paper's 1e-4 to finish in seconds.
    let mut optim = paper_adam().init();

    let evaluate = |heads: &Heads| {
        let heads = heads.valid();
        let (v, u) = heads.forward(test_image.clone().inner(), test_text.clone().inner());
        (
            text_to_image_top_k(v.clone(), u.clone(), 1),
            text_to_image_top_k(v, u, 5),
        )
    };
    let (top1_before, top5_before) = evaluate(&heads);
    println!(
        "backend {backend}: before training, text→image top-1 {top1_before:.3}, top-5 {top5_before:.3} (chance {:.3})",
        1.0 / HELD_OUT as f64
    );

    let start = Instant::now();
    for step in 1..=STEPS {
        let (image, text) = train.batch(BATCH, &device);
        let (v, u) = heads.forward(image, text);
        let out = loss.forward(v, u)?;
        if step % 100 == 0 {
            println!(
                "step {step:4}: loss {:.4} (image→text {:.4}, text→image {:.4})",
                out.total.clone().into_scalar::<f32>(),
                out.image_to_text
                    .clone()
                    .expect("directional")
                    .into_scalar::<f32>(),
                out.text_to_image
                    .clone()
                    .expect("directional")
                    .into_scalar::<f32>(),
            );
        }
        let grads = GradientsParams::from_grads(out.total.backward(), &heads);
        heads = optim.step(1e-3, heads, grads);
    }
    let train_s = start.elapsed().as_secs_f64();
    let (top1, top5) = evaluate(&heads);
    println!("after {STEPS} steps ({train_s:.1} s): text→image top-1 {top1:.3}, top-5 {top5:.3}");
    println!(
        "{}",
        serde_json::json!({
            "what": "contrastive_demo",
            "backend": backend.to_string(),
            "steps": STEPS,
            "train_s": train_s,
            "top1_before": top1_before,
            "top5_before": top5_before,
            "top1_after": top1,
            "top5_after": top5,
            "chance_top1": 1.0 / HELD_OUT as f64,
        })
    );
    Ok(())
}
