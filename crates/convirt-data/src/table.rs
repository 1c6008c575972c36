//! [`Table`]: a CSV file, plain, `.gz` or a `.zip` holding one `.csv`, read row by row with
//! its line numbers, its header checked and every row's field count checked against it.
//!
//! Quoting is checked against the schema, since an unbalanced quote makes a CSV reader merge the
//! rows after it into one field: a field may hold a line break only in a column the caller
//! declared free text ([`Table::with_free_text`]; none of the dataset CSVs read here has one).
//! Elsewhere a line break is [`DataError::SpansLines`], and a file that ends inside a quoted
//! field is [`DataError::UnterminatedQuote`]; both name the file and the line where the record
//! begins, and both fail whatever the [`SkipPolicy`], because the rows merged are lost.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use convirt_text_sampler::{QuoteProbe, QuoteWatch, lines_spanned};
use csv::StringRecord;
use flate2::read::MultiGzDecoder;

use crate::{DataError, Loaded, SkipPolicy, Skipped};

/// An open CSV file with its header.
pub struct Table {
    file: PathBuf,
    reader: csv::Reader<QuoteWatch<Box<dyn Read>>>,
    quotes: QuoteProbe,
    header: Vec<String>,
    /// Per column: may its fields span lines?
    free_text: Vec<bool>,
}

/// One data row of a [`Table`], with its file and 1-based line for errors.
pub struct Row<'a> {
    /// The file the row is from.
    pub file: &'a Path,
    /// The row's 1-based line in the file.
    pub line: u64,
    header: &'a [String],
    record: &'a StringRecord,
}

impl Table {
    /// Opens `file`: `.gz` is decompressed, `.zip` gives its first `.csv` entry.
    /// A missing file is [`DataError::Io`] naming it.
    pub fn open(file: impl AsRef<Path>) -> Result<Self, DataError> {
        let file = file.as_ref();
        let raw = File::open(file).map_err(|e| DataError::io(file, e))?;
        let name = file.to_string_lossy();
        let reader: Box<dyn Read> = if name.ends_with(".gz") {
            Box::new(MultiGzDecoder::new(BufReader::new(raw)))
        } else if name.ends_with(".zip") {
            Box::new(Cursor::new(first_csv_in_zip(file, raw)?))
        } else {
            Box::new(raw)
        };
        Self::from_reader(file, reader)
    }

    /// Reads CSV from `reader`; `file` names it in errors.
    pub fn from_reader(file: impl Into<PathBuf>, reader: Box<dyn Read>) -> Result<Self, DataError> {
        let file = file.into();
        let (reader, quotes) = QuoteWatch::new(reader);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(&file, e))?
            .iter()
            .map(str::to_owned)
            .collect();
        let free_text = vec![false; header.len()];
        let table = Self {
            file,
            reader,
            quotes,
            header,
            free_text,
        };
        for (i, name) in table.header.iter().enumerate() {
            table.check_lines(1, i, name)?;
        }
        Ok(table)
    }

    /// Declares the columns named in `columns` free text: their fields may span lines. Names
    /// not in the header are ignored.
    pub fn with_free_text(mut self, columns: &[&str]) -> Self {
        for (free, name) in self.free_text.iter_mut().zip(&self.header) {
            *free |= columns.contains(&name.as_str());
        }
        self
    }

    /// [`DataError::SpansLines`] when field `index` of the record beginning on `line` holds a
    /// line break and its column is not free text.
    fn check_lines(&self, line: u64, index: usize, field: &str) -> Result<(), DataError> {
        let lines = lines_spanned(field.as_bytes());
        if lines > 1 && !self.free_text.get(index).copied().unwrap_or(false) {
            return Err(DataError::SpansLines {
                file: self.file.clone(),
                line,
                column: self
                    .header
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", index + 1)),
                lines,
            });
        }
        Ok(())
    }

    /// The file's path.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The header's column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The index of column `name`, or [`DataError::MissingColumn`].
    pub fn column(&self, name: &str) -> Result<usize, DataError> {
        self.header
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| DataError::MissingColumn {
                file: self.file.clone(),
                column: name.to_owned(),
            })
    }

    /// Parses every row with `parse`. A row with the wrong field count, unreadable CSV, or an
    /// error from `parse` goes through `policy`; I/O errors, a line break outside the free-text
    /// columns and an unterminated quote always fail (see the module doc).
    pub fn rows<T>(
        mut self,
        policy: SkipPolicy,
        mut parse: impl FnMut(&Row) -> Result<T, DataError>,
    ) -> Result<Loaded<T>, DataError> {
        let mut records = Vec::new();
        let mut skipped = Skipped::default();
        let mut record = StringRecord::new();
        let mut record_line = 1u64;
        loop {
            let more = match self.reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                    return Err(csv_error(&self.file, e));
                }
                Err(e) => {
                    if self.quotes.ended_inside_quotes() {
                        return Err(DataError::UnterminatedQuote {
                            file: self.file.clone(),
                            line: e.position().map_or(record_line, |p| p.line()),
                        });
                    }
                    skipped.handle(policy, csv_error(&self.file, e))?;
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            if more {
                for (i, field) in record.iter().enumerate() {
                    self.check_lines(line, i, field)?;
                }
            }
            if self.quotes.ended_inside_quotes() {
                return Err(DataError::UnterminatedQuote {
                    file: self.file.clone(),
                    line: if more { line } else { record_line },
                });
            }
            if !more {
                break;
            }
            record_line = line;
            let row = Row {
                file: &self.file,
                line,
                header: &self.header,
                record: &record,
            };
            let parsed = if record.len() != self.header.len() {
                Err(DataError::ColumnCount {
                    file: self.file.clone(),
                    line,
                    expected: self.header.len(),
                    found: record.len(),
                })
            } else {
                parse(&row)
            };
            match parsed {
                Ok(value) => records.push(value),
                Err(e) => skipped.handle(policy, e)?,
            }
        }
        Ok(Loaded { records, skipped })
    }
}

