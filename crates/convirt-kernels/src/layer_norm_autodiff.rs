//! Layer normalisation under `Autodiff<B, C>`: the forward runs
//! [`LayerNormKernels::layer_norm_forward`] on the inner backend and records one backward that
//! calls [`LayerNormKernels::layer_norm_grads`] there (the statistics are recomputed from the
//! checkpointed input, one pass per row).

use burn::backend::Backend;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;

use crate::layer_norm::LayerNormKernels;

/// The backward of layer normalisation: parents `[x, gamma, beta]`.
#[derive(Debug)]
struct LayerNormBackward;

impl<B: Backend + LayerNormKernels> Backward<B, 3> for LayerNormBackward {
    /// The checkpointed input and γ, and ε.
    type State = (NodeId, NodeId, f64);

    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_gamma, node_beta] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        let (x_state, gamma_state, epsilon) = ops.state;
        let x = checkpointer.retrieve_node_output::<FloatTensor<B>>(x_state);
        let gamma = checkpointer.retrieve_node_output::<FloatTensor<B>>(gamma_state);
        let (dx, dgamma, dbeta) = B::layer_norm_grads(x, gamma, grad, epsilon);
        for (node, value) in [(node_x, dx), (node_gamma, dgamma), (node_beta, dbeta)] {
            if let Some(node) = node {
                grads.register::<B>(node.id, value);
            }
        }
    }
}

impl<B: Backend + LayerNormKernels, C: CheckpointStrategy> LayerNormKernels for Autodiff<B, C> {
    fn layer_norm_forward(
        x: FloatTensor<Self>,
        gamma: FloatTensor<Self>,
        beta: FloatTensor<Self>,
        epsilon: f64,
    ) -> FloatTensor<Self> {
        match LayerNormBackward
            .prepare::<C>([x.node(), gamma.node(), beta.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let x_state = prep.checkpoint(&x);
                let gamma_state = prep.checkpoint(&gamma);
                let out = B::layer_norm_forward(
                    x.into_primitive(),
                    gamma.into_primitive(),
                    beta.into_primitive(),
                    epsilon,
                );
                prep.finish((x_state, gamma_state, epsilon), out)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::layer_norm_forward(
                x.into_primitive(),
                gamma.into_primitive(),
                beta.into_primitive(),
                epsilon,
            )),
        }
    }
}
