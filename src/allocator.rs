//! The process's memory allocator, tuned for training on flex.
//!
//! A train step allocates and frees tensors of megabytes, thousands of times. glibc's malloc
//! serves blocks above its mmap threshold (at most 32 MiB, adjusted as it goes) with fresh
//! mappings and returns free memory above its trim threshold to the kernel, so the next step
//! faults the same pages in again and the kernel zeroes each one: 11–17% of a flex train step in
//! `perf` (`clear_page_erms`, `exc_page_fault`). [`tune_for`] raises both thresholds
//! (`mallopt`), so freed blocks are reused from the heap.
//!
//! Measured on #7's train step (ResNet18 + MiniLM, batch 32, 128², `bench train`, 2026-12-04):
//! flex 2.97 → 2.38 s a step with peak RSS 1.04 → 1.12 GB (+8%); tch 1.73–2.00 → 1.47–1.59 s
//! with RSS 1.62–1.65 → 2.09–2.22 GB (+30%, over issue 16's 10% limit), so only flex is tuned.
//! PyTorch gains as much from the same setting (`GLIBC_TUNABLES`), which it does not make by
//! default: 1.50 → 1.19 s, RSS +6%.
//!
//! The binaries (`convirt`, the examples) call it; a library user decides for their own process.
//! `CONVIRT_MALLOC=default` turns it off.

use crate::Backend;

/// The mmap threshold set: blocks below it come from the heap (256 MiB).
pub const MMAP_THRESHOLD: usize = 256 << 20;
/// The trim threshold set: free memory at the heap's top above it goes back to the kernel (1 GiB).
pub const TRIM_THRESHOLD: usize = 1 << 30;

/// What [`tune_for`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tuning {
    /// Both thresholds were set.
    Tuned,
    /// Nothing was changed, and why.
    Left(&'static str),
}

/// Raises glibc malloc's mmap and trim thresholds to [`MMAP_THRESHOLD`] and [`TRIM_THRESHOLD`]
/// when `backend` is flex, the process runs on glibc, and `CONVIRT_MALLOC` is not `default`.
/// Process-wide; call it once, before training.
///
/// ```
/// use convirt::allocator::{Tuning, tune_for};
/// // On a GPU backend host memory is not on the hot path: nothing is changed.
/// assert_eq!(tune_for(convirt::Backend::Wgpu { cpu: false }), Tuning::Left("only flex is tuned"));
/// ```
pub fn tune_for(backend: Backend) -> Tuning {
    if !matches!(backend, Backend::Flex) {
        return Tuning::Left("only flex is tuned");
    }
    if std::env::var("CONVIRT_MALLOC").is_ok_and(|v| v.eq_ignore_ascii_case("default")) {
        return Tuning::Left("CONVIRT_MALLOC=default");
    }
    set_thresholds()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_thresholds() -> Tuning {
    let as_int = |v: usize| libc::c_int::try_from(v).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only changes malloc's parameters; it is safe to call at any time.
    let ok = unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, as_int(MMAP_THRESHOLD)) == 1
            && libc::mallopt(libc::M_TRIM_THRESHOLD, as_int(TRIM_THRESHOLD)) == 1
    };
    if ok {
        Tuning::Tuned
    } else {
        Tuning::Left("mallopt refused the thresholds")
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_thresholds() -> Tuning {
    Tuning::Left("not glibc")
}
