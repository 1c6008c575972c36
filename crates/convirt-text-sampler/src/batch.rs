//! [`TokenBatch`]: token ids and attention mask, as plain vectors or burn Int tensors.

use burn::tensor::{Device, Int, Tensor, TensorData};

/// A padded batch of token ids, row-major `[rows, len]`, as produced by
/// [`TextTokenizer::encode`](crate::TextTokenizer::encode). Plain vectors, so that a loader
/// thread can build it and the training thread move it to its device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBatch {
    /// Token ids, padding included.
    pub ids: Vec<i64>,
    /// 1 for real tokens, 0 for padding.
    pub mask: Vec<i64>,
    /// `[rows, len]`.
    pub shape: [usize; 2],
}

/// Ids and mask as burn `Int` tensors of shape `[rows, len]`.
#[derive(Debug, Clone)]
pub struct TokenTensors {
    /// Token ids.
    pub ids: Tensor<2, Int>,
    /// Attention mask: 1 for real tokens, 0 for padding.
    pub mask: Tensor<2, Int>,
}

impl TokenBatch {
    /// Row `i`'s ids, padding included.
    pub fn row(&self, i: usize) -> &[i64] {
        let len = self.shape[1];
        &self.ids[i * len..(i + 1) * len]
    }

    /// The number of real (unpadded) tokens of each row.
    pub fn lengths(&self) -> Vec<usize> {
        let len = self.shape[1].max(1);
        self.mask
            .chunks(len)
            .map(|row| row.iter().filter(|&&m| m != 0).count())
            .collect()
    }

    /// Moves the batch to `device` as `Int` tensors (converted to the backend's int type, i32
    /// on flex).
    pub fn to_tensors(&self, device: &Device) -> TokenTensors {
        TokenTensors {
            ids: Tensor::from_data(TensorData::new(self.ids.clone(), self.shape), device),
            mask: Tensor::from_data(TensorData::new(self.mask.clone(), self.shape), device),
        }
    }
}
