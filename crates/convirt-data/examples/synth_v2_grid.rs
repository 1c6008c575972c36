//! A sample grid of SynthCXR v2: one row per category (Normal, then the fifteen finding
//! families, each drawn as the `cls` set draws it; or, with `retrieval`, the eight retrieval
//! categories), one column per chest seed, so a column shows the same chest with each finding.
//! `cargo run --release --example synth_v2_grid -- OUT.png [SIZE] [COLUMNS] [SCALE]
//! [all|retrieval]` (default 64 px, 8 columns, ×2, all).

use convirt_data::synth::LungMasks;
use convirt_data::synth::v2::mesh::random_finding;
use convirt_data::synth::v2::{Family, RETRIEVAL, Renderer};
use convirt_text_sampler::assets;
use rand::SeedableRng;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "/tmp/synth_v2_grid.png".into());
    let size: usize = args.get(2).map_or(Ok(64), |s| s.parse())?;
    let columns: usize = args.get(3).map_or(Ok(8), |s| s.parse())?;
    let scale: usize = args.get(4).map_or(Ok(2), |s| s.parse())?;
    let rows: Vec<Family> = match args.get(5).map(String::as_str) {
        Some("retrieval") => RETRIEVAL.to_vec(),
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
