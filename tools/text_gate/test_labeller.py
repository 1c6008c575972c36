"""The labeller L on hand-picked cases (negation scope, lists, pseudo-negations, exclusions)
and, when the IU reports are there, against the committed hand labels.
Run: python3 -m pytest tools/text_gate  or  python3 tools/text_gate/test_labeller.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from labeller import FAMILIES, label, positives  # noqa: E402

P, N = "positive", "negated"

CASES = [
    ("No focal consolidation, effusion, or pneumothorax.", {"Opacity": N, "Effusion": N, "Pneumothorax": N}),
    ("Heart is not enlarged.", {"Cardiomegaly": N}),
    ("Heart size is normal.", {"Cardiomegaly": N}),
    ("The heart size is upper limits of normal.", {"Cardiomegaly": P}),
    ("Borderline cardiomegaly without acute disease.", {"Cardiomegaly": P}),
    ("Mild cardiomegaly, no effusion.", {"Cardiomegaly": P, "Effusion": N}),
    ("No pneumothorax, small left effusion.", {"Effusion": P, "Pneumothorax": N}),
    ("There is no pneumothorax and the heart is enlarged.", {"Cardiomegaly": P, "Pneumothorax": N}),
    ("No effusion but there is right lower lobe pneumonia.", {"Effusion": N, "Opacity": P}),
    ("Previously seen right effusion has resolved.", {"Effusion": N}),
    ("Interval removal of the right IJ catheter.", {"Device": N}),
    ("No change in moderate cardiomegaly.", {"Cardiomegaly": P}),
    ("Pneumonia cannot be excluded.", {"Opacity": P}),
    ("There is redemonstration without significant interval change of mild subsegmental atelectasis.", {"Atelectasis": P}),
    ("No visualized pneumothorax or large pleural effusion.", {"Pneumothorax": N, "Effusion": N}),
    ("No definite pleural effusion seen, left bronchovascular crowding.", {"Effusion": N, "LowVolumes": P}),
    ("Small pericardial effusion.", {}),
    ("Subcutaneous emphysema of the neck.", {}),
    ("Lungs are hyperexpanded with flattened diaphragms consistent with emphysema.", {"Hyperinflation": P}),
    ("Low lung volumes with bronchovascular crowding.", {"LowVolumes": P}),
    ("Elevated right hemidiaphragm.", {"ElevatedDiaphragm": P}),
    ("Mild dextroscoliosis of the thoracic spine.", {"Scoliosis": P}),
    ("There is increased kyphotic curvature of the thoracic spine.", {}),
    ("Left lower lobe atelectasis or scarring.", {"Atelectasis": P}),
    ("There are no nodules or masses.", {"Nodule": N}),
    ("No non-calcified nodules are identified.", {"Nodule": N}),
    ("There is a 6 mm nodular opacity in the right midlung.", {"Nodule": P}),
    ("Calcified right hilar lymph XXXX.", {"Granuloma": P}),
    ("Calcified right lower lung nodule compatible with histoplasmoma.", {"Granuloma": P}),
    ("Dense nodule in the right lower lobe suggests a previous granulomatous process.", {"Granuloma": P}),
    ("Degenerative changes of the thoracic spine.", {"DegenerativeSpine": P}),
    ("Advanced degenerative joint disease of the shoulders.", {}),
    ("The thoracic aorta is tortuous and calcified.", {"Aorta": P}),
    ("There has been previous aortic valve replacement.", {"Device": P}),
    ("Healed right rib fractures.", {"RibFracture": P}),
    ("No displaced rib fractures.", {"RibFracture": N}),
    ("If there is concern for fracture consider rib series.", {}),
    ("Moderate right-sided hemopneumothorax.", {"Effusion": P, "Pneumothorax": P}),
    ("Pacemaker leads in the right ventricle.", {"Device": P}),
    ("The trachea is midline.", {}),
    ("Retrocardiac density compatible with hiatal hernia.", {"HiatalHernia": P}),
    ("Small ventral hernia.", {}),
    ("Mild pulmonary vascular congestion.", {"Edema": P}),
    ("No edema.", {"Edema": N}),
    ("Bronchovascular crowding without typical findings of pulmonary edema.", {"Edema": N, "LowVolumes": P}),
    ("Subcutaneous edema of the chest wall.", {}),
    ("Cardiomegaly with pulmonary edema, consistent with CHF.", {"Cardiomegaly": P, "Edema": P}),
    ("No acute cardiopulmonary abnormality.", {}),
    ("Normal chest x-XXXX.", {}),
]


def test_cases():
    bad = [(s, label(s), want) for s, want in CASES if label(s) != want]
    assert not bad, "\n".join(f"{s!r}: got {g}, want {w}" for s, g, w in bad)


def test_normal_never_set():
    for s, _ in CASES:
        assert "Normal" not in label(s)


def test_positives_are_families():
    for s, _ in CASES:
        assert positives(s) <= set(FAMILIES)


def test_hand_labels_agreement():
    """L against data/synthcxr/v2/hand_labels.csv (skipped without the IU reports)."""
    import hand_labels as hl
    import iu
    if not os.path.exists(iu.DEFAULT_TGZ) or not os.path.exists(hl.DEFAULT_HAND):
        return
    rows = hl.attach_text(hl.read_hand(hl.DEFAULT_HAND), iu.read_reports(iu.DEFAULT_TGZ))
    assert len(rows) >= 200
    tp = fp = fn = 0
    for t, f, n in hl.agreement(rows, "positive").values():
        tp, fp, fn = tp + t, fp + f, fn + n
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95, (tp, fp, fn)


if __name__ == "__main__":
    n = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
            n += 1
    print(f"{n} passed, 0 failed")
