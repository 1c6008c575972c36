//! The native flex kernels (feature `flex`): f32 NCHW convolution as im2col + GEMM, and batch
//! normalisation in two passes each way.
//!
//! | file | what it holds |
//! |---|---|
//! | `geometry` | the shapes of one convolution |
//! | `im2col` | im2col and col2im for one image and group |
//! | `conv` | forward, input gradient and weight gradient |
//! | `dropout` | dropout's mask from one seed, hashed per element in parallel |
//! | `gelu` | GELU and its derivative, one `exp` per element, in parallel |
//! | `layer_norm` | layer normalisation's backward over the last dimension, by rows |
//! | `batch_norm` | batch normalisation: training's forward and backward, inference's forward |
//! | `softmax` | softmax's input gradient over the last dimension, by rows |
//! | `adam` | one Adam step in one pass, in place |
//!
//! Other dtypes run flex's own `ModuleOps`.

mod adam;
mod batch_norm;
mod conv;
mod dropout;
mod gelu;
mod geometry;
mod im2col;
mod layer_norm;
mod softmax;

use burn::backend::flex::{FlexTensor, Layout};
use burn::backend::ops::{IntTensorOps, ModuleOps};
use burn::backend::tensor::FloatTensor;
use burn::backend::{DType, Flex, TensorMetadata};
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Bytes, Shape};

use crate::adam::{AdamHyper, AdamKernels};
use crate::batch_norm::BatchNormKernels;
use crate::conv::ConvKernels;
use crate::dropout::DropoutKernels;
use crate::gelu::GeluKernels;
use crate::layer_norm::LayerNormKernels;
use crate::softmax::SoftmaxKernels;
use batch_norm::Planes;
use geometry::Geometry;

/// The tensor's f32 values in row-major order, borrowed when already contiguous.
fn values(t: &FlexTensor) -> std::borrow::Cow<'_, [f32]> {
    match t.as_slice::<f32>() {
        Some(slice) => std::borrow::Cow::Borrowed(slice),
        None => std::borrow::Cow::Owned(
            t.to_contiguous()
                .as_slice::<f32>()
                .map_or_else(Vec::new, <[f32]>::to_vec),
        ),
    }
}

/// A contiguous f32 flex tensor of `shape` holding `data`.
fn tensor(data: Vec<f32>, shape: Shape) -> FlexTensor {
    FlexTensor::new(
        Bytes::from_elems(data),
        Layout::contiguous(shape),
        DType::F32,
    )
}

/// `t` as a tensor whose storage is exactly its values in row-major order, so that
/// `storage_mut` (which copies storage that is shared) covers the values alone.
fn dense(t: FlexTensor) -> FlexTensor {
    let n = t.shape().num_elements();
    // `as_slice` is the values when they are contiguous; the storage may still hold more.
    let exact = t.as_slice::<f32>().is_some() && t.storage::<f32>().len() == n;
    if exact { t } else { t.to_contiguous() }
}

/// True when every tensor is f32, the dtype the native kernels cover.
fn all_f32(tensors: &[&FlexTensor]) -> bool {
    tensors.iter().all(|t| t.dtype() == DType::F32)
}

impl ConvKernels for Flex {
    fn conv2d_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        if !all_f32(&[&x, &weight]) {
            return Self::conv2d(x, weight, None, options);
        }
        let (x_shape, w_shape) = (x.shape(), weight.shape());
        let out = [
            x_shape[0],
            w_shape[0],
            out_size(x_shape[2], w_shape[2], &options, 0),
            out_size(x_shape[3], w_shape[3], &options, 1),
        ];
        let g = Geometry::new(&x_shape, &w_shape, &out, &options);
        let y = conv::forward(&values(&x), &values(&weight), &g);
        tensor(y, Shape::from(out.to_vec()))
    }

    fn conv2d_input_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        if !all_f32(&[&x, &weight, &grad]) {
            return Self::conv2d_x_backward(x, weight, grad, options);
        }
        let g = Geometry::new(&x.shape(), &weight.shape(), &grad.shape(), &options);
        let dx = conv::input_grad(&values(&weight), &values(&grad), &g);
        tensor(dx, x.shape())
    }

    fn conv2d_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        if !all_f32(&[&x, &weight, &grad]) {
            return Self::conv2d_weight_backward(x, weight, grad, options);
        }
        let g = Geometry::new(&x.shape(), &weight.shape(), &grad.shape(), &options);
        let dw = conv::weight_grad(&values(&x), &values(&grad), &g);
        tensor(dw, weight.shape())
    }
}

