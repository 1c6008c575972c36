"""Hand labels of IU sentences, and the labeller's agreement with them.

The committed file (data/synthcxr/v2/hand_labels.csv) holds no report text (the IU reports are
CC BY-NC-ND): each row is ``report_id,sentence_index,sha256,stratum,positive,negated`` where
``sentence_index`` indexes split_sentences(Findings + blank line + Impression) of the report
(all sentences, before the 3-word filter), ``sha256`` is the SHA-256 of that sentence's UTF-8
text (checked when the text is read back from the reports), ``stratum`` says how it was drawn,
and ``positive``/``negated`` are the families a person judged the sentence positive/negated
about (``;``-separated, empty for none).

    # 1. draw a sample (text goes to a private file outside the repository, for labelling)
    python3 hand_labels.py sample --seed 17 --random 100 --positive 105 --out /tmp/sample.tsv
    # 2. label it by hand: a file of lines  N<TAB>POSITIVE-CODES<TAB>NEGATED-CODES
    # 3. turn the labels into the committed CSV
    python3 hand_labels.py build --sample /tmp/sample.tsv --labels /tmp/labels.tsv --out HAND.csv
    # 4. agreement of L with the hand labels (per family precision/recall)
    python3 hand_labels.py agree --hand HAND.csv [--reports TGZ] [--stratum held-out] [--show]

Strata: ``random`` (a report uniformly, then one of its sampled sentences uniformly: the pair
distribution), ``L-positive`` (round-robin over the 15 finding families, a sentence the
labeller marked positive for that family, uniformly; the committed sample was drawn over the
15 families before Edema and HiatalHernia were added, and its sentences that name them were
labelled for them by hand then), ``held-out`` (a second random draw with
another seed, labelled after the labeller was last changed).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iu  # noqa: E402
import labeller  # noqa: E402

FINDINGS = [f for f in labeller.FAMILIES if f != "Normal"]

#: Short codes for labelling by hand.
CODES = {
    "C": "Cardiomegaly", "E": "Effusion", "O": "Opacity", "H": "Hyperinflation", "D": "Device",
    "LV": "LowVolumes", "ED": "ElevatedDiaphragm", "S": "Scoliosis", "A": "Atelectasis",
    "N": "Nodule", "G": "Granuloma", "DS": "DegenerativeSpine", "AO": "Aorta",
    "RF": "RibFracture", "P": "Pneumothorax", "EM": "Edema", "HH": "HiatalHernia",
}

DEFAULT_HAND = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                            "synthcxr", "v2", "hand_labels.csv")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sentences(reports):
    """{report_id: sentences}, and the candidate indices, for reports with text."""
    out = {}
    for r in reports:
        s = r.sentences()
        if s:
            out[r.id] = (s, iu.candidates(s))
    return out


def draw(reports, seed: int, n_random: int, n_positive: int, exclude=()):
    """[(stratum, report_id, index, sentence)], no (report, index) twice."""
    rng = random.Random(seed)
    sents = _sentences(reports)
    ids = sorted(sents)
    seen = set(exclude)
    out = []
    while sum(1 for o in out if o[0] == "random") < n_random:
        rid = rng.choice(ids)
        s, cand = sents[rid]
        i = rng.choice(cand)
        if (rid, i) not in seen:
            seen.add((rid, i))
            out.append(("random", rid, i, s[i]))
    if n_positive:
        pools = {f: [] for f in FINDINGS}
        for rid in ids:
            s, cand = sents[rid]
            for i in cand:
                for f in labeller.positives(s[i]):
                    if f in pools:
                        pools[f].append((rid, i))
        k = 0
        while sum(1 for o in out if o[0] == "L-positive") < n_positive:
            f = FINDINGS[k % len(FINDINGS)]
            k += 1
            pool = [p for p in pools[f] if p not in seen]
            if not pool:
                continue
            rid, i = rng.choice(pool)
            seen.add((rid, i))
            out.append(("L-positive", rid, i, sents[rid][0][i]))
    rng.shuffle(out)  # so that the labeller's stratum is not visible from the order
    return out


def _codes(field: str) -> list[str]:
    out = []
    for c in field.replace(",", " ").split():
        c = c.strip()
        if c in CODES:
            out.append(CODES[c])
        elif c in FINDINGS:
            out.append(c)
        elif c not in ("-", ""):
            raise ValueError(f"unknown family code {c!r}")
    return sorted(set(out), key=FINDINGS.index)


def read_hand(path: str):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["sentence_index"] = int(r["sentence_index"])
        r["positive"] = set(filter(None, r["positive"].split(";")))
        r["negated"] = set(filter(None, r["negated"].split(";")))
    return rows


def attach_text(rows, reports):
    """Adds each row's sentence, checking its SHA-256."""
    sents = {r.id: r.sentences() for r in reports}
    for row in rows:
        s = sents[row["report_id"]][row["sentence_index"]]
        if sha(s) != row["sha256"]:
            raise SystemExit(f"sha256 mismatch for {row['report_id']}#{row['sentence_index']}: "
                             "the reports or the splitter changed")
        row["text"] = s
    return rows


