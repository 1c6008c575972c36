//! Stacking a batch of same-sized images into a `[N, C, H, W]` burn float tensor.

use burn::tensor::{Device, Tensor, TensorData};

use crate::{AugmentError, Image};

/// How many channels the tensor has: the gray image once, or replicated for RGB-trained towers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    /// `C = 1`.
    One,
    /// `C = 3`, the gray image in each.
    Three,
}

impl Channels {
    /// The channel count.
    pub fn count(self) -> usize {
        match self {
            Channels::One => 1,
            Channels::Three => 3,
        }
    }
}

/// The tensor's channel count and per-channel `(x − mean) / std`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TensorLayout {
    /// One or three channels.
    pub channels: Channels,
    /// Per-channel mean (only the first is used for one channel).
    pub mean: [f32; 3],
    /// Per-channel standard deviation.
    pub std: [f32; 3],
}

impl TensorLayout {
    /// One channel, intensities as they are.
    pub fn gray() -> Self {
        Self {
            channels: Channels::One,
            mean: [0.0; 3],
            std: [1.0; 3],
        }
    }

    /// Three channels with ImageNet's statistics, for towers pretrained on ImageNet.
    pub fn imagenet() -> Self {
        Self {
            channels: Channels::Three,
            mean: [0.485, 0.456, 0.406],
            std: [0.229, 0.224, 0.225],
        }
    }

    /// Stacks `images` into a `[N, C, H, W]` tensor on `device`. Fails on an empty batch or when
    /// sizes differ.
    pub fn to_tensor(&self, images: &[Image], device: &Device) -> Result<Tensor<4>, AugmentError> {
        let first = images
            .first()
            .ok_or_else(|| AugmentError::Batch("no images".into()))?;
        let (w, h) = (first.width(), first.height());
        if let Some((k, bad)) = images
            .iter()
            .enumerate()
            .find(|(_, i)| (i.width(), i.height()) != (w, h))
        {
            return Err(AugmentError::Batch(format!(
                "image {k} is {}×{} but image 0 is {w}×{h}",
                bad.width(),
                bad.height()
            )));
        }
        let c = self.channels.count();
        let mut data = Vec::with_capacity(images.len() * c * w * h);
        for image in images {
            let values = image.to_f32();
            for ch in 0..c {
                let (mean, inv) = (self.mean[ch], 1.0 / self.std[ch]);
                data.extend(values.iter().map(|&v| (v - mean) * inv));
            }
        }
        let shape = [images.len(), c, h, w];
        Ok(Tensor::<4>::from_data(TensorData::new(data, shape), device))
    }
}
