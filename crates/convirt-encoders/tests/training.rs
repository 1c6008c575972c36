//! Freezing, export round trips and load errors, on small random models.

use std::collections::BTreeMap;
use std::path::PathBuf;

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use burn_store::ModuleSnapshot;
use convirt_encoders::weights::{
    export_bert, export_resnet, load_bert_weights, load_resnet_weights,
};
use convirt_encoders::{
    Bert, BertConfig, EncoderError, ImageEncoder, MlpProjectionConfig, Pooling, Projection,
    ResNetConfig, TextEncoder,
};

fn tiny_bert() -> BertConfig {
    BertConfig {
        vocab_size: 50,
        hidden_size: 16,
        num_hidden_layers: 3,
        num_attention_heads: 4,
        intermediate_size: 32,
        max_position_embeddings: 16,
        ..BertConfig::base()
    }
}

fn batch(device: &Device) -> (Tensor<2, Int>, Tensor<2, Int>) {
    let ids = Tensor::from_data(
        TensorData::new(vec![1i64, 5, 9, 2, 0, 1, 7, 3, 8, 2], [2, 5]),
        device,
    );
    let mask = Tensor::from_data(
        TensorData::new(vec![1i64, 1, 1, 1, 0, 1, 1, 1, 1, 1], [2, 5]),
        device,
    );
    (ids, mask)
}

/// Every parameter's bytes by path.
fn params<M: Module>(m: &M) -> BTreeMap<String, Vec<u8>> {
    m.collect(None, None, false)
        .into_iter()
        .map(|t| {
            let bytes = t.to_bytes().expect("tensor bytes").to_vec();
            (t.name, bytes)
        })
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("convirt-enc-{}-{name}", std::process::id()))
}

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_into_vec().unwrap()
}

#[derive(Module, Debug)]
struct TextTower {
    bert: Bert,
    head: convirt_encoders::MlpProjection,
}

#[test]
fn frozen_parameters_are_bitwise_unchanged_after_a_step_and_the_rest_move() {
    let device = Device::flex().autodiff();
    device.seed(3);
    let tower = TextTower {
        bert: tiny_bert().init(&device).freeze_bottom(2).unwrap(),
        head: MlpProjectionConfig::new(16, 16)
            .with_output(8)
            .init(&device),
    };
    let before = params(&tower);
    let (ids, mask) = batch(&device);
    let u = tower.head.project(tower.bert.encode_text(ids, mask));
    let loss = u.square().sum();
    let grads = GradientsParams::from_grads(loss.backward(), &tower);
    let mut optim = AdamConfig::new().init();
    let tower = optim.step(1e-2, tower, grads);
    let after = params(&tower);

    assert_eq!(before.len(), after.len());
    let frozen = |k: &str| {
        k.starts_with("bert.embeddings.")
            || k.starts_with("bert.encoder.layer.0.")
            || k.starts_with("bert.encoder.layer.1.")
    };
    let (mut n_frozen, mut n_moved) = (0, 0);
    for (k, b) in &before {
        if frozen(k) {
            assert_eq!(b, &after[k], "{k} is frozen but changed");
            n_frozen += 1;
        } else {
            assert_ne!(b, &after[k], "{k} is trainable but did not change");
            n_moved += 1;
        }
    }
    assert!(
        n_frozen > 10 && n_moved > 10,
        "{n_frozen} frozen, {n_moved} trained"
    );
}

#[test]
fn freezing_more_layers_than_exist_is_an_error() {
    let bert = tiny_bert().init(&Device::flex());
    assert!(matches!(
        bert.freeze_bottom(4),
        Err(EncoderError::Invalid(_))
    ));
}

