//! The evaluation pipeline: pad to square, then resize (the downstream protocol's transforms).

use crate::{Compose, PadToSquare, Resize};

/// `PadToSquare` then `Resize` to `size × size`: deterministic, for evaluation and probing.
///
/// # Panics
/// If `size` is 0.
// Documented panic: a zero size is a caller's bug, and every caller passes a validated setting.
#[allow(clippy::expect_used)]
pub fn evaluation(size: usize) -> Compose {
    let resize = Resize::new(size, size).expect("evaluation size must be at least 1");
    Compose::new().then(PadToSquare).then(resize)
}
