//! ConVIRT's CheXpert 8×200 retrieval CSVs, generic over the category list.
//!
//! - image queries: `Variable,Path` ([`read_image_queries`]);
//! - text queries: `Variable,Text` ([`read_text_queries`]);
//! - candidates: CheXpert-format rows (`Path` and a column per category), each labelled `1` for
//!   exactly one category ([`read_candidates`]).
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

/// Reads `Variable,Path` image queries; a `Variable` outside `categories` is a bad row.
pub fn read_image_queries(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<ImageQuery>, DataError> {
    read_queries(file, categories, "Path", policy, |category, path| {
        ImageQuery { category, path }
    })
}

/// Reads `Variable,Text` text queries; a `Variable` outside `categories` is a bad row.
pub fn read_text_queries(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<TextQuery>, DataError> {
    read_queries(file, categories, "Text", policy, |category, text| {
        TextQuery { category, text }
    })
}

/// Reads candidates: `Path` and one label column per category (other columns are ignored).
/// A row not labelled `1` for exactly one category is a bad row.
pub fn read_candidates(
    file: impl AsRef<Path>,
    categories: &[&str],
    policy: SkipPolicy,
) -> Result<Loaded<Candidate>, DataError> {
    let table = Table::open(file)?;
    let path = table.column("Path")?;
    let columns = categories
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<_>, _>>()?;
    table.rows(policy, |row| {
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
    })
}

fn read_queries<T>(
    file: impl AsRef<Path>,
    categories: &[&str],
    value: &str,
    policy: SkipPolicy,
    make: impl Fn(usize, String) -> T,
) -> Result<Loaded<T>, DataError> {
    let table = Table::open(file)?;
    let variable = table.column("Variable")?;
    let value = table.column(value)?;
    table.rows(policy, |row| {
        Ok(make(
            category(row, variable, categories)?,
            row.get(value).to_owned(),
        ))
    })
}

fn category(row: &Row, column: usize, categories: &[&str]) -> Result<usize, DataError> {
    let name = row.get(column);
    categories
        .iter()
        .position(|c| *c == name)
        .ok_or_else(|| row.bad_field(column, format!("{name:?} is not one of {categories:?}")))
}
