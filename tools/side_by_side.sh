#!/usr/bin/env bash
# convirt-rs and PyTorch side by side on this machine, alternating, one JSON line per run.
#
#   tools/side_by_side.sh loss   [BACKEND]   # ConVIRT loss fwd+bwd, d = 512, N = 32…4096 (torch_ref.py loss)
#   tools/side_by_side.sh towers [BACKEND]   # ResNet18/50 and MiniLM, forward and forward+backward
#
# BACKEND: flex (default), tch or wgpu (scripts/backend-env.sh installs what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?usage: tools/side_by_side.sh loss|towers [BACKEND]}"
backend="${2:-flex}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
# shellcheck disable=SC1091
source scripts/backend-env.sh "$backend"
ref="${CONVIRT_TORCH_REF:-../shared/reference/torch_ref.py}"
cfg="${CONVIRT_ASSETS:-$HOME/.cache/convirt/assets}/minilm/config.json"
cargo build -q --release "${FEATURES[@]}" --example bench --example bench_towers
bin="$CARGO_TARGET_DIR/release/examples"
case "$what" in
  loss)
    for n in 32 256 1024 4096; do
      "$bin/bench" --backend "$CONVIRT_BACKEND" loss --batch "$n"
      "$venv/bin/python" "$ref" loss --batch "$n"
    done
    ;;
  towers)
    while read -r args; do
      # shellcheck disable=SC2086
      "$bin/bench_towers" --backend "$CONVIRT_BACKEND" $args
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
    ;;
  *)
    echo "unknown benchmark '$what': expected loss or towers" >&2
    exit 2
    ;;
esac
