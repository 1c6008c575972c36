#!/usr/bin/env bash
# Full-size check, kept out of CI for its size: torchvision's own densenet121 and vit_b_16 (random
# init with randomised BatchNorm statistics and LayerNorm affine parameters; no ImageNet weights
# here), 2 images at 224² (and vit_b_16's 224² weights evaluated at 64² after torchvision's
# interpolate_embeddings), eval mode, loaded into convirt-rs from safetensors and from .pth and
# compared on the pooled features. Bar: max scale-relative error <= 1e-4.
#   tools/compare_full_towers.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/convirt-full-towers}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
"$venv/bin/python" tools/make_tower_fixtures.py "$out" --full
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
cargo build --release --workspace --examples -q
"$CARGO_TARGET_DIR/release/examples/tower_parity" "$out/densenet121" "$out/vit_b_16" "$out/vit_b_16_at_64"
