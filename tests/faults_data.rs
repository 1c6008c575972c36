//! Fault injection on the evaluation data path: a model whose embeddings are NaN is refused
//! naming the input (nothing to write or score), truncated images fail `convirt embed`'s decode
//! naming the file, and text-query files with an empty text or no rows fail retrieval.

mod common;

use std::path::PathBuf;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::Tensor;
use convirt::augment::{Image, TensorLayout, save};
use convirt::data::DataError;
use convirt::embed::{ImageSpace, embed_images, embed_texts, evaluation_images};
use convirt::retrieval::RetrievalSet;
use convirt::text::{TextError, TextTokenizer, assets};

/// Multiplies every float parameter by NaN.
struct Poison;

impl ModuleMapper for Poison {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|t| t.mul_scalar(f32::NAN))
    }
}

fn tokenizer() -> TextTokenizer {
    TextTokenizer::from_file(assets::require(assets::MINILM_TOKENIZER).unwrap())
        .unwrap()
        .with_max_len(16)
        .unwrap()
}

fn images(dir: &std::path::Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let path = dir.join(format!("film-{i}.png"));
            save(&Image::noise(32, 32, i as u64).unwrap(), &path).unwrap();
            path
        })
        .collect()
}

#[test]
fn fault_non_finite_image_embedding_is_refused_naming_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let paths = images(dir.path(), 3);
    let device = common::device();
    let model = common::tiny_model(&device, 5);
    let layout = TensorLayout::gray();
    // The healthy model embeds every image, finitely.
    for space in [ImageSpace::Pooled, ImageSpace::Projected] {
        let e = embed_images(&model, &paths, 32, &layout, space, 2, &device).unwrap();
        assert_eq!(e.rows, 3);
        assert!(e.data.iter().all(|x| x.is_finite()));
        assert_eq!(e.first_non_finite_row(), None);
    }
    // Its projection head poisoned: the projected embeddings are NaN, and refused.
    let mut poisoned = model.clone();
    poisoned.image_head = poisoned.image_head.map(&mut Poison);
    let error = embed_images(
        &poisoned,
        &paths,
        32,
        &layout,
        ImageSpace::Projected,
        2,
        &device,
    )
    .unwrap_err();
    assert!(
        matches!(&error, DataError::NonFiniteEmbedding { input } if *input == paths[0].display().to_string()),
        "{error:?}"
    );
    assert!(error.to_string().contains("film-0.png"), "{error}");
    assert!(error.to_string().contains("not finite"), "{error}");
    // The pooled output, before the head, is still finite.
    assert!(
        embed_images(
            &poisoned,
            &paths,
            32,
            &layout,
            ImageSpace::Pooled,
            2,
            &device
        )
        .is_ok()
    );
}

#[test]
fn fault_non_finite_text_embedding_is_refused_naming_the_text() {
    let device = common::device();
    let model = common::tiny_model(&device, 6);
    let texts = vec![
        "The lungs are clear.".to_owned(),
        "Small left pleural effusion.".to_owned(),
    ];
    let e = embed_texts(&model, &tokenizer(), &texts, 4, &device).unwrap();
    assert_eq!((e.rows, e.dim), (2, 8));
    assert!(e.data.iter().all(|x| x.is_finite()));
    let mut poisoned = model;
    poisoned.text_head = poisoned.text_head.map(&mut Poison);
    let error = embed_texts(&poisoned, &tokenizer(), &texts, 4, &device).unwrap_err();
    assert!(
        matches!(&error, TextError::NonFiniteEmbedding { index: 0, text } if text == "The lungs are clear."),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("The lungs are clear."),
        "{error}"
    );
}

#[test]
fn fault_truncated_image_fails_the_embedding_decode_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = images(dir.path(), 2);
    let whole = dir.path().join("whole.jpg");
    save(&Image::noise(32, 32, 9).unwrap(), &whole).unwrap();
    let jpeg = std::fs::read(&whole).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "save wrote a JPEG");
    let cut = dir.path().join("cut.jpg");
    std::fs::write(&cut, &jpeg[..jpeg.len() - 2]).unwrap();
    paths.push(cut.clone());
    let error = evaluation_images(&paths, 32).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { file, message } if *file == cut && message.contains("truncated JPEG")),
        "{error:?}"
    );
    assert_eq!(evaluation_images(&[whole], 32).unwrap().len(), 1);
}

/// A retrieval folder of 3 candidates and 3 image queries in categories A, B, C.
fn retrieval_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut candidates = String::from("Path,A,B,C\n");
    let mut queries = String::from("Variable,Path\n");
    for (i, name) in ["A", "B", "C"].iter().enumerate() {
        let file = format!("c{i}.png");
        save(
            &Image::noise(16, 16, i as u64).unwrap(),
            dir.path().join(&file),
        )
        .unwrap();
        let onehot: Vec<&str> = (0..3).map(|k| if k == i { "1" } else { "0" }).collect();
        candidates.push_str(&format!("{file},{}\n", onehot.join(",")));
        queries.push_str(&format!("{name},{file}\n"));
    }
    std::fs::write(dir.path().join("candidate.csv"), candidates).unwrap();
    std::fs::write(dir.path().join("query.csv"), queries).unwrap();
    dir
}

#[test]
fn fault_empty_text_query_fails_retrieval_naming_file_and_line() {
    let dir = retrieval_dir();
    let texts = dir.path().join("text_queries.csv");
    std::fs::write(&texts, "Variable,Text\nA,Clear lungs.\nB,  \nC,Effusion.\n").unwrap();
    let error = RetrievalSet::read(dir.path(), &["A", "B", "C"], Some(&texts)).unwrap_err();
    assert!(
        matches!(&error, DataError::EmptyText { file, line: 3, .. } if *file == texts),
        "{error:?}"
    );
    assert!(error.to_string().contains("text_queries.csv:3:"), "{error}");
    // The same file with text in every row reads, three queries.
    std::fs::write(
        &texts,
        "Variable,Text\nA,Clear lungs.\nB,Edema.\nC,Effusion.\n",
    )
    .unwrap();
    let set = RetrievalSet::read(dir.path(), &["A", "B", "C"], Some(&texts)).unwrap();
    assert_eq!(set.text_queries.len(), 3);
    assert_eq!(set.text_queries[1].text, "Edema.");
}

#[test]
fn fault_header_only_text_query_file_fails_retrieval_naming_the_file() {
    let dir = retrieval_dir();
    let texts = dir.path().join("text_queries.csv");
    std::fs::write(&texts, "Variable,Text\n").unwrap();
    let error = RetrievalSet::read(dir.path(), &["A", "B", "C"], Some(&texts)).unwrap_err();
    assert!(
        matches!(&error, DataError::NoRows { file } if *file == texts),
        "{error:?}"
    );
    // A header-only image query file too.
    std::fs::write(dir.path().join("query.csv"), "Variable,Path\n").unwrap();
    let error = RetrievalSet::read(dir.path(), &["A", "B", "C"], None).unwrap_err();
    assert!(
        matches!(&error, DataError::NoRows { file } if file.ends_with("query.csv")),
        "{error:?}"
    );
}