#[test]
fn bert_export_round_trips_under_pytorch_names() {
    let device = Device::flex();
    device.seed(5);
    let bert = tiny_bert().init(&device);
    let path = tmp("bert.safetensors");
    export_bert(&bert, &path).unwrap();

    let names: Vec<String> = {
        let bytes = std::fs::read(&path).unwrap();
        let st = safetensors_names(&bytes);
        st.into_iter().collect()
    };
    assert!(names.contains(&"encoder.layer.2.attention.self.query.weight".to_string()));
    assert!(names.contains(&"embeddings.LayerNorm.weight".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("gamma") || n.contains("self_attention"))
    );

    let (loaded, report) = load_bert_weights(tiny_bert().init(&device), &path).unwrap();
    std::fs::remove_file(&path).ok();
    assert!(report.unused.is_empty(), "{:?}", report.unused);
    assert_eq!(params(&bert), params(&loaded));
    for pooling in [Pooling::Max, Pooling::Mean, Pooling::Cls] {
        let (ids, mask) = batch(&device);
        let a = values(
            bert.clone()
                .with_pooling(pooling)
                .encode_text(ids.clone(), mask.clone()),
        );
        let b = values(loaded.clone().with_pooling(pooling).encode_text(ids, mask));
        assert_eq!(a, b);
    }
}

/// Tensor names in a safetensors file, read with a minimal header parse.
fn safetensors_names(bytes: &[u8]) -> Vec<String> {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    header
        .keys()
        .filter(|k| *k != "__metadata__")
        .cloned()
        .collect()
}

#[test]
fn resnet_export_round_trips_and_wrong_checkpoints_are_named_errors() {
    let device = Device::flex();
    device.seed(6);
    let config = ResNetConfig::resnet18().with_base_width(4);
    let net = config.init(&device);
    let path = tmp("resnet.safetensors");
    export_resnet(&net, &path).unwrap();
    let names = safetensors_names(&std::fs::read(&path).unwrap());
    assert!(names.contains(&"layer2.0.downsample.0.weight".to_string()));
    assert!(names.contains(&"layer2.0.downsample.1.running_var".to_string()));
    assert!(names.contains(&"bn1.weight".to_string()));

    let (loaded, _) = load_resnet_weights(config.init(&device), &path).unwrap();
    let x = Tensor::<4>::random([2, 3, 32, 32], Distribution::Normal(0.0, 1.0), &device);
    assert_eq!(
        values(net.encode_images(x.clone())),
        values(loaded.encode_images(x))
    );

    // A ResNet50-shaped model cannot take ResNet18 weights: typed error naming a key.
    let wrong = ResNetConfig::resnet50().with_base_width(4).init(&device);
    match load_resnet_weights(wrong, &path) {
        Err(EncoderError::MissingKeys { keys, .. }) => assert!(!keys.is_empty()),
        Err(EncoderError::BadTensor { key, .. }) => assert!(key.contains('.')),
        other => panic!("expected a missing/bad key error, got {other:?}"),
    }
    // A different width: shapes differ.
    let narrow = ResNetConfig::resnet18().with_base_width(2).init(&device);
    assert!(matches!(
        load_resnet_weights(narrow, &path),
        Err(EncoderError::BadTensor { .. })
    ));
    std::fs::remove_file(&path).ok();

    // Garbage and missing files name the file.
    let junk = tmp("junk.safetensors");
    std::fs::write(&junk, b"not a safetensors file").unwrap();
    let err = load_resnet_weights(config.init(&device), &junk).unwrap_err();
    assert!(err.to_string().contains("junk.safetensors"), "{err}");
    std::fs::remove_file(&junk).ok();
    let err = load_resnet_weights(config.init(&device), &tmp("absent.pth")).unwrap_err();
    assert!(matches!(err, EncoderError::Io { .. }) && err.to_string().contains("absent.pth"));
}

#[test]
fn one_channel_resnet_and_heads_have_the_documented_shapes() {
    let device = Device::flex();
    let net = ResNetConfig::resnet50()
        .with_base_width(2)
        .with_in_channels(1)
        .init(&device);
    assert_eq!(net.feature_dim(), 64);
    let h = net.encode_images(Tensor::zeros([3, 1, 33, 47], &device));
    assert_eq!(h.dims(), [3, 64]);
    let head = convirt_encoders::LinearProjection::new(64, 512, &device);
    assert_eq!(head.project(h).dims(), [3, 512]);
    assert_eq!(head.output_dim(), 512);
}

