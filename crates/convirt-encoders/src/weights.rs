//! Moving weights between our towers and PyTorch: Hugging Face BERT checkpoints and torchvision
//! ResNet, DenseNet and ViT state dicts in, PyTorch-named safetensors out.
//!
//! Everything goes through burn-store (`SafetensorsStore`, `PytorchStore`) with key remapping;
//! the remapping tables below are the whole difference between the naming schemes. Linear
//! weights are transposed and norm `weight`/`bias` become `gamma`/`beta` by burn-store's PyTorch
//! adapters. A load that leaves any parameter of the model without a tensor, or finds a tensor of
//! the wrong shape or dtype, fails with an error naming the key; the partly loaded model is
//! dropped, never returned.
//!
//! Dtypes: our models are f32. Float tensors of another precision in a safetensors file (f16,
//! bf16, f64 checkpoints are common on the Hub) are cast to f32 on load; PyTorch `.bin`/`.pth`
//! files are read as stored, so a non-f32 float tensor there is an error naming the key (convert
//! the checkpoint, or save it as safetensors). An integer or boolean tensor where the model has a
//! float parameter is always an error.

use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::tensor::{DType, Device};
use burn_store::{
    ApplyError, ApplyResult, BurnToPyTorchAdapter, FloatCastAdapter, ModuleAdapter, ModuleSnapshot,
    ModuleStore, PyTorchToBurnAdapter, PytorchStore, SafetensorsStore,
};

use crate::{Bert, BertConfig, DenseNet, EncoderError, ResNet, VisionTransformer};

/// PyTorch name pattern → our name, for Hugging Face BERT checkpoints.
const BERT_FROM_PYTORCH: &[(&str, &str)] = &[
    (r"^bert\.", ""),
    (r"\.LayerNorm\.", ".layer_norm."),
    (r"\.attention\.self\.", ".attention.self_attention."),
];

/// Our name pattern → PyTorch name, for exporting BERT.
const BERT_TO_PYTORCH: &[(&str, &str)] = &[
    (r"\.layer_norm\.", ".LayerNorm."),
    (r"\.attention\.self_attention\.", ".attention.self."),
];

/// PyTorch name pattern → our name, for torchvision ResNets.
const RESNET_FROM_PYTORCH: &[(&str, &str)] = &[
    (r"\.downsample\.0\.", ".downsample.conv."),
    (r"\.downsample\.1\.", ".downsample.bn."),
];

/// Our name pattern → PyTorch name, for exporting ResNets.
const RESNET_TO_PYTORCH: &[(&str, &str)] = &[
    (r"\.downsample\.conv\.", ".downsample.0."),
    (r"\.downsample\.bn\.", ".downsample.1."),
];

/// PyTorch name pattern → our name, for torchvision ViTs.
const VIT_FROM_PYTORCH: &[(&str, &str)] = &[
    (r"\.layers\.encoder_layer_(\d+)\.", ".layers.$1."),
    (r"\.mlp\.0\.", ".mlp.linear_1."),
    (r"\.mlp\.3\.", ".mlp.linear_2."),
];

/// Our name pattern → PyTorch name, for exporting ViTs.
const VIT_TO_PYTORCH: &[(&str, &str)] = &[
    (r"\.layers\.(\d+)\.", ".layers.encoder_layer_$1."),
    (r"\.mlp\.linear_1\.", ".mlp.0."),
    (r"\.mlp\.linear_2\.", ".mlp.3."),
];

/// The most layers a DenseNet block has in torchvision (DenseNet201: 48).
const DENSE_LAYERS_MAX: usize = 64;

/// torchvision's `denselayerK` (from 1) ↔ our `layers.K-1`, one pattern per layer index.
fn densenet_remap(to_pytorch: bool) -> Vec<(String, String)> {
    (1..=DENSE_LAYERS_MAX)
        .map(|k| {
            let (theirs, ours) = (format!("denselayer{k}"), format!("layers.{}", k - 1));
            if to_pytorch {
                (
                    format!(r"\.{}\.", regex_escape(&ours)),
                    format!(".{theirs}."),
                )
            } else {
                (format!(r"\.{theirs}\."), format!(".{ours}."))
            }
        })
        .collect()
}

fn regex_escape(s: &str) -> String {
    s.replace('.', r"\.")
}

/// What a successful load applied and what the checkpoint had beyond the model.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport {
    /// The checkpoint file.
    pub path: PathBuf,
    /// Number of tensors applied.
    pub applied: usize,
    /// Checkpoint tensors the model has no place for (a pooler, a classifier, `position_ids`).
    pub unused: Vec<String>,
}

