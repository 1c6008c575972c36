"""Gate 4 (text) of SynthCXR v2: how much a training pair's sentence tells about its image.

A SynthCXR ``pairs`` example is one rendering of an IU report paired with ONE sentence drawn
uniformly from the report's Findings + Impression (the ``SentenceSampler`` of
convirt-text-sampler: sentences of at least 3 words, or all if none has). For the training
split this computes, exactly (every candidate sentence of a report enumerated with weight
1/#candidates, every rendering of the report weighted 1):

* **informative pairs**: the share of pairs whose sentence L marks positive for a scored family
  that the image renders (L(s) ∩ F ≠ ∅); also over all rendered finding families
  (``informative_share_any_rendered``), and the share whose sentence is positive for any scored
  family at all (``positive_share``);
* **I(F; L(s))**, bits per pair: F = the set of scored families the image renders (its joint
  configuration), L(s) = the set of scored families the sentence is positive for. Plug-in
  estimate from the exact pair weights, and Miller–Madow corrected,
  I_MM = I_plugin − (m_FL − m_F − m_L + 1) / (2 N ln 2), with m the number of occupied bins and
  N the number of training reports (all renderings of a report share F and its sentences, so
  the reports are the independent draws). ``per_family_sum`` is Σ_f I(F_f; L_f(s)), each term
  corrected the same way;
* **the ceiling**: the same MI with F replaced by F' = the union of L over the report's
  candidate sentences: what the text could at best tell if every stated finding were rendered;
* **the gate**: I_MM ≥ 0.8 bits/pair, or ≥ 80% of the ceiling when the ceiling is below 0.8 bits;
  and informative pairs ≥ 25%.

F comes from a manifest's label columns (``--manifest``; v1's 7 columns or v2's 16 are
recognised) or, without one, from the reports' MeSH terms: v1's mapping (exact: it is what the
v1 generator labels) or a provisional v2 mapping (mapping.py). The v1 numbers are always
computed too, as the reference (``--no-reference`` skips them).

    python3 tools/text_gate/mi.py --reports ~/.cache/convirt/assets/iu/NLMCXR_reports.tgz \\
        --manifest ~/.cache/convirt/synthcxr-v2/pairs/manifest.csv --scored Cardiomegaly,... \\
        --json /tmp/gate4.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iu  # noqa: E402
import labeller  # noqa: E402
from mapping import (V1_FAMILIES, V1_SCORED, V2_FAMILIES, V2_SCORED_DEFAULT,  # noqa: E402
                     families_v1, families_v2, families_v2_renderer)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPLIT_FILE = os.path.join(ROOT, "data", "synthcxr", "iu_split.csv")

GATE_MI_BITS = 0.8
GATE_CEILING_FRACTION = 0.8
GATE_INFORMATIVE = 0.25
#: What issue 17 measured for v1 (for the report's comparison column).
ISSUE_V1 = {"mi_bits_per_pair": 0.15, "informative_any_rendered": 0.097,
            "informative_visible_32_64px": 0.03}

LN2 = math.log(2)


# ---------------------------------------------------------------------------------------------
# information


def entropy_nats(weights) -> float:
    total = sum(weights)
    return -sum(w / total * math.log(w / total) for w in weights if w > 0) if total > 0 else 0.0


def mutual_information(joint: dict, n: int) -> dict:
    """I(X;Y) of a weighted joint {(x, y): weight}: plug-in and Miller–Madow (N = ``n``), bits."""
    px, py = Counter(), Counter()
    for (x, y), w in joint.items():
        if w > 0:
            px[x] += w
            py[y] += w
    hx, hy = entropy_nats(px.values()), entropy_nats(py.values())
    hxy = entropy_nats([w for w in joint.values() if w > 0])
    mx, my, mxy = len(px), len(py), sum(1 for w in joint.values() if w > 0)
    plugin = (hx + hy - hxy) / LN2
    correction = (mxy - mx - my + 1) / (2 * n) / LN2 if n else 0.0
    return {
        "plugin": plugin,
        "miller_madow": plugin - correction,
        "H_x": hx / LN2, "H_y": hy / LN2, "H_xy": hxy / LN2,
        "H_x_mm": (hx + (mx - 1) / (2 * n)) / LN2 if n else hx / LN2,
        "H_y_mm": (hy + (my - 1) / (2 * n)) / LN2 if n else hy / LN2,
        "bins_x": mx, "bins_y": my, "bins_xy": mxy,
    }


# ---------------------------------------------------------------------------------------------
# inputs


def read_split(path: str = SPLIT_FILE) -> dict:
    with open(path, newline="") as f:
        return {r["report_id"]: r["split"] for r in csv.DictReader(f)}


def labels_from_manifest(path: str, split: str):
    """({report_id: (families, renderings)}, schema, columns) from a manifest's train rows."""
    if os.path.isdir(path):
        path = os.path.join(path, "manifest.csv")
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        cols = reader.fieldnames or []
        # v2 manifests before renderer version 11 lack Edema and HiatalHernia.
        if all(c in cols for c in V2_FAMILIES[:16]):
            schema, fams = "v2", [c for c in V2_FAMILIES if c in cols]
        elif all(c in cols for c in V1_FAMILIES):
            schema, fams = "v1", V1_FAMILIES
        else:
            raise SystemExit(f"{path}: neither the v1 nor the v2 family columns ({cols})")
        for c in ("report_id", "split"):
            if c not in cols:
                raise SystemExit(f"{path}: no {c} column")
        out: dict = {}
        conflicts = 0
        for row in reader:
            if row["split"] != split or not row["report_id"]:
                continue
            fs = frozenset(c for c in fams if row[c].strip() == "1")
            rid = row["report_id"]
            if rid in out:
                prev, n = out[rid]
                conflicts += prev != fs
                out[rid] = (prev | fs, n + 1)
            else:
                out[rid] = (fs, 1)
    if conflicts:
        print(f"warning: {conflicts} renderings disagree with their report's other renderings "
              "(their labels are merged by union)", file=sys.stderr)
    return out, schema


