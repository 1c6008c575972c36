"""Which families an IU report's image renders, from its MeSH <major> terms, when no manifest
is given.

``families_v1`` is SynthCXR v1 exactly (crates/convirt-data/src/synth/family.rs,
``Family::from_descriptor``/``families_from_mesh``): the descriptor alone decides.

``families_v2_renderer`` mirrors, as a snapshot, the v2 renderer's work-in-progress mapping
(crates/convirt-data/src/synth/v2/family.rs ``Family::from_term``; the v2 manifest's labels are
the families it draws, ``Normal`` when none). It is the default of ``mi.py --schema v2`` until
the v2 manifest exists; if the Rust mapping changes, the manifest (``--manifest``) is the truth.

``families_v2`` (``mi.py --schema v2-own``) is this tool's own PROVISIONAL mapping, written
independently before the renderer's was readable. Both are stand-ins: with ``mi.py --manifest``
the labels come from the manifest instead. Its rules (descriptor, and for some a qualifier;
case-insensitive):

| family | MeSH terms |
|---|---|
| Normal | ``normal`` |
| Cardiomegaly | ``Cardiomegaly``; ``Cardiac Shadow`` /enlarged or /borderline |
| Effusion | ``Pleural Effusion``; ``Costophrenic Angle`` /blunted; ``Hydropneumothorax``, ``Hemothorax``, ``Hemopneumothorax`` |
| Opacity | ``Opacity``, ``Airspace Disease``, ``Consolidation``, ``Infiltrate``, ``Pneumonia`` (as v1) |
| Hyperinflation | ``Lung`` /hyperdistention; ``Emphysema``, ``Pulmonary Emphysema``, ``Bullous Emphysema``, ``Pulmonary Disease, Chronic Obstructive``, ``Lung, Hyperlucent``; ``Diaphragm`` /flattened |
| Device | ``Catheters, Indwelling``, ``Implanted Medical Device``, ``Surgical Instruments``, ``Tube, Inserted``, ``Medical Device``, ``Stents``, ``Sutures``, ``Spinal Fusion`` |
| LowVolumes | ``Lung`` /hypoinflation |
| ElevatedDiaphragm | ``Diaphragm`` /elevated; ``Diaphragmatic Eventration`` |
| Scoliosis | ``Scoliosis`` |
| Atelectasis | ``Pulmonary Atelectasis`` |
| Nodule | ``Nodule``, ``Mass`` |
| Granuloma | ``Calcified Granuloma``, ``Granulomatous Disease``, ``Granuloma``; ``Calcinosis`` /lung, /lymph nodes, /hilum, /mediastinum (not /aorta) |
| DegenerativeSpine | ``Thoracic Vertebrae``, ``Spine``, ``Lumbar Vertebrae``, ``Cervical Vertebrae`` /degenerative; ``Osteophyte``, ``Spondylosis``, ``Hyperostosis, Diffuse Idiopathic Skeletal`` |
| Aorta | ``Aorta``, ``Aorta, Thoracic`` (any qualifier); ``Atherosclerosis`` (none or /aorta); ``Calcinosis`` /aorta; ``Aortic Aneurysm`` |
| RibFracture | ``Fractures, Bone`` /ribs |
| Pneumothorax | ``Pneumothorax``, ``Hydropneumothorax``, ``Hemopneumothorax`` |
| Edema | ``Pulmonary Congestion``, ``Pulmonary Edema`` |
| HiatalHernia | ``Hernia, Hiatal`` |
"""

from __future__ import annotations

V1_FAMILIES = ["Normal", "Cardiomegaly", "Effusion", "Opacity", "Atelectasis", "Nodule", "Pneumothorax"]
V1_SCORED = ["Cardiomegaly", "Effusion", "Opacity", "Atelectasis", "Nodule"]

V2_FAMILIES = [
    "Normal", "Cardiomegaly", "Effusion", "Opacity", "Hyperinflation", "Device", "LowVolumes",
    "ElevatedDiaphragm", "Scoliosis", "Atelectasis", "Nodule", "Granuloma", "DegenerativeSpine",
    "Aorta", "RibFracture", "Pneumothorax", "Edema", "HiatalHernia",
]
V2_SCORED_DEFAULT = [f for f in V2_FAMILIES if f not in ("Normal", "Pneumothorax")]

_V1_TABLE = {
    "normal": "Normal", "cardiomegaly": "Cardiomegaly", "pleural effusion": "Effusion",
    "opacity": "Opacity", "airspace disease": "Opacity", "consolidation": "Opacity",
    "infiltrate": "Opacity", "pneumonia": "Opacity", "pulmonary atelectasis": "Atelectasis",
    "nodule": "Nodule", "mass": "Nodule", "calcified granuloma": "Nodule",
    "granulomatous disease": "Nodule", "pneumothorax": "Pneumothorax",
}


def _split(term: str):
    parts = [p.strip() for p in term.strip().split("/")]
    return parts[0].lower(), [q.lower() for q in parts[1:] if q]


def families_v1(mesh: list[str]) -> set[str]:
    return {_V1_TABLE[d] for d, _ in map(_split, mesh) if d in _V1_TABLE}


