//! Tokenization with MiniLM's real tokenizer.json: golden parity, padding, truncation, tensors.

mod common;

use burn::tensor::{Device, Int, Tensor};
use convirt_text_sampler::{Padding, TextError, TextTokenizer, assets};
use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    sentences: Vec<String>,
    input_ids: Vec<Vec<i64>>,
    attention_mask: Vec<Vec<i64>>,
}

fn golden() -> Golden {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/golden/minilm_pooled.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect(path)).expect("golden JSON")
}

fn tokenizer() -> TextTokenizer {
    TextTokenizer::from_file(common::asset(assets::MINILM_TOKENIZER)).unwrap()
}

#[test]
fn fixed_padding_matches_the_golden_ids_exactly() {
    let g = golden();
    let batch = tokenizer()
        .with_padding(Padding::Fixed)
        .unwrap()
        .encode(&g.sentences)
        .unwrap();
    assert_eq!(batch.shape, [4, 128]);
    for (i, ids) in g.input_ids.iter().enumerate() {
        assert_eq!(batch.row(i), ids.as_slice(), "sentence {i}");
    }
    assert_eq!(batch.mask, g.attention_mask.concat());
}

#[test]
fn default_pads_to_the_longest_in_the_batch() {
    let g = golden();
    let t = tokenizer();
    assert_eq!(t.max_len(), 128);
    assert_eq!(t.pad_id(), 0);
    let batch = t.encode(&g.sentences).unwrap();
    let longest = g
        .attention_mask
        .iter()
        .map(|m| m.iter().sum::<i64>() as usize)
        .max()
        .unwrap();
    assert_eq!(longest, 31);
    assert_eq!(batch.shape, [4, longest]);
    for (i, ids) in g.input_ids.iter().enumerate() {
        assert_eq!(batch.row(i), &ids[..longest], "sentence {i}");
    }
    assert_eq!(batch.lengths(), [15, 10, 31, 19]);
}

#[test]
fn parallel_and_sequential_encoding_agree() {
    let g = golden();
    let mut texts = g.sentences.clone();
    texts.push("effusion ".repeat(500));
    for padding in [Padding::Longest, Padding::Fixed] {
        let t = tokenizer().with_padding(padding).unwrap();
        let sequential = t.encode(&texts).unwrap();
        let parallel = t.with_parallel(true).encode(&texts).unwrap();
        assert_eq!(sequential, parallel);
        assert_eq!(sequential.shape, [5, 128]);
    }
}

#[test]
fn truncation_keeps_cls_and_sep() {
    let g = golden();
    let batch = tokenizer()
        .with_max_len(8)
        .unwrap()
        .encode(&g.sentences)
        .unwrap();
    assert_eq!(batch.shape, [4, 8]);
    // Sentence 3 (31 tokens) keeps its first 6 word pieces between [CLS] and [SEP].
    assert_eq!(batch.row(2)[..7], g.input_ids[2][..7]);
    assert_eq!(batch.row(2)[7], 102);
    assert_eq!(batch.row(2)[0], 101);
    let huge = "effusion ".repeat(100_000);
    let batch = tokenizer().encode(&[huge.as_str(), "No."]).unwrap();
    assert_eq!(batch.shape, [2, 128]);
    assert_eq!(batch.lengths(), [128, 4]);
}

#[test]
fn batches_become_int_tensors_on_a_device() {
    let g = golden();
    let batch = tokenizer().encode(&g.sentences[..2]).unwrap();
    let device = Device::flex();
    let t = batch.to_tensors(&device);
    assert_eq!(t.ids.dims(), [2, 15]);
    assert_eq!(t.mask.dims(), [2, 15]);
    let ids: Vec<i64> = t.ids.into_data().convert::<i64>().try_to_vec().unwrap();
    assert_eq!(ids, batch.ids);
    let lengths: Tensor<1, Int> = t.mask.sum_dim(1).squeeze_dim(1);
    assert_eq!(
        lengths
            .into_data()
            .convert::<i64>()
            .try_to_vec::<i64>()
            .unwrap(),
        [15, 10]
    );
}

#[test]
fn bad_arguments_and_files_give_typed_errors() {
    let t = tokenizer();
    assert!(matches!(
        t.encode::<&str>(&[]),
        Err(TextError::InvalidArgument(_))
    ));
    assert!(matches!(
        tokenizer().with_max_len(1),
        Err(TextError::InvalidArgument(_))
    ));
    let err = TextTokenizer::from_file("/nonexistent/tokenizer.json").unwrap_err();
    assert!(
        matches!(err, TextError::Tokenizer(_))
            && err.to_string().contains("/nonexistent/tokenizer.json"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let garbage = common::write(dir.path(), "tokenizer.json", b"\x00\xffnot json");
    assert!(matches!(
        TextTokenizer::from_file(garbage),
        Err(TextError::Tokenizer(_))
    ));
    // Empty strings and control characters encode to [CLS] [SEP].
    let batch = t.encode(&["", "\u{0}\u{7}"]).unwrap();
    assert_eq!(batch.ids, [101, 102, 101, 102]);
}