MESH_MAPPINGS = {"v1": families_v1, "v2": families_v2_renderer, "v2-own": families_v2}


def labels_from_mesh(reports, mapping: str, split: str, split_file: str = SPLIT_FILE):
    """{report_id: (families, 1)} of one split, F from the MeSH terms by ``mapping``."""
    splits = read_split(split_file)
    fn = MESH_MAPPINGS[mapping]
    return {r.id: (frozenset(fn(r.mesh)), 1) for r in reports if splits.get(r.id, "train") == split}


# ---------------------------------------------------------------------------------------------
# the statistics


def text_families(sentence: str, schema: str) -> frozenset:
    """L(s) in the schema's families: v1's Nodule also covers v2's Granuloma (v1 maps Calcified
    Granuloma and Granulomatous Disease to Nodule)."""
    pos = set(labeller.positives(sentence))
    if schema == "v1" and "Granuloma" in pos:
        pos.discard("Granuloma")
        pos.add("Nodule")
    return frozenset(pos)


def _records(reports, labels, schema, min_tokens, draws, seed, prefer_positive=False):
    """Per training report with text: (report_id, families, renderings, [(L_all, weight)]).
    Weights: renderings / #candidates per candidate sentence (exact), or renderings per draw."""
    by_id = {r.id: r for r in reports}
    rng = random.Random(seed)
    out, no_text = [], 0
    for rid in sorted(labels):
        if rid not in by_id:
            continue
        fams, n_render = labels[rid]
        sentences = by_id[rid].sentences()
        if not sentences:
            no_text += 1
            continue
        cand = iu.candidates(sentences, min_tokens)
        texts = {i: text_families(sentences[i], schema) for i in cand}
        if prefer_positive:  # what-if: only sentences L marks positive, when the report has one
            pos = [i for i in cand if texts[i] - {"Normal"}]
            cand = pos or cand
        if draws:
            picks = Counter(rng.choice(cand) for _ in range(draws))
            items = [(texts[i], n_render * k) for i, k in picks.items()]
        else:
            items = [(texts[i], n_render / len(cand)) for i in cand]
        out.append((rid, fams, n_render, items))
    missing = sum(1 for rid in labels if rid not in by_id)
    return out, no_text, missing


