"""split.py against the cases the Rust splitter's tests document
(crates/convirt-text-sampler/tests/split.rs, the doc tests of split.rs, normalize.rs,
sentence.rs) and, when the reports are there, the Rust test suite's IU counts
(tests/real_reports.rs). Run: python3 -m pytest tools/text_gate  or  python3 test_split.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from split import candidates, normalize, normalize_lines, split_sentences as split  # noqa: E402


def test_doc_examples():
    assert split("1. Nodule of 1.5 cm, approx. 2 cm from Dr. X's mark 2. No effusion") == [
        "Nodule of 1.5 cm, approx. 2 cm from Dr. X's mark", "No effusion"]
    assert split("1. Clear lungs.\n2. No effusion.") == ["Clear lungs.", "No effusion."]
    assert normalize("  No\n acute\t\tprocess.  ") == "No acute process."
    assert normalize_lines(" 1. Clear  lungs.\r\n\n\n 2. No effusion.\n") == "1. Clear lungs.\n\n2. No effusion."


def test_plain_sentences():
    assert split("Heart size is normal. Lungs are clear! Any effusion? No.") == [
        "Heart size is normal.", "Lungs are clear!", "Any effusion?", "No."]


def test_decimals_do_not_split():
    assert split("A 1.5 cm nodule. It measured 2.25 x 3.0 cm. Ratio 0.5.") == [
        "A 1.5 cm nodule.", "It measured 2.25 x 3.0 cm.", "Ratio 0.5."]


def test_abbreviations_do_not_split():
    assert split("Nodule measures approx. 5 mm. Discussed with Dr. Smith vs. Dr. Jones. Signs of CHF, "
                 "e.g. Kerley lines. Seen on Fig. 2 today.") == [
        "Nodule measures approx. 5 mm.", "Discussed with Dr. Smith vs. Dr. Jones.",
        "Signs of CHF, e.g. Kerley lines.", "Seen on Fig. 2 today."]
    assert split("Seen by J. Smith today. Stable.") == ["Seen by J. Smith today.", "Stable."]


def test_lower_case_after_a_period_continues():
    assert split("Tip in the s.v.c. above the carina.") == ["Tip in the s.v.c. above the carina."]


def test_numbered_lists():
    assert split("1. No acute process. 2. Stable cardiomegaly. 3. Small effusion") == [
        "No acute process.", "Stable cardiomegaly.", "Small effusion"]
    assert split("1. No acute process\n2. Stable cardiomegaly\n3) Small effusion") == [
        "No acute process", "Stable cardiomegaly", "Small effusion"]
    assert split("1. Right lower lobe opacity 2. Left effusion") == ["Right lower lobe opacity", "Left effusion"]
    assert split("Fracture of rib 2. Old.") == ["Fracture of rib 2.", "Old."]


def test_bullets():
    assert split("- Clear lungs\n- No effusion\n* Normal heart") == ["Clear lungs", "No effusion", "Normal heart"]


def test_blank_and_capitalised_lines():
    assert split("No effusion\n\nClear lungs") == ["No effusion", "Clear lungs"]
    assert split("Lines and tubes: none\nHeart normal in size") == ["Lines and tubes: none", "Heart normal in size"]


def test_wrapped_lines_join():
    assert split("There is no focal consolidation, pleural effusion or\nPneumothorax.  Bilateral\nnodular "
                 "opacities. The\ncardiomediastinal silhouette is normal.") == [
        "There is no focal consolidation, pleural effusion or Pneumothorax.",
        "Bilateral nodular opacities.", "The cardiomediastinal silhouette is normal."]


def test_trailing_fragments_and_deid_tokens():
    assert split("Clear lung XXXX bilaterally. Comparison XXXX, XXXX. no change since ___") == [
        "Clear lung XXXX bilaterally.", "Comparison XXXX, XXXX. no change since ___"]
    assert split("Normal. .") == ["Normal."]
    assert split("Stable XXXX") == ["Stable XXXX"]


def test_empty_and_punctuation_only():
    for text in ["", "   ", "\n\n", ".", "... - ___. !?", "1. 2. 3."]:
        assert split(text) == [], text


def test_huge_input():
    sentence = "Stable 1.5 cm nodule, approx. unchanged vs. prior. "
    out = split(sentence * 5000)
    assert len(out) == 5000 and out[0] == sentence.strip()


def test_candidates_min_tokens():
    s = ["Heart size is normal.", "Normal.", "Lungs are clear."]
    assert candidates(s) == [0, 2]
    assert candidates(["Normal.", "Clear."]) == [0, 1]  # none long enough: all
    assert candidates(s, 0) == [0, 1, 2]


def test_real_reports_counts():
    """The counts of crates/convirt-text-sampler/tests/real_reports.rs (skipped without the tgz)."""
    import iu
    if not os.path.exists(iu.DEFAULT_TGZ):
        return
    rs = iu.read_reports(iu.DEFAULT_TGZ)
    assert len(rs) == 3955
    assert sum(bool(r.findings.strip()) for r in rs) == 3425
    assert sum(bool(r.impression.strip()) for r in rs) == 3921
    assert sum(not r.body() for r in rs) == 28
    assert 3.0 < sum(len(r.sentences()) for r in rs) / len(rs) < 6.0
    assert len({r.id for r in rs}) == 3955 and any(r.id == "CXR3029" for r in rs)


if __name__ == "__main__":
    n = 0
    for name, fn in sorted(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
            n += 1
    print(f"{n} passed, 0 failed")
