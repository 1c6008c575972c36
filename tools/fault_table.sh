#!/usr/bin/env bash
# The README's fault table, from the fault-injection suite's own output: runs every test named
# `fault_*` in the workspace and prints one Markdown row per test (the class, the test, the cases
# it tried, the outcome). A multi-case test says how many cases it tried with a `FAULT|name|n|`
# line; the others try one.
#   tools/fault_table.sh > /tmp/faults.md
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}"
out=$(cargo test --release --workspace fault_ -- --nocapture 2>&1 || true)
python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
cases = {}
for name, n in re.findall(r"FAULT\|(\w+)\|(\d+)\|", out):
    cases[name] = cases.get(name, 0) + int(n)
def word(*ws):
    return r"(^|_)(" + "|".join(ws) + r")(_|$)"
classes = [
    ("skips", word("skip", "skips", "skipped")),
    ("embeddings", word("embedding")),
    ("CSV and queries", word("csv", "query", "table")),
    ("images", word("jpeg", "png", "image", "dicom", "byte", "bytes", "dimensions", "format", "decoding")),
    ("runs: crashes, corruption, locks, settings, signals", word(
        "checkpoint", "checkpoints", "crash", "pointer", "run", "runs", "resume", "settings",
        "disk", "sigterm", "processes", "weight", "command")),
]
rows = []
for name, result in re.findall(r"^test (?:\S+::)?(fault_\w+) \.\.\. (\w+)", out, re.M):
    cls = next((c for c, pat in classes if re.search(pat, name)), "other")
    rows.append((cls, name, cases.get(name, 1), "pass" if result == "ok" else result))
rows.sort()
print("| fault class | test | cases | outcome |")
print("|---|---|---|---|")
for cls, name, n, outcome in rows:
    print(f"| {cls} | `{name}` | {n} | {outcome} |")
total = sum(r[2] for r in rows)
passed = sum(r[2] for r in rows if r[3] == "pass")
print(f"\n{len(rows)} tests, {total} cases, {passed} passed.")
PY
