//! Zero-shot retrieval in ConVIRT's 8×200 format (and SynthCXR's 7-category version of it):
//! image→image and text→image Precision@k by cosine similarity, with the chance level.

use std::path::{Path, PathBuf};

use crate::{EvalError, Matrix, RetrievalReport, precision_at_k, rank_candidates};
use burn::tensor::Device;
use convirt_augment::TensorLayout;
use convirt_data::{
    Candidate, DataError, ImageQuery, SkipPolicy, TextQuery, read_candidates, read_image_queries,
    read_text_queries,
};
use convirt_encoders::{ImageTower, TextTower};
use convirt_text_sampler::{TextError, TextTokenizer};
use convirt_train::ConvirtModel;
use thiserror::Error;

use crate::protocol::embed::{Embeddings, ImageSpace, embed_images, embed_texts};

/// Why a retrieval evaluation failed.
#[derive(Debug, Error)]
pub enum RetrievalError {
    /// A CSV or image could not be read.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A text query could not be tokenized.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The metric refused its input.
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// A retrieval set: candidates labelled with one category each, image queries and (optionally)
/// text queries, their image paths resolved against the CSVs' folders.
#[derive(Debug, Clone)]
pub struct RetrievalSet {
    /// The category names, in label-column order.
    pub categories: Vec<String>,
    /// Candidate images.
    pub candidates: Vec<Candidate>,
    /// Image queries (`Variable,Path`).
    pub image_queries: Vec<ImageQuery>,
    /// Text queries (`Variable,Text`).
    pub text_queries: Vec<TextQuery>,
}

impl RetrievalSet {
    /// Reads `candidate.csv` and `query.csv` (image queries) from `dir`, and text queries from
    /// `text_queries` if given. Any malformed row is an error naming file and line.
    pub fn read(
        dir: &Path,
        categories: &[&str],
        text_queries: Option<&Path>,
    ) -> Result<Self, DataError> {
        let resolve = |p: &str| dir.join(p).to_string_lossy().into_owned();
        let mut candidates =
            read_candidates(dir.join("candidate.csv"), categories, SkipPolicy::Fail)?.records;
        for c in &mut candidates {
            c.path = resolve(&c.path);
        }
        let mut image_queries =
            read_image_queries(dir.join("query.csv"), categories, SkipPolicy::Fail)?.records;
        for q in &mut image_queries {
            q.path = resolve(&q.path);
        }
        let text_queries = match text_queries {
            Some(file) => read_text_queries(file, categories, SkipPolicy::Fail)?.records,
            None => Vec::new(),
        };
        Ok(Self {
            categories: categories.iter().map(|c| c.to_string()).collect(),
            candidates,
            image_queries,
            text_queries,
        })
    }

    fn labels(&self) -> Vec<bool> {
        let k = self.categories.len();
        let mut labels = vec![false; self.candidates.len() * k];
        for (i, c) in self.candidates.iter().enumerate() {
            labels[i * k + c.category] = true;
        }
        labels
    }
}

/// Precision@k of both directions.
#[derive(Debug, Clone)]
pub struct RetrievalScores {
    /// Image queries against candidate images, in the chosen image space.
    pub image_image: RetrievalReport,
    /// Text queries against candidate images, in the projected space (if there are text
    /// queries).
    pub text_image: Option<RetrievalReport>,
    /// Each image query's top candidates (indices into the set's candidates, best first, as
    /// many as the largest `k`).
    pub image_top: Vec<Vec<usize>>,
    /// Each text query's top candidates (empty without text queries).
    pub text_top: Vec<Vec<usize>>,
}

/// How images are embedded for retrieval.
#[derive(Debug, Clone)]
pub struct RetrievalConfig {
    /// Image side after the evaluation resize.
    pub size: usize,
    /// The model's input layout.
    pub layout: TensorLayout,
    /// The space of image→image retrieval (text→image always uses the projections).
    pub image_space: ImageSpace,
    /// The `k`s of Precision@k.
    pub ks: Vec<usize>,
    /// Images or sentences per forward pass.
    pub batch: usize,
}

/// Embeds the set with `model` and scores both directions.
pub fn evaluate<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    set: &RetrievalSet,
    tokenizer: &TextTokenizer,
    config: &RetrievalConfig,
    device: &Device,
) -> Result<RetrievalScores, RetrievalError> {
    let paths =
        |it: &mut dyn Iterator<Item = &String>| -> Vec<PathBuf> { it.map(PathBuf::from).collect() };
    let candidate_paths = paths(&mut set.candidates.iter().map(|c| &c.path));
    let query_paths = paths(&mut set.image_queries.iter().map(|q| &q.path));
    let embed = |paths: &[PathBuf], space| {
        embed_images(
            model,
            paths,
            config.size,
            &config.layout,
            space,
            config.batch,
            device,
        )
    };
    let labels = set.labels();
    let k = set.categories.len();
    let top = config.ks.iter().copied().max().unwrap_or(0);
    let score = |queries: &Embeddings,
                 categories: &[usize],
                 candidates: &Embeddings|
     -> Result<(RetrievalReport, Vec<Vec<usize>>), EvalError> {
        let queries = Matrix::new(&queries.data, queries.dim, "queries")?;
        let candidates = Matrix::new(&candidates.data, candidates.dim, "candidates")?;
        let report = precision_at_k(
            queries,
            categories,
            candidates,
            Matrix::new(&labels, k, "candidate labels")?,
            &config.ks,
        )?;
        Ok((report, rank_candidates(queries, candidates, top)?))
    };
    let candidates = embed(&candidate_paths, config.image_space)?;
    let queries = embed(&query_paths, config.image_space)?;
    let query_categories: Vec<usize> = set.image_queries.iter().map(|q| q.category).collect();
    let (image_image, image_top) = score(&queries, &query_categories, &candidates)?;
    let (text_image, text_top) = if set.text_queries.is_empty() {
        (None, Vec::new())
    } else {
        let candidates = match config.image_space {
            ImageSpace::Projected => candidates,
            ImageSpace::Pooled => embed(&candidate_paths, ImageSpace::Projected)?,
        };
        let texts: Vec<String> = set.text_queries.iter().map(|q| q.text.clone()).collect();
        let texts = embed_texts(model, tokenizer, &texts, config.batch, device)?;
        let categories: Vec<usize> = set.text_queries.iter().map(|q| q.category).collect();
        let (report, top) = score(&texts, &categories, &candidates)?;
        (Some(report), top)
    };
    Ok(RetrievalScores {
        image_image,
        text_image,
        image_top,
        text_top,
    })
}
