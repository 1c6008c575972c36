//! [`EpochPlan`]: which examples form each batch of an epoch, a pure function of the seed, the
//! epoch and the examples' groups.
//!
//! The examples are shuffled with a seeded Fisher–Yates permutation ([`Stream::Shuffle`]), then
//! cut into batches in that order. An example whose group is already in the batch being filled
//! waits in a queue and goes into the first later batch without its group (the queue is served
//! first, in order), so **no batch holds two examples of one group** even when a source lists a
//! study twice. A last batch shorter than `batch_size` is kept, or dropped under `drop_last` and
//! its examples counted in [`EpochPlan::dropped`].

use std::collections::{HashSet, VecDeque};

use rand::Rng;

use crate::{Stream, stream_rng};

/// The batches of one epoch, as dataset indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochPlan {
    /// Each batch's dataset indices, in batch order.
    pub batches: Vec<Vec<usize>>,
    /// Examples left out because they fell in a short last batch under `drop_last`.
    pub dropped: usize,
}

impl EpochPlan {
    /// Plans an epoch over examples whose groups are `groups[i]` (any ids; equal ids are one
    /// group). `shuffle: false` keeps dataset order (evaluation).
    ///
    /// # Panics
    /// If `batch_size` is 0 (the loader checks it first).
    pub fn new(
        groups: &[u32],
        batch_size: usize,
        seed: u64,
        epoch: u64,
        shuffle: bool,
        drop_last: bool,
    ) -> Self {
        assert!(batch_size > 0, "batch_size must be at least 1");
        let mut order: Vec<usize> = (0..groups.len()).collect();
        if shuffle {
            let mut rng = stream_rng(seed, epoch, 0, Stream::Shuffle);
            for i in (1..order.len()).rev() {
                let j = rng.random_range(0..=i);
                order.swap(i, j);
            }
        }
        let mut order = order.into_iter();
        let mut waiting: VecDeque<usize> = VecDeque::new();
        let mut batches = Vec::new();
        let mut dropped = 0;
        loop {
            let mut batch = Vec::with_capacity(batch_size);
            let mut taken: HashSet<u32> = HashSet::new();
            let mut k = 0;
            while k < waiting.len() && batch.len() < batch_size {
                if taken.insert(groups[waiting[k]]) {
                    batch.extend(waiting.remove(k));
                } else {
                    k += 1;
                }
            }
            while batch.len() < batch_size {
                let Some(i) = order.next() else { break };
                if taken.insert(groups[i]) {
                    batch.push(i);
                } else {
                    waiting.push_back(i);
                }
            }
            if batch.is_empty() {
                break;
            }
            if batch.len() < batch_size && drop_last {
                dropped += batch.len();
            } else {
                batches.push(batch);
            }
        }
        Self { batches, dropped }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffled_batches_cover_every_example_once() {
        let groups: Vec<u32> = (0..10).collect();
        let plan = EpochPlan::new(&groups, 4, 3, 1, true, false);
        assert_eq!(
            plan.batches.iter().map(Vec::len).collect::<Vec<_>>(),
            [4, 4, 2]
        );
        let mut all: Vec<usize> = plan.batches.concat();
        assert_ne!(all, (0..10).collect::<Vec<_>>(), "shuffled");
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        let dropped = EpochPlan::new(&groups, 4, 3, 1, true, true);
        assert_eq!(dropped.batches, plan.batches[..2]);
        assert_eq!(dropped.dropped, 2);
        assert_ne!(EpochPlan::new(&groups, 4, 3, 2, true, false), plan);
    }

    #[test]
    fn unshuffled_keeps_dataset_order() {
        let groups: Vec<u32> = (0..5).collect();
        let plan = EpochPlan::new(&groups, 2, 3, 1, false, false);
        assert_eq!(plan.batches, [vec![0, 1], vec![2, 3], vec![4]]);
    }

    #[test]
    fn a_repeated_group_waits_for_the_next_batch() {
        // Examples 0 and 1 share group 7: in order, 1 cannot join 0's batch.
        let groups = [7, 7, 1, 2, 3];
        let plan = EpochPlan::new(&groups, 2, 0, 0, false, false);
        assert_eq!(plan.batches, [vec![0, 2], vec![1, 3], vec![4]]);
    }
}
