//! The built-in image towers at full size, without drawing their weights (parameters are
//! initialised lazily): torchvision's parameter counts, feature sizes, and the names checkpoints
//! record.

use burn::module::Module;
use burn::tensor::Device;
use convirt_encoders::{DenseNetConfig, ImageEncoder, ResNetConfig, VitConfig};

#[test]
fn parameter_counts_are_torchvisions_without_the_classifier() {
    let device = Device::flex();
    // torchvision's parameters without the classifier (resnet50 25,557,032 − fc 2,049,000;
    // densenet121 7,978,856 − 1,025,000; densenet169 14,149,480 − 1,665,000; vit_b_16
    // 86,567,656 − heads 769,000), plus BatchNorm's running mean and variance, which burn counts
    // with the parameters and torchvision keeps as buffers (2 × the BatchNorm channels).
    let resnet = ResNetConfig::resnet50().init(&device);
    assert_eq!(resnet.num_params(), 23_508_032 + 53_120);
    let densenet = DenseNetConfig::densenet121().init(&device);
    assert_eq!(densenet.num_params(), 6_953_856 + 83_648);
    let densenet169 = DenseNetConfig::densenet169().init(&device);
    assert_eq!(densenet169.num_params(), 12_484_480 + 158_400);
    let vit = VitConfig::vit_b_16().init(&device).unwrap();
    assert_eq!(vit.num_params(), 85_798_656);
}

#[test]
fn feature_sizes_and_checkpoint_names() {
    let device = Device::flex();
    let resnet = ResNetConfig::resnet50().with_in_channels(1).init(&device);
    assert_eq!(
        (resnet.feature_dim(), resnet.describe().as_str()),
        (2048, "resnet50(in=1)")
    );
    let narrow = ResNetConfig::resnet18().with_base_width(8).init(&device);
    assert_eq!(narrow.describe(), "resnet18(in=3,width=8)");
    let densenet = DenseNetConfig::densenet121().init(&device);
    assert_eq!(
        (densenet.feature_dim(), densenet.describe().as_str()),
        (1024, "densenet121(in=3)")
    );
    let densenet = DenseNetConfig::densenet169()
        .with_in_channels(1)
        .init(&device);
    assert_eq!(
        (densenet.feature_dim(), densenet.describe().as_str()),
        (1664, "densenet169(in=1)")
    );
    let vit = VitConfig::vit_b_16()
        .with_image_size(64)
        .init(&device)
        .unwrap();
    assert_eq!(
        (vit.feature_dim(), vit.describe().as_str()),
        (768, "vit_b_16(in=3,size=64)")
    );
    assert_eq!((vit.grid(), vit.image_size()), (4, 64));
}

#[test]
fn a_vit_refuses_sizes_its_patches_do_not_tile() {
    let device = Device::flex();
    let error = VitConfig::vit_b_16()
        .with_image_size(100)
        .init(&device)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("not a multiple of its patch size 16"),
        "{error}"
    );
    let vit = VitConfig::vit_b_16()
        .with_widths(1, 2, 8, 16)
        .init(&device)
        .unwrap();
    assert!(vit.with_image_size(40).is_err());
    let error = VitConfig::vit_b_16()
        .with_widths(1, 3, 8, 16)
        .init(&device)
        .unwrap_err();
    assert!(error.to_string().contains("3 heads"), "{error}");
    assert!(
        VitConfig::by_name("vit_h_14").is_err() && DenseNetConfig::by_name("densenet").is_err()
    );
}