/// The output size of spatial dimension `dim`, as burn computes it.
fn out_size(size: usize, kernel: usize, options: &ConvOptions<2>, dim: usize) -> usize {
    burn::backend::ops::conv::calculate_conv_output_size_asymmetric(
        kernel,
        options.stride[dim],
        options.padding[dim],
        options.dilation[dim],
        size,
    )
}

/// The `[n, c, plane]` view of a batch-normalised tensor `[n, c, ...]`.
fn planes(shape: &Shape) -> Planes {
    let dims = shape.as_slice();
    Planes {
        n: dims[0],
        c: dims[1],
        plane: dims[2..].iter().product(),
    }
}

impl BatchNormKernels for Flex {
    fn batch_norm_train_forward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        if !all_f32(&[&x, &gamma, &beta]) {
            return crate::batch_norm::composed_train_forward::<Self>(x, gamma, beta, epsilon);
        }
        let shape = x.shape();
        let s = planes(&shape);
        let (out, mean, variance) =
            batch_norm::train_forward(&values(&x), &values(&gamma), &values(&beta), epsilon, s);
        let channel = || Shape::from(vec![s.c]);
        (
            tensor(out, shape),
            tensor(mean, channel()),
            tensor(variance, channel()),
        )
    }

    fn batch_norm_train_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
        grad: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        if !all_f32(&[&x, &gamma, &mean, &variance, &grad]) {
            return crate::batch_norm::composed_train_grads::<Self>(
                x, gamma, mean, variance, epsilon, grad,
            );
        }
        let shape = x.shape();
        let s = planes(&shape);
        let (dx, dgamma, dbeta) = batch_norm::train_backward(
            &values(&x),
            &values(&gamma),
            &values(&mean),
            &values(&variance),
            epsilon,
            &values(&grad),
            s,
        );
        let channel = || Shape::from(vec![s.c]);
        (
            tensor(dx, shape),
            tensor(dgamma, channel()),
            tensor(dbeta, channel()),
        )
    }

    fn batch_norm_eval(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        mean: FloatTensor<Self>,
        variance: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        if !all_f32(&[&x, &gamma, &beta, &mean, &variance]) {
            return Self::batch_norm(x, gamma, beta, mean, variance, epsilon);
        }
        let shape = x.shape();
        let s = planes(&shape);
        let out = batch_norm::eval_forward(
            &values(&x),
            &values(&gamma),
            &values(&beta),
            &values(&mean),
            &values(&variance),
            epsilon,
            s,
        );
        tensor(out, shape)
    }
}

impl DropoutKernels for Flex {
    fn dropout_mask(like: FloatTensor<Self>, keep: f64) -> FloatTensor<Self> {
        if like.dtype() != DType::F32 {
            return crate::dropout::bernoulli_mask::<Self>(like, keep);
        }
        // One seed from the backend's own generator (reseeded by `Device::seed`): two draws of
        // 31 bits each.
        let seed = Self::int_random(
            Shape::from(vec![2]),
            burn::tensor::Distribution::Uniform(0.0, 2_147_483_647.0),
            &like.device(),
            burn::tensor::IntDType::I32,
        );
        let seed = seed.to_contiguous();
        let Some(&[high, low]) = seed.as_slice::<i32>() else {
            // Not reached: two i32 draws read back as two i32s. Should it change, burn's own draw
            // is still a correct mask.
            return crate::dropout::bernoulli_mask::<Self>(like, keep);
        };
        let seed = (u64::from(high as u32) << 32) | u64::from(low as u32);
        let shape = like.shape();
        tensor(dropout::mask(seed, shape.num_elements(), keep), shape)
    }
}