/// Rewrites `path` with tensor `key` converted by `convert` to `dtype`.
fn rewrite_tensor(
    path: &std::path::Path,
    key: &str,
    dtype: safetensors::Dtype,
    convert: fn(f32) -> Vec<u8>,
) {
    use safetensors::{SafeTensors, tensor::TensorView};
    let bytes = std::fs::read(path).unwrap();
    let st = SafeTensors::deserialize(&bytes).unwrap();
    let owned: Vec<(String, safetensors::Dtype, Vec<usize>, Vec<u8>)> = st
        .tensors()
        .into_iter()
        .map(|(name, view)| {
            if name == key {
                let data = view
                    .data()
                    .chunks_exact(4)
                    .flat_map(|b| convert(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
                    .collect();
                (name, dtype, view.shape().to_vec(), data)
            } else {
                (
                    name,
                    view.dtype(),
                    view.shape().to_vec(),
                    view.data().to_vec(),
                )
            }
        })
        .collect();
    let views: Vec<(String, TensorView)> = owned
        .iter()
        .map(|(n, d, s, b)| (n.clone(), TensorView::new(*d, s.clone(), b).unwrap()))
        .collect();
    safetensors::serialize_to_file(views, None, path).unwrap();
}

#[test]
fn f64_tensors_are_cast_to_f32_and_integer_tensors_are_errors_naming_the_key() {
    use safetensors::Dtype;
    let device = Device::flex();
    device.seed(8);
    let config = ResNetConfig::resnet18().with_base_width(2);
    let net = config.init(&device);
    let x = Tensor::<4>::random([1, 3, 32, 32], Distribution::Normal(0.0, 1.0), &device);
    let expected = values(net.encode_images(x.clone()));

    let path = tmp("f64.safetensors");
    export_resnet(&net, &path).unwrap();
    rewrite_tensor(&path, "bn1.weight", Dtype::F64, |v| {
        (v as f64).to_le_bytes().to_vec()
    });
    let (loaded, _) = load_resnet_weights(config.init(&device), &path).unwrap();
    assert_eq!(values(loaded.encode_images(x)), expected);

    rewrite_tensor(&path, "bn1.bias", Dtype::I64, |v| {
        (v as i64).to_le_bytes().to_vec()
    });
    let result = load_resnet_weights(config.init(&device), &path);
    std::fs::remove_file(&path).ok();
    match result {
        Err(EncoderError::BadTensor { key, reason, .. }) => {
            assert!(key.contains("bn1"), "{key}: {reason}")
        }
        Err(other) => panic!("expected a dtype error naming bn1, got {other}"),
        Ok(_) => panic!("expected a dtype error naming bn1, got a model"),
    }
}

#[test]
fn frozen_prefix_cache_gives_the_uncached_features_and_gradients_reach_the_top() {
    use convirt_encoders::FrozenPrefixCache;
    let device = Device::flex();
    device.seed(9);
    let bert = tiny_bert().init(&device);
    let sentences = vec![vec![1i64, 5, 9, 2], vec![1, 7, 3, 8, 2], vec![1, 2]];
    // The uncached path, padded to the longest, in eval mode.
    let (n, len) = (sentences.len(), 5);
    let mut ids = vec![0i64; n * len];
    let mut mask = vec![0i64; n * len];
    for (i, s) in sentences.iter().enumerate() {
        ids[i * len..i * len + s.len()].copy_from_slice(s);
        mask[i * len..i * len + s.len()].fill(1);
    }
    let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [n, len]), &device);
    let mask = Tensor::<2, Int>::from_data(TensorData::new(mask, [n, len]), &device);
    let expected = values(bert.encode_text(ids, mask));

    let mut cache = FrozenPrefixCache::new(2, 100);
    let first = values(cache.encode_text(&bert, &sentences, &device).unwrap());
    let again = values(cache.encode_text(&bert, &sentences, &device).unwrap());
    assert_eq!((cache.misses(), cache.hits(), cache.len()), (3, 3, 3));
    assert_eq!(first, again);
    for (a, b) in first.iter().zip(&expected) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }

    // On an autodiff device the trainable top layer gets a gradient through the cached input.
    let ad = device.autodiff();
    let trainable = tiny_bert().init(&ad).freeze_bottom(2).unwrap();
    let mut cache = FrozenPrefixCache::new(2, 100);
    let out = cache.encode_text(&trainable, &sentences, &ad).unwrap();
    let grads = out.sum().backward();
    let top = &trainable.encoder.layer[2].intermediate.dense.weight;
    assert!(top.val().grad(&grads).is_some());
    assert!(cache.encode_text(&trainable, &[vec![]], &ad).is_err());
}

