//! The towers against PyTorch: small torchvision-named ResNets (fixtures from
//! tools/make_resnet_fixtures.py) to 1e-4 relative, and the real all-MiniLM-L6-v2 against its
//! golden pooled outputs (max abs ≤ 1e-3, mean abs ≤ 1e-4).

mod common;
// The golden-file replays: development tools, shared with examples/parity.rs.
#[allow(dead_code)]
#[path = "support/parity/mod.rs"]
mod parity;

use convirt::text::assets;

#[test]
fn narrow_resnets_match_torchvision_from_safetensors_and_pth() {
    for name in ["basic_w8", "bottleneck_w4_gray"] {
        for weights in ["safetensors", "pth"] {
            let stem = common::fixture(&format!("resnet/{name}"));
            let stats = parity::resnet::resnet(&stem, weights, &common::device())
                .unwrap_or_else(|e| panic!("{name}.{weights}: {e}"));
            assert!(stats.max_rel_err <= 1e-4, "{name}.{weights}: {stats:?}");
        }
    }
}

#[test]
fn minilm_matches_pytorch() {
    let model = assets::require(assets::MINILM).unwrap_or_else(|e| panic!("{e}"));
    let e = parity::minilm::minilm(
        &common::fixture("golden/minilm_pooled.json"),
        &model,
        &common::device(),
    )
    .expect("MiniLM parity runs");
    assert_eq!(e.values, 4 * (8 + 384 + 384));
    assert!(e.max_abs_err <= 1e-3, "{e:?}");
    assert!(e.mean_abs_err <= 1e-4, "{e:?}");
}