/// Loads a Hugging Face BERT folder (`config.json` + `model.safetensors` or
/// `pytorch_model.bin`) onto `device`. The same call loads all-MiniLM-L6-v2 or Bio_ClinicalBERT.
pub fn load_bert(dir: &Path, device: &Device) -> Result<(Bert, LoadReport), EncoderError> {
    let config = BertConfig::from_file(&dir.join("config.json"))?;
    let model = config.init(device);
    let weights = ["model.safetensors", "pytorch_model.bin"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| EncoderError::NoWeights(dir.to_path_buf()))?;
    load_bert_weights(model, &weights)
}

/// Loads BERT weights from one `.safetensors` or PyTorch `.bin`/`.pt` file into `model`.
pub fn load_bert_weights(model: Bert, path: &Path) -> Result<(Bert, LoadReport), EncoderError> {
    load(model, path, BERT_FROM_PYTORCH)
}

/// Loads a torchvision ResNet state dict (`.safetensors`, or `.pth` with or without a
/// `state_dict` wrapper) into `model`. The classifier `fc.*` is reported as unused.
pub fn load_resnet_weights(
    model: ResNet,
    path: &Path,
) -> Result<(ResNet, LoadReport), EncoderError> {
    load(model, path, RESNET_FROM_PYTORCH)
}

/// Loads a torchvision DenseNet state dict (`.safetensors`, or `.pth` with or without a
/// `state_dict` wrapper) into `model`. The classifier is reported as unused. The old
/// `norm.1`/`conv.1` key spelling of torchvision's first DenseNet checkpoints is accepted too.
pub fn load_densenet_weights(
    model: DenseNet,
    path: &Path,
) -> Result<(DenseNet, LoadReport), EncoderError> {
    let mut remap = vec![(
        r"\.(norm|relu|conv)\.([12])\.".to_string(),
        ".$1$2.".to_string(),
    )];
    remap.extend(densenet_remap(false));
    load(model, path, &remap)
}

/// Loads a torchvision ViT state dict into `model`. A checkpoint for another image size (a
/// 224² `vit_b_16` into a 64² model) is loaded at its own size, then its position embeddings
/// are resampled to the model's ([`VisionTransformer::with_image_size`]). The head is reported
/// as unused.
pub fn load_vit_weights(
    model: VisionTransformer,
    path: &Path,
) -> Result<(VisionTransformer, LoadReport), EncoderError> {
    let target = model.image_size();
    let tokens =
        checkpoint_shape(path, "encoder.pos_embedding")?.and_then(|shape| shape.get(1).copied());
    let at_checkpoint_size = match tokens {
        Some(tokens) => {
            let grid = crate::vit::grid_side(tokens);
            if grid * grid + 1 != tokens {
                return Err(EncoderError::BadTensor {
                    path: path.to_path_buf(),
                    key: "encoder.pos_embedding".into(),
                    reason: format!("{tokens} tokens is not a class token and a square grid"),
                });
            }
            let patch = model.patch_size;
            model.with_image_size(grid * patch)?
        }
        None => model,
    };
    let (loaded, report) = load(at_checkpoint_size, path, VIT_FROM_PYTORCH)?;
    Ok((loaded.with_image_size(target)?, report))
}

/// The shape of tensor `key` in a checkpoint, `None` when it has none.
fn checkpoint_shape(path: &Path, key: &str) -> Result<Option<Vec<usize>>, EncoderError> {
    let store_error = |e: &dyn std::fmt::Display| EncoderError::Store {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    require_file(path)?;
    if is_safetensors(path) {
        let mut store = SafetensorsStore::from_file(path);
        let tensor = store.get_tensor(key).map_err(|e| store_error(&e))?;
        Ok(tensor.map(|t| t.shape.to_vec()))
    } else {
        let mut store = PytorchStore::from_file(path);
        let tensor = store.get_tensor(key).map_err(|e| store_error(&e))?;
        Ok(tensor.map(|t| t.shape.to_vec()))
    }
}

/// Writes `model` as safetensors under Hugging Face `BertModel` names, loadable with
/// `BertModel.load_state_dict(..., strict=False)` (only the pooler is absent).
pub fn export_bert(model: &Bert, path: &Path) -> Result<(), EncoderError> {
    export(model, path, BERT_TO_PYTORCH)
}

/// Writes `model` as safetensors under torchvision names (everything but `fc`).
pub fn export_resnet(model: &ResNet, path: &Path) -> Result<(), EncoderError> {
    export(model, path, RESNET_TO_PYTORCH)
}

/// Writes `model` as safetensors under torchvision names (everything but `classifier`).
pub fn export_densenet(model: &DenseNet, path: &Path) -> Result<(), EncoderError> {
    export(model, path, &densenet_remap(true))
}

/// Writes `model` as safetensors under torchvision's `vit_b_16` names (everything but `heads`),
/// at the model's own image size.
pub fn export_vit(model: &VisionTransformer, path: &Path) -> Result<(), EncoderError> {
    export(model, path, VIT_TO_PYTORCH)
}

/// An error naming `path` unless it is a file.
fn require_file(path: &Path) -> Result<(), EncoderError> {
    if path.is_file() {
        return Ok(());
    }
    Err(EncoderError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
    })
}

