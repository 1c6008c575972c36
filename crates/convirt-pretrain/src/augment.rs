//! [`AugmentOptions`]: the ranges of ConVIRT's five image transforms as run settings, so a
//! configuration can soften t_v (`--set augment.degrees=5`) without code.

use convirt_augment::{
    ColorJitter, ConvirtAugment, GaussianBlur, HorizontalFlip, RandomAffine, RandomResizedCrop,
};
use serde::{Deserialize, Serialize};

use crate::PretrainError;

/// The ranges of t_v, in the paper's order: crop → flip → affine → brightness/contrast → blur.
/// [`AugmentOptions::paper`] is the paper's t_v (the default); [`AugmentOptions::light`] the
/// softer one the two-core demo trains with. The blur's σ is given at 224² and scaled to the
/// run's image size.
///
/// ```
/// use convirt_pretrain::AugmentOptions;
/// let t = AugmentOptions::paper().build(112).unwrap();
/// assert_eq!(t.crop.area, (0.6, 1.0));
/// assert_eq!(t.affine.degrees, 20.0);
/// assert_eq!(t.blur.sigma, (0.05, 1.5)); // σ 0.1–3.0 at 224², halved at 112²
/// assert!(AugmentOptions { crop_area: (0.6, 1.2), ..AugmentOptions::paper() }.build(64).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AugmentOptions {
    /// Random resized crop: the box's area as a fraction of the image's.
    pub crop_area: (f64, f64),
    /// Random resized crop: the box's aspect ratio (width / height), log-uniform.
    pub crop_ratio: (f64, f64),
    /// Horizontal flip probability.
    pub flip: f64,
    /// Affine: largest rotation either way, degrees.
    pub degrees: f64,
    /// Affine: largest shift, as a fraction of the side.
    pub translate: f64,
    /// Affine: zoom range.
    pub scale: (f64, f64),
    /// Brightness factor range.
    pub brightness: (f64, f64),
    /// Contrast factor range.
    pub contrast: (f64, f64),
    /// Gaussian blur σ range, in pixels of a 224² image.
    pub blur_sigma: (f64, f64),
    /// The laterality-aware flip: a mirrored view's sentence gets its sides swapped (left ↔
    /// right, levo- ↔ dextro-, right middle lobe ↔ lingula, by the committed table
    /// `crates/convirt-text-sampler/data/laterality_rules.csv`), so the pair stays true. Off by
    /// default, as in the paper, whose t_v flips blindly; `--flip-swaps-sides` or
    /// `--set augment.flip_swaps_sides=true` turns it on. Left out of the TOML when off, so the
    /// settings (and hashes) of runs from before it read the same.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub flip_swaps_sides: bool,
}

impl Default for AugmentOptions {
    fn default() -> Self {
        Self::paper()
    }
}

impl AugmentOptions {
    /// The paper's t_v: crop area 0.6–1.0 (aspect 3/4–4/3), flip p = 0.5 (sentences left as
    /// they are), affine ±20°, shift 0.1, zoom 0.95–1.05, brightness and contrast 0.6–1.4, blur
    /// σ 0.1–3.0.
    pub fn paper() -> Self {
        Self {
            crop_area: (0.6, 1.0),
            crop_ratio: (3.0 / 4.0, 4.0 / 3.0),
            flip: 0.5,
            degrees: 20.0,
            translate: 0.1,
            scale: (0.95, 1.05),
            brightness: (0.6, 1.4),
            contrast: (0.6, 1.4),
            blur_sigma: (0.1, 3.0),
            flip_swaps_sides: false,
        }
    }

    /// A softer t_v for short runs: crop area 0.8–1.0 at the image's own aspect, flip, ±5°,
    /// shift 0.05, the paper's zoom, jitter and blur. In a ~1,000-step budget the paper's ranges
    /// leave the image tower nothing it can learn yet (docs/demo.md has the measurements).
    pub fn light() -> Self {
        Self {
            crop_area: (0.8, 1.0),
            crop_ratio: (1.0, 1.0),
            degrees: 5.0,
            translate: 0.05,
            ..Self::paper()
        }
    }

    /// Whether these are exactly [`AugmentOptions::paper`]'s ranges, with the paper's blind flip.
    pub fn is_paper(&self) -> bool {
        *self == Self::paper()
    }

    /// The transform for a `size × size` output, every range checked. (The flip's side swap is
    /// the loader's: [`PretrainOptions`](crate::PretrainOptions) hands
    /// [`AugmentOptions::flip_swaps_sides`] to `PairLoaderConfig::flip_swaps_sides`.)
    pub fn build(&self, size: usize) -> Result<ConvirtAugment, PretrainError> {
        let bad = |e: convirt_augment::AugmentError| PretrainError::Config(format!("augment: {e}"));
        Ok(ConvirtAugment {
            crop: RandomResizedCrop::new(size, size, self.crop_area, self.crop_ratio)
                .map_err(bad)?,
            flip: HorizontalFlip::new(self.flip).map_err(bad)?,
            affine: RandomAffine::new(self.degrees, self.translate, self.scale).map_err(bad)?,
            jitter: ColorJitter::new(self.brightness, self.contrast).map_err(bad)?,
            blur: GaussianBlur::new(self.blur_sigma)
                .map_err(bad)?
                .scaled_from_224(size),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PretrainOptions;

    /// Off by default, and then absent from the TOML: the settings of every earlier run (and the
    /// published comparison's `config_hash`, tested in `compare::config`) read and hash the same.
    #[test]
    fn the_laterality_aware_flip_is_off_by_default_and_out_of_the_toml() {
        for preset in [PretrainOptions::paper(), PretrainOptions::cpu()] {
            assert!(!preset.augment.flip_swaps_sides);
            let toml = preset.to_toml().unwrap();
            assert!(!toml.contains("flip_swaps_sides"), "{toml}");
            let on = preset
                .clone()
                .with_overrides(&["augment.flip_swaps_sides=true".into()])
                .unwrap();
            assert_eq!(
                on.augment,
                AugmentOptions {
                    flip_swaps_sides: true,
                    ..preset.augment
                }
            );
            assert!(!on.augment.is_paper());
            let toml = on.to_toml().unwrap();
            assert!(toml.contains("flip_swaps_sides = true"), "{toml}");
            assert_eq!(PretrainOptions::from_toml(&toml).unwrap(), on);
        }
        // The CPU preset's t_v table has exactly the keys it had before the setting existed.
        let table: toml::Table =
            toml::from_str(&PretrainOptions::cpu().to_toml().unwrap()).unwrap();
        let mut keys: Vec<&str> = table["augment"]
            .as_table()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "blur_sigma",
                "brightness",
                "contrast",
                "crop_area",
                "crop_ratio",
                "degrees",
                "flip",
                "scale",
                "translate"
            ]
        );
        let parsed = PretrainOptions::from_toml("[augment]\nflip_swaps_sides = true\n").unwrap();
        assert!(parsed.augment.flip_swaps_sides);
        assert_eq!(parsed.augment.flip, 0.5);
    }
}
