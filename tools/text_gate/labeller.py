"""L: a rule-based sentence labeller for the SynthCXR v2 families.

``label(sentence)`` reads only the sentence (never a report's MeSH terms) and gives, for each
v2 family, ``"positive"``, ``"negated"`` or nothing (not mentioned). ``positives(sentence)`` is
the set of positive families, the L(s) of mi.py.

How it decides, in order:

1. **Mentions.** Each family has regular expressions over the lower-cased sentence (``PATTERNS``);
   a match is a mention unless one of the family's exclusions overlaps it (``EXCLUDE``:
   ``pericardial effusion`` is not a pleural effusion, ``subcutaneous emphysema`` is not
   hyperinflation, ``nodular opacity`` is a Nodule and not an Opacity, ...). The *anchor* of a
   mention is its group ``k`` when the pattern has one, else its last character: for
   ``heart ... enlarged`` the anchor is ``enlarged``.
2. **Negation (NegEx-like).** A mention is negated when
   - a *pre-negation* trigger (``no``, ``not``, ``without``, ``negative for``, ``free of``,
     ``clear of``, ``absence of``, ``resolved``, ``resolution of``, ``removal of``, ``neither``,
     ``nor``, ...) ends before its anchor in the same clause and no *scope breaker* lies between
     them, or
   - a *post-negation* trigger (``... has resolved``, ``... is not seen``, ``... no longer
     visualized``, ``... has been removed``, ``... is absent``) follows it in the same clause with
     no breaker between.
   Clauses end at ``but``, ``however``, ``although``, ``though``, ``except``, ``whereas``,
   ``while``, ``yet``, ``which``, ``otherwise``, ``aside from``, ``other than``, ``;`` and ``:``.
   Scope breakers inside a clause are a new predicate (``is``, ``are``, ``has``, ``there``,
   ``shows``, ...), a participle closing the negated phrase (``seen,``, ``identified,``), an
   interpretation (``consistent with``, ``suggesting``, ``represents``, ``likely``), ``with
   increased/new/mild/...`` and a comma followed by a new positive noun phrase (``, stable``,
   ``, mild``, ``, small``, ``, with``, ...). A list ``no focal consolidation, effusion, or
   pneumothorax`` stays in one scope, so all three are negated. A post-negation reaches back at
   most 40 characters and not across ``with``.
   *Pseudo-negations* are not triggers: ``no change``, ``no interval change``, ``not
   changed``, ``without change``, ``cannot be excluded``, ``not excluded``, ``not ruled out``,
   ``partially resolved``, ``not completely``, ...
3. **Uncertain mentions** (``possible``, ``may represent``, ``cannot be excluded``, ``versus``,
   ``concern for``) count as positive: the sentence puts the finding forward. **Hypothetical**
   ones (after ``if``, ``to exclude``, ``evaluation for``, ``could obscure`` in the clause) are
   neither positive nor negated.
4. **Explicit normal statements** about the heart (``heart size is normal``, ``normal
   cardiomediastinal silhouette``, ``heart ... within normal limits``) are a negated
   Cardiomegaly; a positive mention (``upper limits of normal``, ``borderline``) wins over them.
5. A family with a non-negated mention is positive; else negated if it has a negated mention.
   Sentences such as ``Normal chest.`` or ``No acute cardiopulmonary abnormality.`` give nothing
   (``Normal`` is never set by L).
"""

from __future__ import annotations

import re
from functools import lru_cache

FAMILIES = [
    "Normal", "Cardiomegaly", "Effusion", "Opacity", "Hyperinflation", "Device", "LowVolumes",
    "ElevatedDiaphragm", "Scoliosis", "Atelectasis", "Nodule", "Granuloma", "DegenerativeSpine",
    "Aorta", "RibFracture", "Pneumothorax", "Edema", "HiatalHernia",
]

POSITIVE = "positive"
NEGATED = "negated"

# A lazy gap of at most n characters that crosses no ; or : (nor a comma unless commas=True).
def _gap(n: int, commas: bool = False) -> str:
    return r"[^;:]{0,%d}?" % n if commas else r"[^,;:]{0,%d}?" % n


_HEART = r"(?:heart|cardiac|cardiomediastinal|cardio-?mediastinal|cardio mediastinal|cardiopericardial)"
_ENLARGED = (r"(?:enlarge\w*|large|increased|prominen\w*|borderline|cardiomegaly"
             r"|upper limits? of normal|upper (?:range of )?normal|upper normal|top(?:-| )?(?:of )?normal"
             r"|high(?:-| )?normal|at the upper limits?)")

