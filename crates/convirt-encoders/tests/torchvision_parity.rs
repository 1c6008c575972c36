//! DenseNet and ViT against torchvision: the committed fixtures of
//! `tools/make_tower_fixtures.py` (torchvision's own classes at small widths, random weights
//! with non-trivial BatchNorm statistics), loaded from safetensors and from `.pth`, in eval
//! mode. The bar is the issue's: max scale-relative error ≤ 1e-4 on the pooled features.
//! Full-size densenet121 and vit_b_16 at 224²: `tools/compare_full_towers.sh`.

#[path = "support/towers.rs"]
mod towers;

use std::path::PathBuf;

use burn::tensor::Device;

const BAR: f64 = 1e-4;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/towers")
        .join(name)
}

fn check(name: &str, features: usize) {
    let device = Device::flex();
    for ext in ["safetensors", "pth"] {
        let scratch = tempfile::tempdir().unwrap();
        let r = towers::replay(&fixture(name), ext, scratch.path(), &device);
        assert_eq!(r.shape, [2, features], "{name}.{ext}");
        assert!(
            r.max_rel_err <= BAR,
            "{name}.{ext}: max relative error {:.3e} > {BAR:e}",
            r.max_rel_err
        );
        // Exporting under torchvision's names and loading back changes nothing.
        assert_eq!(r.roundtrip_err, 0.0, "{name}.{ext}: export round trip");
        assert!(
            r.export_missing.is_empty(),
            "{name}: export lacks {:?}",
            r.export_missing
        );
        assert!(
            r.export_extra.is_empty(),
            "{name}: export adds {:?}",
            r.export_extra
        );
        // Our export is torchvision's state dict, tensor for tensor and byte for byte (a
        // resampled position embedding aside).
        assert!(
            r.export_differs.is_empty(),
            "{name}: export differs in {:?}",
            r.export_differs
        );
        // Only the classifier (and BatchNorm's step counters) are left over.
        assert!(
            r.unused.iter().all(|k| k.starts_with("classifier.")
                || k.starts_with("heads.")
                || k.ends_with("num_batches_tracked")),
            "{name}: unused {:?}",
            r.unused
        );
        assert!(r.applied > 0);
    }
}

#[test]
fn densenet_matches_torchvision() {
    // growth 4, blocks [1, 2, 1, 1], stem 8: 8 + 4 = 12 → 6 + 8 = 14 → 7 + 4 = 11 → 5 + 4 = 9.
    check("densenet_g4", 9);
}

#[test]
fn densenet_with_a_gray_stem_matches_torchvision() {
    // blocks [2, 1, 1, 2]: 8 + 8 = 16 → 8 + 4 = 12 → 6 + 4 = 10 → 5 + 8 = 13.
    check("densenet_g4_gray", 13);
}

#[test]
fn vit_matches_torchvision() {
    check("vit_p8", 16);
}

#[test]
fn vit_with_a_gray_stem_and_mean_pooling_matches_torchvision() {
    check("vit_p8_gray_mean", 16);
}

#[test]
fn vit_position_embeddings_resample_as_torchvision_does() {
    // State dict of a 32² model (4×4 patches), evaluated at 48² (6×6) after torchvision's
    // `interpolate_embeddings`.
    check("vit_p8_resized", 16);
}

#[test]
fn a_densenet_checkpoint_does_not_load_into_a_vit() {
    let device = Device::flex();
    let vit = convirt_encoders::VitConfig::vit_b_16()
        .with_widths(2, 2, 16, 32)
        .with_image_size(32)
        .with_patch(8)
        .init(&device)
        .unwrap();
    let path = fixture("densenet_g4.safetensors");
    let error = convirt_encoders::weights::load_vit_weights(vit, &path)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(error.contains("densenet_g4.safetensors"), "{error}");
    assert!(error.contains("missing"), "{error}");
}