def _mi_of(records, Fs, scored, scored_set, n_mm):
    """(joint MI dict, {family: MI dict}) for the records with F taken from ``Fs``."""
    joint = Counter()
    fam = {f: Counter() for f in scored}
    for (_, _, _, items), F in zip(records, Fs):
        for Lall, w in items:
            L = Lall & scored_set
            joint[(F, L)] += w
            for f in scored:
                fam[f][(f in F, f in L)] += w
    return mutual_information(joint, n_mm), {f: mutual_information(c, n_mm) for f, c in fam.items()}


def compute(reports, labels: dict, schema: str, scored: list, min_tokens: int = 3,
            draws: int = 0, seed: int = 17, permutations: int = 20, prefer_positive: bool = False) -> dict:
    """All statistics for one manifest (``labels``: {report_id: (families, renderings)})."""
    families = V1_FAMILIES if schema == "v1" else V2_FAMILIES
    bad = [f for f in scored if f not in families]
    if bad:
        raise SystemExit(f"--scored {bad} not in the {schema} families {families}")
    scored_set = frozenset(scored)
    findings = frozenset(f for f in families if f != "Normal")
    records, no_text, missing = _records(reports, labels, schema, min_tokens, draws, seed, prefer_positive)
    n_reports = len(records)
    renderings = sum(r[2] for r in records)
    n_mm = n_reports * draws if draws else n_reports

    total = informative = informative_any = positive = 0.0
    per = {f: Counter() for f in families if f != "Normal"}
    Fs, Fps = [], []
    for _, fams, _, items in records:
        F = fams & scored_set
        Fs.append(F)
        Fps.append(frozenset().union(*(Lall & scored_set for Lall, _ in items)))
        for Lall, w in items:
            L = Lall & scored_set
            total += w
            informative += w * bool(L & F)
            informative_any += w * bool(Lall & fams & findings)
            positive += w * bool(L)
            for f in per:
                r, t = f in fams, f in Lall
                per[f]["rendered"] += w * r
                per[f]["text"] += w * t
                per[f]["both"] += w * (r and t)
    mi, fam_mi = _mi_of(records, Fs, scored, scored_set, n_mm)
    ceil, fam_ceil = _mi_of(records, Fps, scored, scored_set, n_mm)
    # The null: F shuffled across the reports (no link to the text), to see what is left of the
    # estimators' bias after the correction.
    rng = random.Random(seed + 1)
    null_joint, null_fam, null_ceil = [], [], []
    for _ in range(permutations):
        order = list(range(len(Fs)))
        rng.shuffle(order)
        a, b = _mi_of(records, [Fs[i] for i in order], scored, scored_set, n_mm)
        null_joint.append((a["plugin"], a["miller_madow"]))
        null_fam.append((sum(v["plugin"] for v in b.values()), sum(v["miller_madow"] for v in b.values())))
        c, _ = _mi_of(records, [Fps[i] for i in order], scored, scored_set, n_mm)
        null_ceil.append((c["plugin"], c["miller_madow"]))

    def mean(xs):
        return sum(xs) / len(xs) if xs else None

    mi_mm, ceil_mm = mi["miller_madow"], ceil["miller_madow"]
    threshold = GATE_MI_BITS if ceil_mm >= GATE_MI_BITS else GATE_CEILING_FRACTION * ceil_mm
    inf_share = informative / total if total else 0.0
    per_family = {}
    for f, c in per.items():
        per_family[f] = {
            "scored": f in scored_set,
            "rendered_share": c["rendered"] / total if total else 0.0,
            "text_positive_share": c["text"] / total if total else 0.0,
            "informative_share": c["both"] / total if total else 0.0,
            "p_text_given_rendered": c["both"] / c["rendered"] if c["rendered"] else None,
            "p_rendered_given_text": c["both"] / c["text"] if c["text"] else None,
        }
        if f in fam_mi:
            per_family[f]["mi_bits_miller_madow"] = fam_mi[f]["miller_madow"]
            per_family[f]["mi_bits_plugin"] = fam_mi[f]["plugin"]
            per_family[f]["ceiling_bits_miller_madow"] = fam_ceil[f]["miller_madow"]
    return {
        "schema": schema,
        "scored": list(scored),
        "min_tokens": min_tokens,
        "sampler": "prefer-positive what-if" if prefer_positive else "uniform over the candidate sentences",
        "estimator": (f"{draws} sentences drawn per report (seed {seed}), Miller-Madow N = {n_mm}"
                      if draws else f"exact enumeration, Miller-Madow N = {n_mm} reports"),
        "reports": n_reports,
        "renderings": renderings,
        "reports_without_text": no_text,
        "reports_not_in_reports_file": missing,
        "informative_share": inf_share,
        "informative_share_any_rendered": informative_any / total if total else 0.0,
        "positive_share": positive / total if total else 0.0,
        "mi_bits": {
            "joint_plugin": mi["plugin"], "joint_miller_madow": mi_mm,
            "per_family_sum_plugin": sum(v["plugin"] for v in fam_mi.values()),
            "per_family_sum_miller_madow": sum(v["miller_madow"] for v in fam_mi.values()),
        },
        "ceiling_bits": {
            "joint_plugin": ceil["plugin"], "joint_miller_madow": ceil_mm,
            "per_family_sum_plugin": sum(v["plugin"] for v in fam_ceil.values()),
            "per_family_sum_miller_madow": sum(v["miller_madow"] for v in fam_ceil.values()),
        },
        "null_shuffled_F_bits": {
            "permutations": permutations,
            "joint_plugin_mean": mean([a for a, _ in null_joint]),
            "joint_miller_madow_mean": mean([b for _, b in null_joint]),
            "per_family_sum_plugin_mean": mean([a for a, _ in null_fam]),
            "per_family_sum_miller_madow_mean": mean([b for _, b in null_fam]),
            "ceiling_joint_plugin_mean": mean([a for a, _ in null_ceil]),
            "ceiling_joint_miller_madow_mean": mean([b for _, b in null_ceil]),
        },
        # plug-in minus the shuffled-F plug-in mean: a second bias correction, for comparison
        "permutation_corrected_bits": {
            "joint": mi["plugin"] - mean([a for a, _ in null_joint]) if permutations else None,
            "ceiling_joint": ceil["plugin"] - mean([a for a, _ in null_ceil]) if permutations else None,
        },
        "fraction_of_ceiling": mi_mm / ceil_mm if ceil_mm > 0 else None,
        "entropy_bits": {"F": mi["H_x"], "L": mi["H_y"], "F_ceiling": ceil["H_x"],
                         "F_mm": mi["H_x_mm"], "L_mm": mi["H_y_mm"]},
        "bins": {"F": mi["bins_x"], "L": mi["bins_y"], "FL": mi["bins_xy"],
                 "F_ceiling": ceil["bins_x"], "F_ceiling_L": ceil["bins_xy"]},
        "per_family": per_family,
        "gate": {
            "mi_threshold_bits": threshold,
            "mi_rule": (f"I >= {GATE_MI_BITS} bits" if ceil_mm >= GATE_MI_BITS
                        else f"I >= {GATE_CEILING_FRACTION:.0%} of the ceiling ({ceil_mm:.3f} bits)"),
            "mi_pass": mi_mm >= threshold,
            "informative_threshold": GATE_INFORMATIVE,
            "informative_pass": inf_share >= GATE_INFORMATIVE,
            "pass": mi_mm >= threshold and inf_share >= GATE_INFORMATIVE,
        },
    }


