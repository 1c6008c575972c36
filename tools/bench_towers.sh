#!/usr/bin/env bash
# Side by side on this machine: convirt-rs (flex, or BACKEND) and PyTorch, alternating, one JSON line each.
#   tools/bench_towers.sh [BACKEND]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-flex}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
# shellcheck disable=SC1091
source scripts/backend-env.sh "$backend"
cfg="${CONVIRT_ASSETS:-$HOME/.cache/convirt/assets}/minilm/config.json"
cargo build -q --release "${FEATURES[@]}" --example bench_towers
bin="$CARGO_TARGET_DIR/release/examples/bench_towers"
while read -r args; do
  # shellcheck disable=SC2086
  "$bin" --backend "$CONVIRT_BACKEND" $args
  # shellcheck disable=SC2086
  "$venv/bin/python" tools/bench_towers.py $args
done <<LIST
--model resnet18 --mode infer --batch 8 --size 224
--model resnet18 --mode train --batch 8 --size 224
--model resnet50 --mode infer --batch 8 --size 224
--model resnet50 --mode train --batch 8 --size 224
--model minilm --mode infer --batch 32 --seq 64 --bert-config $cfg
--model minilm --mode train --batch 32 --seq 64 --bert-config $cfg
LIST
