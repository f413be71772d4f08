"""Typo expansion against the index vocabulary, done in Python so every backend ranks the same.

A query word the catalogue does not know ("gewebeanmeldung", "grundbuchauzug") is read as the catalogue
words within a small Damerau-Levenshtein distance (rapidfuzz, C implementation): distance 1 for words of
≥ :data:`MIN_LEN_1` letters, 2 for ≥ :data:`MIN_LEN_2` letters. The backend only ever sees plain terms.
Typos inside compounds are found by splitting: a known word (or compound of known words) followed or
preceded by a misspelt part ("grundbuch" + "auzug" → "auszug").
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from zufi.compounds import LINKERS, CompoundSplitter

#: Shortest word (letters) that gets fuzzy readings at distance 1; shorter words never do.
MIN_LEN_1 = 4
#: A word this long that no catalogue split reads may be a general noun plus a misspelt catalogue word
#: ("abriss|genemigung"); shorter words skip that (costly) last pass.
MIN_LEXICON_SPLIT = 12
#: Shortest word (letters) that may also match at distance 2.
MIN_LEN_2 = 8
#: Reading weight per edit distance (an exact reading weighs 1.0).
WEIGHTS: dict[int, float] = {1: 0.6, 2: 0.4}
#: Most fuzzy matches kept per word.
MAX_MATCHES = 5

#: Suffixes by which a catalogue word may extend a query word (Duden grammar: noun-forming -ung, -heit,
#: -keit, -schaft; adjective -lich, -ig; inflection -e, -en, -er, -es, -s, -n). Used for words people type
#: in another word class than the catalogue uses ("kennzeichen unleserlich" → Unleserlichkeit).
DERIVATION_SUFFIXES = frozenset({"ung", "ungen", "heit", "keit", "igkeit", "lichkeit", "schaft", "lich", "ig",
                                 "e", "en", "er", "es", "s", "n", "ens"})
MIN_DERIVATION_LEN = 5
#: Leading letters that must be typed right (as Lucene/Elasticsearch ``prefix_length``): typos in the
#: first letter are rare, and without this ordinary words outside the catalogue get "corrected"
#: ("zahlen" → "wahlen").
PREFIX_LENGTH = 1


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """A vocabulary ``term`` within ``distance`` edits of a query word; ``kind`` says whether it is a
    folded catalogue word or only a Snowball stem; ``df`` is its document frequency."""

    term: str
    kind: Literal["word", "stem"]
    distance: int
    df: int

    @property
    def weight(self) -> float:
        """The reading weight for this distance (see :data:`WEIGHTS`)."""
        return WEIGHTS[self.distance]


@dataclass(frozen=True, slots=True)
class FuzzySplit:
    """A compound read as known ``parts`` with exactly one misspelt part at index ``fuzzy_at``, whose
    candidates are ``matches``."""

    parts: tuple[str, ...]
    fuzzy_at: int
    matches: tuple[FuzzyMatch, ...]


def max_distance(word: str) -> int:
    """Allowed edits for ``word``: 0 below 4 letters, 1 from 4, 2 from 8."""
    n = len(word)
    return 2 if n >= MIN_LEN_2 else 1 if n >= MIN_LEN_1 else 0


class FuzzyIndex:
    """Vocabulary terms bucketed by length for bounded Damerau-Levenshtein lookups.

    Args:
        word_df: folded catalogue words → document frequency.
        stem_df: Snowball stems → document frequency (a term that is both counts as a word).
    """

    def __init__(self, word_df: Mapping[str, int], stem_df: Mapping[str, int]) -> None:
        self._terms: dict[str, tuple[Literal["word", "stem"], int]] = {}
        for t, df in stem_df.items():
            if t.isalpha():
                self._terms[t] = ("stem", df)
        for t, df in word_df.items():
            if t.isalpha():
                self._terms[t] = ("word", max(df, self._terms.get(t, ("word", 0))[1]))
        buckets: defaultdict[int, list[str]] = defaultdict(list)
        self._sorted = sorted(self._terms)
        for t in self._sorted:
            buckets[len(t)].append(t)
        self._buckets = dict(buckets)

    @classmethod
    def from_splitter(cls, splitter: CompoundSplitter) -> FuzzyIndex:
        """The fuzzy index over the same vocabulary as ``splitter``."""
        return cls(splitter.word_df, splitter.stem_df)

    def __contains__(self, term: str) -> bool:
        return term in self._terms

    def is_word(self, term: str) -> bool:
        """Whether ``term`` is a catalogue word (not only the Snowball stem of one)."""
        entry = self._terms.get(term)
        return entry is not None and entry[0] == "word"

    def lookup(self, word: str, *, limit: int = MAX_MATCHES) -> list[FuzzyMatch]:
        """Vocabulary terms near ``word`` (folded), best first: smaller distance, then more frequent,
        then alphabetical; at most ``limit``. The first :data:`PREFIX_LENGTH` letters must agree.
        Distance-2 matches are dropped when a distance-1 match exists. Empty for words shorter than 4 letters and for terms already in the vocabulary."""
        k = max_distance(word)
        if k == 0 or word in self._terms:
            return []
        found: list[FuzzyMatch] = []
        for n in range(len(word) - k, len(word) + k + 1):
            bucket = self._buckets.get(n)
            if not bucket:
                continue
            for term, d, _ in process.extract(word, bucket, scorer=DamerauLevenshtein.distance,
                                              score_cutoff=k, limit=None):
                if term[:PREFIX_LENGTH] != word[:PREFIX_LENGTH]:
                    continue
                kind, df = self._terms[term]
                found.append(FuzzyMatch(term, kind, int(d), df))
        if not found:
            return []
        best = min(m.distance for m in found)
        found = [m for m in found if m.distance == best]
        found.sort(key=lambda m: (m.distance, m.kind != "word", -m.df, m.term))
        return found[:limit]

    def derivations(self, word: str, *, limit: int = MAX_MATCHES) -> list[str]:
        """Vocabulary words that extend ``word`` (folded, ≥ :data:`MIN_DERIVATION_LEN` letters, itself not
        in the vocabulary) by a German derivational or inflectional suffix (:data:`DERIVATION_SUFFIXES`):
        "unleserlich" → "unleserlichkeit", "beglaubig" → "beglaubigung". Most frequent first."""
        if len(word) < MIN_DERIVATION_LEN or word in self._terms:
            return []
        found = []
        i = bisect.bisect_left(self._sorted, word)
        while i < len(self._sorted) and self._sorted[i].startswith(word):
            term = self._sorted[i]
            if term[len(word):] in DERIVATION_SUFFIXES:
                found.append(term)
            i += 1
        found.sort(key=lambda t: (-self._terms[t][1], len(t), t))
        return found[:limit]

    def split_lookup(self, word: str, splitter: CompoundSplitter) -> FuzzySplit | None:
        """Read ``word`` as known parts plus one misspelt part of ≥ 4 letters ("grundbuchauzug" →
        ``grundbuch`` + ``auzug``~``auszug``). Tries every cut, both sides; the best reading has the
        smallest distance, then the fewest parts, then the longest fuzzy part. ``None`` if none."""
        best: tuple[tuple[int, int, int], FuzzySplit] | None = None
        n = len(word)
        for cut in range(3, n - MIN_LEN_1 + 1):
            left, right = word[:cut], word[cut:]
            # known left part(s), misspelt right part (a linking element may end the left side)
            lead = _known_prefix(left, splitter)
            if lead is not None:
                matches = [m for m in self.lookup(right) if len(m.term) >= MIN_LEN_1]
                if matches:
                    split = FuzzySplit((*lead, matches[0].term), len(lead), tuple(matches))
                    best = _better(best, split, right)
        for cut in range(MIN_LEN_1, n - 2):
            left, right = word[:cut], word[cut:]
            tail = splitter.decompose(right)
            if tail is None:
                continue
            for link in LINKERS:
                if link and not left.endswith(link):
                    continue
                stemless = left[: len(left) - len(link)] if link else left
                matches = [m for m in self.lookup(stemless) if len(m.term) >= MIN_LEN_1]
                if matches:
                    split = FuzzySplit((matches[0].term, *tail), 0, tuple(matches))
                    best = _better(best, split, stemless)
        if best is None and splitter.lexicon and n >= MIN_LEXICON_SPLIT:
            # only then a general noun of the lexicon as the known left part ("abriss|genehmigng"):
            # each such prefix costs a typo lookup
            for cut in range(MIN_LEN_1, n - MIN_LEN_1 + 1):
                left, right = word[:cut], word[cut:]
                lead = _known_prefix(left, splitter, lexicon=True)
                if lead is not None:
                    matches = [m for m in self.lookup(right) if len(m.term) >= MIN_LEN_1]
                    if matches:
                        split = FuzzySplit((*lead, matches[0].term), len(lead), tuple(matches))
                        best = _better(best, split, right)
        return best[1] if best else None


def _known_prefix(left: str, splitter: CompoundSplitter, *, lexicon: bool = False) -> list[str] | None:
    """``left`` (less a linking element) as catalogue words — or, with ``lexicon``, as one general noun
    of the splitter's lexicon (≥ :data:`MIN_LEN_1` letters); None if neither."""
    for link in LINKERS:
        if link and not left.endswith(link):
            continue
        base = left[: len(left) - len(link)] if link else left
        if len(base) < 3:
            continue
        if lexicon:
            if len(base) >= MIN_LEN_1 and base in splitter.lexicon:
                return [base]
            continue
        parts = splitter.decompose(base)
        if parts is not None:
            return parts
    return None


def _better(best: tuple[tuple[int, int, int], FuzzySplit] | None, split: FuzzySplit,
            fuzzy_piece: str) -> tuple[tuple[int, int, int], FuzzySplit]:
    cost = (split.matches[0].distance, len(split.parts), -len(fuzzy_piece))
    if best is None or cost < best[0]:
        return (cost, split)
    return best
