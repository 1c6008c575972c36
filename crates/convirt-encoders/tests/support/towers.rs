//! Replays a tower fixture of `tools/make_tower_fixtures.py`: loads `STEM.{safetensors,pth}`
//! into our DenseNet or ViT, runs `STEM_io.safetensors`'s input in eval mode and measures the
//! pooled features against torchvision's. Shared by `tests/torchvision_parity.rs` (the committed
//! small fixtures) and `examples/tower_parity.rs` (the full-size ones).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use convirt_encoders::weights::{
    export_densenet, export_vit, load_densenet_weights, load_vit_weights,
};
use convirt_encoders::{DenseNetConfig, ImageEncoder, VitConfig};
use safetensors::SafeTensors;

/// What one replay measured.
#[derive(Debug, Clone)]
pub struct Replay {
    /// `max|ours − torchvision| / max|torchvision|` over the pooled features.
    pub max_rel_err: f64,
    /// The features' shape.
    pub shape: [usize; 2],
    /// Tensors applied from the checkpoint.
    pub applied: usize,
    /// Checkpoint keys with no place in our model (the classifier, `num_batches_tracked`).
    pub unused: Vec<String>,
    /// Our features after an export under torchvision's names and a load back, against ours
    /// before: 0 when the round trip is exact.
    pub roundtrip_err: f64,
    /// torchvision keys (classifier, head and `num_batches_tracked` left out) the export lacks.
    pub export_missing: Vec<String>,
    /// Exported keys torchvision's state dict does not have.
    pub export_extra: Vec<String>,
    /// Exported tensors whose bytes differ from torchvision's own (a resampled ViT position
    /// embedding aside): empty when our export is torchvision's state dict, value for value.
    pub export_differs: Vec<String>,
}

fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    PathBuf::from(format!("{}.{ext}", stem.display()))
}

fn read_f32(st: &SafeTensors, name: &str) -> (Vec<f32>, Vec<usize>) {
    let view = st
        .tensor(name)
        .unwrap_or_else(|e| panic!("tensor {name}: {e}"));
    let values = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    (values, view.shape().to_vec())
}

fn to_vec(t: Tensor<2>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .unwrap()
}

fn max_rel(ours: &[f32], reference: &[f32]) -> f64 {
    assert_eq!(ours.len(), reference.len());
    let scale = reference.iter().fold(0f64, |m, &v| m.max(v.abs() as f64));
    let diff = ours
        .iter()
        .zip(reference)
        .fold(0f64, |m, (&a, &b)| m.max((a as f64 - b as f64).abs()));
    diff / scale
}

fn keys(path: &Path) -> BTreeSet<String> {
    let bytes = std::fs::read(path).unwrap();
    let st = SafeTensors::deserialize(&bytes).unwrap();
    st.names().into_iter().map(String::from).collect()
}

/// Keys present in both files whose shapes or bytes differ.
fn differing(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    let (a, b) = (
        SafeTensors::deserialize(&a).unwrap(),
        SafeTensors::deserialize(&b).unwrap(),
    );
    b.names()
        .into_iter()
        .filter(|k| {
            let (x, y) = (a.tensor(k), b.tensor(k));
            match (x, y) {
                (Ok(x), Ok(y)) => x.shape() != y.shape() || x.data() != y.data(),
                _ => true,
            }
        })
        .map(String::from)
        .collect()
}

/// Replays fixture `stem` with its weights from `weights_ext` (`safetensors` or `pth`); the
/// export round trip is written into `scratch`.
pub fn replay(stem: &Path, weights_ext: &str, scratch: &Path, device: &Device) -> Replay {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(with_ext(stem, "json")).unwrap()).unwrap();
    let io = std::fs::read(PathBuf::from(format!("{}_io.safetensors", stem.display()))).unwrap();
    let st = SafeTensors::deserialize(&io).unwrap();
    let (x, shape) = read_f32(&st, "x");
    let (expected, _) = read_f32(&st, "features");
    let shape: [usize; 4] = shape.try_into().unwrap();
    let images = || Tensor::<4>::from_data(TensorData::new(x.clone(), shape), device);
    let weights = with_ext(stem, weights_ext);
    let exported = scratch.join("export.safetensors");
    let (ours, report, back) = match meta["family"].as_str() {
        Some("densenet") => {
            let config: DenseNetConfig = serde_json::from_value(meta.clone()).unwrap();
            let (net, report) = load_densenet_weights(config.init(device), &weights).unwrap();
            let net = net.valid();
            let ours = net.encode_images(images());
            export_densenet(&net, &exported).unwrap();
            let (again, _) = load_densenet_weights(config.init(device), &exported).unwrap();
            (ours, report, again.valid().encode_images(images()))
        }
        Some("vit") => {
            let config: VitConfig = serde_json::from_value(meta.clone()).unwrap();
            let eval = meta["eval_size"].as_u64().unwrap() as usize;
            // Built for the evaluation size: the loader resamples the checkpoint's grid.
            let fresh = || config.clone().with_image_size(eval).init(device).unwrap();
            let (net, report) = load_vit_weights(fresh(), &weights).unwrap();
            let net = net.valid();
            assert_eq!(net.image_size(), eval);
            let ours = net.encode_images(images());
            export_vit(&net, &exported).unwrap();
            let (again, _) = load_vit_weights(fresh(), &exported).unwrap();
            (ours, report, again.valid().encode_images(images()))
        }
        other => panic!("unknown family {other:?}"),
    };
    let dims = ours.dims();
    let (ours, back) = (to_vec(ours), to_vec(back));
    let theirs: BTreeSet<String> = keys(&with_ext(stem, "safetensors"))
        .into_iter()
        .filter(|k| {
            !(k.starts_with("classifier.")
                || k.starts_with("heads.")
                || k.ends_with("num_batches_tracked"))
        })
        .collect();
    let written = keys(&exported);
    let resized = meta["eval_size"]
        .as_u64()
        .is_some_and(|e| Some(e) != meta["image_size"].as_u64());
    let export_differs = differing(&with_ext(stem, "safetensors"), &exported)
        .into_iter()
        .filter(|k| !(resized && k == "encoder.pos_embedding"))
        .collect();
    // A resized ViT exports its own (resampled) grid under the same names: names still match.
    Replay {
        max_rel_err: max_rel(&ours, &expected),
        shape: dims,
        applied: report.applied,
        unused: report.unused,
        roundtrip_err: max_rel(&back, &ours),
        export_missing: theirs.difference(&written).cloned().collect(),
        export_extra: written.difference(&theirs).cloned().collect(),
        export_differs,
    }
}
