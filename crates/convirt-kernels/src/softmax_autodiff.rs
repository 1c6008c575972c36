//! Softmax under `Autodiff<B, C>`: the forward runs [`SoftmaxKernels::softmax_forward`] on the
//! inner backend, keeps its output and records one backward that calls
//! [`SoftmaxKernels::softmax_input_grad`] there.

use burn::backend::Backend;
use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;

use crate::softmax::SoftmaxKernels;

/// The backward of softmax: parent `[x]`.
#[derive(Debug)]
struct SoftmaxBackward;

impl<B: Backend + SoftmaxKernels> Backward<B, 1> for SoftmaxBackward {
    /// The forward's output and the dimension.
    type State = (FloatTensor<B>, usize);

    fn backward(
        self,
        ops: Ops<Self::State, 1>,
        grads: &mut Gradients,
        _checkpointer: &mut Checkpointer,
    ) {
        let [node_x] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (y, dim) = ops.state;
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::softmax_input_grad(y, grad, dim));
        }
    }
}

impl<B: Backend + SoftmaxKernels, C: CheckpointStrategy> SoftmaxKernels for Autodiff<B, C> {
    fn softmax_forward(x: FloatTensor<Self>, dim: usize) -> FloatTensor<Self> {
        match SoftmaxBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let y = B::softmax_forward(x.into_primitive(), dim);
                prep.finish((y.clone(), dim), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::softmax_forward(x.into_primitive(), dim)),
        }
    }
}
