"""German compound splitting learned from the service catalogue itself.

"Personalausweisantrag", "Hundeanmeldung" or "Meisterbafög" are single words to a tokenizer but several
words to a reader. :class:`CompoundSplitter` splits a folded word into known catalogue words, so that
the index can hold the parts of every compound (field ``parts``) and the query side can read an unknown
compound as its parts. Both sides build the splitter from the same catalogue (indexer once per build,
finder once per open), so they agree on every split.

Rules (source: Duden, "Fugenelemente"; the usual dictionary-based decompounding as in Lucene's
``DictionaryCompoundWordTokenFilter``, here with dynamic programming instead of greedy matching):

* parts are at least :data:`MIN_PART` letters and are catalogue words, or Snowball stems of catalogue
  words of at least :data:`MIN_STEM_PART` letters;
* between two parts one linking element of :data:`LINKERS` may stand (Fugen-s, -es, -n, -en, -e);
* the last part may be inflected (its Snowball stem is a catalogue stem: "…anmeldungen");
* fewest parts wins; ties go to the longer first part, then to the more frequent parts;
* a non-final part that ends in a linking element whose removal leaves a catalogue word is given in
  that base form ("hunde|anmeldung" → ``["hund", "anmeldung"]``).

A catalogue word may occur only inside compounds ("Baum" in "Baumfällgenehmigung"). For a word with no
split into catalogue words, a second pass also accepts the nouns of a general lexicon (the *lexicon*,
from OpenThesaurus, see :mod:`indexer.lexicon`), more strictly: at most :data:`MAX_LEXICON_PARTS` parts,
lexicon parts of at least :data:`MIN_LEXICON_PART` letters (3 for the first part: "Bau|genehmigung"),
and the last part a catalogue word or a lexicon noun ("baum|fall|genehmigung").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from zufi.analysis import expand_ellipses, fold, stem, words
from zufi.errors import DataFileError

#: Linking elements (Fugenelemente) allowed between two parts, tried in this order. Source: Duden,
#: "Fugenelemente"; the rare -er- (Kind-er-garten) and -ens- are left out to keep false splits rare.
LINKERS: tuple[str, ...] = ("", "s", "es", "n", "en", "e")

#: Shortest part (letters) that is a catalogue word.
MIN_PART = 3

#: A word that does not split still yields its head as a part when the head (a catalogue word) has at
#: least this many letters and the rest is a short prefix of at most MAX_HEAD_PREFIX letters:
#: "Erstbeurkundung" and "Nachbeurkundung" are Beurkundungen (prefix + verbal noun, Duden grammar:
#: Präfixbildung), so a query "beurkunden" covers them.
MIN_HEAD_PART = 7
MAX_HEAD_PREFIX = 6

#: Shortest part (letters) accepted only because it is a Snowball stem of a catalogue word.
MIN_STEM_PART = 4

#: A query word found in at least this many services is read as itself, never split on the query side.
FREQUENT_DF = 3

#: Shortest lexicon part (letters) after the first part; the first may have :data:`MIN_PART`.
MIN_LEXICON_PART = 4

#: Most parts of a split that uses lexicon words.
MAX_LEXICON_PARTS = 3

#: Splits remembered per splitter before the memo is cleared (index words plus every query word seen).
CACHE_SIZE = 200_000

#: File name of the compound lexicon inside a build directory (one folded noun per line; written by
#: :mod:`indexer.lexicon`).
LEXICON_FILE = "lexicon.txt"

_Cost = tuple[int, tuple[int, ...], float]


def load_lexicon(build: Path) -> frozenset[str]:
    """The compound lexicon of the build directory ``build``; empty when the build has none (built
    without the thesaurus).

    Raises:
        DataFileError: naming the file when it exists but cannot be read as UTF-8 text.
    """
    path = build / LEXICON_FILE
    if not path.exists():
        return frozenset()
    try:
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"unreadable compound lexicon: {exc}") from exc


@dataclass
class CompoundSplitter:
    """Splits folded words into catalogue words; deterministic for a given vocabulary.

    ``word_df`` maps each folded catalogue word to the number of services it occurs in, ``stem_df``
    each Snowball stem of those words likewise; ``lexicon`` holds folded general nouns for the second
    pass (empty: catalogue words only). Build with :meth:`from_texts` or :meth:`from_services`.
    """

    word_df: Mapping[str, int]
    stem_df: Mapping[str, int]
    lexicon: frozenset[str] = frozenset()
    _cache: dict[str, list[str] | None] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_texts(cls, documents: Iterable[Iterable[str]], lexicon: Iterable[str] = ()) -> CompoundSplitter:
        """Learn the vocabulary from documents, each an iterable of texts (e.g. one service's fields).

        Words are folded and stop words removed exactly as by :func:`zufi.analysis.words`; frequencies
        are document frequencies. ``lexicon``: folded nouns for the second pass.
        """
        word_df: Counter[str] = Counter()
        stem_df: Counter[str] = Counter()
        for texts in documents:
            ws = {w for t in texts for w in words(t) if w.isalpha()}
            word_df.update(ws)
            stem_df.update({stem(w) for w in ws})
        return cls(dict(word_df), dict(stem_df), frozenset(lexicon))

    @classmethod
    def from_services(cls, services: Iterable[object], lexicon: Iterable[str] = ()) -> CompoundSplitter:
        """Learn the vocabulary from catalogue services (:class:`zufi.model.Service`): name,
        Leistungsobjekt, Verrichtung, group and synonyms of each; ``lexicon`` as in :meth:`from_texts`."""
        return cls.from_texts(
            ([s.name, s.leistungsobjekt, s.verrichtung, s.group, *s.synonyms]  # type: ignore[attr-defined]
             for s in services), lexicon)

    # ------------------------------------------------------------------ lookups
    def frequency(self, word: str) -> int:
        """Services holding the folded ``word`` or a word with its stem (0 when unknown)."""
        return max(self.word_df.get(word, 0), self.stem_df.get(stem(word), 0))

    def is_known(self, word: str) -> bool:
        """True when the folded ``word`` or its Snowball stem occurs in the catalogue."""
        return word in self.word_df or stem(word) in self.stem_df

    def is_frequent(self, word: str) -> bool:
        """True when ``word`` is a catalogue word common enough (≥ :data:`FREQUENT_DF` services) that a
        query reads it as itself rather than as its parts."""
        return self.frequency(word) >= FREQUENT_DF

    # ------------------------------------------------------------------ splitting
    def split(self, word: str, *, lexicon: bool = True) -> list[str]:
        """The parts of ``word`` (folded), or ``[word]`` when it has no split into two or more parts;
        ``lexicon=False``: catalogue words only (no second pass).

        >>> s = CompoundSplitter.from_texts([["Hund", "Anmeldung"]])
        >>> s.split("Hundeanmeldung")
        ['hund', 'anmeldung']
        """
        w = fold(word)
        parts = self._split(w, min_parts=2, lexicon=lexicon)
        return parts if parts is not None else [w]

    def decompose(self, word: str) -> list[str] | None:
        """``[word]`` for a known word, its parts for a compound of known words, else ``None``."""
        w = fold(word)
        if self._whole_ok(w):
            return [w]
        return self._split(w, min_parts=2)

    def head(self, word: str) -> str | None:
        """The last compound part of ``word`` ("katzenhaltung" → "haltung"); for a word without a
        split, its longest proper suffix (≥ :data:`MIN_PART` letters) that is a catalogue word
        ("ummeldung" → "meldung"); ``None`` when there is neither."""
        w = fold(word)
        parts = self.split(w)
        if len(parts) >= 2:
            return parts[-1]
        for i in range(1, len(w) - MIN_PART + 1):
            if w[i:] in self.word_df:
                return w[i:]
        return None

    def first(self, word: str) -> str | None:
        """The first compound part of ``word`` ("steuerberatung" → "steur"), ``None`` without a split."""
        parts = self.split(word)
        return parts[0] if len(parts) >= 2 else None

    def _part_ok(self, piece: str) -> bool:
        if len(piece) < MIN_PART:
            return False
        return piece in self.word_df or (len(piece) >= MIN_STEM_PART and piece in self.stem_df)

    def _whole_ok(self, piece: str) -> bool:
        """A final part: a catalogue word, or an inflected form of one."""
        if self._part_ok(piece):
            return True
        return len(piece) >= MIN_STEM_PART and stem(piece) in self.stem_df

    def _freq(self, piece: str) -> int:
        return max(self.word_df.get(piece, 0), self.stem_df.get(piece, 0), self.stem_df.get(stem(piece), 0), 1)

    def _lexicon_part_ok(self, piece: str, first: bool) -> bool:
        return self._part_ok(piece) or (len(piece) >= (MIN_PART if first else MIN_LEXICON_PART)
                                        and piece in self.lexicon)

    def _lexicon_whole_ok(self, piece: str) -> bool:
        return self._whole_ok(piece) or (len(piece) >= MIN_LEXICON_PART and piece in self.lexicon)

    def _split(self, w: str, *, min_parts: int, lexicon: bool = True) -> list[str] | None:
        key = f"{min_parts}:{lexicon:d}:{w}"
        if key in self._cache:
            return self._cache[key]
        if not w.isalpha() or len(w) < 2 * MIN_PART:
            self._cache[key] = None
            return None
        result = self._dp(w, min_parts, lambda piece, _first: self._part_ok(piece), self._whole_ok, len(w))
        if result is not None:
            result = self._base_forms(result, self.word_df)
        elif lexicon and self.lexicon:
            result = self._dp(w, min_parts, self._lexicon_part_ok, self._lexicon_whole_ok, MAX_LEXICON_PARTS)
            if result is not None:
                result = self._base_forms(result, self.word_df, self.lexicon)
        if len(self._cache) >= CACHE_SIZE:  # query words are unbounded: keep memory bounded
            self._cache.clear()
        self._cache[key] = result
        return result

    def _dp(self, w: str, min_parts: int, part_ok: Callable[[str, bool], bool], whole_ok: Callable[[str], bool],
            max_parts: int) -> list[str] | None:
        """Dynamic-programming split of ``w``: ``part_ok(piece, first)`` for non-final parts, ``whole_ok``
        for the final one; None without a split of ``min_parts`` … ``max_parts`` parts."""
        n = len(w)
        memo: dict[int, tuple[_Cost, list[str]] | None] = {}

        def best(i: int) -> tuple[_Cost, list[str]] | None:
            """Best split of w[i:] into ≥ 1 part."""
            if i in memo:
                return memo[i]
            found: tuple[_Cost, list[str]] | None = None
            for j in range(i + MIN_PART, n + 1):
                piece = w[i:j]
                options: list[list[str]] = []
                if j == n and whole_ok(piece):
                    options.append([piece])
                elif j < n and part_ok(piece, False):
                    for link in LINKERS:
                        k = j + len(link)
                        if k < n and w[j:k] == link:
                            rest = best(k)
                            if rest is not None:
                                options.append([piece, *rest[1]])
                for parts in options:
                    cost = self._cost(parts)
                    if found is None or cost < found[0]:
                        found = (cost, parts)
            memo[i] = found
            return found

        candidates: list[tuple[_Cost, list[str]]] = []
        for j in range(MIN_PART, n - MIN_PART + 1):
            piece = w[:j]
            if not part_ok(piece, True):
                continue
            for link in LINKERS:
                k = j + len(link)
                if k < n and w[j:k] == link:
                    rest = best(k)
                    if rest is not None and min_parts <= 1 + len(rest[1]) <= max_parts:
                        parts = [piece, *rest[1]]
                        candidates.append((self._cost(parts), parts))
        if not candidates:
            return None
        return min(candidates, key=lambda c: c[0])[1]

    def _cost(self, parts: list[str]) -> _Cost:
        """Fewest parts, then longer earlier parts, then more frequent parts (lower is better)."""
        return (len(parts), tuple(-len(p) for p in parts), -sum(math.log(self._freq(p)) for p in parts))

    @staticmethod
    def _base_forms(parts: list[str], *vocabularies: Mapping[str, int] | frozenset[str]) -> list[str]:
        """Non-final parts that end in a linking element whose removal leaves a word of ``vocabularies``
        in that base form ("hunde" → "hund")."""
        out = []
        for idx, p in enumerate(parts):
            if idx < len(parts) - 1:
                for link in sorted((lk for lk in LINKERS if lk), key=len, reverse=True):
                    base = p[: -len(link)]
                    if p.endswith(link) and len(base) >= MIN_PART and any(base in v for v in vocabularies):
                        p = base
                        break
            out.append(p)
        return out

    def parts_of(self, text: str) -> list[str]:
        """Folded compound parts of every word of ``text`` that splits (in order, with repeats); for a
        word that does not split but ends in a catalogue word of at least :data:`MIN_HEAD_PART` letters
        after a short prefix (≤ :data:`MAX_HEAD_PREFIX` letters: Erst-, Nach-, Neu-, Wieder-), that head.
        The index field ``parts`` holds their stems."""
        out: list[str] = []
        for w in words(text):
            parts = self.split(w)
            if len(parts) >= 2:
                out.extend(parts)
                continue
            h = self.head(w)
            if h is not None and len(h) >= MIN_HEAD_PART and len(w) - len(h) <= MAX_HEAD_PREFIX:
                out.append(h)  # "erstbeurkundung" → "beurkundung", "wiederzulassung" → "zulassung"
        return out


def document_fields(service: object, splitter: CompoundSplitter,
                    text_fields: Iterable[str]) -> dict[str, list[str]]:
    """Index-side analysis of one service (:class:`zufi.model.Service`), shared by indexer and finder.

    For each base field ``f`` of ``text_fields``: ``f`` = stems, ``f_exact`` = folded words (elliptical
    hyphens completed first, "Neu- und Gebrauchtfahrzeuge"); ``parts`` = stems and ``parts_exact`` =
    folded words of the compound parts of every word of name, Leistungsobjekt and synonyms.
    """
    s = service
    values = {"name": s.name, "leistungsobjekt": s.leistungsobjekt,  # type: ignore[attr-defined]
              "verrichtung": s.verrichtung, "group": s.group,  # type: ignore[attr-defined]
              "synonyms": " ; ".join(s.synonyms)}  # type: ignore[attr-defined]
    values = {k: expand_ellipses(v, splitter.head, splitter.first) for k, v in values.items()}
    fields: dict[str, list[str]] = {}
    for f in text_fields:
        if f == "parts":
            parts = [p for k in ("name", "leistungsobjekt", "synonyms") for p in splitter.parts_of(values[k])]
            fields["parts"] = [stem(p) for p in parts]
            fields["parts_exact"] = parts
            continue
        exact = words(values.get(f, ""))
        fields[f] = [stem(w) for w in exact]
        fields[f"{f}_exact"] = exact
    return fields
