//! DenseNet's pieces: the bottleneck layer whose output joins its input, the block of such
//! layers, and the transition that halves channels and resolution.

use burn::module::Module;
use burn::nn::BatchNorm;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use convirt_kernels::{batch_norm_module, conv2d_module};

use crate::layers::{bn, conv};

/// torchvision's `_DenseLayer`: BN–ReLU–1×1 conv to `bn_size·growth`, BN–ReLU–3×3 conv to
/// `growth` new channels.
#[derive(Module, Debug)]
pub struct DenseLayer {
    /// BatchNorm over the layer's input.
    pub norm1: BatchNorm,
    /// 1×1 bottleneck convolution.
    pub conv1: Conv2d,
    /// BatchNorm over the bottleneck.
    pub norm2: BatchNorm,
    /// 3×3 convolution giving the new channels.
    pub conv2: Conv2d,
}

impl DenseLayer {
    /// A layer reading `cin` channels and adding `growth`.
    pub fn new(cin: usize, growth: usize, bn_size: usize, device: &Device) -> Self {
        let width = bn_size * growth;
        Self {
            norm1: bn(cin, device),
            conv1: conv(cin, width, 1, 1, device),
            norm2: bn(width, device),
            conv2: conv(width, growth, 3, 1, device),
        }
    }

    /// The `growth` new channels of the concatenated input `[N, cin, H, W]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = conv2d_module(&self.conv1, relu(batch_norm_module(&self.norm1, x)));
        conv2d_module(&self.conv2, relu(batch_norm_module(&self.norm2, x)))
    }
}

/// torchvision's `_DenseBlock`: each layer sees the block's input and every earlier layer's
/// output, concatenated on channels. Its layers are `denselayer1…` in torchvision's names and
/// `layers.0…` here ([`crate::weights`] maps them).
#[derive(Module, Debug)]
pub struct DenseBlock {
    /// The layers, in order.
    pub layers: Vec<DenseLayer>,
}

impl DenseBlock {
    /// `count` layers from `cin` channels; the block gives `cin + count·growth`.
    pub fn new(cin: usize, count: usize, growth: usize, bn_size: usize, device: &Device) -> Self {
        Self {
            layers: (0..count)
                .map(|i| DenseLayer::new(cin + i * growth, growth, bn_size, device))
                .collect(),
        }
    }

    /// The input and every layer's output, concatenated.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut features = vec![x];
        for layer in &self.layers {
            let new = layer.forward(Tensor::cat(features.clone(), 1));
            features.push(new);
        }
        Tensor::cat(features, 1)
    }
}

/// torchvision's `_Transition`: BN–ReLU–1×1 conv to `cout`, then 2×2 average pooling.
#[derive(Module, Debug)]
pub struct Transition {
    /// BatchNorm.
    pub norm: BatchNorm,
    /// 1×1 convolution.
    pub conv: Conv2d,
    /// 2×2, stride 2.
    pub pool: AvgPool2d,
}

impl Transition {
    /// From `cin` to `cout` channels, half the resolution.
    pub fn new(cin: usize, cout: usize, device: &Device) -> Self {
        Self {
            norm: bn(cin, device),
            conv: conv(cin, cout, 1, 1, device),
            pool: AvgPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
        }
    }

    /// Normalises, reduces the channels and halves the resolution.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.pool.forward(conv2d_module(
            &self.conv,
            relu(batch_norm_module(&self.norm, x)),
        ))
    }
}