PATTERNS: dict[str, list[str]] = {
    "Cardiomegaly": [
        r"\bcardiomegal\w*",
        r"\bcardiac (?:enlargement|chamber enlargement)",
        r"\b(?:enlarge\w*|borderline|large|prominent|increased)" + _gap(25) + r"\b(?:heart|cardiac (?:silhouette|size|shadow|contour)|cardiomediastinal silhouette|cardio-?mediastinal silhouette)",
        r"\b" + _HEART + r"\b" + _gap(45) + r"\b(?P<k>" + _ENLARGED + r")",
        r"\bborderline (?:heart|cardiac)",
        r"\b(?:ventricular|atrial|ventricle|atrium|chamber)\b" + _gap(20) + r"\b(?P<k>enlarge\w*|prominen\w*)",
        r"\benlarge\w* (?:left |right )?(?:ventricle|atrium)",
    ],
    "Effusion": [
        r"\beffusions?\b",
        r"\bpleural fluid\b",
        r"\bhydrothora\w*",
        r"\bhydropneumothora\w*",
        r"\bhemo-?pneumothora\w*",
        r"\bhemothora\w*",
        r"\bblunt\w*",
        r"\bmeniscus\b",
        r"\bfluid\b" + _gap(30) + r"\b(?P<k>fissure|pleural|costophrenic)",
        r"\b(?:layering|loculated) (?:pleural )?fluid",
        r"\bcostophrenic\b" + _gap(25) + r"\b(?P<k>obliterat\w*)",
    ],
    "Opacity": [
        r"\bopaci(?:ty|ties|fication|fications|fied|fies)\b",
        r"\bconsolidat\w*",
        r"\bair ?space (?:disease|process|filling|opacit\w*|consolidation|densit\w*)",
        r"\binfiltrat\w*",
        r"\b(?:broncho)?pneumonias?\b",
        r"\bpneumonitis\b",
        r"\binfections?\b",
        r"\binfectious\b",
        r"\bdensit(?:y|ies)\b",
        r"\bhaz(?:y|iness)\b",
    ],
    "Hyperinflation": [
        r"\bhyper-?inflat\w*",
        r"\bhyper-?expan\w*",
        r"\bover-?(?:inflat|expan|aerat)\w*",
        r"\bhyper-?aerat\w*",
        r"\bhyper-?lucen\w*",
        r"\bhyper-?disten\w*",
        r"\bemphysem\w*",
        r"\bcopd\b",
        r"\bchronic obstructive\b",
        r"\bobstructive (?:pulmonary|lung|airway)",
        r"\bflatten\w*" + _gap(35) + r"\b(?P<k>(?:hemi-?)?diaphragm\w*)",
        r"\b(?:hemi-?)?diaphragm\w*" + _gap(30) + r"\b(?P<k>flatten\w*|flat)\b",
        r"\bbull(?:ae|a|ous)\b",
        r"\bincreased (?:ap|anteroposterior|a-p|retrosternal)\b",
        r"\b(?:large|high|increased) lung volumes?\b",
        r"\bair ?trapping\b",
    ],
    "Device": [
        r"\bpacemakers?\b", r"\bpacer\b", r"\bpacing\b", r"\baicd\b", r"\bicd\b",
        r"\bdefibrillat\w*", r"\bcatheters?\b", r"\bpicc\b", r"\bport-?a-?cath\b", r"\bmediport\b",
        r"\b(?:central|venous|picc|ij|jugular|subclavian|dialysis|arterial|support|femoral|midline catheter)\b" + _gap(20) + r"\b(?P<k>lines?)\b",
        r"\blines? and tubes?\b", r"\btubes? and lines?\b",
        r"\btubes?\b", r"\btubing\b", r"\bsternotom\w*", r"\bsternal (?:wires?|sutures?)",
        r"\bclips?\b", r"\bstaples?\b", r"\bstents?\b", r"\bdevices?\b",
        r"\bleads?\b", r"\bgenerator\b", r"\bwires?\b", r"\bcabg\b", r"\bbypass graft",
        r"\bvalve (?:replacement|prosthes\w*)", r"\bprosthetic (?:valve|mitral|aortic)",
        r"\b(?:mitral|aortic) valve (?:replacement|prosthes\w*)",
        r"\bhardware\b", r"\bfixation\b", r"\bscrews?\b", r"\bplates?\b(?!-)", r"\brods?\b",
        r"\bcoils?\b", r"\bprosthes\w*", r"\bimplants?\b", r"\bshunt\b", r"\bdrains?\b",
        r"\b(?:ivc )?filter\b", r"\bsutures?\b", r"\bcerclage\b", r"\bstimulator\b",
        r"\bloop recorder\b", r"\bport\b", r"\bspinal fusion\b", r"\bfusion hardware\b",
        r"\bsurgical (?:material|anchor\w*)",
    ],
    "LowVolumes": [
        r"\blow\b" + _gap(15) + r"\b(?P<k>volumes?)\b",
        r"\b(?:decreased|diminished|reduced|small|lower|shallow) (?:lung |inspiratory )?volumes?\b",
        r"\b(?:lung |inspiratory )?volumes?\b" + _gap(20) + r"\b(?P<k>low|decreased|diminished|reduced)\b",
        r"\bhypo-?inflat\w*", r"\bhypoventilat\w*", r"\bunder-?inflat\w*", r"\bhypo-?aerat\w*",
        r"\bpoorly (?:inflated|aerated|expanded)",
        r"\b(?:poor|shallow|suboptimal|limited|low|decreased) (?:inspiration|inspiratory effort|inspiratory|effort)",
        r"\b(?:bronchovascular|vascular|basilar|bibasilar)\b" + _gap(10) + r"\b(?P<k>crowding)",
        r"\bcrowding of\b" + _gap(30) + r"\b(?P<k>bronchovascular|vascular|vessels|markings)",
    ],
    "ElevatedDiaphragm": [
        r"\belevat\w*" + _gap(40) + r"\b(?P<k>(?:hemi-?)?diaphragm\w*)",
        r"\b(?:hemi-?)?diaphragm\w*" + _gap(30) + r"\b(?P<k>elevat\w*|high)\b",
        r"\beventrat\w*",
        r"\bhigh(?:-| )?(?:riding|position\w*)" + _gap(30) + r"\b(?P<k>(?:hemi-?)?diaphragm\w*)",
    ],
    "Scoliosis": [
        r"\b(?:levo|dextro)?-?scolio\w*",
        r"\b(?:levo|dextro)-?(?:convex\w*|curvature|rotatory|rotary)",
        r"\bcurvature\b" + _gap(35) + r"\b(?P<k>spine|thoracic|thoracolumbar|lumbar|spinal)",
        r"\b(?:spine|spinal)\b" + _gap(20) + r"\b(?P<k>curvature)",
        r"\bs-shaped\b",
        r"\bconvex\w*" + _gap(30) + r"\b(?P<k>spine|thoracic|thoracolumbar)",
    ],
    "Atelectasis": [
        r"\batelecta\w*",
        r"\bsubsegmental\b", r"\bplate-?like\b", r"\bdiscoid\b",
        r"\bcollaps\w*",
    ],
    "Nodule": [
        r"\bnodul(?:e|es|ar|arity|i)\b",
        r"\bmass(?:es|like)?\b",
        r"\bcoin lesion",
    ],
    "Granuloma": [
        r"\bgranulom\w*",
        r"(?<!non-)\bcalcified\b" + _gap(35) + r"\b(?P<k>nodes?|nodules?|lymph|hilar|hilum|hila|mediastinal|paratracheal|densit\w*|opacit\w*|focus|foci|lesions?)\b",
        r"\b(?:nodes?|nodules?|lymph nodes?|hilar|hila|hilum)\b" + _gap(25) + r"\b(?P<k>calcifi\w*)",
        r"\bcalcific (?:densit\w*|focus|foci|nodul\w*)",
        r"\bhistoplasm\w*",
    ],
    "DegenerativeSpine": [
        r"\bdegenerat\w*",
        r"\bosteophyt\w*",
        r"\bspondylo\w*",
        r"\bspurring\b",
        r"\bdish\b",
        r"\bdiffuse idiopathic skeletal",
        r"\bdis[ck] (?:space )?(?:disease|narrowing|height|degeneration)",
        r"\bend-?plate\w*",
        r"\bfacet arthropath\w*",
        r"\barthriti\w*" + _gap(40, commas=True) + r"\b(?P<k>spine|spinal|vertebra\w*|thoracic)",
        r"\b(?:spine|spinal|vertebra\w*)" + _gap(30) + r"\b(?P<k>arthriti\w*)",
    ],
    "Aorta": [
        r"\b(?:tortu\w*|calcif\w*|atheroscl\w*|atheromat\w*|ectat\w*|ectasia|unfold\w*|uncoil\w*|dilat\w*|enlarge\w*|aneurys\w*|prominen\w*|widen\w*|elongat\w*)" + _gap(45, commas=True) + r"\b(?P<k>aort\w*)",
        r"\baort\w*" + _gap(45, commas=True) + r"\b(?P<k>tortu\w*|calcif\w*|atheroscl\w*|atheromat\w*|ectat\w*|ectasia|unfold\w*|uncoil\w*|dilat\w*|enlarge\w*|aneurys\w*|prominen\w*|widen\w*|elongat\w*)",
        r"\batheroscleros\w*", r"\batherosclerotic\b",
        r"\baortic (?:knob|arch) calcification",
    ],
    "RibFracture": [
        r"\bribs?\b" + _gap(60, commas=True) + r"\b(?P<k>fractur\w*|fx|callus)\b",
        r"\b(?:fractur\w*|fx|callus)\b" + _gap(60, commas=True) + r"\b(?P<k>ribs?)\b",
    ],
    "Pneumothorax": [
        r"\bpneumothora\w*", r"\bptx\b", r"\bhydropneumothora\w*", r"\bhemopneumothora\w*",
    ],
    "Edema": [
        r"\b(?:o)?edema\b", r"\bcongesti(?:on|ve)\b", r"\bchf\b", r"\bheart failure\b",
        r"\bfluid overload\b", r"\bkerley\b", r"\bcephaliz\w*",
        r"\b(?:vascular|vasculature|vascularity|vessels?)\b" + _gap(30) + r"\b(?P<k>engorge\w*|indistinct\w*|cephaliz\w*|redistribut\w*|prominen\w*)",
        r"\b(?:engorge\w*|indistinct|prominen\w*) (?:pulmonary )?(?:vascular\w*|vessels|vasculature)",
    ],
    "HiatalHernia": [
        r"\b(?:hiatal|hiatus) hernias?\b", r"\bhernia\w*",
    ],
}

