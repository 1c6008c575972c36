//! The feature-cache step gives the full-batch gradient (ghost batch norm, replayed dropout) for
//! any N that M divides; plain gradient accumulation does not, and the comparison tells them apart.

mod common;
// The golden-file replays: development tools, shared with examples/parity.rs.
#[allow(dead_code)]
#[path = "support/parity/mod.rs"]
mod parity;

use burn::optim::GradientsAccumulator;
use convirt::loss::ConvirtLoss;
use convirt::train::feature_cache::slice_batch;
use convirt::train::{Collective, MicroContext, Objective, TrainError, ghost_gradients};
use parity::accum::{accum, gradient_gap, random_batch, small_model};

#[test]
fn cached_gradient_matches_the_full_batch_for_several_splits() {
    let _serial = common::serial();
    let device = common::device();
    for (n, m) in [(12, 4), (12, 3), (8, 8), (9, 1)] {
        let e = accum(n, m, &device, 3).unwrap();
        assert!(e.tensors > 50, "{n}/{m}: {} tensors compared", e.tensors);
        assert!(e.max_rel_err < 1e-4, "{n}/{m}: {e:?}");
    }
}

#[test]
fn micro_batch_must_divide_the_batch() {
    let _serial = common::serial();
    let error = accum(10, 4, &common::device(), 3).unwrap_err();
    assert!(matches!(
        error,
        TrainError::InvalidParameter {
            name: "micro_batch",
            ..
        }
    ));
}

#[test]
fn plain_accumulation_is_not_the_full_batch_gradient() {
    let _serial = common::serial();
    let device = common::device().autodiff();
    let model = small_model(&device, 5, 0.1).unwrap();
    let data = random_batch(12, 9);
    let loss = ConvirtLoss::paper();
    let context = |step| MicroContext {
        objective: Objective::Convirt,
        loss: &loss,
        cache: None,
        device: &device,
        step,
    };
    let (full, _) = ghost_gradients(&model, &data, 4, context(7)).unwrap();
    // Each micro-batch with only its own negatives, gradients summed (burn's accumulation).
    let mut summed = GradientsAccumulator::new();
    for j in 0..3 {
        let slice = slice_batch(&data, 4 * j, 4 * j + 4);
        let (g, _) = ghost_gradients(&model, &slice, 4, context(7)).unwrap();
        summed.accumulate(&model, g);
    }
    let gap = gradient_gap(&model, &full, &summed.grads());
    assert!(gap.max_rel_err > 0.05, "{gap:?}");
}

#[test]
fn data_parallel_over_simulated_ranks_matches_the_full_batch() {
    let _serial = common::serial();
    let device = common::device();
    for k in [2usize, 3, 4] {
        let e =
            parity::accum::data_parallel(12, &vec![device.clone(); k], 11, Collective::Host, 0.1)
                .unwrap();
        assert!(e.tensors > 50);
        assert!(e.max_rel_err < 1e-4, "{k} ranks: {e:?}");
    }
    let error =
        parity::accum::data_parallel(10, &vec![device; 3], 11, Collective::Host, 0.1).unwrap_err();
    assert!(matches!(
        error,
        TrainError::InvalidParameter {
            name: "devices",
            ..
        }
    ));
}

/// Two real devices in one process: flex and wgpu on the CPU (lavapipe), the embeddings
/// gathered on flex and the gradients reduced there. Without dropout: wgpu's generator is not
/// flex's, so the reference on flex could not replay the second shard's masks. Needs both backends compiled in:
/// `cargo test --release --features wgpu --test accum` (flex is the default feature).
#[cfg(all(feature = "wgpu", feature = "flex"))]
#[test]
fn data_parallel_over_flex_and_wgpu_matches_the_full_batch() {
    let _serial = common::serial();
    let devices = [
        burn::tensor::Device::flex(),
        "wgpu:cpu"
            .parse::<convirt::Backend>()
            .unwrap()
            .device()
            .unwrap(),
    ];
    let e = parity::accum::data_parallel(8, &devices, 11, Collective::Host, 0.0).unwrap();
    // wgpu sums in another order than flex: a parameter whose true gradient is ~0 keeps only
    // rounding noise, so the error is measured against the largest gradient of the model.
    assert!(e.max_abs_err < 1e-3 * e.max_scale, "{e:?}");
    assert!(e.max_scale > 1e-3, "{e:?}");
}
