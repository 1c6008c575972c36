//! Writes a 4×4 grid of one chest-like image under 16 random draws of the paper's augmentation,
//! with the source in the top-left cell, to `docs/img/augment_grid.png` (or the path given).
//!
//! ```text
//! cargo run --release --example augment_grid [-- OUT.png [IMAGE]]
//! ```

use std::process::ExitCode;

use convirt::augment::{AugmentError, ConvirtAugment, Image, Resize, augment_batch, open, save};

/// A synthetic frontal chest film: bright body, dark lungs, spine, heart shadow, ribs, clavicles,
/// and an "L" marker in one corner so flips and turns are easy to see.
fn synthetic_chest(w: usize, h: usize) -> Image {
    let mut v = vec![0.08f32; w * h];
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32 - 0.5, y as f32 / h as f32);
            let mut p = 0.08;
            let body = (fx / 0.42).powi(2) + ((fy - 0.55) / 0.55).powi(2);
            if body < 1.0 {
                p = 0.75 - 0.15 * body;
            }
            for side in [-1.0f32, 1.0] {
                let lung = ((fx - side * 0.19) / 0.15).powi(2) + ((fy - 0.45) / 0.3).powi(2);
                if lung < 1.0 {
                    p = 0.25 + 0.2 * lung;
                    // Ribs: bright arcs across the lung fields.
                    let arc = (fy * 22.0 + (fx * side * 6.0).powi(2)).sin();
                    if arc > 0.8 {
                        p += 0.12;
                    }
                }
                let clavicle = (fy - 0.17 - 0.25 * (fx - side * 0.15).powi(2)).abs();
                if clavicle < 0.012 && fx * side > 0.02 && fx * side < 0.3 {
                    p = 0.85;
                }
            }
            let heart = ((fx + 0.06) / 0.14).powi(2) + ((fy - 0.62) / 0.14).powi(2);
            if heart < 1.0 {
                p = p.max(0.62);
            }
            if fx.abs() < 0.035 && fy > 0.1 {
                p = p.max(0.8);
            }
            let (mx, my) = (x as f32 / w as f32, y as f32 / h as f32);
            let marker = (0.06..0.08).contains(&mx) && (0.05..0.14).contains(&my)
                || (0.06..0.12).contains(&mx) && (0.12..0.14).contains(&my);
            if marker {
                p = 1.0;
            }
            v[y * w + x] = p;
        }
    }
    Image::from_f32(w, h, v).expect("non-empty")
}

fn run() -> Result<String, AugmentError> {
    let args = <Args as clap::Parser>::parse();
    let out = args.out;
    let source = match args.image {
        Some(path) => open(path)?,
        None => synthetic_chest(640, 560),
    };
    let (tile, gap, cols) = (224usize, 4usize, 4usize);
    let augment = ConvirtAugment::paper();
    let mut tiles = vec![Resize::new(tile, tile)?.resize(&source)];
    let sources = vec![source; 15];
    tiles.extend(augment_batch(&augment, &sources, 2022, 0, 0));
    let side = cols * tile + (cols + 1) * gap;
    let mut grid = vec![1.0f32; side * side];
    for (k, t) in tiles.iter().enumerate() {
        let (ox, oy) = (
            gap + (k % cols) * (tile + gap),
            gap + (k / cols) * (tile + gap),
        );
        for (y, row) in t.to_f32().chunks_exact(tile).enumerate() {
            let start = (oy + y) * side + ox;
            grid[start..start + tile].copy_from_slice(row);
        }
    }
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir).ok();
    }
    save(&Image::from_f32(side, side, grid)?, &out)?;
    Ok(out)
}

/// A 4×4 grid of one image under 16 draws of the paper's t_v.
#[derive(clap::Parser, Debug)]
#[command(name = "augment_grid")]
struct Args {
    /// The PNG to write.
    #[arg(default_value = "docs/img/augment_grid.png")]
    out: String,
    /// The source image [default: a synthetic chest].
    image: Option<String>,
}

fn main() -> ExitCode {
    match run() {
        Ok(out) => {
            println!("wrote {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
