# Sourced, not run: `source scripts/backend-env.sh BACKEND`. Installs what BACKEND needs and sets
# CARGO_TARGET_DIR (one cache per backend), CONVIRT_BACKEND and FEATURES (cargo flags), plus, for
# tch, the torch venv and LD_LIBRARY_PATH. BACKEND: flex, tch or wgpu.
backend="${1:?usage: source scripts/backend-env.sh flex|tch|wgpu}"
base_target="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
case "$backend" in
  flex)
    export CARGO_TARGET_DIR="$base_target"
    FEATURES=(--features flex)
    export CONVIRT_BACKEND=flex
    ;;
  tch)
    venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
    # shellcheck disable=SC1091
    source "$venv/bin/activate"
    export LIBTORCH_USE_PYTORCH=1
    torch_lib="$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
    export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export CARGO_TARGET_DIR="$base_target-tch"
    FEATURES=(--no-default-features --features tch)
    export CONVIRT_BACKEND=tch
    ;;
  wgpu)
    if ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mesa-vulkan-drivers >/dev/null
    fi
    export CARGO_TARGET_DIR="$base_target-wgpu"
    FEATURES=(--no-default-features --features wgpu)
    export CONVIRT_BACKEND=wgpu:cpu
    ;;
  *)
    echo "unknown backend '$backend': expected flex, tch or wgpu" >&2
    return 2
    ;;
esac
