#!/usr/bin/env bash
# Runs the backend-generic tests (loss golden values and properties, the feature-cache and
# data-parallel gradients; with wgpu also flex + wgpu as two devices; with tch also exact resume of
# a real run after a refusal, with the text cache on, and after SIGTERM; with tch also
# convirt-kernels' tests, through libtorch's kernels) on another burn backend.
#
#   scripts/test-backends.sh tch    # libtorch from pip's torch==2.9.0, CPU
#   scripts/test-backends.sh wgpu   # WGSL on Mesa's lavapipe (software Vulkan), CPU adapter
#
# Each installs what it needs first (scripts/backend-env.sh). The tests pick the device from
# CONVIRT_BACKEND.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source scripts/backend-env.sh "${1:?usage: scripts/test-backends.sh tch|wgpu}"
resume=()
[ "$1" = tch ] && resume=(--test run_folder --test signals)   # real runs: minutes on lavapipe
cargo test --release "${FEATURES[@]}" --test loss_golden --test loss_properties --test accum \
  "${resume[@]}"
# convirt-kernels' tests (each extension against burn's own op, with and without autodiff): on tch
# they reach libtorch's kernels and the C++ shim. Built with the root package selected too, so that
# features unify as in the build above and burn is not compiled a second time.
if [ "$1" = tch ]; then
  cargo test --release --no-default-features --features convirt/tch -p convirt -p convirt-kernels \
    --test conv --test batch_norm --test layer_norm --test gelu --test dropout --test softmax --test adam
fi
