//! Renders a few SynthCXR images for a look and times the renderer: `cargo run --release -p
//! convirt-data --example synth_look -- OUT_DIR`.

use std::time::Instant;

use convirt_data::synth::{Family, Finding, LungMasks, Renderer};
use convirt_text_sampler::assets;
use rand::SeedableRng;

/// Renders a few SynthCXR images and times the renderer.
#[derive(clap::Parser)]
#[command(name = "synth_look")]
struct Args {
    /// The folder to write the images to.
    #[arg(default_value = "/tmp/synth-look")]
    out: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = <Args as clap::Parser>::parse().out;
    std::fs::create_dir_all(&out)?;
    let masks = LungMasks::open(assets::require(assets::LUNG_MASKS)?)?;
    println!(
        "{} shapes, {} skipped",
        masks.shapes.len(),
        masks.skipped.count
    );
    let renderer = Renderer::new(masks);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    for (i, family) in Family::ALL.iter().enumerate() {
        let findings = if *family == Family::Normal {
            vec![]
        } else {
            vec![Finding::random(*family, &mut rng)]
        };
        for seed in 0..2u64 {
            let image = renderer.render(&findings, seed, 256);
            convirt_augment::save(&image, format!("{out}/{i}_{}_{seed}.png", family.name()))?;
        }
    }
    let n = 200;
    let start = Instant::now();
    for seed in 0..n {
        std::hint::black_box(renderer.render(&[], seed, 256));
    }
    let s = start.elapsed().as_secs_f64();
    println!(
        "render 256²: {:.2} ms/image, {:.0} images/s",
        s * 1e3 / n as f64,
        n as f64 / s
    );
    Ok(())
}
