//! Moving weights between our towers and PyTorch: Hugging Face BERT checkpoints and torchvision
//! ResNet state dicts in, PyTorch-named safetensors out.
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

use crate::{Bert, BertConfig, EncoderError, ResNet};

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

/// Writes `model` as safetensors under Hugging Face `BertModel` names, loadable with
/// `BertModel.load_state_dict(..., strict=False)` (only the pooler is absent).
pub fn export_bert(model: &Bert, path: &Path) -> Result<(), EncoderError> {
    export(model, path, BERT_TO_PYTORCH)
}

/// Writes `model` as safetensors under torchvision names (everything but `fc`).
pub fn export_resnet(model: &ResNet, path: &Path) -> Result<(), EncoderError> {
    export(model, path, RESNET_TO_PYTORCH)
}

fn is_safetensors(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "safetensors")
}

fn load<M: Module>(
    mut model: M,
    path: &Path,
    remap: &[(&str, &str)],
) -> Result<(M, LoadReport), EncoderError> {
    if !path.is_file() {
        return Err(EncoderError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let result = if is_safetensors(path) {
        let mut store = SafetensorsStore::from_file(path)
            .with_from_adapter(PyTorchToBurnAdapter.chain(FloatCastAdapter::to(DType::F32)))
            .allow_partial(true)
            .validate(false);
        for (from, to) in remap {
            store = store.with_key_remapping(*from, *to);
        }
        apply(&mut model, &mut store, path)?
    } else {
        let mut store = PytorchStore::from_file(path)
            .allow_partial(true)
            .validate(false);
        for (from, to) in remap {
            store = store.with_key_remapping(*from, *to);
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

fn export<M: Module>(model: &M, path: &Path, remap: &[(&str, &str)]) -> Result<(), EncoderError> {
    let mut store = SafetensorsStore::from_file(path)
        .with_to_adapter(BurnToPyTorchAdapter)
        .overwrite(true);
    for (from, to) in remap {
        store = store.with_key_remapping(*from, *to);
    }
    model
        .save_into(&mut store)
        .map_err(|e| EncoderError::Store {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}