# ---------------------------------------------------------------------------------------------
# output


CEIL_LABEL = "ceiling I(F'; L(s)), Miller-Madow"
H_LABEL = "H(F), H(L(s)), H(F') bits"


def table(res: dict, title: str) -> str:
    g, m, c, n = res["gate"], res["mi_bits"], res["ceiling_bits"], res["null_shuffled_F_bits"]
    pc = res["permutation_corrected_bits"]
    L = [f"== {title}",
         f"   schema {res['schema']}, scored: {', '.join(res['scored'])}; sampler: {res['sampler']}",
         f"   {res['reports']} training reports with text ({res['renderings']} renderings; "
         f"{res['reports_without_text']} without text left out), {res['estimator']}",
         "",
         f"   {'measure':<48} {'value':>9}   gate",
         f"   {'informative pairs (L(s) ∩ F ≠ ∅, scored)':<48} {res['informative_share']:>8.1%}   "
         f">= {GATE_INFORMATIVE:.0%}: {'PASS' if g['informative_pass'] else 'fail'}",
         f"   {'informative pairs, any rendered finding':<48} {res['informative_share_any_rendered']:>8.1%}",
         f"   {'pairs whose sentence is positive (scored)':<48} {res['positive_share']:>8.1%}",
         f"   {'I(F; L(s)) bits/pair, Miller-Madow':<48} {m['joint_miller_madow']:>9.3f}   "
         f"{g['mi_rule']}: {'PASS' if g['mi_pass'] else 'fail'}",
         f"   {'I(F; L(s)) bits/pair, plug-in':<48} {m['joint_plugin']:>9.3f}",
         f"   {'sum_f I(F_f; L_f(s)), Miller-Madow':<48} {m['per_family_sum_miller_madow']:>9.3f}",
         f"   {CEIL_LABEL:<48} {c['joint_miller_madow']:>9.3f}",
         f"   {'ceiling sum_f, Miller-Madow':<48} {c['per_family_sum_miller_madow']:>9.3f}",
         f"   {'fraction of the ceiling':<48} {res['fraction_of_ceiling'] or 0:>8.1%}",
         f"   {'null (F shuffled) joint MM / plug-in, mean':<48} {n['joint_miller_madow_mean'] or 0:>9.3f} / "
         f"{n['joint_plugin_mean'] or 0:.3f}",
         f"   {'joint, plug-in minus null: I / ceiling':<48} {pc['joint'] or 0:>9.3f} / {pc['ceiling_joint'] or 0:.3f}",
         f"   {'null (F shuffled) sum_f MM / plug-in, mean':<48} {n['per_family_sum_miller_madow_mean'] or 0:>9.3f} / "
         f"{n['per_family_sum_plugin_mean'] or 0:.3f}",
         f"   {H_LABEL:<48} {res['entropy_bits']['F']:.3f}, {res['entropy_bits']['L']:.3f}, "
         f"{res['entropy_bits']['F_ceiling']:.3f}",
         f"   {'GATE':<48} {'PASS' if g['pass'] else 'FAIL':>9}",
         "",
         f"   {'family':<18} {'rendered':>8} {'text+':>7} {'both':>7} {'P(t|r)':>7} {'P(r|t)':>7} {'I bits':>7}"]
    for f, v in res["per_family"].items():
        pt = "-" if v["p_text_given_rendered"] is None else f"{v['p_text_given_rendered']:.2f}"
        pr = "-" if v["p_rendered_given_text"] is None else f"{v['p_rendered_given_text']:.2f}"
        mi = f"{v['mi_bits_miller_madow']:.3f}" if "mi_bits_miller_madow" in v else "  (not scored)"
        L.append(f"   {f:<18} {v['rendered_share']:>8.1%} {v['text_positive_share']:>7.1%} "
                 f"{v['informative_share']:>7.1%} {pt:>7} {pr:>7} {mi:>7}")
    return "\n".join(L)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", default=iu.DEFAULT_TGZ, help="NLMCXR_reports.tgz or a folder of its XML")
    ap.add_argument("--manifest", help="a pairs manifest.csv (or its folder); without it F comes from MeSH")
    ap.add_argument("--schema", choices=sorted(MESH_MAPPINGS), default="v2",
                    help="without --manifest, the MeSH mapping: v1 (exact), v2 (snapshot of the v2 "
                    "renderer's mapping, provisional), v2-own (this tool's own, provisional); "
                    "with --manifest the schema is detected")
    ap.add_argument("--scored", help="comma-separated scored families (default: v2 all but Normal and "
                    "Pneumothorax; v1 Cardiomegaly,Effusion,Opacity,Atelectasis,Nodule)")
    ap.add_argument("--split", default="train")
    ap.add_argument("--split-file", default=SPLIT_FILE, help="report_id,split (MeSH mode only)")
    ap.add_argument("--min-tokens", type=int, default=3, help="SentenceSampler's filter (default 3)")
    ap.add_argument("--draws", type=int, default=0,
                    help="draw this many sentences per report (seeded) instead of enumerating")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--permutations", type=int, default=20, help="shuffled-F null runs (0: none)")
    ap.add_argument("--prefer-positive", action="store_true",
                    help="what-if: sample only sentences L marks positive, when a report has one")
    ap.add_argument("--no-reference", action="store_true", help="skip the v1 reference numbers")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)

    reports = iu.read_reports(args.reports)
    if args.manifest:
        labels, schema = labels_from_manifest(args.manifest, args.split)
        source = "manifest"
    else:
        schema = "v1" if args.schema == "v1" else "v2"
        labels = labels_from_mesh(reports, args.schema, args.split, args.split_file)
        source = {"v1": "mesh (v1's mapping = the v1 manifest's labels)",
                  "v2": "mesh-provisional (snapshot of the v2 renderer's mapping)",
                  "v2-own": "mesh-provisional (text_gate's own v2 mapping)"}[args.schema]
    default_scored = V1_SCORED if schema == "v1" else V2_SCORED_DEFAULT
    scored = [s.strip() for s in args.scored.split(",")] if args.scored else default_scored
    res = compute(reports, labels, schema, scored, args.min_tokens, args.draws, args.seed,
                  args.permutations, args.prefer_positive)
    res["source"] = source
    res["manifest"] = args.manifest
    res["split"] = args.split
    title = f"{schema} ({source}{': ' + args.manifest if args.manifest else ''})"
    print(table(res, title))
    out = {"result": res, "issue_v1": ISSUE_V1,
           "gate": {"mi_bits": GATE_MI_BITS, "ceiling_fraction": GATE_CEILING_FRACTION,
                    "informative": GATE_INFORMATIVE}}
    if not args.no_reference and not (schema == "v1" and not args.manifest):
        ref = compute(reports, labels_from_mesh(reports, "v1", args.split, args.split_file), "v1",
                      V1_SCORED, args.min_tokens, args.draws, args.seed, args.permutations,
                      args.prefer_positive)
        ref["source"] = "mesh (v1's own mapping: the v1 manifest's labels)"
        out["v1_reference"] = ref
        print()
        print(table(ref, "v1 reference (MeSH = v1 manifest labels)"))
    print()
    print(f"issue 17's v1 figures: ~{ISSUE_V1['mi_bits_per_pair']} bits/pair, "
          f"{ISSUE_V1['informative_any_rendered']:.1%} informative (any rendered finding), "
          f"~{ISSUE_V1['informative_visible_32_64px']:.0%} for findings visible at 32-64 px")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2, sort_keys=False, default=list)
            f.write("\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