# A mention that overlaps one of these (same family) is dropped.
EXCLUDE: dict[str, list[str]] = {
    "Cardiomegaly": [
        r"\b(?:cardiomediastinal|mediastinal) silhouette\b" + _gap(40) + r"\b(?:prominen\w*)",  # widened mediastinum, not heart
        r"\bpulmonary arter\w*",
        r"\bheart failure\b",
    ],
    "Effusion": [r"\bpericardial effusions?\b", r"\bjoint effusions?\b"],
    "Opacity": [
        r"\bnodular (?:opaci\w*|densit\w*)", r"\bcalcified\b" + _gap(25) + r"\b(?:opaci\w*|densit\w*)",
        r"\bcalcific densit\w*", r"\bgranulomatous (?:infection|disease|process)",
        r"\b(?:soft tissue|bony|bone|osseous|metallic|foreign body|sclerotic|breast|nipple|mineral) densit\w*",
        r"\bdensit\w* foreign body", r"\b(?:densit\w*|opaci\w*)\b" + _gap(50) + r"\b(?:hiatal|hiatus) hernia", r"\bcurvilinear (?:opaci\w*|densit\w*)", r"\bbone densit\w*", r"\bdensit\w* of the (?:bones|osseous)",
    ],
    "Hyperinflation": [r"\bsubcutaneous emphysem\w*", r"\b(?:mediastinal|interstitial|surgical) emphysem\w*"],
    "Device": [
        r"\bkerley\b" + _gap(5) + r"\blines?\b", r"\b(?:pleural|septal|mid|midline|skin) lines?\b",
        r"\bnipple markers?", r"\bleads? to\b", r"\bline of\b", r"\btubular\b",
        r"\bbronchovascular\b", r"\bsupport(?:ive)? (?:for|of)\b",
        r"\bflattened diaphragm\b",
    ],
    "Scoliosis": [r"\bkyphotic curvature\b", r"\bcurvature\b" + _gap(12) + r"\bkyph\w*"],
    "Atelectasis": [r"\b(?:vertebral|vertebra|body|compression)\b" + _gap(20) + r"\bcollaps\w*",
                    r"\bcollaps\w*" + _gap(20) + r"\b(?:vertebra\w*|body)\b"],
    "Nodule": [r"(?<!non-)\bcalcified\b" + _gap(20) + r"\bnodul\w*", r"\bdense\b" + _gap(30) + r"\bnodul\w*",
               r"\bnodul\w*" + _gap(40, commas=True) + r"(?<!not )\bcalcified granulom\w*", r"\bmass effect\b", r"\bnodular densities consistent with chronic granulomatous"],
    "DegenerativeSpine": [
        r"\bdegenerat\w*" + _gap(40, commas=True) + r"\b(?:shoulders?|acromioclavicular|ac joints?|glenohumeral|humeral|knees?|hips?|clavicles?|sternoclavicular|costochondral|sternum|joints?)\b",
        r"\b(?:shoulders?|acromioclavicular|ac joints?|glenohumeral|humeral|knees?|hips?|clavicles?|sternoclavicular)\b" + _gap(40, commas=True) + r"\bdegenerat\w*",
    ],
    "Aorta": [r"\baortic valve\b", r"\bcoronary\b", r"\benlarge\w* (?:cardiac|heart)"],
    "Edema": [r"\b(?:soft tissue|subcutaneous|chest wall) edema\b"],
    "HiatalHernia": [r"\b(?:diaphragmatic|bochdalek|morgagni|ventral|inguinal|umbilical|incisional|abdominal wall) hernia\w*"],
    "Granuloma": [r"\b(?:non-?|un)calcified\b", r"\bnot (?:definitively |definitely |clearly )?calcified\b",
                  r"\bwithout\b" + _gap(25) + r"\bcalcification"],
}

