//! [`Compose`]: transforms applied one after another, sharing one RNG.

use rand::RngCore;

use crate::{Image, Transform};

/// A sequence of transforms, applied in order.
#[derive(Default)]
pub struct Compose {
    steps: Vec<Box<dyn Transform>>,
}

impl Compose {
    /// An empty sequence (the identity).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a step.
    pub fn then(mut self, step: impl Transform + 'static) -> Self {
        self.steps.push(Box::new(step));
        self
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

impl Transform for Compose {
    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        self.steps.iter().fold(image, |img, t| t.apply(img, rng))
    }

    /// Every step reports its flips.
    fn reports_flips(&self) -> bool {
        self.steps.iter().all(|t| t.reports_flips())
    }

    /// Mirrored when an odd number of the steps mirrored.
    fn apply_reporting_flip(&self, image: &Image, rng: &mut dyn RngCore) -> (Image, bool) {
        let mut out = (image.clone(), false);
        for step in &self.steps {
            let (next, flipped) = step.apply_reporting_flip(&out.0, rng);
            out = (next, out.1 ^ flipped);
        }
        out
    }
}
