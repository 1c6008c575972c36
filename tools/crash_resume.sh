#!/usr/bin/env bash
# Crash test: kill -9 a pretraining run mid-epoch, then --resume. Checks that the checkpoint
# named by last.json before the kill is complete, that the resumed run continues from it, and
# that it reaches the planned step count.
#   tools/crash_resume.sh            (uses the release `convirt` binary; builds it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
BIN="$CARGO_TARGET_DIR/release/convirt"
[ -x "$BIN" ] || cargo build --release --bin convirt
RUN="$(mktemp -d)/run"
STEPS=24
args=(pretrain --preset cpu --data synthcxr --run-dir "$RUN"
  --set image_size=64 --set batch_size=8 --set val_pairs=16 --set train.val_every=10
  --set train.checkpoint_every=3 --set "train.max_steps=$STEPS")
"$BIN" "${args[@]}" >"$RUN.log1" 2>&1 &
pid=$!
step_of_last() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["step"])' "$RUN/checkpoints/last.json" 2>/dev/null || echo 0
}
while [ "$(step_of_last)" -lt 7 ]; do
  kill -0 "$pid" 2>/dev/null || { echo "run ended before the kill"; cat "$RUN.log1"; exit 1; }
  sleep 0.2
done
sleep "0.$((RANDOM % 9))"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
before=$(step_of_last)
folder=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["folder"])' "$RUN/checkpoints/last.json")
for f in model.bpk optimizer.bpk state.json; do
  [ -s "$RUN/checkpoints/$folder/$f" ] || { echo "FAIL: $folder/$f missing after kill -9"; exit 1; }
done
echo "killed; last checkpoint: step $before ($folder), complete"
out=$("$BIN" "${args[@]}" --resume 2>"$RUN.log2" | tail -1)
echo "$out"
python3 - "$out" "$before" "$STEPS" "$RUN.log2" <<'PY'
import json, sys
line, before, steps, log = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), open(sys.argv[4]).read()
assert f"step-{before:08d}" in log, "the resumed run did not start from the last checkpoint"
assert line["steps"] == steps, line
print(f"PASS: resumed from step {before}, finished at step {line['steps']}")
PY
