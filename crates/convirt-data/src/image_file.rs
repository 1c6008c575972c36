//! [`read_image`]: one image file (PNG, JPEG 8/16-bit, or DICOM) as a gray [`Image`].

use std::path::Path;

use convirt_augment::Image;

use crate::{DataError, read_dicom};

/// Reads an image file as a gray [`Image`] with intensities in [0, 1]: `.dcm`/`.dicom` (any
/// case) through [`read_dicom`], everything else through [`convirt_augment::open`] (PNG and JPEG,
/// 8 or 16 bits, RGB reduced to luma). A missing file is [`DataError::Io`], a corrupt one
/// [`DataError::Image`]; both name the file.
pub fn read_image(path: impl AsRef<Path>) -> Result<Image, DataError> {
    let path = path.as_ref();
    let dicom = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("dcm") || e.eq_ignore_ascii_case("dicom"));
    if dicom {
        return read_dicom(path);
    }
    if let Err(e) = std::fs::metadata(path) {
        return Err(DataError::io(path, e));
    }
    convirt_augment::open(path).map_err(|e| DataError::Image {
        file: path.to_path_buf(),
        message: e.to_string(),
    })
}
