//! Decoding image files into gray [`Image`]s: 8/16-bit gray as they are; RGB and RGBA to gray with
//! PIL's ITU-R 601-2 luma weights (what `Image.convert("L")` does), alpha ignored; and saving an
//! [`Image`] as an 8-bit gray PNG.

use std::path::Path;

use image::DynamicImage;

use crate::{AugmentError, Image};

/// Reads and decodes an image file (PNG or JPEG) as a gray [`Image`]. Errors name the file.
pub fn open(path: impl AsRef<Path>) -> Result<Image, AugmentError> {
    let path = path.as_ref();
    let decode = |source| AugmentError::Decode {
        path: path.to_path_buf(),
        source,
    };
    let decoded = image::ImageReader::open(path)
        .map_err(|e| decode(image::ImageError::IoError(e)))?
        .with_guessed_format()
        .map_err(|e| decode(image::ImageError::IoError(e)))?
        .decode()
        .map_err(decode)?;
    from_dynamic(&decoded, &path.display().to_string())
}

/// Converts a decoded image to gray. `name` labels errors (a file name, say).
pub fn from_dynamic(image: &DynamicImage, name: &str) -> Result<Image, AugmentError> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    if w == 0 || h == 0 {
        return Err(AugmentError::EmptyImage {
            source_name: name.to_string(),
            width: w,
            height: h,
        });
    }
    match image {
        DynamicImage::ImageLuma8(b) => Image::from_u8(w, h, b.as_raw().clone()),
        DynamicImage::ImageLumaA8(b) => {
            Image::from_u8(w, h, b.as_raw().chunks(2).map(|p| p[0]).collect())
        }
        DynamicImage::ImageRgb8(b) => Image::from_u8(w, h, luma8(b.as_raw(), 3)),
        DynamicImage::ImageRgba8(b) => Image::from_u8(w, h, luma8(b.as_raw(), 4)),
        DynamicImage::ImageLuma16(b) => Image::from_u16(w, h, b.as_raw().clone()),
        DynamicImage::ImageLumaA16(b) => {
            Image::from_u16(w, h, b.as_raw().chunks(2).map(|p| p[0]).collect())
        }
        DynamicImage::ImageRgb16(b) => Image::from_u16(w, h, luma16(b.as_raw(), 3)),
        DynamicImage::ImageRgba16(b) => Image::from_u16(w, h, luma16(b.as_raw(), 4)),
        other => Err(AugmentError::UnsupportedLayout {
            path: name.into(),
            layout: format!("{:?}", other.color()),
        }),
    }
}

/// PIL's integer luma: `(19595 R + 38470 G + 7471 B + 2^15) >> 16`.
fn luma8(raw: &[u8], stride: usize) -> Vec<u8> {
    raw.chunks_exact(stride)
        .map(|p| {
            ((19595 * p[0] as u32 + 38470 * p[1] as u32 + 7471 * p[2] as u32 + 0x8000) >> 16) as u8
        })
        .collect()
}

/// The same weights on 16-bit samples.
fn luma16(raw: &[u16], stride: usize) -> Vec<u16> {
    raw.chunks_exact(stride)
        .map(|p| {
            ((19595 * p[0] as u64 + 38470 * p[1] as u64 + 7471 * p[2] as u64 + 0x8000) >> 16) as u16
        })
        .collect()
}

/// Saves an image as an 8-bit gray file (format from the extension, e.g. `.png`); intensities are
/// clamped to [0, 1]. Errors name the file.
pub fn save(image: &Image, path: impl AsRef<Path>) -> Result<(), AugmentError> {
    let path = path.as_ref();
    let buffer =
        image::GrayImage::from_raw(image.width() as u32, image.height() as u32, image.to_u8())
            .expect("an Image holds width × height samples");
    buffer.save(path).map_err(|source| AugmentError::Encode {
        path: path.to_path_buf(),
        source,
    })
}
