#!/usr/bin/env bash
# Exports random-init ResNet18/50 and a BERT of MiniLM's shape from convirt-rs under PyTorch names,
# then loads them into torchvision / Hugging Face with strict=True and compares outputs.
#   tools/check_export.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/convirt-export-check}"
assets="$(scripts/fetch-assets.sh >/dev/null 2>&1; echo "${CONVIRT_ASSETS:-$HOME/.cache/convirt/assets}")"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
cargo run -q --release --example export_check -- "$out" --bert-config "$assets/minilm/config.json"
"$venv/bin/python" tools/check_export.py "$out"
