#!/usr/bin/env bash
# The project's test command (README, .ci/run): assets, formatting, lints, the whole suite.
# Everything runs in the release profile, shared with the main job, so burn compiles once.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
scripts/fetch-assets.sh
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets -- -D warnings
cargo test --release --workspace
# convirt-eval's metrics build on their own, without burn (its `protocols` feature off).
CARGO_TARGET_DIR="$CARGO_TARGET_DIR-metrics" cargo check --release -q -p convirt-eval --no-default-features
# The text-gate tools' own tests (standard-library Python, a few seconds).
for t in tools/text_gate/test_*.py; do python3 "$t"; done
