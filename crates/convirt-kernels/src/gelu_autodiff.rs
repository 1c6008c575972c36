//! GELU under `Autodiff<B, C>`: the forward runs [`GeluKernels::gelu_forward`] on the inner
//! backend and records a backward that calls [`GeluKernels::gelu_input_grad`] there.

use burn::backend::Backend;
use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::NodeId;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;

use crate::gelu::GeluKernels;

/// The backward of GELU: parent `[x]`.
#[derive(Debug)]
struct GeluBackward;

impl<B: Backend + GeluKernels> Backward<B, 1> for GeluBackward {
    /// The checkpointed input.
    type State = NodeId;

    fn backward(
        self,
        ops: Ops<Self::State, 1>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let x = checkpointer.retrieve_node_output::<FloatTensor<B>>(ops.state);
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::gelu_input_grad(x, grad));
        }
    }
}

impl<B: Backend + GeluKernels, C: CheckpointStrategy> GeluKernels for Autodiff<B, C> {
    fn gelu_forward(x: FloatTensor<Self>) -> FloatTensor<Self> {
        match GeluBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let out = B::gelu_forward(x.into_primitive());
                prep.finish(x_state, out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::gelu_forward(x.into_primitive())),
        }
    }
}
