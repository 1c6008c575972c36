//! [`LungMasks`]: the 517 real lung masks (torchxrayvision's v7labs set), cropped to their lungs
//! and resampled to one small square grid, as shapes for the renderer to warp.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::{DataError, Skipped};

/// The side of the square grid each mask is resampled to.
pub const MASK_GRID: usize = 64;

/// One lung-pair shape: `MASK_GRID²` coverages in [0, 1], row-major, spanning the lungs'
/// bounding box (image left = patient's right lung).
#[derive(Debug, Clone, PartialEq)]
pub struct LungShape {
    /// The coverages.
    pub coverage: Vec<f32>,
}

impl LungShape {
    /// The coverage at grid-relative position (`u`, `v`) in [0, 1]², bilinear; 0 outside.
    pub fn at(&self, u: f32, v: f32) -> f32 {
        let n = MASK_GRID as f32;
        let x = u * n - 0.5;
        let y = v * n - 0.5;
        if !(-1.0..n).contains(&x) || !(-1.0..n).contains(&y) {
            return 0.0;
        }
        let x0 = x.floor();
        let y0 = y.floor();
        let fx = x - x0;
        let fy = y - y0;
        let get = |xi: f32, yi: f32| -> f32 {
            if xi < 0.0 || yi < 0.0 || xi >= n || yi >= n {
                0.0
            } else {
                self.coverage[yi as usize * MASK_GRID + xi as usize]
            }
        };
        let top = get(x0, y0) * (1.0 - fx) + get(x0 + 1.0, y0) * fx;
        let bottom = get(x0, y0 + 1.0) * (1.0 - fx) + get(x0 + 1.0, y0 + 1.0) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// The lung shapes read from the masks archive, and the members skipped (undecodable or
/// without a usable lung region).
#[derive(Debug)]
pub struct LungMasks {
    /// The archive read.
    pub file: PathBuf,
    /// The shapes, in archive order.
    pub shapes: Vec<LungShape>,
    /// Members that were not usable masks, counted with their first errors.
    pub skipped: Skipped,
}

impl LungMasks {
    /// Reads every image member of the zip (`.png`/`.jpg`/`.jpeg`, any case). A missing or
    /// corrupt archive is an error naming it; a member that does not decode, or whose lungs
    /// cover under 5% of it, is skipped and counted. No usable mask at all is an error.
    pub fn open(file: impl AsRef<Path>) -> Result<Self, DataError> {
        let file = file.as_ref();
        let raw = std::fs::File::open(file).map_err(|e| DataError::io(file, e))?;
        let archive_error = |e: zip::result::ZipError| DataError::Archive {
            file: file.to_path_buf(),
            message: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(BufReader::new(raw)).map_err(archive_error)?;
        let mut shapes = Vec::new();
        let mut skipped = Skipped::default();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(archive_error)?;
            let name = entry.name().map_err(archive_error)?.to_string();
            let lower = name.to_ascii_lowercase();
            if entry.is_dir()
                || ![".png", ".jpg", ".jpeg"]
                    .iter()
                    .any(|ext| lower.ends_with(ext))
            {
                continue;
            }
            let member = PathBuf::from(format!("{}:{name}", file.display()));
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| DataError::Archive {
                    file: member.clone(),
                    message: e.to_string(),
                })?;
            match shape_from_bytes(&bytes, &member) {
                Ok(shape) => shapes.push(shape),
                Err(e) => skipped.handle(crate::SkipPolicy::SkipAndCount, e)?,
            }
        }
        if shapes.is_empty() {
            return Err(DataError::Archive {
                file: file.to_path_buf(),
                message: "holds no usable lung mask image".into(),
            });
        }
        Ok(Self {
            file: file.to_path_buf(),
            shapes,
            skipped,
        })
    }
}

/// Decodes a mask, thresholds it at half its range, crops it to its bounding box and
/// area-resamples it to [`MASK_GRID`]².
fn shape_from_bytes(bytes: &[u8], member: &Path) -> Result<LungShape, DataError> {
    let image = convirt_augment::decode_dynamic(bytes, member).map_err(|e| DataError::Image {
        file: member.to_path_buf(),
        message: e.to_string(),
    })?;
    let gray = image.to_luma8();
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let raw = gray.as_raw();
    let (lo, hi) = raw
        .iter()
        .fold((255u8, 0u8), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    let unusable = |message: &str| DataError::Image {
        file: member.to_path_buf(),
        message: message.into(),
    };
    if hi <= lo {
        return Err(unusable("blank mask"));
    }
    let threshold = (lo as u16 + hi as u16).div_ceil(2) as u8;
    let on = |x: usize, y: usize| raw[y * w + x] >= threshold;
    let (mut x0, mut x1, mut y0, mut y1, mut count) = (w, 0, h, 0, 0usize);
    for y in 0..h {
        for x in 0..w {
            if on(x, y) {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y0 = y0.min(y);
                y1 = y1.max(y);
                count += 1;
            }
        }
    }
    if count * 20 < w * h {
        return Err(unusable("lungs cover under 5% of the mask"));
    }
    let (bw, bh) = (x1 + 1 - x0, y1 + 1 - y0);
    let mut sums = vec![0f32; MASK_GRID * MASK_GRID];
    let mut counts = vec![0f32; MASK_GRID * MASK_GRID];
    for y in y0..=y1 {
        let gy = (y - y0) * MASK_GRID / bh;
        for x in x0..=x1 {
            let gx = (x - x0) * MASK_GRID / bw;
            let k = gy * MASK_GRID + gx;
            counts[k] += 1.0;
            if on(x, y) {
                sums[k] += 1.0;
            }
        }
    }
    let coverage = sums
        .iter()
        .zip(&counts)
        .map(|(s, c)| if *c > 0.0 { s / c } else { 0.0 })
        .collect();
    Ok(LungShape { coverage })
}
