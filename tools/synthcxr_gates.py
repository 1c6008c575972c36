#!/usr/bin/env python3
"""SynthCXR v2 calibration gates 1 and 3 (issue 17), on `cls`'s validation split.

Gate 1, shortcut: a logistic probe and a gradient-boosted-trees probe on global statistics
(mean, sd, a 16-bin histogram, 4x4 block means) of the 64 px image, trained on the train split:
AUROC <= 0.65 for every family (<= 0.75 for a family global by nature, named with its reason).

Gate 3, supervised ceiling: a torchvision ResNet18 from scratch (1-channel conv1) at 64 px.
The recipe, fixed before any run: Adam + one-cycle (max lr 2e-3), batch 128, BCE, random
translation of up to 4 px, no flip; 100% of the 10,000 train labels for 8 epochs, 10% (the
first 1,000 train images) for 40 epochs (half the steps); the last epoch is evaluated, nothing
is selected on the validation split. Pass: at 100% every scored family >= 0.85 and mean >=
0.88; at 10% the mean at least 0.05 lower.

Usage (generate first: `convirt synth --set cls --out DIR`):
  .venv-ref/bin/python tools/synthcxr_gates.py --dir DIR [--gate 1|3|all] [--json OUT]
      [--families A,B,...] [--threads 2]
"""

import argparse
import csv
import json
import os
import time

import numpy as np
from PIL import Image

# Every v2 finding family but Pneumothorax (drawn at 0.05, never scored).
FAMILIES = ["Cardiomegaly", "Effusion", "Opacity", "Hyperinflation", "Device", "LowVolumes",
            "ElevatedDiaphragm", "Scoliosis", "Atelectasis", "Nodule", "Granuloma",
            "DegenerativeSpine", "Aorta", "RibFracture"]
GLOBAL = {"Hyperinflation": "lung volume and lucency change the whole image's histogram",
          "LowVolumes": "lung volume and density change the whole image's histogram"}


def load(directory, size, families):
    paths, labels, splits, kinds = [], [], [], []
    with open(os.path.join(directory, "manifest.csv")) as f:
        for row in csv.DictReader(f):
            paths.append(os.path.join(directory, row["path"]))
            labels.append([int(row[c]) for c in families])
            splits.append(row["split"])
            kinds.append(device_kind(row.get("findings", "")))
    images = np.empty((len(paths), size, size), dtype=np.float32)
    for i, p in enumerate(paths):
        im = Image.open(p).convert("L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.BILINEAR, reducing_gap=None)
        images[i] = np.asarray(im, dtype=np.float32) / 255.0
    return images, np.array(labels, dtype=np.float32), np.array(splits), np.array(kinds)


def global_features(images):
    n, s, _ = images.shape
    flat = images.reshape(n, -1)
    hist = np.stack([np.histogram(x, bins=16, range=(0.0, 1.0))[0] for x in flat]) / flat.shape[1]
    blocks = images.reshape(n, 4, s // 4, 4, s // 4).mean(axis=(2, 4)).reshape(n, 16)
    return np.concatenate([flat.mean(1, keepdims=True), flat.std(1, keepdims=True), hist, blocks], axis=1)


def gate1(images, labels, splits, families, kinds=None):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = global_features(images)
    train, val = splits == "train", splits == "val"
    out = {}
    for k, name in enumerate(families):
        lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)).fit(x[train], labels[train, k])
        gb = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(x[train], labels[train, k])
        a = float(roc_auc_score(labels[val, k], lr.predict_proba(x[val])[:, 1]))
        b = float(roc_auc_score(labels[val, k], gb.predict_proba(x[val])[:, 1]))
        limit = 0.75 if name in GLOBAL else 0.65
        out[name] = {"logistic": a, "gbt": b, "limit": limit, "pass": max(a, b) <= limit}
        print(f"gate1 {name:18s} logistic {a:.3f} gbt {b:.3f} limit {limit} {'pass' if max(a, b) <= limit else 'FAIL'}", flush=True)
        if kinds is not None and name == "Device":
            out[name]["gbt_by_kind"] = by_kind(kinds[val], labels[val, k], gb.predict_proba(x[val])[:, 1])
    return out


