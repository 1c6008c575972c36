//! `pretrain::initial_model`: the seed alone decides a run's starting weights, so `pretrain`,
//! `compare`'s random init, `eval --init random` and the demo's baseline are the same model.

mod common;

use burn::module::Module;
use burn::tensor::{Distribution, Tensor};
use convirt::encoders::{ImageEncoder, Projection};
use convirt::pretrain::{PretrainOptions, initial_model};

fn image_embedding(seed: u64) -> Vec<f32> {
    let device = common::device();
    let mut options = PretrainOptions::cpu();
    options.train.seed = seed;
    let model = initial_model(&options, &device).unwrap();
    let plain = device.clone().without_autodiff();
    plain.seed(99);
    let images = Tensor::<4>::random([2, 1, 32, 32], Distribution::Default, &plain);
    convirt::with_model!(model, |m| {
        let m = m.valid();
        common::read(m.image_head.project(m.image.encode_images(images)))
    })
}

#[test]
fn the_seed_decides_the_initial_model() {
    let _guard = common::serial();
    let a = image_embedding(7);
    // Draws in between must not matter: the seed is set right before the weights are drawn.
    let device = common::device();
    let _ = Tensor::<2>::random([64, 64], Distribution::Default, &device);
    let b = image_embedding(7);
    let c = image_embedding(8);
    assert_eq!(a.len(), 2 * 512);
    assert_eq!(a, b);
    assert_ne!(a, c);
}