# Clause ends (hard): negation never crosses them.
_CLAUSE_END = re.compile(
    r"\b(?:but|however|although|though|except|whereas|while|yet|which|otherwise|aside from|apart from|other than|with the exception of)\b|[;:]|\.\s"
)
# Scope breakers (soft): a pre-negation does not reach past them; a post-negation not back past them.
_BREAKER = re.compile(
    r"\b(?:is|are|was|were|has|have|had|appears?|remains?|demonstrates?|shows?|reveals?|there)\b"
    r"|\b(?:seen|noted|identified|visualized|demonstrated|present|evident)\s*,"
    r"|\b(?:compatible with|consistent with|suggestive of|suggesting|suggests|represent\w*|likely|probably|reflect\w*)\b"
    r"|\bwith (?:increased|new|persistent|stable|mild|moderate|small|large|associated|residual|bibasilar|bilateral|interval)\b"
    r"|,\s*(?:and\s+)?(?:stable|unchanged|again|persistent|mild|mildly|moderate|severe|small|minimal|trace|the|there|with|otherwise|new|old|chronic|status|s/p|likely|probable|possible|increased|decreased|borderline|stable|redemonstrat\w*)\b"
)
_PRE_NEG = re.compile(
    r"\b(?:no|not|without|negative for|free of|clear of|absence of|absent|resolved|resolution of|removal of|removed|neither|nor|never|no evidence of|ruled out)\b"
)
_POST_NEG = re.compile(
    r"\b(?:(?:is|are|was|were|has|have)\s+(?:been\s+)?)?(?:no longer|not)\s+(?:been\s+)?(?:seen|visualized|visible|identified|present|evident|appreciated|demonstrated|noted|detected|apparent|well seen)\b"
    r"|\b(?:has|have|had)\s+(?:since\s+|now\s+|completely\s+|nearly\s+|largely\s+)?(?:resolved|cleared|been removed|been resolved)\b"
    r"|\b(?:is|are)\s+(?:now\s+)?(?:resolved|absent|gone|removed)\b"
    r"|\bresolved\b|\bremoved\b"
)
# Pseudo-negations: triggers inside them do not count.
_PSEUDO = re.compile(
    r"\bno (?:significant |definite |appreciable |interval |substantial )*(?:change|increase|progression)\b"
    r"|\bnot (?:significantly |substantially )?(?:changed|increased|progressed)\b"
    r"|\bwithout (?:significant |definite |appreciable |interval |substantial )*(?:change|progression)\b"
    r"|\b(?:can ?not|could not|can't|not) (?:be )?(?:entirely |completely |definitely )?(?:excluded|ruled out)\b"
    r"|\b(?:can ?not|could not) (?:exclude|rule out)\b"
    r"|\bnot (?:entirely|completely|fully|well)\b"
    r"|\b(?:partially|partly|nearly|largely|almost|incompletely|mostly|near|not completely|not entirely|incomplete) (?:resolved|cleared|resolving|removed|resolution)\b"
    r"|\bpartial resolution\b"
    r"|\bnot only\b"
)
# Explicit normal statements about the heart: negated Cardiomegaly.
_HEART_NORMAL = re.compile(
    r"\bnormal (?:heart|cardiac|cardiomediastinal|cardio-?mediastinal)\b"
    r"|\bsmall(?:-| )?(?:sized )?heart\b"
    r"|\b(?:heart|cardiac|cardiomediastinal|cardio-?mediastinal|cardio mediastinal)\b" + _gap(50, commas=True)
    + r"\b(?:normal|within normal limits|unremarkable|not enlarged)\b"
)

