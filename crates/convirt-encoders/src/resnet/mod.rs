//! f_v: ResNet18/34/50 with torchvision's structure and parameter names (`conv1`, `bn1`,
//! `layer1.0.conv1`, `layer2.0.downsample.0`, …), returning the globally average-pooled features
//! (512 or 2048) without the classifier.

mod block;
mod model;

pub use block::{Block, Downsample};
pub use model::{ResNet, ResNetConfig};
