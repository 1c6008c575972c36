#!/usr/bin/env bash
# ConVIRT loss forward + backward at d = 512, convirt-rs (flex, or BACKEND) and PyTorch alternating,
# one JSON line each.   tools/bench_loss.sh [BACKEND]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-flex}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
# shellcheck disable=SC1091
source scripts/backend-env.sh "$backend"
ref="${CONVIRT_TORCH_REF:-../shared/reference/torch_ref.py}"
cargo build -q --release "${FEATURES[@]}" --example bench
bin="$CARGO_TARGET_DIR/release/examples/bench"
for n in 32 256 1024 4096; do
  "$bin" --backend "$CONVIRT_BACKEND" loss --batch "$n"
  "$venv/bin/python" "$ref" loss --batch "$n"
done