# Hypothetical mentions (neither positive nor negated): "if there is concern for fracture",
# "evaluation for pneumothorax is limited", "to exclude a nodule", "could obscure a nodule".
_HYPOTHETICAL = re.compile(
    r"\bif\b|\b(?:to|would) (?:exclude|rule out|evaluate|assess)\b|\brule-? ?out\b"
    r"|\b(?:evaluat\w*|assess\w*|search) (?:for|of)\b|\bcould obscure\b|\bmay not be (?:seen|visible|demonstrated)\b"
    r"|\bmay not be demonstrated\b|\bmay be missed\b"
)

_COMPILED = {f: [re.compile(p) for p in ps] for f, ps in PATTERNS.items()}
_COMPILED_EX = {f: [re.compile(p) for p in ps] for f, ps in EXCLUDE.items()}


def _spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def _prep(sentence: str) -> str:
    s = sentence.lower()
    s = s.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(s.split()) + " "


def _mentions(text: str, family: str) -> list[tuple[int, int, int]]:
    """(start, end, anchor) of each mention of ``family``, exclusions removed."""
    excl = [sp for rx in _COMPILED_EX.get(family, []) for sp in _spans(rx, text)]
    out = []
    for rx in _COMPILED[family]:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in excl):
                continue
            anchor = m.start("k") if "k" in rx.groupindex and m.group("k") is not None else e - 1
            out.append((s, e, anchor))
    return out


