//! The prefetching [`PairLoader`] seen as the trainer's [`BatchSource`].

use std::sync::Mutex;

use convirt_data::{Epoch, PairBatch, PairLoader};
use convirt_train::{BatchSource, HostBatch};

/// A [`PairLoader`] feeding [`convirt_train::Trainer`]: batches cross over as host buffers, and
/// the loader's skips are handed on batch by batch, so a run that ends mid-epoch still names them.
#[derive(Debug)]
pub struct LoaderSource {
    loader: PairLoader,
    pending: Mutex<Vec<String>>,
}

impl LoaderSource {
    /// Wraps `loader`.
    pub fn new(loader: PairLoader) -> Self {
        Self {
            loader,
            pending: Mutex::new(Vec::new()),
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
            seen: 0,
            pending: &self.pending,
        })
    }

    fn take_skips(&self) -> Vec<String> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Yields an epoch's batches and hands on the skips behind each one.
struct Counting<'a> {
    epoch: Option<Epoch>,
    seen: usize,
    pending: &'a Mutex<Vec<String>>,
}

impl Counting<'_> {
    fn hand_on_skips(&mut self) {
        let Some(epoch) = self.epoch.as_ref() else {
            return;
        };
        let reasons = epoch.skip_reasons();
        if reasons.len() > self.seen {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.extend(reasons[self.seen..].iter().map(|r| r.to_string()));
            self.seen = reasons.len();
        }
    }
}

impl Iterator for Counting<'_> {
    type Item = Result<HostBatch, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.epoch.as_mut()?.next();
        self.hand_on_skips();
        match item {
            Some(item) => Some(item.map(host_batch).map_err(|e| e.to_string())),
            None => {
                self.epoch.take()?.finish();
                None
            }
        }
    }
}
