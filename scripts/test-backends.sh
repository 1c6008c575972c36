#!/usr/bin/env bash
# Runs the backend-generic tests (loss golden values and properties) on another burn backend.
#
#   scripts/test-backends.sh tch    # libtorch from pip's torch==2.9.0, CPU
#   scripts/test-backends.sh wgpu   # WGSL on Mesa's lavapipe (software Vulkan), CPU adapter
#
# Each installs what it needs first. The tests pick the device from CONVIRT_BACKEND.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:?usage: scripts/test-backends.sh tch|wgpu}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}-$backend"
tests=(--test loss_golden --test loss_properties)

case "$backend" in
  tch)
    venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
    # shellcheck disable=SC1091
    source "$venv/bin/activate"
    export LIBTORCH_USE_PYTORCH=1
    torch_lib="$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
    export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export CONVIRT_BACKEND=tch
    cargo test --release --no-default-features --features tch "${tests[@]}"
    ;;
  wgpu)
    if ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mesa-vulkan-drivers >/dev/null
    fi
    export CONVIRT_BACKEND=wgpu:cpu
    cargo test --release --no-default-features --features wgpu "${tests[@]}"
    ;;
  *)
    echo "unknown backend '$backend': expected tch or wgpu" >&2
    exit 2
    ;;
esac