def _between(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a <= s and e <= b for s, e in spans)


def _clause(text: str, start: int, end: int, clause_ends) -> tuple[int, int]:
    lo = max([e for s, e in clause_ends if e <= start] + [0])
    hi = min([s for s, e in clause_ends if s >= end] + [len(text)])
    return lo, hi


def _hypothetical(text: str, start: int, anchor: int, ctx) -> bool:
    """A mention after a hypothetical cue in its clause ("if ...", "evaluation for ...")."""
    lo, _ = _clause(text, start, start, ctx[0])
    return any(lo <= s and e <= anchor for s, e in ctx[4])


def _negated(text: str, start: int, end: int, anchor: int, ctx) -> bool:
    clause_ends, breakers, pre, post = ctx[:4]
    lo, hi = _clause(text, start, end, clause_ends)
    for s, e in pre:
        if lo <= s and e <= anchor and not _between(breakers, e, anchor):
            return True
    for s, e in post:
        if s >= end and e <= hi and s - end <= 40 and not re.search(r"\bwith\b", text[end:s]) \
                and not _between([b for b in breakers if not (b[0] >= s and b[1] <= e)], end, s):
            return True
    return False


def _context(text: str):
    pseudo = _spans(_PSEUDO, text)

    def live(spans):
        return [(s, e) for s, e in spans if not any(a <= s and e <= b for a, b in pseudo)]

    pre = live(_spans(_PRE_NEG, text))
    post = live(_spans(_POST_NEG, text))
    return (_spans(_CLAUSE_END, text), _spans(_BREAKER, text), pre, post, _spans(_HYPOTHETICAL, text))


@lru_cache(maxsize=65536)
def label(sentence: str) -> dict:
    """{family: "positive" | "negated"} for the families the sentence mentions."""
    text = _prep(sentence)
    ctx = _context(text)
    out: dict[str, str] = {}
    for family in FAMILIES:
        if family == "Normal":
            continue
        states = [_negated(text, s, e, a, ctx) for s, e, a in _mentions(text, family)
                  if not _hypothetical(text, s, a, ctx)]
        if any(not n for n in states):
            out[family] = POSITIVE
        elif states:
            out[family] = NEGATED
    if "Cardiomegaly" not in out and _HEART_NORMAL.search(text):
        out["Cardiomegaly"] = NEGATED
    return out


def positives(sentence: str) -> frozenset:
    """L(s): the families the sentence is positive about."""
    return frozenset(f for f, v in label(sentence).items() if v == POSITIVE)


def negated(sentence: str) -> frozenset:
    return frozenset(f for f, v in label(sentence).items() if v == NEGATED)


if __name__ == "__main__":  # python3 labeller.py "Sentence one." "Sentence two."
    import sys

    for s in sys.argv[1:]:
        print(s, "->", label(s))
