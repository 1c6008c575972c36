//! ConVIRT's CheXpert 8×200 retrieval CSVs, generic over the category list.
//!
//! - image queries: `Variable,Path` ([`read_image_queries`]);
//! - text queries: `Variable,Text` ([`read_text_queries`]);
//! - candidates: CheXpert-format rows (`Path` and a column per category), each labelled `1` for
//!   exactly one category ([`read_candidates`]).
//!
//! A file with a header and no rows is [`DataError::NoRows`] (nothing would be scored), and a
//! text query whose text is empty or whitespace is [`DataError::EmptyText`] naming its line;
//! both fail whatever the [`SkipPolicy`]. A `Text` may not span lines (see [`Table`]).
//!
//! Categories are indices into the list the caller passes: [`CHEXPERT_8X200`] for ConVIRT's set,
//! another list (SynthCXR's seven) for other sets.

use std::path::Path;

use crate::table::{Row, Table};
use crate::{DataError, Label, Loaded, SkipPolicy};

/// The 8 categories of ConVIRT's CheXpert 8×200 retrieval set.
pub const CHEXPERT_8X200: [&str; 8] = [
    "Atelectasis",
    "Cardiomegaly",
    "Edema",
    "Fracture",
    "No Finding",
    "Pleural Effusion",
    "Pneumonia",
    "Pneumothorax",
];

/// An image query: `Variable,Path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageQuery {
    /// The index of `Variable` in the category list.
    pub category: usize,
    /// `Path`, as written.
    pub path: String,
}

/// A text query: `Variable,Text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    /// The index of `Variable` in the category list.
    pub category: usize,
    /// `Text`.
    pub text: String,
}

/// A retrieval candidate: an image positive for exactly one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The index of its one positive category.
    pub category: usize,
    /// `Path`, as written.
    pub path: String,
}

/// Reads `Variable,Path` image queries; a `Variable` outside `categories` is a bad row, a file
/// without rows an error.
pub fn read_image_queries(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<ImageQuery>, DataError> {
    read_queries(file, categories, "Path", policy, |row, column, category| {
        Ok(ImageQuery {
            category,
            path: row.get(column).to_owned(),
        })
    })
    .map(|l| l.loaded)
}

/// Reads `Variable,Text` text queries; a `Variable` outside `categories` is a bad row. An
/// empty or whitespace-only `Text` ([`DataError::EmptyText`], with its line) and a file without
/// rows ([`DataError::NoRows`]) are errors under either policy: a query without text would be
/// scored as if it were one.
pub fn read_text_queries(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<TextQuery>, DataError> {
    let mut empty = None;
    let loaded = read_queries(file, categories, "Text", policy, |row, column, category| {
        let text = row.get(column);
        if text.is_empty() {
            empty.get_or_insert((row.line, row.column_name(column).to_owned()));
            return Err(row.empty_text(column));
        }
        Ok(TextQuery {
            category,
            text: text.to_owned(),
        })
    });
    match (empty, loaded) {
        (Some((line, column)), Ok(loaded)) => Err(DataError::EmptyText {
            file: loaded.file,
            line,
            column,
        }),
        (_, loaded) => loaded.map(|l| l.loaded),
    }
}

/// Reads candidates: `Path` and one label column per category (other columns are ignored).
/// A row not labelled `1` for exactly one category is a bad row, a file without rows an error.
pub fn read_candidates(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<Candidate>, DataError> {
    let table = Table::open(file)?;
    let file = table.file().to_path_buf();
    let path = table.column("Path")?;
    let columns = categories
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = table.rows(policy, |row| {
        let mut positive = Vec::new();
        for (k, &column) in columns.iter().enumerate() {
            if Label::from_row(row, column)? == Label::Positive {
                positive.push(k);
            }
        }
        match positive.as_slice() {
            [category] => Ok(Candidate {
                category: *category,
                path: row.get(path).to_owned(),
            }),
            _ => Err(row.bad_field(
                path,
                format!(
                    "positive for {} of the categories, not exactly one",
                    positive.len()
                ),
            )),
        }
    })?;
    not_empty(&file, &loaded)?;
    Ok(loaded)
}

/// What [`read_queries`] read, and from which file.
struct FromFile<T> {
    file: std::path::PathBuf,
    loaded: Loaded<T>,
}

/// Reads `Variable,<value>` rows; `make` gets the row, the value's column and the category.
fn read_queries<T>(
    file: impl AsRef<Path>,
    categories: &[&str],
    value: &str,
    policy: SkipPolicy,
    mut make: impl FnMut(&Row, usize, usize) -> Result<T, DataError>,
) -> Result<FromFile<T>, DataError> {
    let table = Table::open(file)?;
    let file = table.file().to_path_buf();
    let variable = table.column("Variable")?;
    let value = table.column(value)?;
    let loaded = table.rows(policy, |row| {
        let category = category(row, variable, categories)?;
        make(row, value, category)
    })?;
    not_empty(&file, &loaded)?;
    Ok(FromFile { file, loaded })
}

/// [`DataError::NoRows`] when `loaded` neither kept nor skipped a row.
fn not_empty<T>(file: &Path, loaded: &Loaded<T>) -> Result<(), DataError> {
    if loaded.records.is_empty() && loaded.skipped.is_empty() {
        return Err(DataError::NoRows {
            file: file.to_path_buf(),
        });
    }
    Ok(())
}

fn category(row: &Row, column: usize, categories: &[&str]) -> Result<usize, DataError> {
    let name = row.get(column);
    categories
        .iter()
        .position(|c| *c == name)
        .ok_or_else(|| row.bad_field(column, format!("{name:?} is not one of {categories:?}")))
}
