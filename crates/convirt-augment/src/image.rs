//! [`Image`]: a single-channel (gray) image whose samples read as intensities in [0, 1].

use crate::AugmentError;

/// The stored samples of an [`Image`], row-major. Integer samples are kept as they were decoded,
/// so the warp reads 8-bit and 16-bit sources without a conversion pass; they read as `v / 255`
/// and `v / 65535`.
#[derive(Debug, Clone, PartialEq)]
pub enum Pixels {
    /// 8-bit samples: intensity `v / 255`.
    U8(Vec<u8>),
    /// 16-bit samples: intensity `v / 65535`.
    U16(Vec<u16>),
    /// Float samples, used as they are (transforms produce these).
    F32(Vec<f32>),
}

impl Pixels {
    fn len(&self) -> usize {
        match self {
            Pixels::U8(v) => v.len(),
            Pixels::U16(v) => v.len(),
            Pixels::F32(v) => v.len(),
        }
    }
}

/// A gray image of at least 1×1 pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    width: usize,
    height: usize,
    pixels: Pixels,
}

impl Image {
    /// An image from row-major samples. Fails when either side is zero or the buffer size is not
    /// `width × height`.
    pub fn new(width: usize, height: usize, pixels: Pixels) -> Result<Self, AugmentError> {
        if width == 0 || height == 0 {
            return Err(AugmentError::EmptyImage {
                source_name: "in-memory image".into(),
                width,
                height,
            });
        }
        if pixels.len() != width * height {
            return Err(AugmentError::BufferSize {
                len: pixels.len(),
                width,
                height,
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// An 8-bit image.
    pub fn from_u8(width: usize, height: usize, data: Vec<u8>) -> Result<Self, AugmentError> {
        Self::new(width, height, Pixels::U8(data))
    }

    /// A deterministic 8-bit noise image from `seed` (xorshift64), the kind of source benchmarks
    /// and the PyTorch reference use. Errors on a zero-sized image.
    ///
    /// ```
    /// use convirt_augment::Image;
    /// let a = Image::noise(8, 4, 1)?;
    /// assert_eq!(a.to_f32(), Image::noise(8, 4, 1)?.to_f32());
    /// assert_ne!(a.to_f32(), Image::noise(8, 4, 2)?.to_f32());
    /// # Ok::<(), convirt_augment::AugmentError>(())
    /// ```
    pub fn noise(width: usize, height: usize, seed: u64) -> Result<Self, AugmentError> {
        // xorshift64 must not start at 0; mixing in a constant keeps seed 0 usable.
        let mut s = seed ^ 0x9e37_79b9_7f4a_7c15;
        let data = (0..width * height)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 56) as u8
            })
            .collect();
        Self::from_u8(width, height, data)
    }

    /// A 16-bit image.
    pub fn from_u16(width: usize, height: usize, data: Vec<u16>) -> Result<Self, AugmentError> {
        Self::new(width, height, Pixels::U16(data))
    }

    /// A float image; values are used as they are.
    pub fn from_f32(width: usize, height: usize, data: Vec<f32>) -> Result<Self, AugmentError> {
        Self::new(width, height, Pixels::F32(data))
    }

    /// Builds a float image of a size already known to be valid (internal: transforms' outputs).
    pub(crate) fn float(width: usize, height: usize, data: Vec<f32>) -> Self {
        debug_assert!(width > 0 && height > 0 && data.len() == width * height);
        Self {
            width,
            height,
            pixels: Pixels::F32(data),
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The stored samples.
    pub fn pixels(&self) -> &Pixels {
        &self.pixels
    }

    /// The intensity at column `x`, row `y`.
    ///
    /// # Panics
    /// If the position is outside the image.
    pub fn get(&self, x: usize, y: usize) -> f32 {
        assert!(x < self.width && y < self.height, "pixel out of range");
        let i = y * self.width + x;
        match &self.pixels {
            Pixels::U8(v) => v[i] as f32 / 255.0,
            Pixels::U16(v) => v[i] as f32 / 65535.0,
            Pixels::F32(v) => v[i],
        }
    }

    /// All intensities as floats, row-major.
    pub fn to_f32(&self) -> Vec<f32> {
        match &self.pixels {
            Pixels::U8(v) => v.iter().map(|&p| p as f32 / 255.0).collect(),
            Pixels::U16(v) => v.iter().map(|&p| p as f32 / 65535.0).collect(),
            Pixels::F32(v) => v.clone(),
        }
    }

    /// The intensities as floats, without a copy when they already are.
    pub fn into_f32(self) -> Vec<f32> {
        match self.pixels {
            Pixels::F32(v) => v,
            _ => self.to_f32(),
        }
    }

    /// The mean intensity.
    pub fn mean(&self) -> f32 {
        let sum: f64 = match &self.pixels {
            Pixels::U8(v) => v.iter().map(|&p| p as f64).sum::<f64>() / 255.0,
            Pixels::U16(v) => v.iter().map(|&p| p as f64).sum::<f64>() / 65535.0,
            Pixels::F32(v) => v.iter().map(|&p| p as f64).sum(),
        };
        (sum / (self.width * self.height) as f64) as f32
    }

    /// An 8-bit copy (values clamped to [0, 1], then rounded), for saving or viewing.
    pub fn to_u8(&self) -> Vec<u8> {
        match &self.pixels {
            Pixels::U8(v) => v.clone(),
            Pixels::U16(v) => v.iter().map(|&p| ((p as u32 + 128) / 257) as u8).collect(),
            Pixels::F32(v) => v
                .iter()
                .map(|&p| (p.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect(),
        }
    }
}
