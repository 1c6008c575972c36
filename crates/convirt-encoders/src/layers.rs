//! The layer builders the CNN towers share (torchvision's defaults): bias-free "same"-padded
//! convolutions, BatchNorm, and the 3×3 stride-2 max pooling of the stem.

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::Device;

/// A bias-free `k×k` convolution from `cin` to `cout` channels, padded by `k / 2`.
pub(crate) fn conv(cin: usize, cout: usize, k: usize, stride: usize, device: &Device) -> Conv2d {
    Conv2dConfig::new([cin, cout], [k, k])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(k / 2, k / 2, k / 2, k / 2))
        .with_bias(false)
        .init(device)
}

/// BatchNorm over `c` channels (ε 1e-5, momentum 0.1, as PyTorch).
pub(crate) fn bn(c: usize, device: &Device) -> BatchNorm {
    BatchNormConfig::new(c).init(device)
}

/// The stem's 3×3 max pooling, stride 2, padding 1.
pub(crate) fn stem_pool() -> MaxPool2d {
    MaxPool2dConfig::new([3, 3])
        .with_strides([2, 2])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init()
}
