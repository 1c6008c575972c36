"""Reads the IU X-ray reports (NLMCXR_reports.tgz, or a folder of its .xml files) the way
crates/convirt-text-sampler/src/iu.rs does: the id from ``<uId id>``, Findings and Impression
from ``<AbstractText Label=...>`` (text of the element and its children, whitespace-normalised
by ``normalize_lines``), the MeSH ``<major>`` terms. ``body()`` is Report::body (Findings, a
blank line, Impression), the text ConVIRT samples sentences from.

Nothing read here is written anywhere by this module (the reports are CC BY-NC-ND).
"""

from __future__ import annotations

import os
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

try:  # run as a script from tools/text_gate, or imported as a package
    from split import normalize_lines, split_sentences, candidates, DEFAULT_MIN_TOKENS
except ImportError:  # pragma: no cover
    from .split import normalize_lines, split_sentences, candidates, DEFAULT_MIN_TOKENS

DEFAULT_TGZ = os.path.expanduser("~/.cache/convirt/assets/iu/NLMCXR_reports.tgz")


@dataclass
class Report:
    id: str
    findings: str = ""
    impression: str = ""
    mesh: list = field(default_factory=list)  # raw <major> terms, trimmed

    def body(self) -> str:
        f, i = self.findings.strip(), self.impression.strip()
        if f and i:
            return f"{self.findings}\n\n{self.impression}"
        if f:
            return self.findings
        if i:
            return self.impression
        return ""

    def sentences(self) -> list[str]:
        return split_sentences(self.body())

    def candidates(self, min_tokens: int = DEFAULT_MIN_TOKENS) -> list[int]:
        return candidates(self.sentences(), min_tokens)

    def descriptors(self) -> list[str]:
        """The MeSH descriptors (before the first '/'), trimmed."""
        return [t.split("/")[0].strip() for t in self.mesh]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, stem: str) -> Report:
    root = ET.fromstring(data)
    rid = ""
    findings = impression = ""
    mesh: list[str] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "uId" and not rid:
            rid = el.get("id", "")
        elif name == "AbstractText":
            label = el.get("Label", "").strip().upper()
            text = normalize_lines("".join(el.itertext()))
            if label == "FINDINGS":
                findings = text
            elif label == "IMPRESSION":
                impression = text
        elif name == "major":
            raw = "".join(el.itertext()).strip()
            if raw:
                mesh.append(raw)
    return Report(id=rid or stem, findings=findings, impression=impression, mesh=mesh)


def read_reports(path: str = DEFAULT_TGZ) -> list[Report]:
    """All reports of a .tgz/.tar.gz or a folder of .xml files, sorted by id."""
    reports: list[Report] = []
    if os.path.isdir(path):
        for dirpath, _, files in os.walk(path):
            for f in files:
                if f.lower().endswith(".xml"):
                    with open(os.path.join(dirpath, f), "rb") as fh:
                        reports.append(parse_xml(fh.read(), os.path.splitext(f)[0]))
    else:
        with tarfile.open(path, "r:*") as tar:
            for m in tar:
                if m.isfile() and m.name.lower().endswith(".xml"):
                    stem = os.path.splitext(os.path.basename(m.name))[0]
                    reports.append(parse_xml(tar.extractfile(m).read(), stem))
    reports.sort(key=lambda r: r.id)
    return reports
