//! CSV quoting checks: an unbalanced quote makes a CSV reader merge the rows after it into one
//! field (up to the next quote, or to the end of the file), and the loss would show as one bad
//! row, or none. Two checks catch it: [`QuoteWatch`] follows the quoting of the bytes a reader
//! passes on and tells ([`QuoteProbe::inside_quotes`]) whether the file ended inside a quoted
//! field; [`lines_spanned`] counts the lines a field covers, so that a line break outside the
//! columns known to hold free text is an error.
//!
//! The quoting followed is the `csv` crate's default (RFC 4180): `,` between fields, `"` opens a
//! quoted field only as a field's first byte, `""` inside one is a quote, and `\n`, `\r` or
//! `\r\n` end a record.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where the quoting of the bytes seen so far stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the first byte of a field.
    FieldStart,
    /// Inside an unquoted field (quotes here are literal).
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: it closes the field, or `""` escapes a quote.
    QuoteInQuoted,
}

impl State {
    fn next(self, byte: u8) -> Self {
        match (self, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b',' | b'\n' | b'\r') => State::FieldStart,
            (State::FieldStart, b'"') => State::Quoted,
            _ => State::Unquoted,
        }
    }
}

/// A reader that passes bytes on unchanged and follows their CSV quoting; see the module doc.
#[derive(Debug)]
pub struct QuoteWatch<R> {
    inner: R,
    state: State,
    probe: QuoteProbe,
}

/// Tells whether the bytes a [`QuoteWatch`] passed on so far end inside a quoted field, and
/// whether the end of the input has been read.
#[derive(Debug, Clone, Default)]
pub struct QuoteProbe {
    inside: Arc<AtomicBool>,
    ended: Arc<AtomicBool>,
}

impl QuoteProbe {
    /// True when the bytes read so far end inside a quoted field.
    pub fn inside_quotes(&self) -> bool {
        self.inside.load(Ordering::Relaxed)
    }

    /// True when the input's end has been read and it came inside a quoted field: an
    /// unterminated quote. A CSV reader has read the end only when it needed bytes past its
    /// buffer, so when this turns true just after it returned a record, that record is the
    /// file's last, the one the quote left open.
    pub fn ended_inside_quotes(&self) -> bool {
        self.ended.load(Ordering::Relaxed) && self.inside_quotes()
    }
}

impl<R: Read> QuoteWatch<R> {
    /// Wraps `inner`; the probe reports on the bytes read through the wrapper.
    pub fn new(inner: R) -> (Self, QuoteProbe) {
        let probe = QuoteProbe::default();
        (
            Self {
                inner,
                state: State::FieldStart,
                probe: probe.clone(),
            },
            probe,
        )
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.state = buf[..n].iter().fold(self.state, |s, &b| s.next(b));
        self.probe
            .inside
            .store(self.state == State::Quoted, Ordering::Relaxed);
        if n == 0 && !buf.is_empty() {
            self.probe.ended.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// How many lines `field` covers: 1, plus one per line break (`\r\n`, `\n` or `\r`).
pub fn lines_spanned(field: &[u8]) -> usize {
    let mut lines = 1;
    let mut previous = 0u8;
    for &b in field {
        if (b == b'\n' && previous != b'\r') || b == b'\r' {
            lines += 1;
        }
        previous = b;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends_inside(text: &str) -> bool {
        let (mut watch, probe) = QuoteWatch::new(text.as_bytes());
        let mut sink = Vec::new();
        watch.read_to_end(&mut sink).unwrap();
        assert_eq!(sink, text.as_bytes());
        assert_eq!(probe.inside_quotes(), probe.ended_inside_quotes());
        probe.ended_inside_quotes()
    }

    #[test]
    fn follows_quoting_like_the_csv_crate() {
        assert!(!ends_inside("a,b\n1,2\n"));
        assert!(!ends_inside("a,\"b\nc\",d\n"));
        assert!(!ends_inside("a,\"say \"\"hi\"\"\"\n"));
        assert!(
            !ends_inside("a,b\"c\n"),
            "a quote inside an unquoted field is literal"
        );
        assert!(ends_inside("a,\"b\nc,d\n"));
        assert!(ends_inside("a,\"b \"\"c\n"));
        assert_eq!(lines_spanned(b"one"), 1);
        assert_eq!(lines_spanned(b"a\r\nb\nc\rd"), 4);
    }
}
