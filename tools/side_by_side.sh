#!/usr/bin/env bash
# convirt-rs and PyTorch side by side on this machine, alternating, one JSON line per run.
#
#   tools/side_by_side.sh loss   [BACKEND]   # ConVIRT loss fwd+bwd, d = 512, N = 32…4096 (torch_ref.py loss)
#   tools/side_by_side.sh towers [BACKEND]   # ResNet18/50 and MiniLM, forward and forward+backward
#   tools/side_by_side.sh train  [BACKEND]   # #7's train step: ResNet18 + MiniLM (3 frozen), batch 32,
#                                            # 128², seq 64 (torch_ref.py train, same flags); ours
#                                            # plain and with the frozen-text cache
#   tools/side_by_side.sh train-towers [BACKEND]  # #20's towers: the train step of ResNet50,
#                                            # DenseNet121 and ViT-B/16 + MiniLM (3 frozen), batch 8,
#                                            # 128², seq 32 (tools/reference/torch_ref_arch.py, which
#                                            # is torch_ref.py train for any torchvision tower)
#   tools/side_by_side.sh pipeline [BACKEND] # #7's end to end: 1024² JPEGs on disk → loader → step,
#                                            # ResNet18 at 224², batch 32 (torch_ref.py pipeline,
#                                            # DataLoader with 2 workers)
#
# ROUNDS (default 2) repeats the alternation. In `train`, each of our runs prints its peak RSS
# (`rss_kb`, from /usr/bin/time) after its JSON line, and WITH_BURN=1 adds a run of the same binary
# with CONVIRT_KERNELS=burn (burn's own modules and Adam: the step before convirt-kernels).
# BACKEND: flex (default), tch or wgpu (scripts/backend-env.sh installs what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?usage: tools/side_by_side.sh loss|towers|train|pipeline [BACKEND]}"
backend="${2:-flex}"
venv="$(scripts/setup-torch-venv.sh | tail -n 1)"
# shellcheck disable=SC1091
source scripts/backend-env.sh "$backend"
ref="${CONVIRT_TORCH_REF:-../shared/reference/torch_ref.py}"
assets="${CONVIRT_ASSETS:-$HOME/.cache/convirt/assets}"
cfg="$assets/minilm/config.json"
rounds="${ROUNDS:-2}"
# The workspace's examples, with the workspace's features: the build the tests share.
cargo build -q --release --workspace --examples "${FEATURES[@]}"
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
  train)
    flags=(--arch resnet18 --batch 32 --size 128 --seq 64 --text-model "$assets/minilm" --frozen 3 --steps 3)
    rss() { /usr/bin/time -f '{"rss_kb": %M}' "$@"; }
    for _ in $(seq "$rounds"); do
      rss "$bin/bench" --backend "$CONVIRT_BACKEND" train "${flags[@]}"
      rss "$bin/bench" --backend "$CONVIRT_BACKEND" train "${flags[@]}" --cache
      if [[ "${WITH_BURN:-0}" == 1 ]]; then
        CONVIRT_KERNELS=burn rss "$bin/bench" --backend "$CONVIRT_BACKEND" train "${flags[@]}"
      fi
      "$venv/bin/python" "$ref" train "${flags[@]}"
    done
    ;;
  train-towers)
    flags=(--batch 8 --size 128 --seq 32 --text-model "$assets/minilm" --frozen 3 --steps 3)
    for _ in $(seq "$rounds"); do
      for arch in resnet50 densenet121 vit_b_16; do
        "$bin/bench" --backend "$CONVIRT_BACKEND" train --arch "$arch" "${flags[@]}"
        "$venv/bin/python" tools/reference/torch_ref_arch.py train --arch "$arch" "${flags[@]}"
      done
    done
    ;;
  pipeline)
    # 256 gray 1024² JPEGs (a gradient plus noise), written once.
    images="${CONVIRT_BENCH_IMAGES:-$HOME/.cache/convirt/bench-jpegs}"
    if [[ ! -f "$images/done" ]]; then
      mkdir -p "$images"
      "$venv/bin/python" - "$images" <<'PY'
import sys, numpy as np
from PIL import Image
rng = np.random.default_rng(0)
y, x = np.mgrid[0:1024, 0:1024]
for i in range(256):
    a = (x * np.cos(i) + y * np.sin(i)) / 1448.0
    img = np.clip(96 + 64 * a + rng.normal(0, 12, a.shape), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{sys.argv[1]}/img_{i:03d}.jpg", quality=90)
open(f"{sys.argv[1]}/done", "w").close()
PY
    fi
    flags=(--images "$images" --reports "$assets/iu/NLMCXR_reports.tgz" --text-model "$assets/minilm"
      --arch resnet18 --size 224 --batch 32 --seq 64 --frozen 3 --steps 5)
    for _ in $(seq "$rounds"); do
      "$bin/bench" --backend "$CONVIRT_BACKEND" pipeline "${flags[@]}"
      "$bin/bench" --backend "$CONVIRT_BACKEND" pipeline "${flags[@]}" --cache
      "$venv/bin/python" "$ref" pipeline "${flags[@]}"
    done
    ;;
  *)
    echo "unknown benchmark '$what': expected loss, towers, train or pipeline" >&2
    exit 2
    ;;
esac
