//! Resampling a position-embedding grid to another size: bicubic with aligned corners
//! (PyTorch's `F.interpolate(mode="bicubic", align_corners=True)`, cubic coefficient −0.75),
//! which torchvision's `interpolate_embeddings` uses. A one-off operation on weights, done on
//! the host so that every backend gives the same values.

/// The side of the patch grid of a position embedding of `tokens` tokens (a class token, then
/// the grid row by row), rounded when `tokens − 1` is not a square.
pub(crate) fn grid_side(tokens: usize) -> usize {
    (tokens.saturating_sub(1) as f64).sqrt().round() as usize
}

/// PyTorch's cubic convolution weights for a fractional offset `t` ∈ [0, 1), A = −0.75.
fn cubic_weights(t: f64) -> [f64; 4] {
    const A: f64 = -0.75;
    let near = |x: f64| ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    let far = |x: f64| ((A * x - 5.0 * A) * x + 8.0 * A) * x - 4.0 * A;
    [far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)]
}

/// Source index and weights of each output position along one axis.
fn taps(input: usize, output: usize) -> Vec<([usize; 4], [f64; 4])> {
    let scale = if output > 1 {
        (input as f64 - 1.0) / (output as f64 - 1.0)
    } else {
        0.0
    };
    (0..output)
        .map(|o| {
            let x = o as f64 * scale;
            let base = x.floor();
            let w = cubic_weights(x - base);
            let clamp = |i: f64| i.clamp(0.0, input as f64 - 1.0) as usize;
            let b = base;
            (
                [clamp(b - 1.0), clamp(b), clamp(b + 1.0), clamp(b + 2.0)],
                w,
            )
        })
        .collect()
}

/// Resamples `channels` planes of `from × from` values (row-major, plane after plane) to
/// `to × to`.
///
/// ```
/// use convirt_encoders::vit::resample_grid;
/// // A constant plane stays constant (the weights sum to one)...
/// let out = resample_grid(&[2.5; 16], 1, 4, 7);
/// assert!(out.iter().all(|v| (v - 2.5).abs() < 1e-6));
/// // ...and with aligned corners, the corners are the input's own.
/// let ramp: Vec<f32> = (0..16).map(|i| i as f32).collect();
/// let out = resample_grid(&ramp, 1, 4, 7);
/// assert_eq!((out[0], out[6], out[42], out[48]), (0.0, 3.0, 12.0, 15.0));
/// ```
pub fn resample_grid(values: &[f32], channels: usize, from: usize, to: usize) -> Vec<f32> {
    let t = taps(from, to);
    let mut out = vec![0f32; channels * to * to];
    for c in 0..channels {
        let plane = &values[c * from * from..(c + 1) * from * from];
        for (oy, (ys, wy)) in t.iter().enumerate() {
            for (ox, (xs, wx)) in t.iter().enumerate() {
                let mut acc = 0f64;
                for (y, wyv) in ys.iter().zip(wy) {
                    for (x, wxv) in xs.iter().zip(wx) {
                        acc += wyv * wxv * plane[y * from + x] as f64;
                    }
                }
                out[c * to * to + oy * to + ox] = acc as f32;
            }
        }
    }
    out
}
