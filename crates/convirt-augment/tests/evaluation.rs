//! The evaluation transforms and the batch → tensor step.

use burn::tensor::Device;
use convirt_augment::{
    CenterCrop, Channels, Image, Normalize, PadToSquare, Resize, TensorLayout, Transform,
    evaluation, sample_rng,
};

fn ramp(w: usize, h: usize) -> Image {
    Image::from_f32(
        w,
        h,
        (0..w * h).map(|i| i as f32 / (w * h) as f32).collect(),
    )
    .unwrap()
}

#[test]
fn pad_to_square_centres_the_image_in_zeros() {
    let img = Image::from_u8(2, 4, vec![255; 8]).unwrap();
    let out = PadToSquare.pad(&img);
    assert_eq!((out.width(), out.height()), (4, 4));
    let v = out.to_f32();
    for y in 0..4 {
        assert_eq!(&v[y * 4..y * 4 + 4], &[0.0, 1.0, 1.0, 0.0]);
    }
    let wide = PadToSquare.pad(&Image::from_u8(3, 1, vec![255; 3]).unwrap());
    assert_eq!(
        wide.to_f32(),
        vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    );
}

#[test]
fn center_crop_follows_torchvision_offsets() {
    let img = ramp(5, 4);
    let out = CenterCrop::new(2, 2).unwrap().crop(&img);
    // left = round(3 / 2) = 2 (ties to even), top = round(2 / 2) = 1.
    assert_eq!(
        out.to_f32(),
        vec![img.get(2, 1), img.get(3, 1), img.get(2, 2), img.get(3, 2)]
    );
    let big = CenterCrop::new(7, 4).unwrap().crop(&img);
    assert_eq!(big.get(0, 0), 0.0);
    assert_eq!(big.get(1, 0), img.get(0, 0));
    assert_eq!(big.get(6, 3), 0.0);
}

#[test]
fn resize_shrinks_a_constant_to_the_constant() {
    let img = Image::from_u16(1000, 700, vec![40000; 700_000]).unwrap();
    let out = Resize::new(224, 160).unwrap().resize(&img);
    assert_eq!((out.width(), out.height()), (224, 160));
    assert!(
        out.to_f32()
            .iter()
            .all(|v| (v - 40000.0 / 65535.0).abs() < 1e-5)
    );
}

#[test]
fn evaluation_pads_then_resizes() {
    let img = Image::from_u8(300, 100, vec![255; 30_000]).unwrap();
    let out = evaluation(30).apply(img, &mut sample_rng(0, 0, 0));
    assert_eq!((out.width(), out.height()), (30, 30));
    assert!(
        out.get(15, 0) < 0.01 && out.get(15, 29) < 0.01,
        "padding stays black"
    );
    assert!((out.get(15, 15) - 1.0).abs() < 1e-5, "content stays white");
}

#[test]
fn normalize_standardises() {
    let out = Normalize::new(0.5, 0.25).unwrap().apply(
        Image::from_f32(2, 1, vec![0.0, 1.0]).unwrap(),
        &mut sample_rng(0, 0, 0),
    );
    assert_eq!(out.to_f32(), vec![-2.0, 2.0]);
}

#[test]
fn tensors_have_the_requested_layout() {
    let device = Device::flex();
    let imgs = [ramp(3, 2), Image::from_u8(3, 2, vec![255; 6]).unwrap()];
    let gray = TensorLayout::gray().to_tensor(&imgs, &device).unwrap();
    assert_eq!(gray.dims(), [2, 1, 2, 3]);
    let v: Vec<f32> = gray.into_data().convert::<f32>().try_into_vec().unwrap();
    assert_eq!(&v[..6], imgs[0].to_f32().as_slice());
    assert_eq!(&v[6..], &[1.0; 6]);

    let layout = TensorLayout {
        channels: Channels::Three,
        ..TensorLayout::imagenet()
    };
    let rgb = layout.to_tensor(&imgs, &device).unwrap();
    assert_eq!(rgb.dims(), [2, 3, 2, 3]);
    let v: Vec<f32> = rgb.into_data().convert::<f32>().try_into_vec().unwrap();
    // Image 1 is white: channel c holds (1 − mean_c) / std_c.
    for c in 0..3 {
        let expect = (1.0 - layout.mean[c]) / layout.std[c];
        let start = 18 + c * 6;
        assert!(
            v[start..start + 6]
                .iter()
                .all(|x| (x - expect).abs() < 1e-5)
        );
    }
}
