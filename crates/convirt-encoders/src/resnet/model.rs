use burn::module::Module;
use burn::nn::BatchNorm;
use burn::nn::conv::Conv2d;
use burn::nn::pool::MaxPool2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use convirt_kernels::{batch_norm_module, conv2d_module};
use serde::{Deserialize, Serialize};

use super::Block;
use crate::layers::{bn, conv, stem_pool};
use crate::{EncoderError, ImageEncoder};

/// The shape of a ResNet: block kind, blocks per stage, stem width and input channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResNetConfig {
    /// Bottleneck blocks (ResNet50+) or basic blocks (ResNet18/34).
    pub bottleneck: bool,
    /// Blocks in each of the four stages.
    pub layers: [usize; 4],
    /// Channels of the stem and of the first stage (64 in torchvision; smaller for tests).
    pub base_width: usize,
    /// Input channels: 3 (ImageNet-style, gray replicated) or 1.
    pub in_channels: usize,
}

impl ResNetConfig {
    /// ResNet18.
    pub fn resnet18() -> Self {
        Self::new(false, [2, 2, 2, 2])
    }
    /// ResNet34.
    pub fn resnet34() -> Self {
        Self::new(false, [3, 4, 6, 3])
    }
    /// ResNet50, ConVIRT's image tower.
    pub fn resnet50() -> Self {
        Self::new(true, [3, 4, 6, 3])
    }

    /// By name: `resnet18`, `resnet34` or `resnet50`.
    pub fn by_name(name: &str) -> Result<Self, EncoderError> {
        match name {
            "resnet18" => Ok(Self::resnet18()),
            "resnet34" => Ok(Self::resnet34()),
            "resnet50" => Ok(Self::resnet50()),
            other => Err(EncoderError::Invalid(format!(
                "unknown architecture '{other}': expected resnet18, resnet34 or resnet50"
            ))),
        }
    }

    fn new(bottleneck: bool, layers: [usize; 4]) -> Self {
        Self {
            bottleneck,
            layers,
            base_width: 64,
            in_channels: 3,
        }
    }

    /// Sets the input channels (1 or 3).
    pub fn with_in_channels(mut self, channels: usize) -> Self {
        self.in_channels = channels;
        self
    }

    /// Sets the stem width (torchvision: 64).
    pub fn with_base_width(mut self, width: usize) -> Self {
        self.base_width = width;
        self
    }

    /// Size of the pooled features: 8·width (basic) or 32·width (bottleneck).
    pub fn feature_dim(&self) -> usize {
        self.base_width * 8 * if self.bottleneck { 4 } else { 1 }
    }

    /// Builds a randomly initialised model on `device`.
    pub fn init(&self, device: &Device) -> ResNet {
        let w = self.base_width;
        let expansion = if self.bottleneck { 4 } else { 1 };
        let mut cin = w;
        let mut stage = |i: usize| -> Vec<Block> {
            let width = w << i;
            (0..self.layers[i])
                .map(|b| {
                    let stride = if b == 0 && i > 0 { 2 } else { 1 };
                    let block = if self.bottleneck {
                        Block::bottleneck(cin, width, stride, device)
                    } else {
                        Block::basic(cin, width, stride, device)
                    };
                    cin = width * expansion;
                    block
                })
                .collect()
        };
        let (layer1, layer2, layer3, layer4) = (stage(0), stage(1), stage(2), stage(3));
        ResNet {
            conv1: conv(self.in_channels, w, 7, 2, device),
            bn1: bn(w, device),
            maxpool: stem_pool(),
            layer1,
            layer2,
            layer3,
            layer4,
            feature_dim: self.feature_dim(),
        }
    }
}

/// A torchvision-shaped ResNet without its classifier: images → pooled features.
///
/// ```
/// use burn::tensor::{Device, Tensor};
/// use convirt_encoders::{ImageEncoder, ResNetConfig};
///
/// let device = Device::flex();
/// let net = ResNetConfig::resnet18().with_base_width(8).init(&device);
/// let h = net.encode_images(Tensor::zeros([2, 3, 32, 32], &device));
/// assert_eq!(h.dims(), [2, 64]);
/// ```
#[derive(Module, Debug)]
pub struct ResNet {
    /// 7×7 stem convolution.
    pub conv1: Conv2d,
    /// Stem BatchNorm.
    pub bn1: BatchNorm,
    /// 3×3 max pooling.
    pub maxpool: MaxPool2d,
    /// Stage 1.
    pub layer1: Vec<Block>,
    /// Stage 2.
    pub layer2: Vec<Block>,
    /// Stage 3.
    pub layer3: Vec<Block>,
    /// Stage 4.
    pub layer4: Vec<Block>,
    /// Pooled feature size.
    pub feature_dim: usize,
}

impl ResNet {
    /// The last stage's feature map, before pooling.
    pub fn feature_map(&self, images: Tensor<4>) -> Tensor<4> {
        let x = relu(batch_norm_module(
            &self.bn1,
            conv2d_module(&self.conv1, images),
        ));
        let x = self.maxpool.forward(x);
        [&self.layer1, &self.layer2, &self.layer3, &self.layer4]
            .into_iter()
            .flatten()
            .fold(x, |x, block| block.forward(x))
    }
}

impl ImageEncoder for ResNet {
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2> {
        let map = self.feature_map(images);
        let [n, c, _, _] = map.dims();
        map.mean_dims(&[2, 3]).reshape([n, c])
    }

    fn feature_dim(&self) -> usize {
        self.feature_dim
    }

    /// `resnet50(in=1)`; the stem width is added when it is not torchvision's 64, and an
    /// unnamed stage layout is spelled out (`resnet(basic,[1, 1, 1, 1],in=3,width=8)`).
    fn describe(&self) -> String {
        let [width, cin, _, _] = self.conv1.weight.lazy_shape().dims();
        let bottleneck = self.layer1.first().is_some_and(|b| b.conv3.is_some());
        let layers = [
            self.layer1.len(),
            self.layer2.len(),
            self.layer3.len(),
            self.layer4.len(),
        ];
        let name = match (bottleneck, layers) {
            (false, [2, 2, 2, 2]) => "resnet18".to_string(),
            (false, [3, 4, 6, 3]) => "resnet34".to_string(),
            (true, [3, 4, 6, 3]) => "resnet50".to_string(),
            (b, l) => format!("resnet({},{l:?}", if b { "bottleneck" } else { "basic" }),
        };
        let open = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "("
        } else {
            ","
        };
        match width {
            64 => format!("{name}{open}in={cin})"),
            w => format!("{name}{open}in={cin},width={w})"),
        }
    }
}