def device_kind(findings):
    """The device kind and side of a manifest `findings` value (e.g. `Device:left:upper:3:1:
    pacemaker` gives `pacemaker:left`), "" where there is none."""
    found = [x for x in findings.split(";") if x.startswith("Device:")]
    return ":".join(found[0].split(":")[i] for i in (5, 1)) if found else ""


def by_kind(kinds, label, score):
    """AUROC of each kind's positives against all negatives."""
    from sklearn.metrics import roc_auc_score

    neg = label == 0
    out = {}
    for kind in sorted(set(kinds[label == 1])):
        pos = (kinds == kind) & (label == 1)
        if kind and pos.sum() >= 5:
            y = np.r_[np.zeros(neg.sum()), np.ones(pos.sum())]
            out[kind] = {"n": int(pos.sum()), "auroc": float(roc_auc_score(y, np.r_[score[neg], score[pos]]))}
            print(f"gate1   Device {kind:18s} n {pos.sum():3d} gbt {out[kind]['auroc']:.3f}", flush=True)
    return out


def resnet(images, labels, splits, families, train_count, epochs, seed=0, batch=128, lr=2e-3):
    import torch
    import torchvision
    from sklearn.metrics import roc_auc_score

    torch.manual_seed(seed)
    model = torchvision.models.resnet18(num_classes=len(families))
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    x = torch.from_numpy(images).unsqueeze(1)
    x = (x - x.mean()) / x.std()
    y = torch.from_numpy(labels)
    train = torch.from_numpy(np.flatnonzero(splits == "train")[:train_count])
    val = np.flatnonzero(splits == "val")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(train) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = train[torch.randperm(len(train))]
        total = 0.0
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            dx, dy = (int(v) for v in torch.randint(-4, 5, (2,)))
            xb = torch.roll(x[idx], shifts=(dy, dx), dims=(2, 3))
            optimizer.zero_grad()
            loss = loss_fn(model(xb), y[idx])
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
        print(json.dumps({"train": int(len(train)), "epoch": epoch + 1, "loss": total / len(train), "seconds": round(time.time() - start)}), flush=True)
    model.eval()
    with torch.no_grad():
        p = torch.cat([torch.sigmoid(model(x[val[i:i + 256]])) for i in range(0, len(val), 256)]).numpy()
    return {n: float(roc_auc_score(labels[val, k], p[:, k])) for k, n in enumerate(families)}


def gate3(images, labels, splits, families):
    full = resnet(images, labels, splits, families, 10_000, 8)
    tenth = resnet(images, labels, splits, families, 1_000, 40)
    mean_full, mean_tenth = float(np.mean(list(full.values()))), float(np.mean(list(tenth.values())))
    for n in families:
        print(f"gate3 {n:18s} 100% {full[n]:.3f} 10% {tenth[n]:.3f} {'pass' if full[n] >= 0.85 else 'FAIL'}", flush=True)
    print(f"gate3 mean 100% {mean_full:.3f} (>= 0.88) 10% {mean_tenth:.3f} (<= {mean_full - 0.05:.3f})", flush=True)
    return {"full": full, "tenth": tenth, "mean_full": mean_full, "mean_tenth": mean_tenth,
            "pass_families": [n for n in families if full[n] >= 0.85],
            "pass": all(full[n] >= 0.85 for n in families) and mean_full >= 0.88 and mean_tenth <= mean_full - 0.05}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--gate", default="all", choices=["1", "3", "all"])
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    families = args.families.split(",")
    start = time.time()
    images, labels, splits, kinds = load(args.dir, args.size, families)
    print(f"loaded {len(images)} images at {args.size} px in {time.time() - start:.0f} s", flush=True)
    result = {"dir": args.dir, "size": args.size, "families": families}
    if args.gate in ("1", "all"):
        result["gate1"] = gate1(images, labels, splits, families, kinds)
    if args.gate in ("3", "all"):
        import torch
        torch.set_num_threads(args.threads)
        result["gate3"] = gate3(images, labels, splits, families)
    result["seconds"] = time.time() - start
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
