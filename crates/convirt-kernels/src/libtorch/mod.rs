//! libtorch's own kernels behind the extensions (feature `tch`).
//!
//! | operation | kernel |
//! |---|---|
//! | convolution: input and weight gradients | `at::convolution_backward` (oneDNN on the CPU), through the shim |
//! | batch norm: training forward | `at::native_batch_norm` (tch binds it) |
//! | batch norm: training backward | `at::native_batch_norm_backward`, through the shim |
//! | batch norm: inference forward | `at::batch_norm` (tch binds it) |
//! | layer norm: gradients | `at::native_layer_norm_backward`, through the shim |
//! | dropout's mask | `empty_like(x).bernoulli_(keep)`, as PyTorch's dropout draws it (MKL's parallel generator on Intel CPUs) |
//! | softmax: forward and input gradient | `at::softmax` and `at::_softmax_backward_data` (tch binds both; burn-tch composes softmax from five primitives) |
//! | Adam's step | `at::_fused_adam_`, in place where burn-tch owns the tensors alone, through the shim |
//!
//! The convolution's and layer norm's forwards and GELU keep their default bodies,
//! which on tch already are libtorch's kernels (burn-tch binds them). burn-tch itself runs the
//! convolution's gradients as a transposed and a batch↔channel-swapped convolution, and batch and
//! layer normalisation's as burn's composition of primitives.
//!
//! | file | what it holds |
//! |---|---|
//! | `ffi` | the C shim's functions (`csrc/tch_shim.cpp`) and safe wrappers over them |
//!
//! A libtorch error inside a native kernel is reported once per operation on stderr, and that
//! call falls back to the default body, which raises its own error if the input is at fault.

mod ffi;

use std::sync::atomic::{AtomicBool, Ordering};

use burn::backend::LibTorch;
use burn::backend::libtorch::TchTensor;
use burn::backend::ops::ModuleOps;
use burn::backend::tensor::FloatTensor;
use burn::tensor::ops::ConvOptions;

use crate::adam::{AdamHyper, AdamKernels, composed_step};
use crate::batch_norm::{BatchNormKernels, composed_train_forward, composed_train_grads};
use crate::conv::ConvKernels;
use crate::dropout::{DropoutKernels, bernoulli_mask};
use crate::layer_norm::{LayerNormKernels, composed_grads};
use crate::softmax::{SoftmaxKernels, composed_input_grad};

/// Writes a native kernel's failure to stderr the first time `flag` sees one.
fn report(flag: &AtomicBool, error: &dyn std::fmt::Display) {
    if !flag.swap(true, Ordering::Relaxed) {
        eprintln!("convirt-kernels (tch): {error}; falling back to burn's default body");
    }
}

/// The two-value `i64` arrays the shim takes.
fn pair(values: [usize; 2]) -> [i64; 2] {
    values.map(|v| v as i64)
}

/// One call of `at::convolution_backward` for the input or the weight gradient; `None` where the
/// options are outside what it takes (asymmetric padding) or libtorch failed.
fn conv_grad(
    x: &TchTensor,
    weight: &TchTensor,
    grad: &TchTensor,
    options: &ConvOptions<2>,
    want_input: bool,
) -> Option<tch::Tensor> {
    static FAILED: AtomicBool = AtomicBool::new(false);
    if options.is_asymmetric() {
        return None;
    }
    let result = ffi::conv2d_backward(
        &grad.tensor,
        &x.tensor,
        &weight.tensor,
        pair(options.stride),
        pair(options.padding_begin()),
        pair(options.dilation),
        options.groups as i64,
        want_input,
        !want_input,
    );
    match result {
        Ok((dx, dw)) => {
            if want_input {
                dx
            } else {
                dw
            }
        }
        Err(error) => {
            report(&FAILED, &error);
            None
        }
    }
}

impl ConvKernels for LibTorch {
    fn conv2d_input_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        match conv_grad(&x, &weight, &grad, &options, true) {
            Some(dx) => TchTensor::new(dx),
            None => Self::conv2d_x_backward(x, weight, grad, options),
        }
    }

    fn conv2d_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        match conv_grad(&x, &weight, &grad, &options, false) {
            Some(dw) => TchTensor::new(dw),
            None => Self::conv2d_weight_backward(x, weight, grad, options),
        }
    }
}

/// `1 / √(variance + ε)`, the statistic libtorch's batch norm saves, from burn's biased variance.
fn invstd(variance: &tch::Tensor, epsilon: f64) -> Result<tch::Tensor, tch::TchError> {
    variance.f_add_scalar(epsilon)?.f_rsqrt()
}

