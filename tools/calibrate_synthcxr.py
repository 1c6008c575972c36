#!/usr/bin/env python3
"""Calibrates SynthCXR's difficulty on the `cls` set (issue 6).

Two checks, both on the test split, per scored family (Cardiomegaly, Effusion, Opacity,
Atelectasis, Nodule):
  1. shortcut probe: logistic regression on global statistics (mean, std, 16-bin histogram),
     trained on the train split; its AUROC must stay <= 0.60 for every family;
  2. a ResNet18 trained from scratch (1 channel, --size px) on 100% of the train labels; its
     test mean AUROC over the five families must lie in [0.75, 0.95].

Usage (generate the set first with `convirt synth --set cls --out DIR`):
  /work/main/.venv-ref/bin/python tools/calibrate_synthcxr.py --dir DIR [--probe-only]
      [--size 128] [--epochs 4] [--threads 2] [--json OUT.json]
"""

import argparse
import csv
import json
import os
import time

import numpy as np
from PIL import Image

SCORED = ["Cardiomegaly", "Effusion", "Opacity", "Atelectasis", "Nodule"]


def load(directory, size):
    """Images (N, size, size) as float32 in [0, 1], labels (N, 5) and splits, from manifest.csv."""
    paths, labels, splits = [], [], []
    with open(os.path.join(directory, "manifest.csv")) as f:
        for row in csv.DictReader(f):
            paths.append(os.path.join(directory, row["path"]))
            labels.append([int(row[c]) for c in SCORED])
            splits.append(row["split"])
    images = np.empty((len(paths), size, size), dtype=np.float32)
    for i, p in enumerate(paths):
        im = Image.open(p).convert("L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.BOX)
        images[i] = np.asarray(im, dtype=np.float32) / 255.0
    return images, np.array(labels, dtype=np.float32), np.array(splits)


def probe_features(images):
    flat = images.reshape(len(images), -1)
    hist = np.stack([np.histogram(x, bins=16, range=(0.0, 1.0))[0] for x in flat]) / flat.shape[1]
    return np.concatenate([flat.mean(1, keepdims=True), flat.std(1, keepdims=True), hist], axis=1)


def shortcut_probe(images, labels, splits):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = probe_features(images)
    train, test = splits == "train", splits == "test"
    out = {}
    for k, name in enumerate(SCORED):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        model.fit(x[train], labels[train, k])
        out[name] = float(roc_auc_score(labels[test, k], model.predict_proba(x[test])[:, 1]))
    return out


def resnet(images, labels, splits, epochs, batch, lr, seed):
    import torch
    import torchvision
    from sklearn.metrics import roc_auc_score

    torch.manual_seed(seed)
    model = torchvision.models.resnet18(num_classes=len(SCORED))
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    x = torch.from_numpy(images).unsqueeze(1)
    x = (x - x.mean()) / x.std()
    y = torch.from_numpy(labels)
    train = torch.from_numpy(np.flatnonzero(splits == "train"))
    val = torch.from_numpy(np.flatnonzero(splits == "val"))
    test = torch.from_numpy(np.flatnonzero(splits == "test"))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(train) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def predict(index):
        model.eval()
        with torch.no_grad():
            return torch.cat([torch.sigmoid(model(x[index[i:i + 256]])) for i in range(0, len(index), 256)]).numpy()

    def aurocs(index):
        p = predict(index)
        return {n: float(roc_auc_score(labels[index.numpy(), k], p[:, k])) for k, n in enumerate(SCORED)}

    history = []
    for epoch in range(epochs):
        model.train()
        start = time.time()
        order = train[torch.randperm(len(train))]
        total = 0.0
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            xb = x[idx]
            # light augmentation: random horizontal shift of up to 4 px
            shift = int(torch.randint(-4, 5, (1,)))
            xb = torch.roll(xb, shifts=shift, dims=3)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), y[idx])
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(idx)
        v = aurocs(val)
        history.append({"epoch": epoch + 1, "loss": total / len(train), "val_mean": float(np.mean(list(v.values()))), "seconds": time.time() - start})
        print(json.dumps(history[-1]), flush=True)
    return aurocs(test), history


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--probe-only", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    start = time.time()
    images, labels, splits = load(args.dir, args.size)
    print(f"loaded {len(images)} images at {args.size}px in {time.time() - start:.0f}s", flush=True)
    result = {"size": args.size, "probe_test_auroc": shortcut_probe(images, labels, splits)}
    print("probe test AUROC", json.dumps(result["probe_test_auroc"]), flush=True)
    if not args.probe_only:
        test, history = resnet(images, labels, splits, args.epochs, args.batch, args.lr, args.seed)
        result.update({"epochs": args.epochs, "resnet18_test_auroc": test, "resnet18_test_mean": float(np.mean(list(test.values()))), "history": history})
        print("resnet18 test AUROC", json.dumps(test), "mean", result["resnet18_test_mean"], flush=True)
    result["seconds"] = time.time() - start
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
