//! Embeddings from a trained model, for retrieval, probes and `convirt embed`: images through the
//! evaluation transform, sentences whole; both without autodiff (`model.valid()`).
//!
//! An embedding that holds NaN or an infinity is an error naming its input (the image file, the
//! text), returned before anything is handed back, so no caller writes or scores it.

use std::path::PathBuf;

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use convirt_augment::{Image, TensorLayout, Transform, evaluation};
use convirt_data::{DataError, read_image};
use convirt_encoders::{ImageTower, Projection, TextTower};
use convirt_text_sampler::{TextError, TextTokenizer};
use convirt_train::ConvirtModel;
use rand::SeedableRng;
use rayon::prelude::*;

/// Which image representation: the pooled encoder output h_v, or the projection v.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageSpace {
    /// h_v = f_v(x): what a linear probe or fine-tuning starts from.
    Pooled,
    /// v = g_v(f_v(x)): the space the contrastive loss shaped, shared with the text.
    Projected,
}

/// Row-major `[rows, dim]` embeddings.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    /// The values.
    pub data: Vec<f32>,
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub dim: usize,
}

impl Embeddings {
    fn from_tensors(parts: Vec<Tensor<2>>) -> Self {
        let dim = parts.first().map_or(0, |t| t.dims()[1]);
        let mut data = Vec::new();
        for t in parts {
            let n = t.dims().iter().product::<usize>();
            let values = t.into_data().convert::<f32>();
            match values.try_into_vec::<f32>() {
                Ok(values) => data.extend(values),
                // Unreadable output stands as NaN, so the finiteness check refuses it by name.
                Err(_) => data.extend(std::iter::repeat_n(f32::NAN, n)),
            }
        }
        let rows = data.len().checked_div(dim).unwrap_or(0);
        Self { data, rows, dim }
    }

    /// The first row holding NaN or an infinity, if any.
    pub fn first_non_finite_row(&self) -> Option<usize> {
        if self.dim == 0 {
            return None;
        }
        self.data
            .chunks(self.dim)
            .position(|row| row.iter().any(|x| !x.is_finite()))
    }
}

/// [`DataError::NonFiniteEmbedding`] naming `name(row)` when a row of `e` is not finite.
fn finite_images(e: Embeddings, name: impl Fn(usize) -> String) -> Result<Embeddings, DataError> {
    match e.first_non_finite_row() {
        Some(row) => Err(DataError::NonFiniteEmbedding { input: name(row) }),
        None => Ok(e),
    }
}

/// The image files (PNG, JPEG, DICOM) below `dir`, searched recursively, sorted.
pub fn image_files(dir: &std::path::Path) -> Result<Vec<PathBuf>, DataError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| DataError::Io {
            file: folder.clone(),
            source: e,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if path.is_dir() {
                stack.push(path);
            } else if ["png", "jpg", "jpeg", "dcm"].contains(&ext.as_str()) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The images at `paths` as evaluation sees them: decoded (PNG, JPEG, DICOM), padded to square
/// and resized to `size` (no augmentation), in parallel. A file that cannot be read is an error
/// naming it.
pub fn evaluation_images(paths: &[PathBuf], size: usize) -> Result<Vec<Image>, DataError> {
    let transform = evaluation(size);
    paths
        .par_iter()
        .map(|p| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
            read_image(p).map(|image| transform.apply(image, &mut rng))
        })
        .collect()
}

/// Embeds the images at `paths`: decoded (PNG, JPEG, DICOM), padded to square and resized to
/// `size`, laid out as `layout`, `batch` at a time on `device`. A file that cannot be read is an
/// error naming it, and so is one whose embedding is not finite
/// ([`DataError::NonFiniteEmbedding`]).
pub fn embed_images<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    paths: &[PathBuf],
    size: usize,
    layout: &TensorLayout,
    space: ImageSpace,
    batch: usize,
    device: &Device,
) -> Result<Embeddings, DataError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let mut parts = Vec::new();
    for chunk in paths.chunks(batch.max(1)) {
        let images = evaluation_images(chunk, size)?;
        parts.push(encode(&model, &images, layout, space, &device)?);
    }
    finite_images(Embeddings::from_tensors(parts), |row| {
        paths[row].display().to_string()
    })
}

/// Embeds images already decoded and resized ([`evaluation_images`]), `batch` at a time. An
/// embedding that is not finite is [`DataError::NonFiniteEmbedding`] naming the image's index.
pub fn embed_decoded<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    images: &[Image],
    layout: &TensorLayout,
    space: ImageSpace,
    batch: usize,
    device: &Device,
) -> Result<Embeddings, DataError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let parts = images
        .chunks(batch.max(1))
        .map(|chunk| encode(&model, chunk, layout, space, &device))
        .collect::<Result<Vec<_>, _>>()?;
    finite_images(Embeddings::from_tensors(parts), |row| {
        format!("image {row} of {}", images.len())
    })
}

/// One forward pass of an evaluation model (already `valid()`, on a plain device).
fn encode<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    images: &[Image],
    layout: &TensorLayout,
    space: ImageSpace,
    device: &Device,
) -> Result<Tensor<2>, DataError> {
    let tensor = layout
        .to_tensor(images, device)
        .map_err(|e| DataError::Config(e.to_string()))?;
    let pooled = model.image.encode_images(tensor);
    Ok(match space {
        ImageSpace::Pooled => pooled,
        ImageSpace::Projected => model.image_head.project(pooled),
    })
}

/// Embeds `texts` into the projected text space u, `batch` at a time. An embedding that is not
/// finite is [`TextError::NonFiniteEmbedding`] naming the text and its index.
pub fn embed_texts<I: ImageTower, T: TextTower>(
    model: &ConvirtModel<I, T>,
    tokenizer: &TextTokenizer,
    texts: &[String],
    batch: usize,
    device: &Device,
) -> Result<Embeddings, TextError> {
    let model = model.valid();
    let device = device.clone().without_autodiff();
    let mut parts = Vec::new();
    for chunk in texts.chunks(batch.max(1)) {
        let tokens = tokenizer.encode(chunk)?.to_tensors(&device);
        let pooled = model.text.encode_text(tokens.ids, tokens.mask);
        parts.push(model.text_head.project(pooled));
    }
    let e = Embeddings::from_tensors(parts);
    match e.first_non_finite_row() {
        Some(index) => Err(TextError::NonFiniteEmbedding {
            index,
            text: texts[index].chars().take(80).collect(),
        }),
        None => Ok(e),
    }
}