impl BatchNormKernels for LibTorch {
    fn batch_norm_train_forward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        static FAILED: AtomicBool = AtomicBool::new(false);
        let native = || -> Result<_, tch::TchError> {
            let (out, mean, invstd) = x.tensor.f_native_batch_norm(
                Some(&gamma.tensor),
                Some(&beta.tensor),
                None::<&tch::Tensor>,
                None,
                true,
                0.0,
                epsilon,
            )?;
            // burn's statistics are the mean and the biased variance: 1/invstd² − ε.
            let variance = invstd.f_square()?.f_reciprocal()?.f_sub_scalar(epsilon)?;
            Ok((out, mean, variance))
        };
        match native() {
            Ok((out, mean, variance)) => (
                TchTensor::new(out),
                TchTensor::new(mean),
                TchTensor::new(variance),
            ),
            Err(error) => {
                report(&FAILED, &error);
                composed_train_forward::<Self>(x, gamma, beta, epsilon)
            }
        }
    }

    fn batch_norm_train_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
        grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        static FAILED: AtomicBool = AtomicBool::new(false);
        let native = invstd(&variance.tensor, epsilon)
            .map_err(|e| e.to_string())
            .and_then(|invstd| {
                ffi::batch_norm_backward(
                    &grad.tensor,
                    &x.tensor,
                    &gamma.tensor,
                    &mean.tensor,
                    &invstd,
                    epsilon,
                )
                .map_err(|e| e.to_string())
            });
        match native {
            Ok((dx, dgamma, dbeta)) => (
                TchTensor::new(dx),
                TchTensor::new(dgamma),
                TchTensor::new(dbeta),
            ),
            Err(error) => {
                report(&FAILED, &error);
                composed_train_grads::<Self>(x, gamma, mean, variance, epsilon, grad)
            }
        }
    }

    fn batch_norm_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        static FAILED: AtomicBool = AtomicBool::new(false);
        let native = x.tensor.f_batch_norm(
            Some(&gamma.tensor),
            Some(&beta.tensor),
            Some(&mean.tensor),
            Some(&variance.tensor),
            false,
            0.0,
            epsilon,
            false,
        );
        match native {
            Ok(out) => TchTensor::new(out),
            Err(error) => {
                report(&FAILED, &error);
                <Self as ModuleOps<Self>>::batch_norm(x, gamma, beta, mean, variance, epsilon)
            }
        }
    }
}

impl LayerNormKernels for LibTorch {
    fn layer_norm_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        static FAILED: AtomicBool = AtomicBool::new(false);
        match ffi::layer_norm_backward(&grad.tensor, &x.tensor, &gamma.tensor, epsilon) {
            Ok((dx, dgamma, dbeta)) => (
                TchTensor::new(dx),
                TchTensor::new(dgamma),
                TchTensor::new(dbeta),
            ),
            Err(error) => {
                report(&FAILED, &error);
                composed_grads::<Self>(x, gamma, grad, epsilon)
            }
        }
    }
}

impl DropoutKernels for LibTorch {
    fn dropout_mask(like: FloatTensor<Self>, keep: f64) -> FloatTensor<Self> {
        static FAILED: AtomicBool = AtomicBool::new(false);
        // burn-tch's Bernoulli draw goes through a serial element-by-element kernel.
        let native = || -> Result<tch::Tensor, tch::TchError> {
            let mut mask = like.tensor.f_empty_like()?;
            let _ = mask.f_bernoulli_float_(keep)?;
            let _ = mask.f_mul_scalar_(1.0 / keep)?;
            Ok(mask)
        };
        match native() {
            Ok(mask) => TchTensor::new(mask),
            Err(error) => {
                report(&FAILED, &error);
                bernoulli_mask::<Self>(like, keep)
            }
        }
    }
}

impl SoftmaxKernels for LibTorch {
    fn softmax_forward(x: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        static FAILED: AtomicBool = AtomicBool::new(false);
        match x.tensor.f_softmax(dim as i64, None::<tch::Kind>) {
            Ok(y) => TchTensor::new(y),
            Err(error) => {
                report(&FAILED, &error);
                <Self as burn::backend::ops::ActivationOps<Self>>::softmax(x, dim)
            }
        }
    }

    fn softmax_input_grad(
        y: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        dim: usize,
    ) -> FloatTensor<Self> {
        static FAILED: AtomicBool = AtomicBool::new(false);
        let native = tch::Tensor::f_internal_softmax_backward_data(
            &grad.tensor,
            &y.tensor,
            dim as i64,
            y.tensor.kind(),
        );
        match native {
            Ok(dx) => TchTensor::new(dx),
            Err(error) => {
                report(&FAILED, &error);
                composed_input_grad::<Self>(y, grad, dim)
            }
        }
    }
}

/// A contiguous copy of `t` to update in place, or `None` where `t` itself can be: burn-tch
/// owns it alone and it is contiguous.
fn copy_unless_owned(t: &TchTensor) -> Result<Option<tch::Tensor>, tch::TchError> {
    if t.can_mut() && t.tensor.is_contiguous() {
        return Ok(None);
    }
    let mut copy = t.tensor.f_empty_like()?.f_contiguous()?;
    let _ = copy.f_copy_(&t.tensor)?;
    Ok(Some(copy))
}

impl AdamKernels for LibTorch {
    fn adam_step(
        param: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        hyper: AdamHyper,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        static FAILED: AtomicBool = AtomicBool::new(false);
        let copies = (|| {
            Ok::<_, tch::TchError>((
                copy_unless_owned(&param)?,
                copy_unless_owned(&moment_1)?,
                copy_unless_owned(&moment_2)?,
                grad.tensor.f_contiguous()?,
            ))
        })();
        let (p, m, v, g) = match copies {
            Ok(tensors) => tensors,
            Err(error) => {
                report(&FAILED, &error);
                return composed_step::<Self>(param, grad, moment_1, moment_2, &hyper);
            }
        };
        let mut p = p.unwrap_or(param.tensor);
        let mut m = m.unwrap_or(moment_1.tensor);
        let mut v = v.unwrap_or(moment_2.tensor);
        match ffi::fused_adam(&mut p, &g, &mut m, &mut v, &hyper) {
            Ok(()) => (TchTensor::new(p), TchTensor::new(m), TchTensor::new(v)),
            Err(error) => {
                // libtorch checks its arguments before it writes, so the tensors are unchanged.
                report(&FAILED, &error);
                composed_step::<Self>(
                    TchTensor::new(p),
                    TchTensor::new(g),
                    TchTensor::new(m),
                    TchTensor::new(v),
                    &hyper,
                )
            }
        }
    }
}
