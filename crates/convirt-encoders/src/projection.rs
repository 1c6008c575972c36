//! The projection heads g_v and g_u.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use convirt_kernels::batch_norm_module;

use crate::Projection;

/// Configuration of [`MlpProjection`].
#[derive(Config, Debug)]
pub struct MlpProjectionConfig {
    /// Input feature size (2048 for ResNet50, the hidden size for BERT).
    pub input: usize,
    /// Hidden size; ConVIRT uses the input size.
    pub hidden: usize,
    /// Output size; ConVIRT uses 512.
    #[config(default = 512)]
    pub output: usize,
    /// BatchNorm after the first layer (Linear–BN–ReLU–Linear, as SimCLR v2 and MoCo v3 do).
    /// ConVIRT's head has none (`false`, the default). It centres the hidden features over the
    /// batch, so the embeddings of a fresh model are not all near one direction (ReLU features
    /// of positive pooled inputs are, and then the contrastive gradient starts near zero).
    #[config(default = false)]
    pub batch_norm: bool,
}

impl MlpProjectionConfig {
    /// Builds the head on `device`.
    pub fn init(&self, device: &Device) -> MlpProjection {
        MlpProjection {
            linear_1: LinearConfig::new(self.input, self.hidden).init(device),
            norm: self
                .batch_norm
                .then(|| BatchNormConfig::new(self.hidden).init(device)),
            linear_2: LinearConfig::new(self.hidden, self.output).init(device),
        }
    }
}

/// ConVIRT's head: Linear–ReLU–Linear.
///
/// ```
/// use burn::tensor::{Device, Tensor};
/// use convirt_encoders::{MlpProjectionConfig, Projection};
///
/// let device = Device::flex();
/// let head = MlpProjectionConfig::new(2048, 2048).init(&device);
/// let v = head.project(Tensor::zeros([4, 2048], &device));
/// assert_eq!(v.dims(), [4, 512]);
/// ```
#[derive(Module, Debug)]
pub struct MlpProjection {
    /// First layer.
    pub linear_1: Linear,
    /// Optional BatchNorm after the first layer.
    pub norm: Option<BatchNorm>,
    /// Second layer.
    pub linear_2: Linear,
}

impl Projection for MlpProjection {
    fn project(&self, features: Tensor<2>) -> Tensor<2> {
        let hidden = self.linear_1.forward(features);
        let hidden = match &self.norm {
            Some(norm) => batch_norm_module(norm, hidden),
            None => hidden,
        };
        self.linear_2.forward(relu(hidden))
    }

    fn output_dim(&self) -> usize {
        self.linear_2.weight.shape().dims::<2>()[1]
    }
}

/// A single linear head, for the paper's ablation (linear heads hurt retrieval).
#[derive(Module, Debug)]
pub struct LinearProjection {
    /// The layer.
    pub linear: Linear,
}

impl LinearProjection {
    /// A linear head from `input` to `output` features.
    pub fn new(input: usize, output: usize, device: &Device) -> Self {
        Self {
            linear: LinearConfig::new(input, output).init(device),
        }
    }
}

impl Projection for LinearProjection {
    fn project(&self, features: Tensor<2>) -> Tensor<2> {
        self.linear.forward(features)
    }

    fn output_dim(&self) -> usize {
        self.linear.weight.shape().dims::<2>()[1]
    }
}
