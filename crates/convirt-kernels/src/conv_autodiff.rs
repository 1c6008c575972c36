//! The convolution under `Autodiff<B, C>`: the forward runs [`ConvKernels::conv2d_forward`] on the
//! inner backend and records a backward whose input and weight gradients are
//! [`ConvKernels::conv2d_input_grad`] and [`ConvKernels::conv2d_weight_grad`] on that backend
//! (burn's own autodiff convolution calls `ModuleOps`' generic defaults instead). A bias is added
//! outside the extension ([`crate::conv2d`]), so its gradient is ordinary autodiff.

use burn::backend::Backend;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;
use burn::tensor::ops::ConvOptions;

use crate::conv::ConvKernels;

/// The backward of a convolution: parents `[x, weight]`.
#[derive(Debug)]
struct ConvBackward;

impl<B: Backend + ConvKernels> Backward<B, 2> for ConvBackward {
    type State = (NodeId, NodeId, ConvOptions<2>);

    fn backward(
        self,
        ops: Ops<Self::State, 2>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_weight] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, weight_state, options) = ops.state;
        let x = checkpointer.retrieve_node_output::<FloatTensor<B>>(x_state);
        let weight = checkpointer.retrieve_node_output::<FloatTensor<B>>(weight_state);
        if let Some(node) = node_x {
            let dx = B::conv2d_input_grad(x.clone(), weight.clone(), grad.clone(), options.clone());
            grads.register::<B>(node.id, dx);
        }
        if let Some(node) = node_weight {
            grads.register::<B>(node.id, B::conv2d_weight_grad(x, weight, grad, options));
        }
    }
}

impl<B: Backend + ConvKernels, C: CheckpointStrategy> ConvKernels for Autodiff<B, C> {
    fn conv2d_forward(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        options: ConvOptions<2>,
    ) -> FloatTensor<Self> {
        match ConvBackward
            .prepare::<C>([x.node(), weight.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let weight_state = prep.checkpoint(&weight);
                let out =
                    B::conv2d_forward(x.into_primitive(), weight.into_primitive(), options.clone());
                prep.finish((x_state, weight_state, options), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::conv2d_forward(
                x.into_primitive(),
                weight.into_primitive(),
                options,
            )),
        }
    }
}
