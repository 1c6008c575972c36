//! From bytes to report text: size limits, UTF-8 and binary checks.

use std::io::Read;
use std::path::Path;

use crate::{Limits, TextError};

/// Reads at most `limits.max_report_bytes` from `reader`; more gives
/// [`TextError::TooLarge`] naming `file`.
pub fn read_limited(
    mut reader: impl Read,
    file: &Path,
    limits: &Limits,
) -> Result<Vec<u8>, TextError> {
    let limit = limits.max_report_bytes;
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| TextError::io(file, e))?;
    if bytes.len() as u64 > limit {
        return Err(TextError::TooLarge {
            file: file.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads one report file, refusing files over the limit before reading them.
pub fn read_file(file: &Path, limits: &Limits) -> Result<Vec<u8>, TextError> {
    let handle = std::fs::File::open(file).map_err(|e| TextError::io(file, e))?;
    if let Ok(meta) = handle.metadata()
        && meta.len() > limits.max_report_bytes
    {
        return Err(TextError::TooLarge {
            file: file.to_path_buf(),
            size: meta.len(),
            limit: limits.max_report_bytes,
        });
    }
    read_limited(handle, file, limits)
}

/// Checks that `bytes` are report text and returns them as `&str`, without a UTF-8 byte-order
/// mark.
///
/// - invalid UTF-8 gives [`TextError::NotUtf8`] with the offset of the first bad byte;
/// - a NUL byte, or control characters (other than tab, newline, carriage return, form feed and
///   vertical tab) in more than 1% of the characters, give [`TextError::Binary`].
pub fn as_text<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, TextError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        file: file.to_path_buf(),
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(offset) = text.find('\0') {
        return Err(TextError::Binary {
            file: file.to_path_buf(),
            reason: format!("NUL byte at offset {offset}"),
        });
    }
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0b' | '\x0c') {
            controls += 1;
        }
    }
    if controls > 0 && controls * 100 > chars {
        return Err(TextError::Binary {
            file: file.to_path_buf(),
            reason: format!("{controls} control characters in {chars}"),
        });
    }
    Ok(text)
}
