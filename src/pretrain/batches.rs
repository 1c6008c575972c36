//! The prefetching [`PairLoader`] seen as the trainer's [`BatchSource`].

use std::sync::Mutex;

use convirt_data::{Epoch, PairBatch, PairLoader};
use convirt_train::{BatchSource, HostBatch};

/// A [`PairLoader`] feeding [`convirt_train::Trainer`]: batches cross over as host buffers, and
/// the loader's skips (with their first errors) are kept for the end-of-epoch report.
#[derive(Debug)]
pub struct LoaderSource {
    loader: PairLoader,
    skipped: Mutex<(usize, Vec<String>)>,
}

impl LoaderSource {
    /// Wraps `loader`.
    pub fn new(loader: PairLoader) -> Self {
        Self {
            loader,
            skipped: Mutex::new((0, Vec::new())),
        }
    }

    /// The loader.
    pub fn loader(&self) -> &PairLoader {
        &self.loader
    }
}

/// One loader batch as the trainer's host batch.
pub fn host_batch(batch: PairBatch) -> HostBatch {
    let image_shape = batch.image_shape();
    HostBatch {
        images: batch.images,
        image_shape,
        second_view: batch.second_images,
        ids: batch.ids,
        mask: batch.mask,
        seq_len: batch.seq_len,
    }
}

impl BatchSource for LoaderSource {
    fn batches_per_epoch(&self) -> usize {
        self.loader.batches_per_epoch()
    }

    fn epoch(
        &self,
        epoch: usize,
        start: usize,
    ) -> Box<dyn Iterator<Item = Result<HostBatch, String>> + '_> {
        Box::new(Counting {
            epoch: Some(self.loader.epoch(epoch as u64, start)),
            skipped: &self.skipped,
        })
    }

    fn skipped(&self) -> (usize, Vec<String>) {
        self.skipped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Yields an epoch's batches and, when it ends, adds its skips to the running count.
struct Counting<'a> {
    epoch: Option<Epoch>,
    skipped: &'a Mutex<(usize, Vec<String>)>,
}

impl Iterator for Counting<'_> {
    type Item = Result<HostBatch, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let epoch = self.epoch.as_mut()?;
        match epoch.next() {
            Some(item) => Some(item.map(host_batch).map_err(|e| e.to_string())),
            None => {
                let summary = self.epoch.take()?.finish();
                let mut total = self.skipped.lock().unwrap_or_else(|e| e.into_inner());
                total.0 += summary.skipped.count;
                total
                    .1
                    .extend(summary.skipped.first_errors.iter().map(|e| e.to_string()));
                None
            }
        }
    }
}
