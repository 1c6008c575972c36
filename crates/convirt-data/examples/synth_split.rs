//! Writes the `pairs` report split of the real IU reports to `data/synthcxr/iu_split.csv` (or
//! the path given): `cargo run --release -p convirt-data --example synth_split`.

use convirt_data::synth::{jobs::read_reports, split_reports, write_split};
use convirt_text_sampler::assets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/synthcxr/iu_split.csv".into());
    let reports = read_reports(&assets::require(assets::IU_REPORTS)?)?;
    let ids: Vec<String> = reports.into_iter().map(|r| r.id).collect();
    let split = split_reports(&ids);
    write_split(&out, &split)?;
    println!("{} reports → {out}", split.len());
    Ok(())
}
