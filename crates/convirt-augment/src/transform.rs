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

    /// Whether [`Transform::apply_reporting_flip`] tells truly whether the output is mirrored.
    /// The default is `false`: a transform that never mirrors, or that reports its flips,
    /// overrides it. A loader that swaps the sides of a flipped view's sentence refuses a
    /// transform that does not report.
    fn reports_flips(&self) -> bool {
        false
    }

    /// [`Transform::apply_ref`], with whether the output is mirrored left–right (an odd number of
    /// horizontal flips): the same output and the same draws from `rng`. The default reports
    /// `false`, which is true only of transforms that never mirror; one that does overrides this
    /// and [`Transform::reports_flips`].
    fn apply_reporting_flip(&self, image: &Image, rng: &mut dyn RngCore) -> (Image, bool) {
        (self.apply_ref(image, rng), false)
    }
}
