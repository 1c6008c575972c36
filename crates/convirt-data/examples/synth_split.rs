//! Writes the `pairs` report split of the real IU reports to `data/synthcxr/iu_split.csv` (or
//! the path given): `cargo run --release -p convirt-data --example synth_split`.

use convirt_data::synth::{jobs::read_reports, split_reports, write_split};
use convirt_text_sampler::assets;

/// Writes the `pairs` report split of the IU reports.
#[derive(clap::Parser)]
#[command(name = "synth_split")]
struct Args {
    /// The CSV to write.
    #[arg(default_value = "data/synthcxr/iu_split.csv")]
    out: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = <Args as clap::Parser>::parse().out;
    let reports = read_reports(&assets::require(assets::IU_REPORTS)?)?;
    let ids: Vec<String> = reports.into_iter().map(|r| r.id).collect();
    let split = split_reports(&ids);
    write_split(&out, &split)?;
    println!("{} reports → {out}", split.len());
    Ok(())
}