_V2_PLAIN = {
    "normal": "Normal",
    "cardiomegaly": "Cardiomegaly",
    "pleural effusion": "Effusion", "hemothorax": "Effusion",
    "opacity": "Opacity", "airspace disease": "Opacity", "consolidation": "Opacity",
    "infiltrate": "Opacity", "pneumonia": "Opacity",
    "emphysema": "Hyperinflation", "pulmonary emphysema": "Hyperinflation",
    "bullous emphysema": "Hyperinflation", "pulmonary disease, chronic obstructive": "Hyperinflation",
    "lung, hyperlucent": "Hyperinflation",
    "catheters, indwelling": "Device", "implanted medical device": "Device",
    "surgical instruments": "Device", "tube, inserted": "Device", "medical device": "Device",
    "stents": "Device", "sutures": "Device", "spinal fusion": "Device",
    "diaphragmatic eventration": "ElevatedDiaphragm",
    "scoliosis": "Scoliosis",
    "pulmonary atelectasis": "Atelectasis",
    "nodule": "Nodule", "mass": "Nodule",
    "calcified granuloma": "Granuloma", "granulomatous disease": "Granuloma", "granuloma": "Granuloma",
    "osteophyte": "DegenerativeSpine", "spondylosis": "DegenerativeSpine",
    "hyperostosis, diffuse idiopathic skeletal": "DegenerativeSpine",
    "aorta": "Aorta", "aorta, thoracic": "Aorta", "aortic aneurysm": "Aorta",
    "pneumothorax": "Pneumothorax",
    "pulmonary congestion": "Edema", "pulmonary edema": "Edema",
    "hernia, hiatal": "HiatalHernia",
}
_SPINE = {"thoracic vertebrae", "spine", "lumbar vertebrae", "cervical vertebrae"}


def families_v2(mesh: list[str]) -> set[str]:
    """The PROVISIONAL v2 mapping (see the module docs)."""
    out: set[str] = set()
    for term in mesh:
        d, q = _split(term)
        if d in _V2_PLAIN:
            out.add(_V2_PLAIN[d])
        if d in ("hydropneumothorax", "hemopneumothorax"):
            out.update(("Effusion", "Pneumothorax"))
        elif d == "cardiac shadow" and ("enlarged" in q or "borderline" in q):
            out.add("Cardiomegaly")
        elif d == "costophrenic angle" and "blunted" in q:
            out.add("Effusion")
        elif d == "lung" and "hyperdistention" in q:
            out.add("Hyperinflation")
        elif d == "lung" and "hypoinflation" in q:
            out.add("LowVolumes")
        elif d == "diaphragm" and "flattened" in q:
            out.add("Hyperinflation")
        elif d == "diaphragm" and "elevated" in q:
            out.add("ElevatedDiaphragm")
        elif d in _SPINE and "degenerative" in q:
            out.add("DegenerativeSpine")
        elif d == "atherosclerosis" and (not q or any(x.startswith("aorta") for x in q) or q in (["mild"], ["severe"])):
            out.add("Aorta")
        elif d == "calcinosis":
            if any(x.startswith("aorta") for x in q):
                out.add("Aorta")
            elif any(x in ("lung", "lymph nodes", "hilum", "mediastinum") for x in q):
                out.add("Granuloma")
        elif d == "fractures, bone" and "ribs" in q:
            out.add("RibFracture")
    return out


def families_v2_renderer(mesh: list[str]) -> set[str]:
    """Snapshot of crates/convirt-data/src/synth/v2/family.rs ``Family::from_term`` (work in
    progress when copied): ``Normal`` only when no finding family is named, as the v2 manifest
    labels it."""
    out: set[str] = set()
    for term in mesh:
        d, q = _split(term)
        has = q.__contains__
        f = None
        if d == "normal":
            f = "Normal"
        elif d == "cardiomegaly" or (d == "cardiac shadow" and has("enlarged")):
            f = "Cardiomegaly"
        elif d == "pleural effusion" or (d == "costophrenic angle" and has("blunted")):
            f = "Effusion"
        elif d in ("opacity", "airspace disease", "infiltrate", "pneumonia", "consolidation") or \
                (d == "density" and has("lung")):
            f = "Opacity"
        elif d == "lung" and has("hyperdistention"):
            f = "Hyperinflation"
        elif d == "lung" and has("hypoinflation"):
            f = "LowVolumes"
        elif d in ("emphysema", "pulmonary emphysema", "pulmonary disease, chronic obstructive",
                   "lung, hyperlucent") or (d == "diaphragm" and has("flattened")):
            f = "Hyperinflation"
        elif (d == "diaphragm" and has("elevated")) or d == "diaphragmatic eventration":
            f = "ElevatedDiaphragm"
        elif d in ("catheters, indwelling", "implanted medical device", "surgical instruments",
                   "tube, inserted", "stents", "medical device", "sutures"):
            f = "Device"
        elif d == "scoliosis":
            f = "Scoliosis"
        elif d == "pulmonary atelectasis":
            f = "Atelectasis"
        elif d in ("nodule", "mass"):
            f = "Nodule"
        elif d in ("calcified granuloma", "granulomatous disease", "granuloma"):
            f = "Granuloma"
        elif d == "calcinosis" and (has("aorta") or has("aorta, thoracic") or has("blood vessels")):
            f = "Aorta"
        elif d == "calcinosis" and (has("lung") or has("lymph nodes") or has("mediastinum") or has("hilum")):
            f = "Granuloma"
        elif d in ("thoracic vertebrae", "spine") and has("degenerative"):
            f = "DegenerativeSpine"
        elif d in ("osteophyte", "spondylosis"):
            f = "DegenerativeSpine"
        elif d in ("aorta", "aorta, thoracic") and not has("obscured"):
            f = "Aorta"
        elif d == "atherosclerosis":
            f = "Aorta"
        elif d in ("fractures, bone", "deformity") and has("ribs"):
            f = "RibFracture"
        elif d == "pneumothorax":
            f = "Pneumothorax"
        elif d in ("pulmonary congestion", "pulmonary edema"):
            f = "Edema"
        elif d == "hernia, hiatal":
            f = "HiatalHernia"
        if f:
            out.add(f)
    findings = out - {"Normal"}
    return findings if findings else {"Normal"}
