//! [`Epoch`]: the iterator of one epoch's batches, built by worker threads and handed out in
//! batch order; [`EpochSummary`], what it built and skipped.
//!
//! Workers claim batch indices in order from a shared counter, never more than `prefetch`
//! ahead of the consumer, and park their results in a map keyed by index; the consumer takes
//! index `k` when it is there. Which thread built a batch changes nothing in it. Dropping the
//! iterator stops and joins the workers.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::pair_loader::Inner;
use crate::{DataError, EpochPlan, PairBatch, SkipReason, Skipped};

type Built = (Result<Option<PairBatch>, DataError>, Skipped);

struct State {
    /// The next batch index a worker may claim.
    next: usize,
    /// The batch index the consumer waits for.
    wanted: usize,
    /// Finished batches not yet taken.
    done: BTreeMap<usize, Built>,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signals workers (room to prefetch, or stop) and the consumer (a batch is done).
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A worker that panicked holding the lock has already reported it; the state is valid.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What an epoch built and left out, once it is over (or dropped early).
#[derive(Debug, Default)]
pub struct EpochSummary {
    /// Batches yielded.
    pub batches: usize,
    /// Pairs in them.
    pub pairs: usize,
    /// Examples left out under [`SkipPolicy::SkipAndCount`](crate::SkipPolicy): the count, the
    /// first errors, and every skip's [`SkipReason`](crate::SkipReason) (`skipped.reasons`), in
    /// batch order.
    pub skipped: Skipped,
    /// Examples in a short last batch dropped by `drop_last`.
    pub dropped: usize,
}

/// The batches of one epoch, in order: `Ok(batch)`, or the first error under
/// [`SkipPolicy::Fail`](crate::SkipPolicy) after which the iterator ends.
pub struct Epoch {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
    end: usize,
    finished: bool,
    summary: EpochSummary,
}

impl Epoch {
    pub(crate) fn start(inner: Arc<Inner>, epoch: u64, plan: EpochPlan, start: usize) -> Self {
        let end = plan.batches.len();
        let start = start.min(end);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next: start,
                wanted: start,
                done: BTreeMap::new(),
                stop: false,
            }),
            changed: Condvar::new(),
        });
        let plan = Arc::new(plan);
        let workers = (0..inner.config.threads)
            .map(|_| {
                let (inner, shared, plan) =
                    (Arc::clone(&inner), Arc::clone(&shared), Arc::clone(&plan));
                std::thread::spawn(move || work(&inner, &shared, &plan, epoch))
            })
            .collect();
        Self {
            shared,
            workers,
            end,
            finished: start >= end,
            summary: EpochSummary {
                dropped: plan.dropped,
                ..EpochSummary::default()
            },
        }
    }

    /// The examples skipped so far (all of them once the iterator is done), in batch order:
    /// `skipped().count`, and `skipped().reasons`, one [`SkipReason`] per skip naming its file.
    /// A batch's skips are added when the iterator hands out that batch (or passes it by, when
    /// every example of it was skipped).
    pub fn skipped(&self) -> &Skipped {
        &self.summary.skipped
    }

    /// Every skip of the epoch so far, in batch order, each with the file it names (the
    /// missing or unreadable image, the report without text): `skipped().reasons`.
    pub fn skip_reasons(&self) -> &[SkipReason] {
        &self.summary.skipped.reasons
    }

    /// Stops the workers and returns what the epoch built and skipped.
    pub fn finish(mut self) -> EpochSummary {
        self.stop();
        std::mem::take(&mut self.summary)
    }

    fn stop(&mut self) {
        self.finished = true;
        self.shared.lock().stop = true;
        self.shared.changed.notify_all();
        for worker in self.workers.drain(..) {
            // Worker panics are caught and reported as errors inside `work`.
            let _ = worker.join();
        }
    }
}

impl Iterator for Epoch {
    type Item = Result<PairBatch, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let (result, skipped) = {
                let mut state = self.shared.lock();
                let wanted = state.wanted;
                loop {
                    if let Some(built) = state.done.remove(&wanted) {
                        break built;
                    }
                    state = self
                        .shared
                        .changed
                        .wait(state)
                        .unwrap_or_else(|p| p.into_inner());
                }
            };
            let wanted = {
                let mut state = self.shared.lock();
                state.wanted += 1;
                state.wanted
            };
            self.shared.changed.notify_all();
            self.summary.skipped.merge(skipped);
            if wanted >= self.end {
                self.finished = true;
            }
            match result {
                Ok(Some(batch)) => {
                    self.summary.batches += 1;
                    self.summary.pairs += batch.rows();
                    return Some(Ok(batch));
                }
                Ok(None) => continue,
                Err(e) => {
                    self.stop();
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl Drop for Epoch {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A worker: claim the next batch within the prefetch window, build it, park it.
fn work(inner: &Inner, shared: &Shared, plan: &EpochPlan, epoch: u64) {
    let prefetch = inner.config.prefetch;
    loop {
        let index = {
            let mut state = shared.lock();
            loop {
                if state.stop || state.next >= plan.batches.len() {
                    return;
                }
                if state.next < state.wanted + prefetch {
                    break;
                }
                state = shared
                    .changed
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
            }
            state.next += 1;
            state.next - 1
        };
        let mut skipped = Skipped::default();
        let result = catch_unwind(AssertUnwindSafe(|| {
            inner.build_batch(epoch, index, &plan.batches[index], &mut skipped)
        }))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(DataError::Worker(format!("batch {index}: {message}")))
        });
        shared.lock().done.insert(index, (result, skipped));
        shared.changed.notify_all();
    }
}
