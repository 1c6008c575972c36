"""A faithful Python port of the project's radiology sentence splitter.

Ported from crates/convirt-text-sampler/src/split.rs (``split_sentences``), normalize.rs
(``normalize``, ``normalize_lines``), sampler.rs (``word_count``) and sentence.rs
(``SentenceSampler::candidates``, default ``min_tokens`` 3). The rules are those of split.rs;
see its module docs. Rust's ``split_whitespace``/``is_uppercase``/``is_lowercase``/
``is_alphanumeric`` are mirrored with the helpers below, and byte lengths (``str::len``) with
UTF-8 encoded lengths, so that the boundaries are the same as the Rust ones.

test_split.py checks the cases of the Rust unit tests (crates/convirt-text-sampler/tests/split.rs
and the doc tests); ``check_against_rust.sh`` compares every IU report with the Rust code itself.
"""

from __future__ import annotations

import re

#: Abbreviations whose period never ends a sentence (split.rs ``ABBREVIATIONS``).
ABBREVIATIONS = frozenset([
    "approx", "appr", "dr", "drs", "vs", "v", "e.g", "eg", "i.e", "ie", "mr", "mrs", "ms", "prof",
    "fig", "figs", "cf", "resp", "incl", "st", "sr", "jr", "mt", "no", "nos", "etc", "al",
])

#: Words that cannot end a line that ends a sentence (split.rs ``CONTINUATIONS``).
CONTINUATIONS = frozenset([
    "a", "an", "and", "or", "of", "the", "with", "without", "to", "in", "at", "from", "on", "by",
    "for", "is", "are", "was", "were", "be", "as", "than", "but", "nor", "into", "over", "under",
    "versus", "vs", "which", "that", "there",
])

#: Rust's ``char::is_whitespace`` (Unicode White_Space); Python's ``str.split()`` also splits
#: at U+001C..U+001F, Rust does not.
_WS_CHARS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS = re.compile("[" + re.escape(_WS_CHARS) + "]+")

_BULLETS = frozenset(["-", "*", "\u2022", "\u2013", "\u00b7"])
_CLOSERS = ")]\"'\u2019\u201d"


def split_whitespace(text: str) -> list[str]:
    """Rust's ``str::split_whitespace``."""
    return [w for w in _WS.split(text) if w]


def _is_upper(c: str) -> bool:
    return c.isupper()


def _is_lower(c: str) -> bool:
    return c.islower()


def _is_alnum(c: str) -> bool:
    return c.isalnum()


def normalize(text: str) -> str:
    """normalize.rs ``normalize``: whitespace runs become one space, ends trimmed."""
    return " ".join(split_whitespace(text))


def normalize_lines(text: str) -> str:
    """normalize.rs ``normalize_lines``: each line normalised, blank-line runs become one."""
    out: list[str] = []
    blank_pending = False
    text = text.replace("\r\n", "\n")
    for line in re.split("[\n\r]", text):
        words = normalize(line)
        if not words:
            blank_pending = bool(out)
            continue
        if out:
            out.append("\n\n" if blank_pending else "\n")
        blank_pending = False
        out.append(words)
    return "".join(out)


def list_number(word: str):
    """``1.``..``99.`` or ``1)``..``99)`` → the number, else None."""
    if not word or word[-1] not in ".)":
        return None
    digits = word[:-1]
    if not digits or len(digits.encode()) > 2 or not all("0" <= c <= "9" for c in digits):
        return None
    return int(digits)


def is_list_marker(word: str) -> bool:
    return list_number(word) is not None


def is_bullet(word: str) -> bool:
    return word in _BULLETS


def _line_breaks(last, words: list[str]) -> bool:
    if not words:
        return False
    first = words[0]
    if is_list_marker(first) or is_bullet(first):
        return True
    capitalised = (len(first) >= 2 and _is_upper(first[0]) and _is_lower(first[1])) or (
        len(first.encode()) == 1 and all(_is_upper(c) for c in first)
    )
    if not capitalised:
        return False
    if last is None:
        return True
    if last and last[-1] in ",-/(&":
        return False
    return last.lower() not in CONTINUATIONS


def _chunks(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    current: list[str] = []
    blank = False
    for line in re.split("[\n\r]", text):
        words = split_whitespace(line)
        if not words:
            blank = True
            continue
        if current and (blank or _line_breaks(current[-1] if current else None, words)):
            out.append(current)
            current = []
        blank = False
        current.extend(words)
    if current:
        out.append(current)
    return out


def _ends_sentence(word: str, nxt: str) -> bool:
    core = word.rstrip(_CLOSERS)
    if not core or core[-1] not in ".!?":
        return False
    stem = core[:-1]
    if nxt and _is_lower(nxt[0]):
        return False
    if core.endswith("."):
        stem = stem.lstrip("([\"'").rstrip(".")
        if stem.lower() in ABBREVIATIONS:
            return False
        if len(stem) == 1 and _is_upper(stem):
            return False
    return True


def _push(sentence: list[str], out: list[str]) -> None:
    if any(_is_alnum(c) for w in sentence for c in w):
        out.append(" ".join(sentence))
    sentence.clear()


def _split_chunk(words: list[str], out: list[str]) -> None:
    sentence: list[str] = []
    next_item = None
    for i, word in enumerate(words):
        if not sentence:
            n = list_number(word)
            if n is not None:
                next_item = n + 1
                continue
            if is_bullet(word):
                continue
        sentence.append(word)
        if i + 1 >= len(words):
            ends = True
        else:
            nxt = words[i + 1]
            n = list_number(nxt)
            starts_item = i + 2 < len(words) and n is not None and (n == 1 or n == next_item)
            ends = starts_item or _ends_sentence(word, nxt)
        if ends:
            _push(sentence, out)
    _push(sentence, out)


def split_sentences(text: str) -> list[str]:
    """split.rs ``split_sentences``."""
    out: list[str] = []
    for chunk in _chunks(text):
        _split_chunk(chunk, out)
    return out


def word_count(sentence: str) -> int:
    """sampler.rs ``word_count``: whitespace-separated tokens."""
    return len(split_whitespace(sentence))


#: sentence.rs ``SentenceSampler::DEFAULT_MIN_TOKENS`` (what `convirt pretrain` uses).
DEFAULT_MIN_TOKENS = 3


def candidates(sentences: list[str], min_tokens: int = DEFAULT_MIN_TOKENS) -> list[int]:
    """sentence.rs ``SentenceSampler::candidates``: indices of sentences with at least
    ``min_tokens`` words, or all of them when none has."""
    long = [i for i, s in enumerate(sentences) if word_count(s) >= min_tokens]
    return long if long else list(range(len(sentences)))
