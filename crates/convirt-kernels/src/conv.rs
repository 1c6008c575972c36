//! The 2-D convolution as a backend extension.
//!
//! [`ConvKernels`] has three operations: the forward, the input gradient and the weight gradient.
//! Their default bodies are the backend's own `ModuleOps` (`conv2d`, `conv2d_x_backward`,
//! `conv2d_weight_backward`); flex overrides all three with im2col GEMM kernels (burn's default
//! gradients run as a transposed convolution and a batch↔channel-swapped convolution, whose GEMMs
//! are badly shaped). Under `Autodiff` the forward records a backward that calls the two
//! gradient operations on the inner backend.

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, backend_extension};
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::tensor::Tensor;
use burn::tensor::ops::ConvOptions;

/// The convolution operations whose kernels this crate chooses per backend.
///
/// Call it through [`conv2d`] (or [`conv2d_module`] for a `burn::nn::conv::Conv2d`); the
/// generated `Dispatch` implementation routes to the tensor's backend.
#[backend_extension(
    Flex: cfg(feature = "flex"),
    LibTorch: cfg(feature = "tch"),
    Cube: cfg(any(feature = "wgpu", feature = "cuda")),
    Autodiff,
)]
pub trait ConvKernels: Backend {
    /// The forward convolution without bias, `x: [N, C_in, H, W]`, `weight: [C_out, C_in / groups,
    /// kh, kw]`. (The generated dispatch does not route `Option` tensors; [`conv2d`] adds a bias.)
    fn conv2d_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d(x, weight, None, options)
    }

    /// The gradient with respect to the input, shaped as `x`, from the output gradient `grad`.
    fn conv2d_input_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d_x_backward(x, weight, grad, options)
    }

    /// The gradient with respect to the weight, shaped as `weight`, from the output gradient `grad`.
    fn conv2d_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        Self::conv2d_weight_backward(x, weight, grad, options)
    }
}

#[cfg(any(feature = "wgpu", feature = "cuda"))]
impl ConvKernels for burn::backend::Cube {}

/// A 2-D convolution through [`ConvKernels`]: the same values as `burn::tensor::module::conv2d`,
/// with this crate's kernels for the forward and, under autodiff, for both gradients.
///
/// ```
/// use burn::tensor::{Device, Distribution, Tensor};
/// use burn::tensor::ops::ConvOptions;
///
/// let device = Device::default();
/// let x = Tensor::<4>::random([2, 3, 9, 9], Distribution::Default, &device);
/// let w = Tensor::<4>::random([4, 3, 3, 3], Distribution::Default, &device);
/// let options = ConvOptions::new([2, 2], [1, 1], [1, 1], 1);
/// let ours = convirt_kernels::conv2d(x.clone(), w.clone(), None, options.clone());
/// let burns = burn::tensor::module::conv2d(x, w, None, options);
/// assert_eq!(ours.dims(), [2, 4, 5, 5]);
/// ours.into_data().assert_approx_eq::<f32>(&burns.into_data(), Default::default());
/// ```
pub fn conv2d(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    options: ConvOptions<2>,
) -> Tensor<4> {
    let out = <burn::backend::Dispatch as ConvKernels>::conv2d_forward(
        x.into_dispatch(),
        weight.into_dispatch(),
        options,
    );
    let out = Tensor::<4>::from_dispatch(out);
    match bias {
        Some(bias) => {
            let channels = bias.dims()[0];
            out + bias.reshape([1, channels, 1, 1])
        }
        None => out,
    }
}

/// `conv.forward(x)` for a `burn::nn::conv::Conv2d`, through [`conv2d`]: the module keeps its
/// parameters and their names (so checkpoints load unchanged); only the kernels change.
pub fn conv2d_module(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    if crate::choice::burns() {
        return conv.forward(x);
    }
    let [_, _, height, width] = x.dims();
    let padding = conv_padding(
        &conv.padding,
        [height, width],
        conv.kernel_size,
        conv.stride,
    );
    let options = ConvOptions::new_with_padding(conv.stride, padding, conv.dilation, conv.groups);
    conv2d(
        x,
        conv.weight.val(),
        conv.bias.as_ref().map(|bias| bias.val()),
        options,
    )
}

/// The `(begin, end)` padding of each spatial dimension that `Conv2d::forward` uses for
/// `padding` on an input of `[height, width]`: `Valid` is none, `Explicit(top, left, bottom,
/// right)` is as given, and `Same` pads `(size_out − 1)·stride + k − size_in` in total, the
/// smaller half first, with `size_out = ⌈size_in / stride⌉`.
///
/// ```
/// use burn::nn::PaddingConfig2d;
/// let same = convirt_kernels::conv_padding(&PaddingConfig2d::Same, [8, 7], [4, 3], [1, 2]);
/// assert_eq!(same, [(1, 2), (1, 1)]);
/// ```
pub fn conv_padding(
    padding: &PaddingConfig2d,
    size: [usize; 2],
    kernel: [usize; 2],
    stride: [usize; 2],
) -> [(usize, usize); 2] {
    let same = |k: usize, s: usize, n: usize| {
        let out = n.div_ceil(s);
        let total = if out > 0 {
            ((out - 1) * s + k).saturating_sub(n)
        } else {
            0
        };
        (total / 2, total - total / 2)
    };
    match padding {
        PaddingConfig2d::Valid => [(0, 0), (0, 0)],
        PaddingConfig2d::Same => [
            same(kernel[0], stride[0], size[0]),
            same(kernel[1], stride[1], size[1]),
        ],
        PaddingConfig2d::Explicit(top, left, bottom, right) => [(*top, *bottom), (*left, *right)],
    }
}
