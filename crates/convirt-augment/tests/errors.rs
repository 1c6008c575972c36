//! Bad inputs give typed errors that say what and where: empty images, wrong buffers, files that
//! do not decode, out-of-range parameters.

use convirt_augment::{
    AugmentError, CenterCrop, ColorJitter, GaussianBlur, HorizontalFlip, Image, Normalize,
    RandomAffine, RandomResizedCrop, Resize, TensorLayout, open,
};

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("convirt-augment-{}-{name}", std::process::id()))
}

#[test]
fn empty_images_are_rejected() {
    for (w, h) in [(0, 5), (5, 0), (0, 0)] {
        let err = Image::from_u8(w, h, vec![]).unwrap_err();
        assert!(
            matches!(err, AugmentError::EmptyImage { width, height, .. } if (width, height) == (w, h))
        );
    }
    let err = Image::from_f32(3, 2, vec![0.0; 5]).unwrap_err();
    assert!(matches!(
        err,
        AugmentError::BufferSize {
            len: 5,
            width: 3,
            height: 2
        }
    ));
}

#[test]
fn a_file_that_does_not_decode_names_the_file() {
    let path = temp("garbage.png");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\nthis is not a png").unwrap();
    let err = open(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(matches!(err, AugmentError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("garbage.png"), "{err}");
}

#[test]
fn a_missing_file_names_the_file() {
    let err = open("/nonexistent/dir/film-0042.png").unwrap_err();
    assert!(err.to_string().contains("film-0042.png"), "{err}");
}

#[test]
fn bad_parameters_are_rejected() {
    assert!(RandomResizedCrop::new(0, 224, (0.6, 1.0), (0.75, 1.33)).is_err());
    assert!(RandomResizedCrop::new(224, 224, (0.0, 1.0), (0.75, 1.33)).is_err());
    assert!(RandomResizedCrop::new(224, 224, (0.6, 1.5), (0.75, 1.33)).is_err());
    assert!(RandomResizedCrop::new(224, 224, (0.9, 0.6), (0.75, 1.33)).is_err());
    assert!(RandomResizedCrop::new(224, 224, (0.6, 1.0), (0.75, f64::NAN)).is_err());
    assert!(RandomResizedCrop::new(224, 224, (0.6, 1.0), (0.75, 1.33)).is_ok());
    assert!(HorizontalFlip::new(1.5).is_err());
    assert!(HorizontalFlip::new(f64::NAN).is_err());
    assert!(RandomAffine::new(-1.0, 0.1, (0.95, 1.05)).is_err());
    assert!(RandomAffine::new(20.0, 0.1, (0.0, 1.05)).is_err());
    assert!(ColorJitter::new((-0.1, 1.4), (0.6, 1.4)).is_err());
    assert!(ColorJitter::new((0.6, 1.4), (1.4, 0.6)).is_err());
    assert!(GaussianBlur::new((0.0, 3.0)).is_err());
    assert!(Normalize::new(0.5, 0.0).is_err());
    assert!(Resize::new(0, 1).is_err());
    assert!(CenterCrop::new(1, 0).is_err());
    let err = GaussianBlur::new((0.0, 3.0)).unwrap_err();
    assert!(err.to_string().contains("blur sigma"), "{err}");
}

#[test]
fn a_ragged_batch_is_rejected() {
    let device = burn::tensor::Device::flex();
    let a = Image::from_u8(4, 4, vec![0; 16]).unwrap();
    let b = Image::from_u8(4, 5, vec![0; 20]).unwrap();
    let err = TensorLayout::gray()
        .to_tensor(&[a, b], &device)
        .unwrap_err();
    assert!(err.to_string().contains("image 1 is 4×5"), "{err}");
    assert!(TensorLayout::gray().to_tensor(&[], &device).is_err());
}
