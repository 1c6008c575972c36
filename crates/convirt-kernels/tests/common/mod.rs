//! What the kernel tests share: issue 16's bar and the scale-relative error it is measured in.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use burn::tensor::TensorData;

/// The bar on every compared tensor: `max|ours − burn's| / max|burn's|` ≤ 1e-4.
pub const BAR: f32 = 1e-4;

/// `max|a − b| / max|b|` over two tensors of one shape. Where `b` is all zeros (a gradient that
/// vanishes by construction), the difference is measured against 1e-2 instead, so that the bar
/// asks `a` to be within 1e-6 of zero.
pub fn scale_relative(a: TensorData, b: TensorData) -> f32 {
    let (diff, scale) = diff_and_scale(a, b);
    diff / if scale == 0.0 { 1e-2 } else { scale }
}

/// `(max|a − b|, max|b|)` over two f32 tensors of one shape.
pub fn diff_and_scale(a: TensorData, b: TensorData) -> (f32, f32) {
    assert_eq!(a.shape(), b.shape());
    let (a, b) = (
        a.try_to_vec::<f32>().unwrap(),
        b.try_to_vec::<f32>().unwrap(),
    );
    let diff = a
        .iter()
        .zip(&b)
        .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()));
    let scale = b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    (diff, scale)
}

/// The device the tests run on: libtorch's CPU when `CONVIRT_BACKEND` is `tch` (feature `tch`,
/// as `scripts/backend-env.sh tch` sets it), else burn's default device (flex in the workspace's
/// test build).
pub fn device() -> burn::tensor::Device {
    #[cfg(feature = "tch")]
    #[allow(deprecated)] // burn-tch is deprecated upstream; these tests still cover it
    if std::env::var("CONVIRT_BACKEND").is_ok_and(|b| b == "tch") {
        return burn::tensor::Device::libtorch();
    }
    burn::tensor::Device::default()
}
