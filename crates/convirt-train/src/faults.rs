//! [`FaultPlan`]: deterministic faults injected into the checkpoint writer, for the
//! fault-injection suite.
//!
//! A plan names one kind of file-system operation and a count: the checkpoint writer fails with
//! [`TrainError::InjectedFault`] instead of performing the Nth operation of that kind,
//! exactly as if the process had died there. What is on disk is then what a crash at that point
//! leaves, and a `--resume` must continue bitwise as if nothing had happened. Production runs
//! carry no plan; the counters cost nothing then.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::TrainError;

/// The file-system operations the checkpoint writer performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultPoint {
    /// Creating and writing a file (a weights file, `state.json`, a manifest, a pointer).
    Write,
    /// An `fsync` of a file or a folder.
    Fsync,
    /// A rename that publishes a folder or a pointer.
    Rename,
}

/// Fail the `nth` (1-based) operation of kind `point`, counted from the trainer's start.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    point: FaultPoint,
    nth: u64,
    seen: Arc<AtomicU64>,
}

impl FaultPlan {
    /// A plan that fails the `nth` operation of kind `point` (1-based).
    ///
    /// ```
    /// use convirt_train::{FaultPlan, FaultPoint};
    /// let plan = FaultPlan::new(FaultPoint::Rename, 2);
    /// assert!(plan.check(FaultPoint::Write, "a".as_ref()).is_ok());
    /// assert!(plan.check(FaultPoint::Rename, "a".as_ref()).is_ok());
    /// assert!(plan.check(FaultPoint::Rename, "b".as_ref()).is_err());
    /// assert!(plan.check(FaultPoint::Rename, "c".as_ref()).is_ok());
    /// ```
    pub fn new(point: FaultPoint, nth: u64) -> Self {
        Self {
            point,
            nth,
            seen: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A plan drawn from `seed`: a kind of operation, and which of the first `within`
    /// operations of that kind fails.
    pub fn seeded(seed: u64, within: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let point = [FaultPoint::Write, FaultPoint::Fsync, FaultPoint::Rename][(z % 3) as usize];
        Self::new(point, 1 + (z >> 8) % within.max(1))
    }

    /// The operation kind that fails.
    pub fn point(&self) -> FaultPoint {
        self.point
    }

    /// Which one of that kind fails (1-based).
    pub fn nth(&self) -> u64 {
        self.nth
    }

    /// Whether the planned fault has fired.
    pub fn fired(&self) -> bool {
        self.seen.load(Ordering::SeqCst) >= self.nth
    }

    /// Counts one operation of kind `point` on `path`; the planned one is an error.
    pub fn check(&self, point: FaultPoint, path: &Path) -> Result<(), TrainError> {
        if point != self.point {
            return Ok(());
        }
        let seen = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
        if seen == self.nth {
            return Err(TrainError::InjectedFault {
                path: path.to_path_buf(),
                what: format!("{point:?} #{seen}"),
            });
        }
        Ok(())
    }
}

/// Counts an operation against an optional plan.
pub(crate) fn check(
    plan: Option<&FaultPlan>,
    point: FaultPoint,
    path: &Path,
) -> Result<(), TrainError> {
    plan.map_or(Ok(()), |p| p.check(point, path))
}
