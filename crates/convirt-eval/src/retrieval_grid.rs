//! [`retrieval_grid`]: each query beside its top-k retrievals, hits framed green and misses red.
//!
//! Layout (no text): one row per query; each image is resized to a [`GRID_TILE`]² tile inside a
//! [`GRID_BORDER`]-pixel frame (blue for the query, green for a hit, red for a miss); a
//! [`GRID_GAP`]-pixel white gap separates the query column from its retrievals. A row with fewer
//! retrievals than the widest is padded white.

use std::path::Path;

use image::imageops::{FilterType, resize};
use image::{GrayImage, Rgb, RgbImage};

use crate::EvalError;

/// The side of each image tile, in pixels.
pub const GRID_TILE: u32 = 128;
/// The width of each tile's frame, in pixels.
pub const GRID_BORDER: u32 = 4;
/// The gap between the query column and the retrievals, in pixels.
pub const GRID_GAP: u32 = 16;
/// The query frame's colour.
pub const QUERY_COLOR: [u8; 3] = [40, 90, 220];
/// A hit's frame colour.
pub const HIT_COLOR: [u8; 3] = [30, 170, 60];
/// A miss's frame colour.
pub const MISS_COLOR: [u8; 3] = [210, 40, 40];

/// A borrowed 8-bit grayscale image, row-major.
#[derive(Debug, Clone, Copy)]
pub struct GrayView<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height` samples.
    pub pixels: &'a [u8],
}

/// Writes the grid of `queries` (one per row) and their `retrieved` images with `hits` flags to
/// `path`, as an RGB PNG of width `(1 + k_max)·(tile + 2·border) + gap` and height
/// `rows·(tile + 2·border)`.
///
/// Fails when `retrieved` or `hits` does not match `queries` row by row, an image is empty or
/// its buffer is not `width × height`, or the file cannot be written.
pub fn retrieval_grid(
    queries: &[GrayView],
    retrieved: &[Vec<GrayView>],
    hits: &[Vec<bool>],
    path: impl AsRef<Path>,
) -> Result<(), EvalError> {
    let path = path.as_ref();
    if queries.is_empty() {
        return Err(EvalError::Empty { what: "queries" });
    }
    for (what, len) in [
        ("retrieved rows against queries", retrieved.len()),
        ("hit rows against queries", hits.len()),
    ] {
        if len != queries.len() {
            return Err(EvalError::LengthMismatch {
                what,
                left: len,
                right: queries.len(),
            });
        }
    }
    for (row, flags) in retrieved.iter().zip(hits) {
        if row.len() != flags.len() {
            return Err(EvalError::LengthMismatch {
                what: "hits against retrieved images",
                left: flags.len(),
                right: row.len(),
            });
        }
    }
    let cell = GRID_TILE + 2 * GRID_BORDER;
    let k_max = retrieved.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let mut canvas = RgbImage::from_pixel(
        (1 + k_max) * cell + GRID_GAP,
        queries.len() as u32 * cell,
        Rgb([255, 255, 255]),
    );
    for (r, query) in queries.iter().enumerate() {
        let y = r as u32 * cell;
        place(&mut canvas, query, 0, y, QUERY_COLOR)?;
        for (c, (image, &hit)) in retrieved[r].iter().zip(&hits[r]).enumerate() {
            let x = cell + GRID_GAP + c as u32 * cell;
            let color = if hit { HIT_COLOR } else { MISS_COLOR };
            place(&mut canvas, image, x, y, color)?;
        }
    }
    canvas.save(path).map_err(|source| EvalError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Draws a frame of `color` at `(x, y)` and the image resized into it.
fn place(
    canvas: &mut RgbImage,
    view: &GrayView,
    x: u32,
    y: u32,
    color: [u8; 3],
) -> Result<(), EvalError> {
    if view.width == 0 || view.height == 0 {
        return Err(EvalError::Empty { what: "grid image" });
    }
    let expected = view.width as usize * view.height as usize;
    let mismatch = EvalError::LengthMismatch {
        what: "grid image pixels against width × height",
        left: view.pixels.len(),
        right: expected,
    };
    if view.pixels.len() != expected {
        return Err(mismatch);
    }
    let gray =
        GrayImage::from_raw(view.width, view.height, view.pixels.to_vec()).ok_or(mismatch)?;
    let cell = GRID_TILE + 2 * GRID_BORDER;
    for dy in 0..cell {
        for dx in 0..cell {
            canvas.put_pixel(x + dx, y + dy, Rgb(color));
        }
    }
    let tile = resize(&gray, GRID_TILE, GRID_TILE, FilterType::Triangle);
    for (dx, dy, p) in tile.enumerate_pixels() {
        let v = p.0[0];
        canvas.put_pixel(x + GRID_BORDER + dx, y + GRID_BORDER + dy, Rgb([v, v, v]));
    }
    Ok(())
}
