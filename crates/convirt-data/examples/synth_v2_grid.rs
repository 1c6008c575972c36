//! A sample grid of SynthCXR v2: one row per category (Normal, then the seventeen finding
//! families, each drawn as the `cls` set draws it; or, with `retrieval`, the eight retrieval
//! categories), one column per chest seed, so a column shows the same chest with each finding.
//! `cargo run --release --example synth_v2_grid -- OUT.png [SIZE] [COLUMNS] [SCALE]
//! [all|retrieval]` (default 64 px, 8 columns, ×2, all).

use convirt_data::synth::LungMasks;
use convirt_data::synth::v2::mesh::random_finding;
use convirt_data::synth::v2::{Family, RETRIEVAL, Renderer};
use convirt_text_sampler::assets;
use rand::SeedableRng;

/// A sample grid of SynthCXR v2, one row per category, one column per chest seed.
#[derive(clap::Parser)]
#[command(name = "synth_v2_grid")]
struct Args {
    /// The PNG to write.
    #[arg(default_value = "/tmp/synth_v2_grid.png")]
    out: String,
    /// Image side in pixels.
    #[arg(default_value_t = 64)]
    size: usize,
    /// Chest seeds (columns).
    #[arg(default_value_t = 8)]
    columns: usize,
    /// Pixel scale of each cell.
    #[arg(default_value_t = 2)]
    scale: usize,
    /// `all` (Normal and the seventeen families) or `retrieval` (the eight retrieval categories).
    #[arg(default_value = "all", value_parser = ["all", "retrieval"])]
    rows: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Args {
        out,
        size,
        columns,
        scale,
        rows,
    } = <Args as clap::Parser>::parse();
    let rows: Vec<Family> = match rows.as_str() {
        "retrieval" => RETRIEVAL.to_vec(),
        _ => Family::ALL.to_vec(),
    };
    let renderer = Renderer::new(LungMasks::open(assets::require(assets::LUNG_MASKS)?)?);
    let cell = size * scale;
    let (w, h) = (columns * cell, rows.len() * cell);
    let mut grid = image::GrayImage::new(w as u32, h as u32);
    for (row, family) in rows.iter().enumerate() {
        for col in 0..columns {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64((row * 1000 + col) as u64);
            let findings = if *family == Family::Normal {
                vec![]
            } else {
                vec![random_finding(*family, &mut rng)]
            };
            let image = renderer.render(&findings, 100 + col as u64, size);
            for y in 0..cell {
                for x in 0..cell {
                    let v = image.get(x / scale, y / scale);
                    let px = image::Luma([(v * 255.0).round() as u8]);
                    grid.put_pixel((col * cell + x) as u32, (row * cell + y) as u32, px);
                }
            }
        }
        println!("row {row}: {}", family.name());
    }
    grid.save(&out)?;
    println!("{out}: {w}×{h}");
    Ok(())
}
