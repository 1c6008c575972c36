//! [`Table`]: a CSV file, plain, `.gz` or a `.zip` holding one `.csv`, read row by row with
//! its line numbers, its header checked and every row's field count checked against it.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use csv::StringRecord;
use flate2::read::MultiGzDecoder;

use crate::{DataError, Loaded, SkipPolicy, Skipped};

/// An open CSV file with its header.
pub struct Table {
    file: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    header: Vec<String>,
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
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        let header = reader
            .headers()
            .map_err(|e| csv_error(&file, e))?
            .iter()
            .map(str::to_owned)
            .collect();
        Ok(Self {
            file,
            reader,
            header,
        })
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
    /// error from `parse` goes through `policy`; I/O errors always fail.
    pub fn rows<T>(
        mut self,
        policy: SkipPolicy,
        mut parse: impl FnMut(&Row) -> Result<T, DataError>,
    ) -> Result<Loaded<T>, DataError> {
        let mut records = Vec::new();
        let mut skipped = Skipped::default();
        let mut record = StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                    return Err(csv_error(&self.file, e));
                }
                Err(e) => {
                    skipped.handle(policy, csv_error(&self.file, e))?;
                    continue;
                }
            }
            let line = record.position().map_or(0, |p| p.line());
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
            let mut bytes = Vec::with_capacity(entry.size() as usize);
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
