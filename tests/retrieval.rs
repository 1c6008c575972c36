//! Zero-shot retrieval end to end on a tiny 8×200-format folder: a query that is a copy of a
//! candidate retrieves it first, and the chance level is the category share.

mod common;

use convirt::augment::{Image, TensorLayout, save};
use convirt::embed::ImageSpace;
use convirt::retrieval::{RetrievalConfig, RetrievalSet, evaluate};
use convirt::text::{TextTokenizer, assets};

#[test]
fn a_copied_candidate_is_retrieved_first_and_chance_is_the_category_share() {
    let dir = tempfile::tempdir().unwrap();
    let categories = ["A", "B", "C"];
    let mut candidates = String::from("Path,A,B,C\n");
    let mut queries = String::from("Variable,Path\n");
    for i in 0..9 {
        let name = format!("c{i}.png");
        save(
            &Image::noise(32, 32, 100 + i as u64).unwrap(),
            dir.path().join(&name),
        )
        .unwrap();
        let category = i % 3;
        let onehot: Vec<&str> = (0..3)
            .map(|k| if k == category { "1.0" } else { "0.0" })
            .collect();
        candidates.push_str(&format!("{name},{}\n", onehot.join(",")));
        queries.push_str(&format!("{},{name}\n", categories[category]));
    }
    std::fs::write(dir.path().join("candidate.csv"), candidates).unwrap();
    std::fs::write(dir.path().join("query.csv"), queries).unwrap();
    let set = RetrievalSet::read(dir.path(), &categories, None).unwrap();
    assert_eq!((set.candidates.len(), set.image_queries.len()), (9, 9));

    let device = common::device();
    let model = common::tiny_model(&device, 3);
    let tokenizer = TextTokenizer::from_file(assets::require(assets::MINILM_TOKENIZER).unwrap())
        .unwrap()
        .with_max_len(16)
        .unwrap();
    for space in [ImageSpace::Pooled, ImageSpace::Projected] {
        let config = RetrievalConfig {
            size: 32,
            layout: TensorLayout::gray(),
            image_space: space,
            ks: vec![1, 3],
            batch: 4,
        };
        let scores = evaluate(&model, &set, &tokenizer, &config, &device).unwrap();
        assert_eq!(
            scores.image_image.mean[0], 1.0,
            "{space:?}: the copy comes first"
        );
        assert!((scores.image_image.mean_chance - 1.0 / 3.0).abs() < 1e-12);
        assert!(scores.text_image.is_none());
    }
}
