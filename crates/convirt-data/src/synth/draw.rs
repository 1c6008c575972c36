//! Drawing helpers shared by the v1 and v2 renderers: film response, smoothstep, distances.

/// The film response and per-image exposure (gain, offset, gamma) as a table over density.
pub struct ExposureLut {
    values: Vec<f32>,
}

impl ExposureLut {
    const LOW: f32 = -1.0;
    const HIGH: f32 = 2.0;
    const STEPS: usize = 1024;

    /// The table for an exposure (gain, offset, gamma).
    pub fn new([gain, offset, gamma]: [f32; 3]) -> Self {
        let values = (0..=Self::STEPS)
            .map(|i| {
                let d = Self::LOW + (Self::HIGH - Self::LOW) * i as f32 / Self::STEPS as f32;
                let film = 1.0 - (-2.2 * (d + 0.12)).exp();
                (film * gain + offset).clamp(0.0, 1.0).powf(gamma)
            })
            .collect();
        Self { values }
    }

    /// The intensity of density `d` (linear between table steps).
    pub fn at(&self, d: f32) -> f32 {
        let x = ((d - Self::LOW) / (Self::HIGH - Self::LOW)).clamp(0.0, 1.0) * Self::STEPS as f32;
        let i = (x as usize).min(Self::STEPS - 1);
        let f = x - i as f32;
        self.values[i] + (self.values[i + 1] - self.values[i]) * f
    }
}

/// sin(2π·`turns`), from a 256-entry table with linear interpolation (error < 1e-4).
pub fn sin_turns(turns: f32) -> f32 {
    static TABLE: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=256)
            .map(|i| (std::f32::consts::TAU * i as f32 / 256.0).sin())
            .collect()
    });
    let x = (turns - turns.floor()) * 256.0;
    let i = (x as usize).min(255);
    let f = x - i as f32;
    table[i] + (table[i + 1] - table[i]) * f
}

/// 0 below `e0`, 1 above `e1` (or reversed when `e0 > e1`), smooth in between.
pub fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The distance from `p` to the segment `a`–`b`.
pub fn segment_distance(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (abx, aby) = (b.0 - a.0, b.1 - a.1);
    let (apx, apy) = (p.0 - a.0, p.1 - a.1);
    let len2 = abx * abx + aby * aby;
    let t = if len2 > 0.0 {
        ((apx * abx + apy * aby) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (apx - t * abx, apy - t * aby);
    (qx * qx + qy * qy).sqrt()
}
