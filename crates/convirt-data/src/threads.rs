//! [`ThreadBudget`]: how the loader and the training backend share the cores.
//!
//! The loader runs its own `loader` worker threads (plain std threads, not rayon's pool); burn's
//! CPU backend flex runs its kernels on rayon's global pool, sized to `backend`. The loader's
//! workers are demand-driven: they build at most `prefetch` batches ahead of the trainer and then
//! sleep, so once the queue is full they use CPU only at the rate the trainer consumes batches.
//! At ConVIRT's 224² step (flex: roughly 10–16 pairs/s on 2 cores) one worker spends a small
//! fraction of a core on decode + augment + tokenize (see the `bench_loader` example for the
//! measured images/s), so the budget gives the backend every core and the loader a quarter of
//! them (at least one): on 2 cores, 1 loader worker + 2 backend threads. While the loader fills
//! its queue (the first batches of an epoch) the two compete for a moment; after that the
//! trainer's cores are its own.

use crate::DataError;

/// Worker threads for the loader and rayon threads for the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadBudget {
    /// The loader's worker threads (decode, augment, sample, tokenize).
    pub loader: usize,
    /// rayon's global pool, used by flex's kernels.
    pub backend: usize,
}

impl ThreadBudget {
    /// The budget for `cores` cores: the backend gets all of them, the loader `cores / 4`, at
    /// least 1.
    pub fn for_cores(cores: usize) -> Self {
        let cores = cores.max(1);
        Self {
            loader: (cores / 4).max(1),
            backend: cores,
        }
    }

    /// [`ThreadBudget::for_cores`] of [`std::thread::available_parallelism`] (1 if unknown).
    pub fn detect() -> Self {
        Self::for_cores(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Sizes rayon's global pool (flex's threads) to `backend`. Must run before anything uses
    /// rayon; a second call, or a pool already built, is [`DataError::Config`].
    pub fn install_backend(&self) -> Result<(), DataError> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.backend.max(1))
            .build_global()
            .map_err(|e| DataError::Config(format!("rayon's global pool: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cores_give_one_loader_worker() {
        assert_eq!(
            ThreadBudget::for_cores(2),
            ThreadBudget {
                loader: 1,
                backend: 2
            }
        );
        assert_eq!(ThreadBudget::for_cores(16).loader, 4);
        assert_eq!(ThreadBudget::for_cores(0).loader, 1);
    }
}
