use burn::module::Module;
use burn::nn::BatchNorm;
use burn::nn::conv::Conv2d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use convirt_kernels::{batch_norm_module, conv2d_module};

use crate::layers::{bn, conv};

/// The shortcut's 1×1 convolution and BatchNorm (torchvision's `downsample.0` / `downsample.1`).
#[derive(Module, Debug)]
pub struct Downsample {
    /// 1×1 strided convolution.
    pub conv: Conv2d,
    /// Its BatchNorm.
    pub bn: BatchNorm,
}

/// A residual block: torchvision's `BasicBlock` (two 3×3 convolutions) when `conv3` is absent,
/// its `Bottleneck` (1×1, strided 3×3, 1×1 ×4) when present.
#[derive(Module, Debug)]
pub struct Block {
    /// First convolution.
    pub conv1: Conv2d,
    /// First BatchNorm.
    pub bn1: BatchNorm,
    /// Second convolution.
    pub conv2: Conv2d,
    /// Second BatchNorm.
    pub bn2: BatchNorm,
    /// The bottleneck's expanding 1×1 convolution.
    pub conv3: Option<Conv2d>,
    /// Its BatchNorm.
    pub bn3: Option<BatchNorm>,
    /// The projection shortcut, when the shape changes.
    pub downsample: Option<Downsample>,
}

impl Block {
    /// A basic block from `cin` to `cout` channels.
    pub fn basic(cin: usize, cout: usize, stride: usize, device: &Device) -> Self {
        Self {
            conv1: conv(cin, cout, 3, stride, device),
            bn1: bn(cout, device),
            conv2: conv(cout, cout, 3, 1, device),
            bn2: bn(cout, device),
            conv3: None,
            bn3: None,
            downsample: (stride != 1 || cin != cout).then(|| Downsample {
                conv: conv(cin, cout, 1, stride, device),
                bn: bn(cout, device),
            }),
        }
    }

    /// A bottleneck block from `cin` channels through `width` to `4·width`.
    pub fn bottleneck(cin: usize, width: usize, stride: usize, device: &Device) -> Self {
        let cout = width * 4;
        Self {
            conv1: conv(cin, width, 1, 1, device),
            bn1: bn(width, device),
            conv2: conv(width, width, 3, stride, device),
            bn2: bn(width, device),
            conv3: Some(conv(width, cout, 1, 1, device)),
            bn3: Some(bn(cout, device)),
            downsample: (stride != 1 || cin != cout).then(|| Downsample {
                conv: conv(cin, cout, 1, stride, device),
                bn: bn(cout, device),
            }),
        }
    }

    /// `[N, C, H, W]` → `[N, C', H', W']`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let shortcut = match &self.downsample {
            Some(d) => batch_norm_module(&d.bn, conv2d_module(&d.conv, x.clone())),
            None => x.clone(),
        };
        let mut y = relu(batch_norm_module(&self.bn1, conv2d_module(&self.conv1, x)));
        y = batch_norm_module(&self.bn2, conv2d_module(&self.conv2, y));
        if let (Some(c3), Some(b3)) = (&self.conv3, &self.bn3) {
            y = batch_norm_module(b3, conv2d_module(c3, relu(y)));
        }
        relu(y + shortcut)
    }
}
