#!/usr/bin/env bash
# The project's test command (README, .ci/run): assets, formatting, lints, the whole suite.
# Everything runs in the release profile and cargo's own target folder (./target, unless
# CARGO_TARGET_DIR says otherwise), the same build as the README's main job
# (`cargo run --release --example pretrain_chexpert`), so a newcomer compiles burn once.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
scripts/fetch-assets.sh
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets -- -D warnings
cargo test --release --workspace
# convirt-eval's metrics build on their own, without burn (its `protocols` feature off).
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/metrics-only" cargo check --release -q -p convirt-eval --no-default-features
# The text-gate tools' own tests (standard-library Python, a few seconds).
for t in tools/text_gate/test_*.py; do python3 "$t"; done
