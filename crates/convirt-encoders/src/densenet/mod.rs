//! f_v: DenseNet121/169 with torchvision's structure and parameter names (`features.conv0`,
//! `features.denseblock1.denselayer1.norm1`, `features.transition1.conv`, `features.norm5`, …),
//! returning the ReLU'd, globally average-pooled features (1024 or 1664) without the
//! classifier: CheXNet's and torchxrayvision's tower.

mod layer;
mod model;

pub use layer::{DenseBlock, DenseLayer, Transition};
pub use model::{DenseFeatures, DenseNet, DenseNetConfig};
