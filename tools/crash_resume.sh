#!/usr/bin/env bash
# Crash test of the real binary: kill -9 a pretraining run several times at random moments
# (and once SIGTERM), resuming each time, then compare with an uninterrupted run of the same
# settings: every logged loss and the trained weights (through `convirt embed` of texts and
# images, bytewise) must be identical. The text cache is on (the CPU preset's default).
# After each kill the checkpoint named by last.json must verify against its manifest.
#   tools/crash_resume.sh [KILLS]      (uses the release `convirt` binary; builds it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
BIN="$CARGO_TARGET_DIR/release/convirt"
[ -x "$BIN" ] || cargo build --release --bin convirt
KILLS="${1:-3}"
WORK="$(mktemp -d)"
STEPS=30
common=(--preset cpu --data synthcxr
  --set image_size=64 --set batch_size=8 --set val_pairs=16 --set train.val_every=10
  --set train.checkpoint_every=3 --set "train.max_steps=$STEPS" --set time_budget_s=100000.0)

echo "reference: $STEPS uninterrupted steps"
"$BIN" pretrain "${common[@]}" --run-dir "$WORK/ref" >"$WORK/ref.out" 2>"$WORK/ref.log"

RUN="$WORK/run"
step_of_last() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["step"])' "$RUN/checkpoints/last.json" 2>/dev/null || echo 0
}
verify_last() {
  python3 - "$RUN/checkpoints" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
p = json.load(open(os.path.join(d, "last.json")))
folder = os.path.join(d, p["folder"])
m = json.load(open(os.path.join(folder, "manifest.json")))
assert m["step"] == p["step"] and m["run_id"] == p["run_id"], (m, p)
for name, digest in m["files"].items():
    data = open(os.path.join(folder, name), "rb").read()
    assert len(data) == digest["bytes"] and hashlib.sha256(data).hexdigest() == digest["sha256"], name
print(f"  last checkpoint {p['folder']} verifies ({len(m['files'])} files)")
PY
}

resume=()
for k in $(seq 1 "$KILLS"); do
  before=$(step_of_last)
  "$BIN" pretrain "${common[@]}" --run-dir "$RUN" "${resume[@]}" >"$WORK/run.out" 2>>"$WORK/run.log" &
  pid=$!
  while [ "$(step_of_last)" -le "$before" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "FAIL: run ended before kill $k"; tail "$WORK/run.log"; exit 1; }
    sleep 0.1
  done
  sleep "0.$((RANDOM % 9))$((RANDOM % 9))"
  if [ "$k" -eq "$KILLS" ]; then
    kill -TERM "$pid"
    set +e; wait "$pid"; rc=$?; set -e
    [ "$rc" -eq 143 ] || { echo "FAIL: SIGTERM exit code $rc (expected 143)"; tail "$WORK/run.log"; exit 1; }
    grep -q "interrupted by SIGTERM" "$WORK/run.log" || { echo "FAIL: no SIGTERM message"; exit 1; }
    echo "SIGTERM $k: exit 143, checkpointed at step $(step_of_last)"
  else
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    echo "kill -9 $k: last checkpoint at step $(step_of_last)"
  fi
  verify_last
  resume=(--resume)
done
"$BIN" pretrain "${common[@]}" --run-dir "$RUN" --resume >"$WORK/run.out" 2>>"$WORK/run.log"
echo "resumed to the end: $(tail -1 "$WORK/run.out")"

python3 - "$WORK/ref/metrics.jsonl" "$RUN/metrics.jsonl" "$STEPS" <<'PY'
import json, sys
def losses(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        if r["kind"] in ("train", "val"):
            out[(r["kind"], r["step"])] = r["loss"]
    return out
a, b, steps = losses(sys.argv[1]), losses(sys.argv[2]), int(sys.argv[3])
assert len([k for k in a if k[0] == "train"]) == steps, "reference is short"
assert a == b, [k for k in a if a.get(k) != b.get(k)][:5]
print(f"PASS: {len(a)} logged losses identical")
PY

printf 'No acute cardiopulmonary abnormality.\nThe heart is enlarged.\nSmall left pleural effusion.\n' >"$WORK/texts.txt"
images="$WORK/images"; mkdir -p "$images"
pngs=("$HOME"/.cache/convirt/synthcxr/pairs/images/*.png)
cp "${pngs[@]:0:5}" "$images/"
for run in ref run; do
  "$BIN" embed --run-dir "$WORK/$run" --checkpoint last --texts "$WORK/texts.txt" --out "$WORK/$run-texts.safetensors" >/dev/null
  "$BIN" embed --run-dir "$WORK/$run" --checkpoint last --images "$images" --out "$WORK/$run-images.safetensors" >/dev/null
done
cmp "$WORK/ref-texts.safetensors" "$WORK/run-texts.safetensors"
cmp "$WORK/ref-images.safetensors" "$WORK/run-images.safetensors"
echo "PASS: text and image embeddings of the resumed run are bytewise the reference's"
rm -rf "$WORK"
