//! DICOM decoding: fixtures written by the test (MONOCHROME2 16-bit with rescale and a window,
//! MONOCHROME1 8-bit without either, MONOCHROME1 16-bit rescaled without a window), pixel values
//! checked against the DICOM formulas computed here.

use std::path::Path;

use convirt_data::{DataError, read_image};
use dicom_core::smallvec::SmallVec;
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};

const W: usize = 4;
const H: usize = 3;

struct Fixture<'a> {
    photometric: &'a str,
    bits: u16,
    stored: Vec<u16>,
    rescale: Option<(&'a str, &'a str)>,
    window: Option<(&'a str, &'a str)>,
}

fn write(path: &Path, f: &Fixture) {
    let us = |tag, v: u16| DataElement::new(tag, VR::US, PrimitiveValue::from(v));
    let mut obj = InMemDicomObject::from_element_iter([
        DataElement::new(
            tags::SOP_CLASS_UID,
            VR::UI,
            PrimitiveValue::from(uids::DIGITAL_X_RAY_IMAGE_STORAGE_FOR_PRESENTATION),
        ),
        DataElement::new(
            tags::SOP_INSTANCE_UID,
            VR::UI,
            PrimitiveValue::from("2.25.1"),
        ),
        us(tags::ROWS, H as u16),
        us(tags::COLUMNS, W as u16),
        us(tags::SAMPLES_PER_PIXEL, 1),
        DataElement::new(
            tags::PHOTOMETRIC_INTERPRETATION,
            VR::CS,
            PrimitiveValue::from(f.photometric),
        ),
        us(tags::BITS_ALLOCATED, f.bits),
        us(tags::BITS_STORED, f.bits),
        us(tags::HIGH_BIT, f.bits - 1),
        us(tags::PIXEL_REPRESENTATION, 0),
    ]);
    if let Some((slope, intercept)) = f.rescale {
        obj.put(DataElement::new(
            tags::RESCALE_SLOPE,
            VR::DS,
            PrimitiveValue::from(slope),
        ));
        obj.put(DataElement::new(
            tags::RESCALE_INTERCEPT,
            VR::DS,
            PrimitiveValue::from(intercept),
        ));
    }
    if let Some((center, width)) = f.window {
        obj.put(DataElement::new(
            tags::WINDOW_CENTER,
            VR::DS,
            PrimitiveValue::from(center),
        ));
        obj.put(DataElement::new(
            tags::WINDOW_WIDTH,
            VR::DS,
            PrimitiveValue::from(width),
        ));
    }
    let pixels = if f.bits == 16 {
        DataElement::new(
            tags::PIXEL_DATA,
            VR::OW,
            PrimitiveValue::U16(SmallVec::from_vec(f.stored.clone())),
        )
    } else {
        let bytes: Vec<u8> = f.stored.iter().map(|&v| v as u8).collect();
        DataElement::new(tags::PIXEL_DATA, VR::OB, PrimitiveValue::from(bytes))
    };
    obj.put(pixels);
    obj.with_meta(FileMetaTableBuilder::new().transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN))
        .unwrap()
        .write_to_file(path)
        .unwrap();
}

fn assert_close(got: &[f32], expected: &[f64]) {
    assert_eq!(got.len(), expected.len());
    for (k, (g, e)) in got.iter().zip(expected).enumerate() {
        assert!((*g as f64 - e).abs() < 1e-6, "pixel {k}: {g} vs {e}");
    }
}

#[test]
fn monochrome2_rescaled_and_windowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mono2.dcm");
    let stored: Vec<u16> = vec![
        0, 100, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4095, 1012,
    ];
    write(
        &path,
        &Fixture {
            photometric: "MONOCHROME2",
            bits: 16,
            stored: stored.clone(),
            rescale: Some(("2", "-1024")),
            window: Some(("1000", "2000")),
        },
    );
    let image = read_image(&path).unwrap();
    assert_eq!((image.width(), image.height()), (W, H));
    // Modality: 2v − 1024. Window c = 1000, w = 2000: ((x − 999.5)/1999 + 0.5) clamped.
    let expected: Vec<f64> = stored
        .iter()
        .map(|&v| {
            let x = 2.0 * v as f64 - 1024.0;
            ((x - 999.5) / 1999.0 + 0.5).clamp(0.0, 1.0)
        })
        .collect();
    assert_eq!(expected[0], 0.0);
    assert_eq!(expected[10], 1.0);
    assert!((expected[11] - 0.50025).abs() < 1e-4, "{}", expected[11]);
    assert_close(&image.to_f32(), &expected);
}

#[test]
fn monochrome1_without_window_is_min_max_then_inverted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mono1.DCM");
    let stored: Vec<u16> = vec![10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 250];
    write(
        &path,
        &Fixture {
            photometric: "MONOCHROME1",
            bits: 8,
            stored: stored.clone(),
            rescale: None,
            window: None,
        },
    );
    let image = read_image(&path).unwrap();
    // White is low in MONOCHROME1: the smallest stored value is the brightest.
    let expected: Vec<f64> = stored
        .iter()
        .map(|&v| 1.0 - (v as f64 - 10.0) / 240.0)
        .collect();
    assert_close(&image.to_f32(), &expected);
    assert_eq!(image.get(0, 0), 1.0);
    assert_eq!(image.get(3, 2), 0.0);
}

#[test]
fn monochrome1_rescaled_16_bit_without_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mono1_16.dcm");
    let stored: Vec<u16> = (0..12).map(|k| 300 * k as u16 + 7).collect();
    write(
        &path,
        &Fixture {
            photometric: "MONOCHROME1",
            bits: 16,
            stored: stored.clone(),
            rescale: Some(("0.5", "100")),
            window: None,
        },
    );
    let image = read_image(&path).unwrap();
    let x: Vec<f64> = stored.iter().map(|&v| 0.5 * v as f64 + 100.0).collect();
    let (lo, hi) = (x[0], x[11]);
    let expected: Vec<f64> = x.iter().map(|v| 1.0 - (v - lo) / (hi - lo)).collect();
    assert_close(&image.to_f32(), &expected);
}

#[test]
fn a_broken_dicom_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.dcm");
    std::fs::write(&path, b"not a dicom file at all").unwrap();
    let error = read_image(&path).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, .. } if file == &path),
        "{error}"
    );
    assert!(error.to_string().contains("broken.dcm"));
    let missing = dir.path().join("missing.dcm");
    assert!(matches!(read_image(&missing), Err(DataError::Io { file, .. }) if file == missing));
}