impl GeluKernels for Flex {
    fn gelu_forward(x: FloatTensor<Self>) -> FloatTensor<Self> {
        if !all_f32(&[&x]) {
            return <Self as burn::backend::ops::ActivationOps<Self>>::gelu(x);
        }
        let shape = x.shape();
        tensor(gelu::forward(&values(&x)), shape)
    }

    fn gelu_input_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        if !all_f32(&[&x, &grad]) {
            return <Self as burn::backend::ops::ActivationOps<Self>>::gelu_backward(x, grad);
        }
        let shape = x.shape();
        tensor(gelu::input_grad(&values(&x), &values(&grad)), shape)
    }
}

impl LayerNormKernels for Flex {
    fn layer_norm_grads(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        epsilon: f64,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        if !all_f32(&[&x, &gamma, &grad]) {
            return crate::layer_norm::composed_grads::<Self>(x, gamma, grad, epsilon);
        }
        let shape = x.shape();
        let d = gamma.shape().num_elements();
        let (dx, dgamma, dbeta) =
            layer_norm::backward(&values(&x), &values(&gamma), &values(&grad), epsilon);
        let feature = || Shape::from(vec![d]);
        (
            tensor(dx, shape),
            tensor(dgamma, feature()),
            tensor(dbeta, feature()),
        )
    }
}

impl SoftmaxKernels for Flex {
    fn softmax_input_grad(
        y: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        dim: usize,
    ) -> FloatTensor<Self> {
        let shape = y.shape();
        if !all_f32(&[&y, &grad]) || dim + 1 != shape.num_dims() {
            return crate::softmax::composed_input_grad::<Self>(y, grad, dim);
        }
        let row = shape[dim];
        tensor(softmax::input_grad(&values(&y), &values(&grad), row), shape)
    }
}

impl AdamKernels for Flex {
    fn adam_step(
        param: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        moment_1: FloatTensor<Self>,
        moment_2: FloatTensor<Self>,
        hyper: AdamHyper,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>) {
        let n = param.shape().num_elements();
        let sized = [&grad, &moment_1, &moment_2]
            .iter()
            .all(|t| t.shape().num_elements() == n);
        if !all_f32(&[&param, &grad, &moment_1, &moment_2]) || !sized {
            return crate::adam::composed_step::<Self>(param, grad, moment_1, moment_2, &hyper);
        }
        let (mut param, mut moment_1, mut moment_2) =
            (dense(param), dense(moment_1), dense(moment_2));
        adam::step(
            param.storage_mut::<f32>(),
            &values(&grad),
            moment_1.storage_mut::<f32>(),
            moment_2.storage_mut::<f32>(),
            &hyper,
        );
        (param, moment_1, moment_2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The composed default body of the layer-norm gradients (what tch and wgpu run) against
    /// flex's kernel, on one BERT-shaped input.
    #[test]
    fn composed_layer_norm_gradients_match_the_kernel() {
        let (rows, d) = (37, 24);
        let wave = |n: usize, a: f32, b: f32| -> Vec<f32> {
            (0..n).map(|i| (i as f32 * a).sin() * b + 0.1).collect()
        };
        let (x, gamma, dy) = (
            wave(rows * d, 0.37, 2.0),
            wave(d, 1.3, 0.5),
            wave(rows * d, 0.91, 1.0),
        );
        let shape = || Shape::from(vec![rows, d]);
        let (cx, cg, cb) = crate::layer_norm::composed_grads::<Flex>(
            tensor(x.clone(), shape()),
            tensor(gamma.clone(), Shape::from(vec![d])),
            tensor(dy.clone(), shape()),
            1e-5,
        );
        let (kx, kg, kb) = layer_norm::backward(&x, &gamma, &dy, 1e-5);
        for (name, composed, kernel) in [("dx", cx, kx), ("dγ", cg, kg), ("dβ", cb, kb)] {
            let composed = values(&composed).into_owned();
            let scale = kernel.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let diff = composed
                .iter()
                .zip(&kernel)
                .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
            assert!(
                scale > 0.0 && diff / scale <= 1e-4,
                "{name}: {diff} of {scale}"
            );
        }
    }
}