fn is_safetensors(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "safetensors")
}

/// A key-remapping table: (pattern, replacement) pairs, static or built.
type Remap<'a, S> = &'a [(S, S)];

fn load<M: Module, S: AsRef<str>>(
    mut model: M,
    path: &Path,
    remap: Remap<'_, S>,
) -> Result<(M, LoadReport), EncoderError> {
    require_file(path)?;
    let result = if is_safetensors(path) {
        let mut store = SafetensorsStore::from_file(path)
            .with_from_adapter(PyTorchToBurnAdapter.chain(FloatCastAdapter::to(DType::F32)))
            .allow_partial(true)
            .validate(false);
        for (from, to) in remap {
            store = store.with_key_remapping(from, to.as_ref());
        }
        apply(&mut model, &mut store, path)?
    } else {
        let mut store = PytorchStore::from_file(path)
            .allow_partial(true)
            .validate(false);
        for (from, to) in remap {
            store = store.with_key_remapping(from, to.as_ref());
        }
        apply(&mut model, &mut store, path)?
    };
    let report = check(result, path)?;
    all_f32(&model, path)?;
    Ok((model, report))
}

/// Every float parameter of `model` must be f32 after loading.
fn all_f32<M: Module>(model: &M, path: &Path) -> Result<(), EncoderError> {
    match model
        .collect(None, None, false)
        .into_iter()
        .find(|t| t.dtype.is_float() && t.dtype != DType::F32)
    {
        Some(t) => Err(EncoderError::BadTensor {
            path: path.to_path_buf(),
            key: t.name,
            reason: format!(
                "dtype {:?}; convirt-rs models are f32: convert the checkpoint or save it as safetensors",
                t.dtype
            ),
        }),
        None => Ok(()),
    }
}

fn apply<M: Module, S: ModuleStore>(
    model: &mut M,
    store: &mut S,
    path: &Path,
) -> Result<ApplyResult, EncoderError> {
    model.load_from(store).map_err(|e| EncoderError::Store {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn check(result: ApplyResult, path: &Path) -> Result<LoadReport, EncoderError> {
    if let Some(error) = result.errors.first() {
        let (key, reason) = match error {
            ApplyError::ShapeMismatch {
                path,
                expected,
                found,
            } => (
                path.clone(),
                format!("shape {found:?}, model expects {expected:?}"),
            ),
            ApplyError::DTypeMismatch {
                path,
                expected,
                found,
            } => (
                path.clone(),
                format!("dtype {found:?}, model expects {expected:?}"),
            ),
            other => (String::from("?"), format!("{other:?}")),
        };
        return Err(EncoderError::BadTensor {
            path: path.to_path_buf(),
            key,
            reason,
        });
    }
    if !result.missing.is_empty() {
        return Err(EncoderError::MissingKeys {
            path: path.to_path_buf(),
            keys: result.missing.into_iter().map(|(k, _)| k).collect(),
        });
    }
    Ok(LoadReport {
        path: path.to_path_buf(),
        applied: result.applied.len(),
        unused: result.unused,
    })
}

fn export<M: Module, S: AsRef<str>>(
    model: &M,
    path: &Path,
    remap: Remap<'_, S>,
) -> Result<(), EncoderError> {
    let mut store = SafetensorsStore::from_file(path)
        .with_to_adapter(BurnToPyTorchAdapter)
        .overwrite(true);
    for (from, to) in remap {
        store = store.with_key_remapping(from, to.as_ref());
    }
    model
        .save_into(&mut store)
        .map_err(|e| EncoderError::Store {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}
