//! The train step on a tiny two-tower model: the loss falls on a fixed batch, frozen BERT layers
//! do not move, and a non-finite loss leaves the model untouched.

use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use convirt_encoders::{BertConfig, ResNetConfig};
use convirt_loss::ConvirtLoss;
use convirt_train::{
    ConvirtModel, ConvirtModelConfig, PairBatch, TrainError, paper_adam, train_step,
};

/// BERT layer `layer`'s query weights, read back.
fn query_weight(
    model: &ConvirtModel<convirt_encoders::ResNet, convirt_encoders::Bert>,
    layer: usize,
) -> Vec<f32> {
    model.text.encoder.layer[layer]
        .attention
        .self_attention
        .query
        .weight
        .val()
        .into_data()
        .convert::<f32>()
        .try_into_vec()
        .unwrap()
}

fn batch(device: &Device, scale: f32) -> PairBatch {
    let n = 6;
    let ids: Vec<i64> = (0..n * 5).map(|i| 1 + (i as i64 * 7) % 40).collect();
    let mut mask = vec![1i64; n * 5];
    mask[4] = 0;
    PairBatch {
        images: Tensor::<4>::random([n, 1, 32, 32], Distribution::Normal(0.0, 1.0), device)
            .mul_scalar(scale),
        ids: Tensor::<2, Int>::from_data(TensorData::new(ids, [n, 5]), device),
        mask: Tensor::<2, Int>::from_data(TensorData::new(mask, [n, 5]), device),
    }
}

#[test]
fn loss_falls_on_a_fixed_batch_and_frozen_layers_stay() {
    let device = Device::flex().autodiff();
    device.seed(1);
    let image = ResNetConfig::resnet18()
        .with_base_width(4)
        .with_in_channels(1)
        .init(&device);
    let text = BertConfig {
        vocab_size: 50,
        hidden_size: 16,
        num_hidden_layers: 2,
        num_attention_heads: 2,
        intermediate_size: 32,
        max_position_embeddings: 8,
        hidden_dropout_prob: 0.0,
        attention_probs_dropout_prob: 0.0,
        ..BertConfig::base()
    }
    .init(&device);
    let mut model = ConvirtModelConfig::new()
        .with_embed_dim(16)
        .with_frozen_layers(1)
        .init(image, text, &device)
        .unwrap();
    let frozen_before: Vec<f32> = query_weight(&model, 0);
    let fixed = batch(&device, 1.0);
    let mut optim = paper_adam().init();
    let loss = ConvirtLoss::paper();
    let mut totals = Vec::new();
    for step in 0..15 {
        let outcome = train_step(model, &mut optim, &loss, fixed.clone(), 1e-3, step);
        let (m, l) = (outcome.model, outcome.result.unwrap());
        assert!((l.total - (0.75 * l.image_to_text + 0.25 * l.text_to_image)).abs() < 1e-4);
        totals.push(l.total);
        model = m;
    }
    assert!(
        totals[14] < 0.5 * totals[0],
        "loss did not fall: {:?}",
        totals
    );
    let frozen_after: Vec<f32> = query_weight(&model, 0);
    assert_eq!(frozen_before, frozen_after);
    let trained_query: Vec<f32> = query_weight(&model, 1);

    // A batch that makes the loss's input non-finite is refused and the model comes back.
    let bad = batch(&device, f32::INFINITY);
    let outcome = train_step(model, &mut optim, &loss, bad.clone(), 1e-3, 15);
    match outcome.result {
        Err(TrainError::NonFiniteLoss { step: 15, value }) => assert!(value.is_nan()),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a non-finite batch must be an error"),
    }
    // Without the input check the loss itself comes out NaN: refused, named by step.
    let unchecked = ConvirtLoss::paper().with_finite_check(false);
    let outcome = train_step(outcome.model, &mut optim, &unchecked, bad, 1e-3, 16);
    match outcome.result {
        Err(TrainError::NonFiniteLoss { step: 16, value }) => assert!(!value.is_finite()),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a NaN loss must be an error"),
    }
    // The refused steps returned the model untouched.
    let query_after_refusals: Vec<f32> = query_weight(&outcome.model, 1);
    assert_eq!(query_after_refusals, trained_query);
}
