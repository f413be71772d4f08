"""Split one free-text line into the need and the place: "Hund anmelden Erfurt" → need "Hund anmelden",
place "Erfurt"; "Ummeldung 99423 Weimar" → need "Ummeldung", place "99423 Weimar".

A simple, explainable split (issue 2): a five-digit PLZ (with a place name right after it), a place
introduced by a cue word ("in", "bei", "nähe", "in der Nähe von"), or a known place name at the end (or,
capitalised, at the start) of the line. Words of the service vocabulary are never taken as a bare
place at the start, so "Essen auf Rädern" stays a need.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from zufi.analysis import fold

_PLZ_RE = re.compile(r"^\d{5}$")
_EDGE_PUNCT = ".,;:!?\"'()[]{}«»„“”"
#: Cue words (folded) that introduce a place; multi-word cues are matched longest first.
CUES: tuple[tuple[str, ...], ...] = (
    ("in", "der", "nahe", "von"),
    ("in", "der", "nahe"),
    ("nahe", "von"),
    ("in",),
    ("bei",),
    ("nahe",),
    ("nah",),
    ("aus",),
    ("fur",),
)
MAX_PLACE_WORDS = 4


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What was understood: ``need`` (text to search services for), ``place_text`` (or None) and how
    the place was found (``plz`` | ``cue`` | ``suffix`` | ``prefix`` | ``where`` | None)."""

    text: str
    need: str
    place_text: str | None
    place_source: str | None


def _clean(word: str) -> str:
    return word.strip(_EDGE_PUNCT)


def split_need_place(
    text: str,
    is_place_name: Callable[[str], bool],
    vocabulary: Collection[str] = (),
) -> ParsedQuery:
    """Split ``text`` into need and place.

    Args:
        text: the user's line (already length-checked).
        is_place_name: True for a known place name (the gazetteer's ``is_place_name``).
        vocabulary: folded words of the service catalogue; such a word is not taken as a bare place at
            the start of the line.
    """
    words = [w for w in (_clean(w) for w in text.split()) if w]
    folded = [fold(w) for w in words]

    # 1. a PLZ anywhere, plus a known place name right after it ("99423 Weimar")
    for i, w in enumerate(words):
        if _PLZ_RE.match(w):
            end = i + 1
            for j in range(min(len(words), i + 1 + MAX_PLACE_WORDS), i + 1, -1):
                if is_place_name(" ".join(words[i + 1 : j])):
                    end = j
                    break
            start = i
            cue = _cue_before(folded, i)
            if cue:
                start = i - cue
            need = words[:start] + words[end:]
            return ParsedQuery(text, " ".join(need), " ".join(words[i:end]), "plz")

    # 2. a cue word followed by a place name that runs to the end of the line
    for i in range(1, len(words)):
        for cue in CUES:
            n = len(cue)
            if tuple(folded[i : i + n]) == cue and i + n < len(words):
                rest = words[i + n :]
                if len(rest) <= MAX_PLACE_WORDS and is_place_name(" ".join(rest)):
                    return ParsedQuery(text, " ".join(words[:i]), " ".join(rest), "cue")

    # 3. a place name at the end, longest first, leaving a need before it
    for k in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
        cand = " ".join(words[-k:])
        if is_place_name(cand):
            return ParsedQuery(text, " ".join(words[:-k]), cand, "suffix")

    # 4. a capitalised place name at the start that is not a catalogue word
    for k in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
        cand = " ".join(words[:k])
        if words[0][:1].isupper() and folded[0] not in vocabulary and is_place_name(cand):
            return ParsedQuery(text, " ".join(words[k:]), cand, "prefix")

    return ParsedQuery(text, " ".join(words), None, None)


def _cue_before(folded: list[str], i: int) -> int:
    """Number of words of a cue that ends right before position ``i`` (0 if none)."""
    for cue in CUES:
        n = len(cue)
        if i >= n and tuple(folded[i - n : i]) == cue:
            return n
    return 0
