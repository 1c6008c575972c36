#!/bin/bash
# Runs one fuzz target from the hand-instrumented build (see README.md) on a scratch copy of its
# committed seeds, so new corpus entries stay out of the repository:
#   fuzz/run.sh <target> [libFuzzer flags…]     e.g. fuzz/run.sh image -runs=1000000
set -euo pipefail
target=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
bin=${CARGO_TARGET_DIR:-$HOME/.cache/convirt-fuzz-target}/x86_64-unknown-linux-gnu/release/$target
work=${FUZZ_WORK:-$HOME/.cache/convirt-fuzz-corpus}/$target
mkdir -p "$work" "$work-crashes"
cp -n "$here/corpus/$target"/* "$work"/ 2>/dev/null || true
exec nice -n 19 "$bin" -artifact_prefix="$work-crashes/" -print_final_stats=1 -rss_limit_mb=2048 \
  -timeout=20 "$@" "$work"
