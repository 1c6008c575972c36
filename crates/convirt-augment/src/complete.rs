//! [`check_complete`]: is a JPEG or PNG file whole? Decoders pad a file cut short (the `image`
//! crate's JPEG decoder fills the missing rows with gray without a word), so the file's own
//! structure is walked before decoding: a JPEG's marker segments and entropy-coded scans up to
//! its end-of-image marker (`FF D9`), a PNG's chunks up to `IEND`. Bytes after the end marker
//! (the zero or whitespace padding some files carry, or anything else) are ignored, as PIL does.

use image::ImageFormat;

/// Checks that `bytes`, to be decoded as `format`, run to the format's end marker. `Err` says
/// where the data stops. Formats other than JPEG and PNG, bytes that do not start with the
/// format's signature, and structure that is corrupt rather than cut short (a chunk type that
/// is not letters, a segment length below 2) are left to the decoder, which rejects them with
/// its own error (`Ok`).
pub fn check_complete(bytes: &[u8], format: ImageFormat) -> Result<(), String> {
    let walked = match format {
        ImageFormat::Jpeg if bytes.starts_with(&JPEG_SIGNATURE) => jpeg_end(bytes),
        ImageFormat::Png if bytes.starts_with(&PNG_SIGNATURE) => png_end(bytes),
        _ => return Ok(()),
    };
    match walked {
        Ok(_) | Err(Walk::Corrupt) => Ok(()),
        Err(Walk::Truncated(message)) => Err(message),
    }
}

/// Why a walk over a file's structure stopped short of its end marker.
enum Walk {
    /// The data ends first: what and where.
    Truncated(String),
    /// The structure is not the format's; the decoder will say how.
    Corrupt,
}

/// A JPEG's first bytes: the start-of-image marker.
const JPEG_SIGNATURE: [u8; 2] = [0xFF, 0xD8];

/// A PNG's first bytes.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// The offset just past a JPEG's end-of-image marker (the bytes start with `FF D8`).
fn jpeg_end(bytes: &[u8]) -> Result<usize, Walk> {
    let len = bytes.len();
    let cut = |pos: usize, place: &str| {
        Walk::Truncated(format!(
            "truncated JPEG: the data ends at byte {pos} of {len} {place}, before the \
             end-of-image marker (FF D9)"
        ))
    };
    let mut pos = JPEG_SIGNATURE.len();
    loop {
        // The next marker: FF (any fill FFs), then its code. Stray bytes before it are skipped,
        // as libjpeg does ("extraneous bytes before marker").
        match bytes[pos.min(len)..].iter().position(|&b| b == 0xFF) {
            Some(offset) => pos += offset,
            None => return Err(cut(len, "between segments")),
        }
        while pos < len && bytes[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return Err(cut(len, "in a marker"));
        };
        pos += 1;
        match marker {
            0xD9 => return Ok(pos),
            // Standalone markers: TEM, restart markers, a repeated SOI; FF 00 outside a scan.
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let Some(length) = bytes.get(pos..pos + 2) else {
            return Err(cut(
                len,
                &format!("in the length of segment FF {marker:02X}"),
            ));
        };
        let length = u16::from_be_bytes([length[0], length[1]]) as usize;
        if length < 2 {
            return Err(Walk::Corrupt);
        }
        if pos + length > len {
            return Err(cut(len, &format!("inside segment FF {marker:02X}")));
        }
        pos += length;
        if marker == 0xDA {
            pos = scan_end(bytes, pos).ok_or_else(|| cut(len, "inside the entropy-coded scan"))?;
        }
    }
}

/// The offset of the marker that ends the entropy-coded scan starting at `pos`; `None` when the
/// data ends first. Inside a scan, `FF 00` is a stuffed byte and `FF D0`–`FF D7` restart
/// markers; any other `FF xx` is the next marker.
fn scan_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let at = pos + bytes.get(pos..)?.iter().position(|&b| b == 0xFF)?;
        match *bytes.get(at + 1)? {
            0x00 | 0xD0..=0xD7 => pos = at + 2,
            0xFF => pos = at + 1,
            _ => return Some(at),
        }
    }
}

/// The offset just past a PNG's `IEND` chunk (the bytes start with the PNG signature).
fn png_end(bytes: &[u8]) -> Result<usize, Walk> {
    let len = bytes.len();
    let mut pos = PNG_SIGNATURE.len();
    loop {
        let Some(head) = bytes.get(pos..pos + 8) else {
            return Err(Walk::Truncated(format!(
                "truncated PNG: the data ends at byte {len} between chunks, before the IEND chunk"
            )));
        };
        if !head[4..8].iter().all(u8::is_ascii_alphabetic) {
            return Err(Walk::Corrupt);
        }
        let length = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = String::from_utf8_lossy(&head[4..8]).into_owned();
        let end = pos.saturating_add(12).saturating_add(length);
        if end > len {
            return Err(Walk::Truncated(format!(
                "truncated PNG: the data ends at byte {len} inside the {kind} chunk at byte \
                 {pos} ({length} data bytes declared), before the IEND chunk"
            )));
        }
        if kind == "IEND" {
            return Ok(end);
        }
        pos = end;
    }
}
