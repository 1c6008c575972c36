use burn::module::Module;
use burn::nn::BatchNorm;
use burn::nn::conv::Conv2d;
use burn::nn::pool::MaxPool2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use convirt_kernels::{batch_norm_module, conv2d_module};
use serde::{Deserialize, Serialize};

use super::{DenseBlock, Transition};
use crate::layers::{bn, conv, stem_pool};
use crate::{EncoderError, ImageEncoder};

/// The shape of a DenseNet: growth rate, layers per block, stem width, bottleneck factor and
/// input channels (torchvision's `DenseNet` arguments).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenseNetConfig {
    /// Channels each layer adds (32).
    pub growth_rate: usize,
    /// Layers in each of the four dense blocks.
    pub block_config: [usize; 4],
    /// Channels of the stem (64).
    pub num_init_features: usize,
    /// The bottleneck is `bn_size · growth_rate` wide (4).
    pub bn_size: usize,
    /// Input channels: 3 (ImageNet-style, gray replicated) or 1.
    pub in_channels: usize,
}

impl DenseNetConfig {
    /// DenseNet121: blocks of 6, 12, 24 and 16 layers, 1024 features.
    pub fn densenet121() -> Self {
        Self::new(32, [6, 12, 24, 16], 64)
    }

    /// DenseNet169: blocks of 6, 12, 32 and 32 layers, 1664 features.
    pub fn densenet169() -> Self {
        Self::new(32, [6, 12, 32, 32], 64)
    }

    /// By name: `densenet121` or `densenet169`.
    pub fn by_name(name: &str) -> Result<Self, EncoderError> {
        match name {
            "densenet121" => Ok(Self::densenet121()),
            "densenet169" => Ok(Self::densenet169()),
            other => Err(EncoderError::Invalid(format!(
                "unknown architecture '{other}': expected densenet121 or densenet169"
            ))),
        }
    }

    fn new(growth_rate: usize, block_config: [usize; 4], num_init_features: usize) -> Self {
        Self {
            growth_rate,
            block_config,
            num_init_features,
            bn_size: 4,
            in_channels: 3,
        }
    }

    /// Sets the input channels (1 or 3).
    pub fn with_in_channels(mut self, channels: usize) -> Self {
        self.in_channels = channels;
        self
    }

    /// Sets the growth rate and stem width (smaller for tests).
    pub fn with_widths(mut self, growth_rate: usize, num_init_features: usize) -> Self {
        self.growth_rate = growth_rate;
        self.num_init_features = num_init_features;
        self
    }

    /// Sets the layers per block.
    pub fn with_blocks(mut self, block_config: [usize; 4]) -> Self {
        self.block_config = block_config;
        self
    }

    /// Channels after each block and transition: the pooled feature size is the last.
    fn widths(&self) -> [usize; 4] {
        let mut c = self.num_init_features;
        let mut out = [0; 4];
        for (i, &n) in self.block_config.iter().enumerate() {
            c += n * self.growth_rate;
            out[i] = c;
            if i < 3 {
                c /= 2;
            }
        }
        out
    }

    /// Size of the pooled features (1024 for DenseNet121).
    pub fn feature_dim(&self) -> usize {
        self.widths()[3]
    }

    /// Builds a randomly initialised model on `device`.
    pub fn init(&self, device: &Device) -> DenseNet {
        let [w1, w2, w3, w4] = self.widths();
        let (g, b, n) = (self.growth_rate, self.bn_size, self.block_config);
        let block = |cin, i: usize| DenseBlock::new(cin, n[i], g, b, device);
        let features = DenseFeatures {
            conv0: conv(self.in_channels, self.num_init_features, 7, 2, device),
            norm0: bn(self.num_init_features, device),
            pool0: stem_pool(),
            denseblock1: block(self.num_init_features, 0),
            transition1: Transition::new(w1, w1 / 2, device),
            denseblock2: block(w1 / 2, 1),
            transition2: Transition::new(w2, w2 / 2, device),
            denseblock3: block(w2 / 2, 2),
            transition3: Transition::new(w3, w3 / 2, device),
            denseblock4: block(w3 / 2, 3),
            norm5: bn(w4, device),
        };
        DenseNet {
            features,
            feature_dim: w4,
        }
    }
}

