//! The [`Transform`] trait: one image in, one image out, randomness from the RNG passed in.

use rand::RngCore;

use crate::Image;

/// An image transform. Random transforms draw their parameters from `rng` (and only from it), so
/// the same RNG state gives the same output. Implement it to plug your own step into a
/// [`Compose`](crate::Compose) or a batch.
pub trait Transform: Send + Sync {
    /// Transforms one image.
    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image;

    /// Transforms a borrowed image. The default clones it; transforms that never modify their
    /// input in place override this to skip the copy.
    fn apply_ref(&self, image: &Image, rng: &mut dyn RngCore) -> Image {
        self.apply(image.clone(), rng)
    }
}
