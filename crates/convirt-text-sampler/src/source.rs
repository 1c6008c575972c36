//! [`ReportSource`]: a path holding reports, in any supported layout, read one report at a time.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;

use crate::{
    Limits, Report, TextError, parse_iu, parse_mimic_bytes, read_chexpert_plus, read_file,
    read_limited,
};

/// The layouts a [`ReportSource`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// IU X-ray reports packed as `.tgz` / `.tar.gz` (`NLMCXR_reports.tgz`); its `.xml` members.
    IuArchive,
    /// IU X-ray `.xml` files: one file, or every `.xml` under a folder.
    IuXml,
    /// MIMIC-CXR `.txt` reports: one file, or every `.txt` under a folder (the `files/` tree).
    Mimic,
    /// A CheXpert Plus report CSV (`.csv` or `.csv.gz`).
    ChexpertPlus,
}

/// A file or folder of reports, with its [`Format`] and [`Limits`].
///
/// Folders are walked recursively in sorted order, so the report order is stable. Symbolic
/// links to folders are not followed.
#[derive(Debug, Clone)]
pub struct ReportSource {
    /// The file or folder.
    pub path: PathBuf,
    /// Its layout.
    pub format: Format,
    /// Size limits per report.
    pub limits: Limits,
}

impl ReportSource {
    /// Opens `path`, choosing the format from it:
    /// - a file: by extension, `.tgz`/`.tar.gz` → [`Format::IuArchive`], `.xml` →
    ///   [`Format::IuXml`], `.txt` → [`Format::Mimic`], `.csv`/`.csv.gz` →
    ///   [`Format::ChexpertPlus`];
    /// - a folder: [`Format::IuXml`] if it holds `.xml` files, [`Format::Mimic`] if it holds
    ///   `.txt` files; both or neither give [`TextError::UnknownFormat`].
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, TextError> {
        let path = path.into();
        let meta = std::fs::metadata(&path).map_err(|e| TextError::io(&path, e))?;
        let format = if meta.is_dir() {
            let (xml, txt) = holds_xml_and_txt(&path)?;
            match (xml, txt) {
                (true, false) => Format::IuXml,
                (false, true) => Format::Mimic,
                (true, true) => {
                    return Err(TextError::UnknownFormat {
                        file: path,
                        message: "folder holds both .xml (IU) and .txt (MIMIC) reports; pick one"
                            .into(),
                    });
                }
                (false, false) => {
                    return Err(TextError::UnknownFormat {
                        file: path,
                        message: "folder holds no .xml (IU) or .txt (MIMIC) reports".into(),
                    });
                }
            }
        } else {
            let name = path.to_string_lossy().to_ascii_lowercase();
            if name.ends_with(".tgz") || name.ends_with(".tar.gz") {
                Format::IuArchive
            } else if name.ends_with(".xml") {
                Format::IuXml
            } else if name.ends_with(".txt") {
                Format::Mimic
            } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
                Format::ChexpertPlus
            } else {
                return Err(TextError::UnknownFormat {
                    file: path,
                    message: "expected .tgz/.tar.gz, .xml, .txt, .csv or .csv.gz, or a folder"
                        .into(),
                });
            }
        };
        Ok(Self::with_format(path, format))
    }

    /// Uses `format` for `path` without guessing.
    pub fn with_format(path: impl Into<PathBuf>, format: Format) -> Self {
        Self {
            path: path.into(),
            format,
            limits: Limits::default(),
        }
    }

    /// Uses other size limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Calls `visit` with every report in order; stops at the first error, which names the
    /// file (or archive member, or CSV line). Returns the number of reports.
    pub fn for_each(
        &self,
        visit: &mut dyn FnMut(Report) -> Result<(), TextError>,
    ) -> Result<usize, TextError> {
        let path = self.path.as_path();
        let limits = &self.limits;
        match self.format {
            Format::IuArchive => {
                let file = File::open(path).map_err(|e| TextError::io(path, e))?;
                let mut archive = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
                let mut count = 0;
                let entries = archive.entries().map_err(|e| TextError::io(path, e))?;
                for entry in entries {
                    let entry = entry.map_err(|e| TextError::io(path, e))?;
                    let member = entry
                        .path()
                        .map(|p| p.into_owned())
                        .map_err(|e| TextError::io(path, e))?;
                    let is_xml = entry.header().entry_type().is_file()
                        && member
                            .extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
                    if !is_xml {
                        continue;
                    }
                    let name = PathBuf::from(format!("{}:{}", path.display(), member.display()));
                    let bytes = read_limited(entry, &name, limits)?;
                    let mut report = parse_iu(&bytes, &name)?;
                    if report.id.is_empty() {
                        report.id = stem(&member);
                    }
                    visit(report)?;
                    count += 1;
                }
                Ok(count)
            }
            Format::IuXml | Format::Mimic => {
                let files = if path.is_dir() {
                    let ext = if self.format == Format::IuXml {
                        "xml"
                    } else {
                        "txt"
                    };
                    files_with(path, ext)?
                } else {
                    vec![path.to_path_buf()]
                };
                for file in &files {
                    let bytes = read_file(file, limits)?;
                    let report = if self.format == Format::IuXml {
                        parse_iu(&bytes, file)?
                    } else {
                        parse_mimic_bytes(&bytes, file)?
                    };
                    visit(report)?;
                }
                Ok(files.len())
            }
            Format::ChexpertPlus => {
                let file = File::open(path).map_err(|e| TextError::io(path, e))?;
                let reader: Box<dyn Read> =
                    if path.to_string_lossy().to_ascii_lowercase().ends_with(".gz") {
                        Box::new(GzDecoder::new(BufReader::new(file)))
                    } else {
                        Box::new(BufReader::new(file))
                    };
                read_chexpert_plus(reader, path, limits, visit)
            }
        }
    }

    /// Every report, in order.
    pub fn read_all(&self) -> Result<Vec<Report>, TextError> {
        let mut reports = Vec::new();
        self.for_each(&mut |r| {
            reports.push(r);
            Ok(())
        })?;
        Ok(reports)
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether the files under `dir` (recursively) include `.xml` ones, and `.txt` ones.
fn holds_xml_and_txt(dir: &Path) -> Result<(bool, bool), TextError> {
    let (mut xml, mut txt) = (false, false);
    walk(dir, &mut |p| {
        xml |= has_ext(p, "xml");
        txt |= has_ext(p, "txt");
    })?;
    Ok((xml, txt))
}

/// Every file under `dir` with extension `ext`, recursively, sorted by path.
fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, TextError> {
    let mut out = Vec::new();
    walk(dir, &mut |p| {
        if has_ext(p, ext) {
            out.push(p.to_path_buf());
        }
    })?;
    out.sort();
    Ok(out)
}

/// Calls `visit` with every regular file (or link to one) under `dir`; links to folders are
/// not followed, so a link cycle cannot loop.
fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> Result<(), TextError> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| TextError::io(&d, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| TextError::io(&d, e))?;
            let kind = entry
                .file_type()
                .map_err(|e| TextError::io(entry.path(), e))?;
            let p = entry.path();
            if kind.is_dir() {
                pending.push(p);
            } else if kind.is_file() || (kind.is_symlink() && p.is_file()) {
                visit(&p);
            }
        }
    }
    Ok(())
}
