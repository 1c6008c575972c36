//! Batches as the data path hands them over: plain CPU buffers, turned into tensors here.

use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::PairBatch;

/// One batch of pairs in host memory, as a loader builds it in its worker threads.
#[derive(Debug, Clone, PartialEq)]
pub struct HostBatch {
    /// Augmented images, row-major `[N, C, H, W]`.
    pub images: Vec<f32>,
    /// `[N, C, H, W]`.
    pub image_shape: [usize; 4],
    /// A second augmented view of each image, same shape (the SimCLR objective needs it).
    pub second_view: Option<Vec<f32>>,
    /// Token ids, row-major `[N, L]`, padded with zeros.
    pub ids: Vec<i64>,
    /// Attention mask `[N, L]`: 1 on real tokens, which come first in each row.
    pub mask: Vec<i64>,
    /// L.
    pub seq_len: usize,
}

impl HostBatch {
    /// N.
    pub fn len(&self) -> usize {
        self.image_shape[0]
    }

    /// Whether the batch holds no pairs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each row's real tokens, without padding (the frozen-prefix cache's key).
    pub fn sentences(&self) -> Vec<Vec<i64>> {
        (0..self.len())
            .map(|i| {
                let row = i * self.seq_len..(i + 1) * self.seq_len;
                let kept = self.mask[row.clone()].iter().filter(|&&m| m != 0).count();
                self.ids[row.start..row.start + kept].to_vec()
            })
            .collect()
    }

    /// The images as a tensor on `device`.
    pub fn image_tensor(&self, device: &Device) -> Tensor<4> {
        Tensor::from_data(
            TensorData::new(self.images.clone(), self.image_shape),
            device,
        )
    }

    /// The second view as a tensor on `device`, if the batch has one.
    pub fn second_view_tensor(&self, device: &Device) -> Option<Tensor<4>> {
        self.second_view
            .as_ref()
            .map(|v| Tensor::from_data(TensorData::new(v.clone(), self.image_shape), device))
    }

    /// Images, ids and mask as tensors on `device`.
    pub fn to_pair_batch(&self, device: &Device) -> PairBatch {
        let shape = [self.len(), self.seq_len];
        PairBatch {
            images: self.image_tensor(device),
            ids: Tensor::<2, Int>::from_data(TensorData::new(self.ids.clone(), shape), device),
            mask: Tensor::<2, Int>::from_data(TensorData::new(self.mask.clone(), shape), device),
        }
    }
}

/// Where batches come from: a deterministic sequence per epoch that can start mid-epoch, which
/// is what exact resume needs. A prefetching loader implements it; so can a test's fixed list.
pub trait BatchSource {
    /// Batches in one epoch.
    fn batches_per_epoch(&self) -> usize;

    /// The batches of `epoch` from index `start` on: exactly those an uninterrupted epoch would
    /// give from there. Errors carry the source's message (naming the file).
    fn epoch(
        &self,
        epoch: usize,
        start: usize,
    ) -> Box<dyn Iterator<Item = Result<HostBatch, String>> + '_>;

    /// The items skipped under the source's skip policy since the last call, one line each
    /// naming the item (its file) and why. The trainer asks after every step and every
    /// validation and logs each line once in `metrics.jsonl`, so nothing is dropped silently,
    /// even when a run ends mid-epoch.
    fn take_skips(&self) -> Vec<String> {
        Vec::new()
    }
}
