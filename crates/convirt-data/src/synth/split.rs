//! The `pairs` report split: the IU reports split 80/10/10 by report with a fixed seed, and the
//! committed copy `data/synthcxr/iu_split.csv` (`report_id,split`).

use std::path::Path;

use rand::seq::SliceRandom;

use crate::synth::seed::{Domain, domain_rng};
use crate::table::Table;
use crate::{DataError, SkipPolicy, Split};

/// The seed of the report split (issue 6).
pub const SPLIT_SEED: u64 = 6;

/// Splits report ids 80/10/10: sorted, shuffled with [`SPLIT_SEED`], then the first
/// `⌊0.8 n⌋` are train, the next `⌊0.1 n⌋` validate, the rest test. Returned sorted by id.
pub fn split_reports(ids: &[String]) -> Vec<(String, Split)> {
    let mut sorted: Vec<String> = ids.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut shuffled = sorted.clone();
    shuffled.shuffle(&mut domain_rng(SPLIT_SEED, Domain::ReportSplit, 0));
    let n = shuffled.len();
    let (train, val) = (n * 8 / 10, n / 10);
    let mut out: Vec<(String, Split)> = shuffled
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, split_by_position(i, train, val)))
        .collect();
    out.sort();
    out
}

/// The split of each report id under [`split_reports`] (an id it does not know: train).
pub fn split_lookup(reports: &[convirt_text_sampler::Report]) -> impl Fn(&str) -> Split {
    let ids: Vec<String> = reports.iter().map(|r| r.id.clone()).collect();
    let split = split_reports(&ids);
    move |id: &str| {
        split
            .binary_search_by(|(x, _)| x.as_str().cmp(id))
            .map(|i| split[i].1)
            .unwrap_or(Split::Train)
    }
}

/// Writes a split as `report_id,split` (`train`, `val`, `test`).
pub fn write_split(file: impl AsRef<Path>, split: &[(String, Split)]) -> Result<(), DataError> {
    let file = file.as_ref();
    let mut text = String::from("report_id,split\n");
    for (id, s) in split {
        text.push_str(&format!("{id},{}\n", split_name(*s)));
    }
    std::fs::write(file, text).map_err(|e| DataError::io(file, e))
}

/// Reads a `report_id,split` file.
pub fn read_split(file: impl AsRef<Path>) -> Result<Vec<(String, Split)>, DataError> {
    let table = Table::open(file)?;
    let id = table.column("report_id")?;
    let split = table.column("split")?;
    let loaded = table.rows(SkipPolicy::Fail, |row| {
        Ok((row.get(id).to_owned(), Split::from_row(row, split)?))
    })?;
    Ok(loaded.records)
}

/// `train`, `val` or `test`.
pub fn split_name(split: Split) -> &'static str {
    match split {
        Split::Train => "train",
        Split::Validate => "val",
        Split::Test => "test",
    }
}

/// The split of position `i` when the first `train` positions train, the next `val` validate
/// and the rest test.
pub(crate) fn split_by_position(i: usize, train: usize, val: usize) -> Split {
    if i < train {
        Split::Train
    } else if i < train + val {
        Split::Validate
    } else {
        Split::Test
    }
}