impl Row<'_> {
    /// Field `index` (a [`Table::column`]), trimmed.
    pub fn get(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("").trim()
    }

    /// [`DataError::BadField`] for column `index` of this row.
    pub fn bad_field(&self, index: usize, message: impl Into<String>) -> DataError {
        DataError::BadField {
            file: self.file.to_owned(),
            line: self.line,
            column: self.header[index].clone(),
            message: message.into(),
        }
    }

    /// Field `index` parsed as `T`, or [`DataError::BadField`] (a blank field included).
    pub fn parse<T: std::str::FromStr>(&self, index: usize) -> Result<T, DataError> {
        let text = self.get(index);
        text.parse()
            .map_err(|_| self.bad_field(index, format!("{text:?} does not parse")))
    }

    /// Field `index` parsed as `T`, `None` when blank.
    pub fn parse_opt<T: std::str::FromStr>(&self, index: usize) -> Result<Option<T>, DataError> {
        if self.get(index).is_empty() {
            Ok(None)
        } else {
            self.parse(index).map(Some)
        }
    }

    /// [`DataError::EmptyText`] for column `index` of this row.
    pub fn empty_text(&self, index: usize) -> DataError {
        DataError::EmptyText {
            file: self.file.to_owned(),
            line: self.line,
            column: self.header[index].clone(),
        }
    }

    /// [`DataError::BadPath`] for this row.
    pub fn bad_path(&self, path: &str, expected: &'static str) -> DataError {
        DataError::BadPath {
            file: self.file.to_owned(),
            line: self.line,
            path: path.to_owned(),
            expected,
        }
    }

    /// The name of column `index`.
    pub fn column_name(&self, index: usize) -> &str {
        &self.header[index]
    }
}

fn csv_error(file: &Path, error: csv::Error) -> DataError {
    DataError::Csv {
        file: file.to_owned(),
        line: error.position().map_or(0, |p| p.line()),
        message: error.to_string(),
    }
}

fn first_csv_in_zip(file: &Path, raw: File) -> Result<Vec<u8>, DataError> {
    let zip_error = |e: zip::result::ZipError| DataError::Csv {
        file: file.to_owned(),
        line: 0,
        message: format!("zip: {e}"),
    };
    let mut archive = zip::ZipArchive::new(BufReader::new(raw)).map_err(zip_error)?;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip_error)?;
        if entry.name().map_err(zip_error)?.ends_with(".csv") {
            // The size the zip declares is not trusted (a forged 2^62 would abort the process
            // on allocation): grow as the data arrives.
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| DataError::io(file, e))?;
            return Ok(bytes);
        }
    }
    Err(DataError::Csv {
        file: file.to_owned(),
        line: 0,
        message: "the zip holds no .csv".into(),
    })
}