def agreement(rows, state: str = "positive"):
    """{family: (tp, fp, fn)} of L against the hand labels, for ``state`` (positive/negated)."""
    out = {}
    for f in FINDINGS:
        tp = fp = fn = 0
        for r in rows:
            lab = labeller.label(r["text"]).get(f)
            pred = lab == state
            truth = f in r[state]
            tp += pred and truth
            fp += pred and not truth
            fn += truth and not pred
        out[f] = (tp, fp, fn)
    return out


def _pr(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r


def agreement_table(rows, state="positive") -> str:
    ag = agreement(rows, state)
    lines = [f"{'family':<18} {'hand+':>5} {'L+':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}"]
    T = [0, 0, 0]
    for f, (tp, fp, fn) in ag.items():
        p, r = _pr(tp, fp, fn)
        T = [T[0] + tp, T[1] + fp, T[2] + fn]
        lines.append(f"{f:<18} {tp + fn:>5} {tp + fp:>4} {tp:>4} {fp:>4} {fn:>4} {p:>6.2f} {r:>6.2f}")
    p, r = _pr(*T)
    lines.append(f"{'micro (all)':<18} {T[0] + T[2]:>5} {T[0] + T[1]:>4} {T[0]:>4} {T[1]:>4} {T[2]:>4} {p:>6.2f} {r:>6.2f}")
    exact = sum(labeller.positives(r["text"]) & set(FINDINGS) == r["positive"] for r in rows) if state == "positive" else \
        sum(labeller.negated(r["text"]) == r["negated"] for r in rows)
    lines.append(f"sentences whose whole {state} set agrees: {exact}/{len(rows)}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("sample")
    a.add_argument("--reports", default=iu.DEFAULT_TGZ)
    a.add_argument("--seed", type=int, default=17)
    a.add_argument("--random", type=int, default=100)
    a.add_argument("--positive", type=int, default=105)
    a.add_argument("--exclude", help="a hand-label CSV whose sentences are not drawn again")
    a.add_argument("--stratum", default=None, help="rename the random stratum (e.g. held-out)")
    a.add_argument("--out", required=True)
    b = sub.add_parser("build")
    b.add_argument("--sample", required=True)
    b.add_argument("--labels", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--append", action="store_true")
    c = sub.add_parser("agree")
    c.add_argument("--reports", default=iu.DEFAULT_TGZ)
    c.add_argument("--hand", default=DEFAULT_HAND)
    c.add_argument("--stratum", action="append", help="only these strata (repeatable)")
    c.add_argument("--show", action="store_true", help="print the disagreements (with text)")
    args = ap.parse_args(argv)

    if args.cmd == "sample":
        reports = iu.read_reports(args.reports)
        excl = set()
        if args.exclude:
            excl = {(r["report_id"], r["sentence_index"]) for r in read_hand(args.exclude)}
        rows = draw(reports, args.seed, args.random, args.positive, excl)
        with open(args.out, "w") as f:
            for n, (stratum, rid, i, s) in enumerate(rows):
                if args.stratum and stratum == "random":
                    stratum = args.stratum
                f.write(f"{n}\t{stratum}\t{rid}\t{i}\t{s}\n")
        print(f"{len(rows)} sentences -> {args.out}")
    elif args.cmd == "build":
        sample = {}
        for line in open(args.sample):
            n, stratum, rid, i, s = line.rstrip("\n").split("\t", 4)
            sample[n] = (stratum, rid, int(i), s)
        labels = {}
        for line in open(args.labels):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (3 - len(parts))
            labels[parts[0].strip()] = (_codes(parts[1]), _codes(parts[2]))
        missing = sorted(set(sample) - set(labels), key=int)
        if missing:
            raise SystemExit(f"no labels for sample rows {missing[:20]}")
        mode = "a" if args.append and os.path.exists(args.out) else "w"
        with open(args.out, mode, newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            if mode == "w":
                w.writerow(["report_id", "sentence_index", "sha256", "stratum", "positive", "negated"])
            for n in sorted(sample, key=int):
                stratum, rid, i, s = sample[n]
                pos, neg = labels[n]
                w.writerow([rid, i, sha(s), stratum, ";".join(pos), ";".join(neg)])
        print(f"{len(sample)} rows -> {args.out}")
    elif args.cmd == "agree":
        rows = attach_text(read_hand(args.hand), iu.read_reports(args.reports))
        if args.stratum:
            rows = [r for r in rows if r["stratum"] in args.stratum]
        print(f"{len(rows)} hand-labelled sentences"
              + (f" (strata {', '.join(args.stratum)})" if args.stratum else ""))
        print("\nPOSITIVE (the L(s) of mi.py)\n" + agreement_table(rows, "positive"))
        print("\nNEGATED\n" + agreement_table(rows, "negated"))
        if args.show:
            print("\nDISAGREEMENTS (positive sets)")
            for r in rows:
                lp = set(labeller.positives(r["text"]))
                if lp != r["positive"]:
                    print(f"  {r['report_id']}#{r['sentence_index']} hand={sorted(r['positive'])} L={sorted(lp)} | {r['text']}")


if __name__ == "__main__":
    main()