/// torchvision's `DenseNet.features`: the stem, four dense blocks with transitions between
/// them, and the final BatchNorm.
#[derive(Module, Debug)]
pub struct DenseFeatures {
    /// 7×7 stem convolution, stride 2.
    pub conv0: Conv2d,
    /// Stem BatchNorm.
    pub norm0: BatchNorm,
    /// 3×3 max pooling, stride 2.
    pub pool0: MaxPool2d,
    /// Block 1.
    pub denseblock1: DenseBlock,
    /// Transition 1.
    pub transition1: Transition,
    /// Block 2.
    pub denseblock2: DenseBlock,
    /// Transition 2.
    pub transition2: Transition,
    /// Block 3.
    pub denseblock3: DenseBlock,
    /// Transition 3.
    pub transition3: Transition,
    /// Block 4.
    pub denseblock4: DenseBlock,
    /// Final BatchNorm.
    pub norm5: BatchNorm,
}

/// A torchvision-shaped DenseNet without its classifier: images → pooled features.
///
/// ```
/// use burn::tensor::{Device, Tensor};
/// use convirt_encoders::{DenseNetConfig, ImageEncoder};
///
/// let device = Device::flex();
/// let net = DenseNetConfig::densenet121()
///     .with_widths(4, 8)
///     .with_blocks([1, 1, 1, 1])
///     .with_in_channels(1)
///     .init(&device);
/// let h = net.encode_images(Tensor::zeros([2, 1, 64, 64], &device));
/// assert_eq!(h.dims(), [2, net.feature_dim()]);
/// ```
#[derive(Module, Debug)]
pub struct DenseNet {
    /// torchvision's `features`.
    pub features: DenseFeatures,
    /// Pooled feature size.
    pub feature_dim: usize,
}

impl DenseNet {
    /// The last block's normalised feature map, before the final ReLU and pooling.
    pub fn feature_map(&self, images: Tensor<4>) -> Tensor<4> {
        let f = &self.features;
        let x = relu(batch_norm_module(&f.norm0, conv2d_module(&f.conv0, images)));
        let x = f.pool0.forward(x);
        let x = f.transition1.forward(f.denseblock1.forward(x));
        let x = f.transition2.forward(f.denseblock2.forward(x));
        let x = f.transition3.forward(f.denseblock3.forward(x));
        batch_norm_module(&f.norm5, f.denseblock4.forward(x))
    }
}

impl ImageEncoder for DenseNet {
    fn encode_images(&self, images: Tensor<4>) -> Tensor<2> {
        let map = relu(self.feature_map(images));
        let [n, c, _, _] = map.dims();
        map.mean_dims(&[2, 3]).reshape([n, c])
    }

    fn feature_dim(&self) -> usize {
        self.feature_dim
    }

    /// `densenet121(in=1)`; other shapes are spelled out.
    fn describe(&self) -> String {
        let f = &self.features;
        let [stem, cin, _, _] = f.conv0.weight.lazy_shape().dims();
        let blocks = [
            f.denseblock1.layers.len(),
            f.denseblock2.layers.len(),
            f.denseblock3.layers.len(),
            f.denseblock4.layers.len(),
        ];
        let growth = f
            .denseblock1
            .layers
            .first()
            .map_or(0, |l| l.conv2.weight.lazy_shape().dims::<4>()[0]);
        match (growth, blocks, stem) {
            (32, [6, 12, 24, 16], 64) => format!("densenet121(in={cin})"),
            (32, [6, 12, 32, 32], 64) => format!("densenet169(in={cin})"),
            (g, b, s) => format!("densenet(growth={g},blocks={b:?},stem={s},in={cin})"),
        }
    }
}
