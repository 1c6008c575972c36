//! DenseNet / ViT fixtures of `tools/make_tower_fixtures.py` against torchvision, one JSON line
//! per fixture and weights format: the full-size check of `tools/compare_full_towers.sh`
//! (densenet121 and vit_b_16 at 224², too large to commit).
//!
//! ```sh
//! cargo run --release --example tower_parity -- /tmp/towers/densenet121 /tmp/towers/vit_b_16
//! ```

#[path = "../tests/support/towers.rs"]
mod towers;

use std::path::PathBuf;

use burn::tensor::Device;

/// DenseNet / ViT fixtures against torchvision, one JSON line each.
#[derive(clap::Parser)]
#[command(name = "tower_parity")]
struct Args {
    /// Fixture stems of tools/make_tower_fixtures.py (STEM.json, STEM.{safetensors,pth},
    /// STEM_io.safetensors).
    #[arg(required = true)]
    stems: Vec<PathBuf>,
}

fn main() {
    let stems = <Args as clap::Parser>::parse().stems;
    let device = Device::flex();
    let mut worst = 0f64;
    for stem in &stems {
        for ext in ["safetensors", "pth"] {
            let scratch = tempfile::tempdir().expect("a temporary folder");
            let r = towers::replay(stem, ext, scratch.path(), &device);
            worst = worst.max(r.max_rel_err);
            println!(
                "{}",
                serde_json::json!({
                    "fixture": stem.display().to_string(),
                    "weights": ext,
                    "features": r.shape,
                    "max_rel_err": r.max_rel_err,
                    "roundtrip_err": r.roundtrip_err,
                    "applied": r.applied,
                    "unused": r.unused.len(),
                    "export_missing": r.export_missing,
                    "export_extra": r.export_extra,
                    "export_differs": r.export_differs,
                })
            );
        }
    }
    println!(
        "{}",
        serde_json::json!({ "worst_max_rel_err": worst, "bar": 1e-4 })
    );
    if worst > 1e-4 {
        std::process::exit(1);
    }
}
