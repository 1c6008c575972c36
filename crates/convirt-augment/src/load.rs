//! Decoding image files into gray [`Image`]s: 8/16-bit gray as they are; RGB and RGBA to gray with
//! PIL's ITU-R 601-2 luma weights (what `Image.convert("L")` does), alpha ignored; and saving an
//! [`Image`] as an 8-bit gray PNG.

use std::path::Path;

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use crate::{AugmentError, Image, check_complete};

/// Reads and decodes an image file (PNG or JPEG) as a gray [`Image`]. Errors name the file: a
/// missing or unreadable file, bytes of no known format, a file cut short ([`check_complete`]:
/// [`AugmentError::Truncated`]), a decoder error (including declared dimensions beyond the
/// `image` crate's default memory limit of 512 MiB).
pub fn open(path: impl AsRef<Path>) -> Result<Image, AugmentError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| AugmentError::Decode {
        path: path.to_path_buf(),
        source: image::ImageError::IoError(e),
    })?;
    let decoded = decode_dynamic(&bytes, path)?;
    from_dynamic(&decoded, &path.display().to_string())
}

/// Decodes the bytes of a PNG or JPEG file as a gray [`Image`]; `path` names it in errors (and
/// its extension is the format's fallback when the bytes do not tell). See [`open`].
pub fn decode(bytes: &[u8], path: impl AsRef<Path>) -> Result<Image, AugmentError> {
    let path = path.as_ref();
    let decoded = decode_dynamic(bytes, path)?;
    from_dynamic(&decoded, &path.display().to_string())
}

/// Decodes the bytes of an image file as the `image` crate's [`DynamicImage`], after checking
/// that a JPEG or PNG is whole ([`check_complete`]). The format comes from the bytes, else from
/// `path`'s extension; `path` names the file in errors. Decoding runs under the `image` crate's
/// default limits, so a header declaring enormous dimensions is an error, not an allocation.
pub fn decode_dynamic(bytes: &[u8], path: impl AsRef<Path>) -> Result<DynamicImage, AugmentError> {
    let path = path.as_ref();
    let decode = |source| AugmentError::Decode {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.limits(decode_limits());
    if let Ok(format) = ImageFormat::from_path(path) {
        reader.set_format(format);
    }
    let reader = reader
        .with_guessed_format()
        .map_err(|e| decode(image::ImageError::IoError(e)))?;
    if let Some(format) = reader.format() {
        check_complete(bytes, format).map_err(|message| AugmentError::Truncated {
            path: path.to_path_buf(),
            message,
        })?;
    }
    // zune-jpeg 0.5.15 can panic inside its IDCT on crafted data (etemesi254/zune-image#409,
    // fixed upstream, not yet released): a panic there is this file's decode error.
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.decode()));
    match decoded {
        Ok(result) => result.map_err(decode),
        Err(_) => Err(AugmentError::Malformed {
            path: path.to_path_buf(),
            message: "the decoder failed on malformed data (it panicked)".into(),
        }),
    }
}

/// The largest image accepted, per side (radiographs are at most a few thousand pixels).
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// The decoder's limits: [`MAX_IMAGE_SIDE`] per side and 1 GiB of decoded pixels, so a small
/// file that declares a huge image is refused before anything large is allocated.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(1 << 30);
    limits
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
    let (width, height) = (image.width() as u32, image.height() as u32);
    image::save_buffer(
        path,
        &image.to_u8(),
        width,
        height,
        image::ExtendedColorType::L8,
    )
    .map_err(|source| AugmentError::Encode {
        path: path.to_path_buf(),
        source,
    })
}
