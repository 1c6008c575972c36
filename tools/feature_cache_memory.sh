#!/usr/bin/env bash
# Peak memory and time of the feature-cache step (issue 9): ResNet18 at 128 px with MiniLM
# (3 of 6 layers frozen), sequences of 64 tokens. Prints one line per configuration:
#   plain N=16, feature cache N=256 M=16, plain N=256.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
cargo build --release --example bench >/dev/null
BENCH="$CARGO_TARGET_DIR/release/examples/bench"
MINILM="${MINILM:-$HOME/.cache/convirt/assets/minilm}"
common=(train --arch resnet18 --size 128 --seq 64 --text-model "$MINILM" --frozen 3 --warmup 0 --steps 1)
run() {
  local out
  out=$( { /usr/bin/time -v "$BENCH" "${common[@]}" "$@" 2>&1 1>&3 | grep "Maximum resident" | awk '{print $6}'; } 3>&1 )
  echo "$* -> $(echo "$out" | grep what) peak_rss_kb=$(echo "$out" | grep -v what)"
}
run --batch 16
run --batch 256 --micro 16
run --batch 256
