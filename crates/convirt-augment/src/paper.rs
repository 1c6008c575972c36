//! [`ConvirtAugment`]: the paper's five transforms, with crop, flip and affine fused into one
//! [`Warp`], and its parameter draw [`AugmentParams`].

use rand::RngCore;

use crate::{
    AffineParams, ColorJitter, CropBox, GaussianBlur, HorizontalFlip, Image, JitterParams,
    RandomAffine, RandomResizedCrop, Transform, Warp, blur, jitter,
};

/// Every random choice of one pass of [`ConvirtAugment`], so a fixture can replay it exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AugmentParams {
    /// The source box resized to the output.
    pub crop: CropBox,
    /// Whether the resized crop is mirrored. [`Transform::apply_reporting_flip`] hands it on, so
    /// a pair loader can swap the sides of the mirrored view's sentence.
    pub flip: bool,
    /// Rotation, shift and zoom about the output centre.
    pub affine: AffineParams,
    /// Brightness and contrast factors.
    pub jitter: JitterParams,
    /// Blur σ in output pixels.
    pub sigma: f64,
}

/// ConVIRT's image transform family: random resized crop → horizontal flip → affine →
/// brightness/contrast → Gaussian blur, output clamped to [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvirtAugment {
    /// Crop box sampling and output size.
    pub crop: RandomResizedCrop,
    /// Flip probability.
    pub flip: HorizontalFlip,
    /// Affine ranges (the shift is relative to the output size).
    pub affine: RandomAffine,
    /// Brightness and contrast ranges.
    pub jitter: ColorJitter,
    /// σ range.
    pub blur: GaussianBlur,
}

impl ConvirtAugment {
    /// The paper's defaults at a 224×224 output.
    pub fn paper() -> Self {
        Self::paper_with_size(224)
    }

    /// The paper's defaults at a `size × size` output.
    pub fn paper_with_size(size: usize) -> Self {
        Self {
            crop: RandomResizedCrop::paper(size),
            flip: HorizontalFlip::paper(),
            affine: RandomAffine::paper(),
            jitter: ColorJitter::paper(),
            blur: GaussianBlur::paper(),
        }
    }

    /// The paper's transforms at a `size × size` output with the blur scaled to it: the paper's
    /// σ of 0.1–3.0 pixels is defined at 224², so a smaller output gets σ × size / 224, the same
    /// blur relative to the image (at 96², σ up to 3 would blur 2.3 times as much as the paper).
    ///
    /// ```
    /// let a = convirt_augment::ConvirtAugment::paper_scaled(112);
    /// assert_eq!(a.blur.sigma, (0.05, 1.5));
    /// assert_eq!(convirt_augment::ConvirtAugment::paper_scaled(224), convirt_augment::ConvirtAugment::paper());
    /// ```
    pub fn paper_scaled(size: usize) -> Self {
        Self {
            blur: GaussianBlur::paper().scaled_from_224(size),
            ..Self::paper_with_size(size)
        }
    }

    /// Draws every parameter for a `width × height` source, in pipeline order.
    pub fn sample(&self, width: usize, height: usize, rng: &mut dyn RngCore) -> AugmentParams {
        let crop = self.crop.sample(width, height, rng);
        let flip = self.flip.sample(rng);
        let affine = self.affine.sample(self.crop.width, self.crop.height, rng);
        let jitter = self.jitter.sample(rng);
        let sigma = self.blur.sample(rng);
        AugmentParams {
            crop,
            flip,
            affine,
            jitter,
            sigma,
        }
    }

    /// Applies drawn parameters: one fused warp, then jitter, blur and the final clamp.
    pub fn apply_params(&self, image: &Image, params: &AugmentParams) -> Image {
        let (w, h) = (self.crop.width, self.crop.height);
        let warped = Warp {
            crop: params.crop,
            flip: params.flip,
            affine: params.affine,
            width: w,
            height: h,
        }
        .apply(image);
        let mut values = warped.into_f32();
        jitter(&mut values, params.jitter);
        let mut values = blur(&values, w, h, params.sigma);
        for v in &mut values {
            *v = v.clamp(0.0, 1.0);
        }
        Image::float(w, h, values)
    }
}

impl Default for ConvirtAugment {
    fn default() -> Self {
        Self::paper()
    }
}

impl Transform for ConvirtAugment {
    fn apply(&self, image: Image, rng: &mut dyn RngCore) -> Image {
        self.apply_ref(&image, rng)
    }

    fn apply_ref(&self, image: &Image, rng: &mut dyn RngCore) -> Image {
        let params = self.sample(image.width(), image.height(), rng);
        self.apply_params(image, &params)
    }

    fn reports_flips(&self) -> bool {
        true
    }

    /// The view and [`AugmentParams::flip`]: a pair loader swaps the sides of the sentence paired
    /// with a mirrored view when asked to (`PairLoaderConfig::flip_swaps_sides` in
    /// convirt-data). The view and the draws are those of [`Transform::apply_ref`].
    fn apply_reporting_flip(&self, image: &Image, rng: &mut dyn RngCore) -> (Image, bool) {
        let params = self.sample(image.width(), image.height(), rng);
        (self.apply_params(image, &params), params.flip)
    }
}