#[test]
fn frozen_prefix_cache_entries_do_not_depend_on_the_batch_they_were_computed_in() {
    // Exact resume with the cache on: a resumed run's cache starts empty and computes each
    // sentence in another batch than the uninterrupted run did. The entries must be bitwise
    // the same, or the two runs drift apart in the last digits.
    use convirt_encoders::BertConfig;
    use convirt_encoders::FrozenPrefixCache;
    let device = Device::flex();
    device.seed(21);
    let config = BertConfig {
        num_hidden_layers: 3,
        hidden_size: 384,
        num_attention_heads: 12,
        intermediate_size: 1536,
        vocab_size: 120,
        max_position_embeddings: 40,
        ..BertConfig::base()
    };
    let bert = config.init(&device);
    // 17 sentences, several of each length (MiniLM's shape, up to 31 tokens), as one batch.
    let sentences: Vec<Vec<i64>> = (0..17)
        .map(|i| {
            let len = 3 + (i * 7) % 29;
            (0..len)
                .map(|j| 1 + ((i * 31 + j * 17) % 119) as i64)
                .collect()
        })
        .collect();
    let mut together = FrozenPrefixCache::new(2, 100);
    together.encode_text(&bert, &sentences, &device).unwrap();
    let mut alone = FrozenPrefixCache::new(2, 100);
    for s in sentences.iter().rev() {
        alone
            .encode_text(&bert, std::slice::from_ref(s), &device)
            .unwrap();
    }
    assert_eq!((together.misses(), alone.misses()), (17, 17));
    // Both now serve every sentence from their entries: equal outputs mean equal entries.
    let a = values(together.encode_text(&bert, &sentences, &device).unwrap());
    let b = values(alone.encode_text(&bert, &sentences, &device).unwrap());
    assert_eq!((together.hits(), alone.hits()), (17, 17));
    assert_eq!(
        a, b,
        "cached entries differ with the batch they were computed in"
    );
}

/// Mean cosine between the rows of `x` `[n, d]`, over distinct pairs.
fn mean_pairwise_cosine(x: Tensor<2>) -> f32 {
    let [n, _] = x.dims();
    let v = values(x.clone());
    let d = v.len() / n;
    let row = |i: usize| &v[i * d..(i + 1) * d];
    let norm = |r: &[f32]| r.iter().map(|a| a * a).sum::<f32>().sqrt();
    let mut total = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let dot: f32 = row(i).iter().zip(row(j)).map(|(a, b)| a * b).sum();
            total += dot / (norm(row(i)) * norm(row(j)));
        }
    }
    total / (n * (n - 1) / 2) as f32
}

#[test]
fn a_batch_norm_head_spreads_fresh_embeddings_of_positive_features() {
    // Pooled ReLU features are all positive: a plain fresh head maps them near one direction,
    // the BatchNorm head centres them over the batch first.
    let device = Device::flex().autodiff();
    device.seed(3);
    let features = Tensor::<2>::random([16, 64], Distribution::Uniform(0.0, 1.0), &device);
    let plain = MlpProjectionConfig::new(64, 64)
        .with_output(32)
        .init(&device);
    let normed = MlpProjectionConfig::new(64, 64)
        .with_output(32)
        .with_batch_norm(true)
        .init(&device);
    assert!(plain.norm.is_none() && normed.norm.is_some());
    let before = mean_pairwise_cosine(plain.project(features.clone()));
    let after = mean_pairwise_cosine(normed.project(features));
    assert!(
        before > 0.6,
        "plain head: {before} (BatchNorm head: {after})"
    );
    assert!(
        after < before - 0.3,
        "BatchNorm head: {after} (plain head: {before})"
    );
}
