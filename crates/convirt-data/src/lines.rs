//! [`read_lines`]: a header-less text file (plain or `.gz`), line by line, under a skip policy.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::{DataError, Loaded, SkipPolicy, Skipped};

/// Parses every non-blank line of `file` with `parse(line_number, line)` (1-based, trimmed).
/// Errors from `parse` go through `policy`; a missing file or bad UTF-8 always fails.
pub fn read_lines<T>(
    file: impl AsRef<Path>,
    policy: SkipPolicy,
    mut parse: impl FnMut(u64, &str) -> Result<T, DataError>,
) -> Result<Loaded<T>, DataError> {
    let file = file.as_ref();
    let raw = File::open(file).map_err(|e| DataError::io(file, e))?;
    let reader: Box<dyn Read> = if file.to_string_lossy().ends_with(".gz") {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut records = Vec::new();
    let mut skipped = Skipped::default();
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(|e| DataError::io(file, e))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match parse(i as u64 + 1, line) {
            Ok(value) => records.push(value),
            Err(e) => skipped.handle(policy, e)?,
        }
    }
    Ok(Loaded { records, skipped })
}
