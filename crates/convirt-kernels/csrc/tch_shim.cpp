// The libtorch kernels that tch 0.22 does not bind, for the convirt-kernels tch backend
// (feature `tch`): the convolution's backward, batch normalisation's backward, layer
// normalisation's backward and the fused Adam step. Each is a thin C wrapper over one ATen
// function, so that they run on the same CPU kernels (oneDNN, ATen's native ones) PyTorch calls.
//
// Tensors cross as `at::Tensor*`, the handle tch's `Tensor::as_ptr` / `Tensor::from_ptr` use
// (torch-sys's `C_tensor`). Results are new heap handles the caller takes ownership of; an
// absent result is a null pointer. Each function returns 0, or 1 after writing libtorch's
// exception message (truncated, NUL-terminated) into `err`.

#include <ATen/ATen.h>

#include <array>
#include <cstring>
#include <exception>
#include <optional>

namespace {

int fail(const std::exception &e, char *err, size_t err_len) {
  if (err != nullptr && err_len > 0) {
    std::strncpy(err, e.what(), err_len - 1);
    err[err_len - 1] = '\0';
  }
  return 1;
}

at::Tensor *boxed(const at::Tensor &t) { return t.defined() ? new at::Tensor(t) : nullptr; }

}  // namespace

extern "C" {

// at::convolution_backward for a 2-D, non-transposed convolution without bias: the input
// gradient (when want_input) and the weight gradient (when want_weight). stride, padding and
// dilation hold two values each.
int convirt_conv2d_backward(const at::Tensor *grad, const at::Tensor *input,
                            const at::Tensor *weight, const int64_t *stride,
                            const int64_t *padding, const int64_t *dilation, int64_t groups,
                            int want_input, int want_weight, at::Tensor **grad_input,
                            at::Tensor **grad_weight, char *err, size_t err_len) {
  try {
    const std::array<bool, 3> mask = {want_input != 0, want_weight != 0, false};
    const int64_t no_output_padding[2] = {0, 0};
    auto grads = at::convolution_backward(
        *grad, *input, *weight, std::nullopt, at::IntArrayRef(stride, 2),
        at::IntArrayRef(padding, 2), at::IntArrayRef(dilation, 2), /*transposed=*/false,
        at::IntArrayRef(no_output_padding, 2), groups, mask);
    *grad_input = boxed(std::get<0>(grads));
    *grad_weight = boxed(std::get<1>(grads));
    return 0;
  } catch (const std::exception &e) {
    return fail(e, err, err_len);
  }
}

// at::native_batch_norm_backward in training mode, from the batch statistics the forward saved
// (mean and 1/sqrt(var + eps) per channel): the input, gamma and beta gradients.
int convirt_batch_norm_backward(const at::Tensor *grad, const at::Tensor *input,
                                const at::Tensor *gamma, const at::Tensor *save_mean,
                                const at::Tensor *save_invstd, double epsilon,
                                at::Tensor **grad_input, at::Tensor **grad_gamma,
                                at::Tensor **grad_beta, char *err, size_t err_len) {
  try {
    auto grads = at::native_batch_norm_backward(*grad, *input, *gamma, std::nullopt,
                                                std::nullopt, *save_mean, *save_invstd,
                                                /*train=*/true, epsilon, {true, true, true});
    *grad_input = boxed(std::get<0>(grads));
    *grad_gamma = boxed(std::get<1>(grads));
    *grad_beta = boxed(std::get<2>(grads));
    return 0;
  } catch (const std::exception &e) {
    return fail(e, err, err_len);
  }
}

// at::native_layer_norm_backward over the last dimension. The row statistics are recomputed
// from the input (one pass, as the forward computes them); the input, gamma and beta gradients.
int convirt_layer_norm_backward(const at::Tensor *grad, const at::Tensor *input,
                                const at::Tensor *gamma, double epsilon,
                                at::Tensor **grad_input, at::Tensor **grad_gamma,
                                at::Tensor **grad_beta, char *err, size_t err_len) {
  try {
    const int64_t d = input->size(-1);
    auto stats = at::var_mean(*input, {-1}, /*correction=*/0, /*keepdim=*/true);
    at::Tensor rstd = (std::get<0>(stats) + epsilon).rsqrt();
    // beta only sizes its gradient's buffer: a zero stand-in of gamma's shape.
    at::Tensor beta = at::zeros_like(*gamma);
    auto grads = at::native_layer_norm_backward(*grad, *input, at::IntArrayRef(&d, 1),
                                                std::get<1>(stats), rstd, *gamma, beta,
                                                {true, true, true});
    *grad_input = boxed(std::get<0>(grads));
    *grad_gamma = boxed(std::get<1>(grads));
    *grad_beta = boxed(std::get<2>(grads));
    return 0;
  } catch (const std::exception &e) {
    return fail(e, err, err_len);
  }
}

// at::_fused_adam_ on one parameter, in place: PyTorch's fused Adam (coupled L2 weight decay,
// no AMSGrad), the kernel `torch.optim.Adam(fused=True)` runs. `step` is the step number after
// this one is counted (1 on the first step), as PyTorch's optimiser passes it.
int convirt_fused_adam(at::Tensor *param, const at::Tensor *grad, at::Tensor *exp_avg,
                       at::Tensor *exp_avg_sq, double lr, double beta1, double beta2,
                       double weight_decay, double eps, double step, char *err,
                       size_t err_len) {
  try {
    at::Tensor state_step = at::full({}, step, param->options());
    std::array<at::Tensor, 1> params = {*param};
    std::array<at::Tensor, 1> grads = {*grad};
    std::array<at::Tensor, 1> avgs = {*exp_avg};
    std::array<at::Tensor, 1> avg_sqs = {*exp_avg_sq};
    std::array<at::Tensor, 1> steps = {state_step};
    at::_fused_adam_(params, grads, avgs, avg_sqs, at::TensorList(), steps, lr, beta1, beta2,
                     weight_decay, eps, /*amsgrad=*/false, /*maximize=*/false);
    return 0;
  } catch (const std::exception &e) {
    return fail(e, err, err_len);
  }
}

}  // extern "C"
