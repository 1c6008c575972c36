//! Self-attention with PyTorch `nn.MultiheadAttention`'s parameters: one packed input
//! projection (`in_proj_weight` `[3D, D]`, `in_proj_bias`) and `out_proj`.

use burn::module::{Module, Param};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Distribution, Tensor};
use convirt_kernels::softmax;

/// PyTorch's `nn.MultiheadAttention` (batch first, no dropout), self-attention only.
#[derive(Module, Debug)]
pub struct MultiheadAttention {
    /// Query, key and value projections stacked, PyTorch's layout `[3D, D]`.
    pub in_proj_weight: Param<Tensor<2>>,
    /// Their biases `[3D]`.
    pub in_proj_bias: Param<Tensor<1>>,
    /// The output projection.
    pub out_proj: Linear,
    /// Number of heads.
    pub num_heads: usize,
}

impl MultiheadAttention {
    /// `num_heads` heads over `hidden` channels (which it must divide).
    pub fn new(hidden: usize, num_heads: usize, device: &Device) -> Self {
        // PyTorch: Xavier-uniform packed projection, zero biases.
        let bound = (6.0 / (hidden + 3 * hidden) as f64).sqrt();
        Self {
            in_proj_weight: Param::from_tensor(Tensor::random(
                [3 * hidden, hidden],
                Distribution::Uniform(-bound, bound),
                device,
            )),
            in_proj_bias: Param::from_tensor(Tensor::zeros([3 * hidden], device)),
            out_proj: LinearConfig::new(hidden, hidden).init(device),
            num_heads,
        }
    }

    /// Self-attention over `[N, S, D]`.
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let [n, s, d] = x.dims();
        let h = self.num_heads;
        let hd = d / h;
        let w = self.in_proj_weight.val().transpose().unsqueeze::<3>();
        let qkv = x.matmul(w) + self.in_proj_bias.val().unsqueeze::<3>();
        let heads = |i: usize| {
            qkv.clone()
                .narrow(2, i * d, d)
                .reshape([n, s, h, hd])
                .swap_dims(1, 2)
        };
        let (q, k, v) = (heads(0), heads(1), heads(2));
        let scores = q.matmul(k.swap_dims(2, 3)) / (hd as f64).sqrt();
        let out = softmax(scores, 3)
            .matmul(v)
            .swap_dims(1, 2)
            .reshape([n, s, d]);
        self.out_proj.forward(out)
    }
}
