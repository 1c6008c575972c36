#!/usr/bin/env bash
# Compares split.py with the Rust splitter itself on every IU report: compiles split.rs and
# normalize.rs of crates/convirt-text-sampler verbatim (plain rustc, no dependencies) into a
# small program, feeds it the raw Findings/Impression of each report, and diffs its sentences
# with split.py's. Usage: tools/text_gate/check_against_rust.sh [REPORTS_TGZ]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tgz="${1:-$HOME/.cache/convirt/assets/iu/NLMCXR_reports.tgz}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$root/crates/convirt-text-sampler/src"
cat > "$work/main.rs" <<RS
#[allow(dead_code)]
#[path = "$src/split.rs"]
mod split;
#[allow(dead_code)]
#[path = "$src/normalize.rs"]
mod normalize;
use std::io::Read;
fn body(f: &str, i: &str) -> String {
    match (!f.trim().is_empty(), !i.trim().is_empty()) {
        (true, true) => format!("{f}\n\n{i}"),
        (true, false) => f.to_string(),
        (false, true) => i.to_string(),
        _ => String::new(),
    }
}
fn main() {
    // input: records "id \x1f findings \x1f impression" separated by \x1e
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    for rec in input.split('\x1e').filter(|r| !r.is_empty()) {
        let parts: Vec<&str> = rec.split('\x1f').collect();
        let b = body(&normalize::normalize_lines(parts[1]), &normalize::normalize_lines(parts[2]));
        let s = split::split_sentences(&b);
        print!("{}\x1f{}\x1e", parts[0], s.join("\x1f"));
    }
}
RS
rustc --edition 2024 -O -o "$work/split_rs" "$work/main.rs" 2>"$work/rustc.log" || { cat "$work/rustc.log"; exit 1; }
cd "$here"
python3 - "$tgz" "$work" <<'PY'
import sys, subprocess, tarfile, os, xml.etree.ElementTree as ET
import iu
tgz, work = sys.argv[1], sys.argv[2]
raw = []  # (id, raw findings, raw impression)
with tarfile.open(tgz, "r:*") as tar:
    for m in tar:
        if not (m.isfile() and m.name.lower().endswith(".xml")):
            continue
        data = tar.extractfile(m).read()
        rep = iu.parse_xml(data, os.path.splitext(os.path.basename(m.name))[0])
        root = ET.fromstring(data)
        f = i = ""
        for el in root.iter("AbstractText"):
            lab = el.get("Label", "").strip().upper()
            if lab == "FINDINGS": f = "".join(el.itertext())
            if lab == "IMPRESSION": i = "".join(el.itertext())
        raw.append((rep, f, i))
payload = "".join(f"{r.id}\x1f{f}\x1f{i}\x1e" for r, f, i in raw)
out = subprocess.run([os.path.join(work, "split_rs")], input=payload.encode(), capture_output=True, check=True).stdout.decode()
rust = {}
for rec in out.split("\x1e"):
    if rec:
        rid, *sents = rec.split("\x1f")
        rust[rid] = [s for s in sents if s] if sents != [""] else []
bad = 0
n = 0
for r, _, _ in raw:
    py = r.sentences()
    n += len(py)
    if py != rust[r.id]:
        bad += 1
        if bad <= 5:
            print("DIFF", r.id, py, rust[r.id])
print(f"{len(raw)} reports, {n} sentences, {bad} reports differ")
sys.exit(1 if bad else 0)
PY
