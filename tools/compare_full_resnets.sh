#!/usr/bin/env bash
# Full-size check, kept out of CI for its size: torchvision's own resnet18 and resnet50 (random
# init with randomised BatchNorm statistics; no ImageNet weights here), 2 images at 224², eval mode,
# loaded into convirt-rs from safetensors and from .pth and compared on the pooled features.
#   tools/compare_full_resnets.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/convirt-full-resnets}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
"$venv/bin/python" tools/make_resnet_fixtures.py "$out" --full
for arch in resnet18 resnet50; do
  for weights in safetensors pth; do
    cargo run -q --release --example parity -- resnet "$out/$arch" --weights "$weights"
  done
done
