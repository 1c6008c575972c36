//! [`PairBatch`]: one batch of image-text pairs as plain CPU buffers, for the trainer to move to
//! its device.

/// One batch. Row `k` of every field is example `examples[k]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairBatch {
    /// The batch's index in its epoch.
    pub index: usize,
    /// Images, row-major `[rows, channels, height, width]`, normalised by the config's layout.
    pub images: Vec<f32>,
    /// A second, independently augmented view of every row's image, same layout (SimCLR), when
    /// the loader was asked for two views.
    pub second_images: Option<Vec<f32>>,
    /// Channels per image.
    pub channels: usize,
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
    /// Token ids, row-major `[rows, seq_len]`, padding included.
    pub ids: Vec<i64>,
    /// Attention mask, `[rows, seq_len]`: 1 for real tokens.
    pub mask: Vec<i64>,
    /// Tokens per row, padding included.
    pub seq_len: usize,
    /// The text each row was tokenised from (a sentence cache may key on it).
    pub texts: Vec<String>,
    /// The dataset index of each row's example.
    pub examples: Vec<usize>,
    /// Which of its example's images each row shows.
    pub image_choice: Vec<usize>,
}

impl PairBatch {
    /// The number of pairs.
    pub fn rows(&self) -> usize {
        self.examples.len()
    }

    /// `[rows, channels, height, width]`.
    pub fn image_shape(&self) -> [usize; 4] {
        [self.rows(), self.channels, self.height, self.width]
    }

    /// `[rows, seq_len]`.
    pub fn token_shape(&self) -> [usize; 2] {
        [self.rows(), self.seq_len]
    }
}
