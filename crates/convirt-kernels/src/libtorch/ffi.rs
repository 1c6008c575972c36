//! The C shim (`csrc/tch_shim.cpp`, built by `build.rs`) and safe wrappers over it: the libtorch
//! kernels tch 0.22 does not bind. Each wrapper borrows tch tensors, returns owned ones, and
//! turns a libtorch exception into [`ShimError`].

use std::ffi::{CStr, c_char, c_int};

use tch::Tensor;
use torch_sys::C_tensor;

unsafe extern "C" {
    fn convirt_conv2d_backward(
        grad: *const C_tensor,
        input: *const C_tensor,
        weight: *const C_tensor,
        stride: *const i64,
        padding: *const i64,
        dilation: *const i64,
        groups: i64,
        want_input: c_int,
        want_weight: c_int,
        grad_input: *mut *mut C_tensor,
        grad_weight: *mut *mut C_tensor,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;

    fn convirt_batch_norm_backward(
        grad: *const C_tensor,
        input: *const C_tensor,
        gamma: *const C_tensor,
        save_mean: *const C_tensor,
        save_invstd: *const C_tensor,
        epsilon: f64,
        grad_input: *mut *mut C_tensor,
        grad_gamma: *mut *mut C_tensor,
        grad_beta: *mut *mut C_tensor,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;

    fn convirt_layer_norm_backward(
        grad: *const C_tensor,
        input: *const C_tensor,
        gamma: *const C_tensor,
        epsilon: f64,
        grad_input: *mut *mut C_tensor,
        grad_gamma: *mut *mut C_tensor,
        grad_beta: *mut *mut C_tensor,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;

    fn convirt_fused_adam(
        param: *mut C_tensor,
        grad: *const C_tensor,
        exp_avg: *mut C_tensor,
        exp_avg_sq: *mut C_tensor,
        lr: f64,
        beta1: f64,
        beta2: f64,
        weight_decay: f64,
        eps: f64,
        step: f64,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
}

/// A libtorch exception raised inside the shim, with its message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShimError {
    /// The shim function that raised it.
    pub function: &'static str,
    /// libtorch's message (truncated to 1 KiB).
    pub message: String,
}

impl std::fmt::Display for ShimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed in libtorch: {}", self.function, self.message)
    }
}

/// The size of the buffer a shim function writes libtorch's message into.
const ERR_LEN: usize = 1024;

/// Runs one shim call with an error buffer; `Err` carries the message when it returns non-zero.
fn call(
    function: &'static str,
    f: impl FnOnce(*mut c_char, usize) -> c_int,
) -> Result<(), ShimError> {
    let mut buffer = vec![0 as c_char; ERR_LEN];
    if f(buffer.as_mut_ptr(), ERR_LEN) == 0 {
        return Ok(());
    }
    // SAFETY: the shim NUL-terminates what it writes, within ERR_LEN; the buffer starts zeroed.
    let message = unsafe { CStr::from_ptr(buffer.as_ptr()) }
        .to_string_lossy()
        .into_owned();
    Err(ShimError { function, message })
}

/// Takes ownership of a handle the shim allocated (`new at::Tensor`); null is `None`.
fn take(ptr: *mut C_tensor) -> Option<Tensor> {
    // SAFETY: a non-null pointer is a fresh heap `at::Tensor*` that nothing else owns; tch's
    // `Tensor` frees it on drop.
    (!ptr.is_null()).then(|| unsafe { Tensor::from_ptr(ptr) })
}

/// `at::convolution_backward` of a 2-D convolution without bias: `(input gradient, weight
/// gradient)`, each computed only when asked for.
#[allow(clippy::too_many_arguments)]
pub(crate) fn conv2d_backward(
    grad: &Tensor,
    input: &Tensor,
    weight: &Tensor,
    stride: [i64; 2],
    padding: [i64; 2],
    dilation: [i64; 2],
    groups: i64,
    want_input: bool,
    want_weight: bool,
) -> Result<(Option<Tensor>, Option<Tensor>), ShimError> {
    let (mut dx, mut dw) = (std::ptr::null_mut(), std::ptr::null_mut());
    call("convirt_conv2d_backward", |err, len| {
        // SAFETY: the tensors are live handles borrowed for the call; the arrays hold two values
        // each; the out-pointers are written once, with null or an owned handle.
        unsafe {
            convirt_conv2d_backward(
                grad.as_ptr(),
                input.as_ptr(),
                weight.as_ptr(),
                stride.as_ptr(),
                padding.as_ptr(),
                dilation.as_ptr(),
                groups,
                c_int::from(want_input),
                c_int::from(want_weight),
                &mut dx,
                &mut dw,
                err,
                len,
            )
        }
    })?;
    Ok((take(dx), take(dw)))
}

/// The three gradients of a normalisation, `(input, γ, β)`.
pub(crate) type NormGrads = (Tensor, Tensor, Tensor);

/// Collects three owned handles; any null one is an error of `function`.
fn three(function: &'static str, [a, b, c]: [*mut C_tensor; 3]) -> Result<NormGrads, ShimError> {
    match (take(a), take(b), take(c)) {
        (Some(a), Some(b), Some(c)) => Ok((a, b, c)),
        _ => Err(ShimError {
            function,
            message: "libtorch returned an undefined gradient".to_owned(),
        }),
    }
}

/// `at::native_batch_norm_backward` in training mode, from the saved batch mean and
/// `1/√(var + ε)`: `(input, γ, β)` gradients.
pub(crate) fn batch_norm_backward(
    grad: &Tensor,
    input: &Tensor,
    gamma: &Tensor,
    save_mean: &Tensor,
    save_invstd: &Tensor,
    epsilon: f64,
) -> Result<NormGrads, ShimError> {
    let mut out = [std::ptr::null_mut(); 3];
    let [dx, dg, db] = &mut out;
    call("convirt_batch_norm_backward", |err, len| {
        // SAFETY: as in `conv2d_backward`.
        unsafe {
            convirt_batch_norm_backward(
                grad.as_ptr(),
                input.as_ptr(),
                gamma.as_ptr(),
                save_mean.as_ptr(),
                save_invstd.as_ptr(),
                epsilon,
                dx,
                dg,
                db,
                err,
                len,
            )
        }
    })?;
    three("convirt_batch_norm_backward", out)
}

/// `at::native_layer_norm_backward` over the last dimension (the row statistics recomputed from
/// the input): `(input, γ, β)` gradients.
pub(crate) fn layer_norm_backward(
    grad: &Tensor,
    input: &Tensor,
    gamma: &Tensor,
    epsilon: f64,
) -> Result<NormGrads, ShimError> {
    let mut out = [std::ptr::null_mut(); 3];
    let [dx, dg, db] = &mut out;
    call("convirt_layer_norm_backward", |err, len| {
        // SAFETY: as in `conv2d_backward`.
        unsafe {
            convirt_layer_norm_backward(
                grad.as_ptr(),
                input.as_ptr(),
                gamma.as_ptr(),
                epsilon,
                dx,
                dg,
                db,
                err,
                len,
            )
        }
    })?;
    three("convirt_layer_norm_backward", out)
}

/// `at::_fused_adam_` on one parameter, in place on `param`, `exp_avg` and `exp_avg_sq`: the
/// caller owns them alone (burn-tch's `can_mut`), or passes copies.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fused_adam(
    param: &mut Tensor,
    grad: &Tensor,
    exp_avg: &mut Tensor,
    exp_avg_sq: &mut Tensor,
    hyper: &crate::adam::AdamHyper,
) -> Result<(), ShimError> {
    call("convirt_fused_adam", |err, len| {
        // SAFETY: the tensors are live handles for the call; the shim updates the three mutable
        // ones in place and keeps no reference to any of them.
        unsafe {
            convirt_fused_adam(
                param.as_mut_ptr(),
                grad.as_ptr(),
                exp_avg.as_mut_ptr(),
                exp_avg_sq.as_mut_ptr(),
                hyper.lr,
                hyper.beta_1,
                hyper.beta_2,
                hyper.weight_decay,
                hyper.epsilon,
                hyper.time as f64,
                err,
                len,
            )
        }
    })
}
