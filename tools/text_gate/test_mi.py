"""mi.py on tiny made-up reports and manifests whose numbers are worked out by hand, plus the
MeSH mappings. Run: python3 -m pytest tools/text_gate  or  python3 tools/text_gate/test_mi.py"""

import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import iu  # noqa: E402
import mi  # noqa: E402
from mapping import V1_FAMILIES, V2_FAMILIES, families_v1, families_v2, families_v2_renderer  # noqa: E402

XML = """<?xml version="1.0" encoding="utf-8"?>
<eCitation><uId id="{id}"/><Abstract>
<AbstractText Label="FINDINGS">{f}</AbstractText>
<AbstractText Label="IMPRESSION">{i}</AbstractText></Abstract>
<MeSH><major>{mesh}</major></MeSH></eCitation>"""

REPORTS = [
    ("CXR1", "Mild cardiomegaly is present. No pleural effusion or pneumothorax.", "Cardiomegaly.", "Cardiomegaly/mild"),
    ("CXR2", "The lungs are clear. Heart size is normal.", "No acute disease.", "normal"),
    ("CXR3", "Small left pleural effusion. Heart size is normal.", "", "Pleural Effusion/left/small"),
    ("CXR4", "Calcified granuloma in the right lung. Lungs otherwise clear.", "", "Calcified Granuloma/lung/right"),
    ("CXR5", "", "", "normal"),  # no text: left out
]


def _folder():
    d = tempfile.mkdtemp()
    for rid, f, i, mesh in REPORTS:
        with open(os.path.join(d, f"{rid[3:]}.xml"), "w") as fh:
            fh.write(XML.format(id=rid, f=f, i=i, mesh=mesh))
    return d


def _manifest(d, columns, rows):
    path = os.path.join(d, "manifest.csv")
    with open(path, "w") as f:
        f.write("path,report_id,split,seed," + ",".join(columns) + ",findings\n")
        for k, (rid, split, fams) in enumerate(rows):
            f.write(f"images/{rid}_{k}.png,{rid},{split},{k}," + ",".join("1" if c in fams else "0" for c in columns) + ",\n")
    return path


def test_mutual_information_basics():
    one = mi.mutual_information({(0, 0): 1, (1, 1): 1}, 1000)
    assert abs(one["plugin"] - 1.0) < 1e-12
    indep = mi.mutual_information({(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): 1}, 10)
    assert abs(indep["plugin"]) < 1e-12
    # Miller-Madow: 4 occupied cells, 2 + 2 margins: correction (4 - 2 - 2 + 1) / (2 N ln 2)
    assert abs(indep["miller_madow"] + 1 / (2 * 10 * math.log(2))) < 1e-12


def test_v2_manifest_worked_example():
    d = _folder()
    reports = iu.read_reports(d)
    assert [r.id for r in reports] == ["CXR1", "CXR2", "CXR3", "CXR4", "CXR5"]
    m = _manifest(d, V2_FAMILIES, [
        ("CXR1", "train", {"Cardiomegaly"}), ("CXR1", "train", {"Cardiomegaly"}),
        ("CXR2", "train", {"Normal"}), ("CXR2", "train", {"Normal"}),
        ("CXR3", "train", {"Effusion"}), ("CXR3", "train", {"Effusion"}),
        ("CXR4", "val", {"Granuloma"}), ("CXR5", "train", {"Normal"}), ("CXR9", "train", {"Nodule"}),
    ])
    labels, schema = mi.labels_from_manifest(m, "train")
    assert schema == "v2" and labels["CXR1"] == (frozenset({"Cardiomegaly"}), 2)
    res = mi.compute(reports, labels, schema, ["Cardiomegaly", "Effusion"], permutations=3)
    # CXR1: 2 candidates ("Cardiomegaly." has 1 word), one positive; CXR2: 3, none; CXR3: 2, one.
    assert res["reports"] == 3 and res["renderings"] == 6
    assert res["reports_without_text"] == 1 and res["reports_not_in_reports_file"] == 1
    assert abs(res["informative_share"] - 2 / 6) < 1e-12
    assert abs(res["positive_share"] - 2 / 6) < 1e-12
    # Pair weights (F, L): ({C},{C}) 1, ({C},{}) 1, ({},{}) 2, ({E},{E}) 1, ({E},{}) 1, of 6, so
    # I = 2/6 log2 3 + 2/6 log2 3/4 + 1/3 log2 3/2 = log2(3 * 3/4 * 3/2) / 3.
    want = math.log2(3.375) / 3
    assert abs(res["mi_bits"]["joint_plugin"] - want) < 1e-12
    assert abs(res["mi_bits"]["joint_miller_madow"] - want) < 1e-12  # 5 cells = 3 + 3 - 1
    assert abs(res["ceiling_bits"]["joint_plugin"] - want) < 1e-12  # F' = F here
    assert res["gate"]["mi_threshold_bits"] == 0.8 * res["ceiling_bits"]["joint_miller_madow"]


def test_v1_manifest_merges_granuloma_into_nodule():
    d = _folder()
    reports = iu.read_reports(d)
    m = _manifest(d, V1_FAMILIES, [("CXR4", "train", {"Nodule"}), ("CXR2", "train", {"Normal"})])
    labels, schema = mi.labels_from_manifest(m, "train")
    assert schema == "v1"
    res = mi.compute(reports, labels, schema, ["Nodule"], permutations=0)
    # CXR4: 2 candidates, the granuloma sentence is v1's Nodule; CXR2: 3 candidates, none.
    assert abs(res["informative_share"] - (1 / 2) / 2) < 1e-12


def test_min_tokens_and_draws():
    d = _folder()
    reports = iu.read_reports(d)
    labels = {"CXR1": (frozenset({"Cardiomegaly"}), 1)}
    exact = mi.compute(reports, labels, "v2", ["Cardiomegaly"], min_tokens=0, permutations=0)
    assert abs(exact["informative_share"] - 2 / 3) < 1e-12  # "Cardiomegaly." counts too
    drawn = mi.compute(reports, labels, "v2", ["Cardiomegaly"], draws=200, permutations=0)
    assert abs(drawn["informative_share"] - 0.5) < 0.1


def test_mappings():
    assert families_v1(["Infiltrate/lung/left", "Calcinosis/aorta"]) == {"Opacity"}
    assert families_v1(["Calcified Granuloma/lung"]) == {"Nodule"}
    assert families_v2_renderer(["Lung/hypoinflation/mild"]) == {"LowVolumes"}
    assert families_v2_renderer(["Calcinosis/aorta"]) == {"Aorta"}
    assert families_v2_renderer(["Cicatrix/lung/base/left"]) == {"Normal"}
    assert families_v2_renderer(["normal"]) == {"Normal"}
    assert families_v2(["Diaphragm/right/elevated", "Fractures, Bone/ribs/left/healed"]) == {"ElevatedDiaphragm", "RibFracture"}
    assert families_v2(["Calcinosis/lung/hilum/lymph nodes/right"]) == {"Granuloma"}


if __name__ == "__main__":
    n = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
            n += 1
    print(f"{n} passed, 0 failed")
