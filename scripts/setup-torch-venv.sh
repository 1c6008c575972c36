#!/usr/bin/env bash
# Creates (once) the Python venv with pip's torch==2.9.0, used by two things:
#   * the tch backend, which builds against it (LIBTORCH_USE_PYTORCH=1);
#   * the PyTorch reference for side-by-side benchmarks (shared/reference/torch_ref.py).
# Usage: scripts/setup-torch-venv.sh [VENV]   (default: $CONVIRT_TORCH_VENV, else .venv-ref)
# Prints the venv path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-${CONVIRT_TORCH_VENV:-.venv-ref}}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import torch, torchvision, transformers, PIL; assert torch.__version__.startswith("2.9.0")' 2>/dev/null; then
  "$venv/bin/pip" install -q torch==2.9.0 torchvision==0.24.0 transformers pillow numpy
fi
cd "$venv" && pwd
