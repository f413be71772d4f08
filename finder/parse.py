"""Split one free-text line into the need and the place: "Hund anmelden Erfurt" → need "Hund anmelden",
place "Erfurt"; "Ummeldung 99423 Weimar" → need "Ummeldung", place "99423 Weimar".

Matching runs on spaCy (``spacy.blank("de")``: no trained pipeline, only the vocabulary and matchers):

* a :class:`spacy.matcher.PhraseMatcher` over every name key the gazetteer resolves (Gemeinden with
  their variants, Berlin/Hamburg Bezirke with "Berlin-…" forms), about 13,500 patterns;
* a :class:`spacy.matcher.Matcher` for a PLZ token (``^\\d{5}$``) and the cue words "in", "bei",
  "nähe"/"naehe", "nahe (von)", "nah", "in der Nähe (von)", "aus", "für".

Both match a *word doc*: the line cut into the same words the gazetteer keys are made of (letters and
digits, folded by :func:`zufi.analysis.fold`, so "koeln", "Köln" and "KOLN" meet, and "Frankfurt/Oder",
"Frankfurt (Oder)" and "Berlin-Neukölln" are two words each, whatever spaCy's tokenizer would do with
the slash, bracket or hyphen). Each word keeps its character span in the raw text, so the place is
answered as typed ("Frankfurt (Oder)"). Words the matchers do not know are replaced by one
placeholder before the Doc is built, so user input never grows spaCy's string store.

Rules, in order (the first that applies wins):

1. a PLZ anywhere is the place, with a place name right after it ("99423 Weimar"); ``plz``
2. a place name right after a cue word ("Bauantrag in der Nähe von Jena", "Umzug nach Bonn"); ``cue``
3. a place name at the end of the line, longest match, leaving a need before it — not a one-word name
   that completes a compound typed apart ("grund buch" is Grundbuch, not Buch in Berlin); ``suffix``
4. a capitalised place name at the start, leaving a need after it; ``prefix``

Place names that are ordinary words (:data:`COMMON_WORDS`, and catalogue words of small Gemeinden such
as "Bescheid" or "Fisch") must stand as a place: rule 4 never takes them, nor a name followed by a
function word that makes it part of a phrase ("Essen auf Rädern beantragen" keeps no place), and a
catalogue word of a Gemeinde below :data:`VOCAB_MIN_POPULATION` needs a cue. Without a place the
whole line is the need; without a need (only a name, "Erfurt") nothing is split.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from finder.synonyms import ENGLISH_FUNCTION_WORDS
from zufi.analysis import key_words
from zufi.compounds import LINKERS

_PLZ_RE = re.compile(r"^[0-9]{5}$")
#: A raw word: letters and digits (Unicode), as the gazetteer's name keys see them.
_RAW_WORD_RE = re.compile(r"[^\W_]+")
_EDGE_PUNCT = ".,;:!?\"'()[]{}«»„“”-/"
_OPEN_CLOSE = {"(": ")", "[": "]"}
_PLACEHOLDER = "\u2400"  # what unknown words become in the word doc (never a pattern word)

#: Cue words (folded) that introduce a place; the Matcher takes the longest that matches.
CUES: tuple[tuple[str, ...], ...] = (
    ("in", "der", "nahe", "von"),
    ("in", "der", "nahe"),
    ("nahe", "von"),
    ("in",),
    ("bei",),
    ("nahe",),
    ("nah",),
    ("aus",),
    ("nach",),
)
MAX_PLACE_WORDS = 4
#: A place after a cue but not at the end of the line must be longer than this ("Au" is also the "au"
#: of "au pair").
MIN_INLINE_PLACE_CHARS = 3
#: Words a user may put before a place name ("Hund anmelden Stadt Erfurt"); the resolver drops them.
PLACE_PREFIX_WORDS = frozenset({"stadt", "gemeinde", "landeshauptstadt", "hansestadt", "bezirk"})
#: Function words after which a name at the start is part of a phrase, not a place
#: ("Essen auf Rädern", "Wald in Not"). Source: own list of German prepositions, articles, conjunctions.
PHRASE_WORDS = frozenset({
    "auf", "in", "im", "an", "am", "aus", "bei", "beim", "mit", "von", "vom", "zu",
    "zum", "zur", "fur", "fuer", "und", "oder", "der", "die", "das", "des", "dem", "den",
    "ein", "eine", "einer", "eines", "nach", "uber", "unter", "vor", "hinter", "ohne", "gegen",
})
#: Frequent German words that are also Gemeinde names (found by intersecting a list of everyday words
#: with the gazetteer's name keys, VG5000 2021). They are taken as a place only after a cue or at the
#: end of the line after a need ("Wohngeld Essen"), never at the start. Source: own list.
COMMON_WORDS = frozenset({
    "au", "bach", "bad", "berg", "brunnen", "buchen", "burg", "damm", "dorf", "elster", "essen", "feld",
    "hausen", "heide", "hof", "horn", "insel", "kirchen", "lage", "lauf", "leer", "linden", "list",
    "loop", "mark", "markt", "much", "nahe", "ohne", "rain", "ried", "rot", "schwarz", "see", "stein",
    "tal", "wald", "weil", "weiler", "welt", "zell", "alle", "haus", "garten", "kind", "ende",
})
#: Everyday English words that are also place names in the gazetteer ("Wedding" is a Berlin Ortsteil,
#: "Plate" a Gemeinde): in an English line (one with an English function word,
#: ``finder.synonyms.ENGLISH_FUNCTION_WORDS``) they are a place only after a cue ("register in
#: wedding"), so "name change after wedding" keeps its need. Source: the 25,000 most frequent English
#: words of spacy-lookups-data (``en_lexeme_prob``) intersected with the gazetteer's name keys, the
#: words a service query may use kept by hand.
ENGLISH_COMMON_WORDS = frozenset({
    "anger", "bark", "bell", "blender", "born", "brake", "brand", "damp", "egg", "fell", "hammer", "heist",
    "horn", "kissing", "list", "loop", "loose", "march", "mark", "much", "plate", "polling", "posing",
    "rain", "rust", "sand", "train", "twist", "valley", "wedding", "worth", "wrist",
})
#: English function words that are German words too ("am Rathaus") do not make a line English.
_NOT_ENGLISH_CUES = frozenset({"am", "an", "in", "die", "i"})  # "i": the numeral of "ALG I", "Teil I"
#: A catalogue word that names a Gemeinde this small (Destatis population) is taken only after a cue:
#: "Steuer Bescheid" is no place, "Hund anmelden Berlin" is (Berlin is a catalogue word too).
VOCAB_MIN_POPULATION = 20_000


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What was understood: ``need`` (text to search services for), ``place_text`` (or None) and how
    the place was found (``plz`` | ``cue`` | ``suffix`` | ``prefix`` | ``where`` | ``whole`` | ``fuzzy``
    — a misspelt town, see :meth:`finder.core.Finder._misspelt_place` — | None)."""

    text: str
    need: str
    place_text: str | None
    place_source: str | None


@dataclass(frozen=True, slots=True)
class _Word:
    raw: str  # as typed
    key: str  # folded (letters and digits only)
    start: int  # character offsets in the line
    end: int


def _line_words(text: str) -> list[_Word]:
    out = []
    for m in _RAW_WORD_RE.finditer(text):
        key = "".join(key_words(m.group()))
        if key == "st":  # "St. Ingbert" as the gazetteer keys it (gazetteer.names.name_key)
            key = "sankt"
        if key:
            out.append(_Word(m.group(), key, m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------- matching
class _Matchers:
    """The spaCy objects: a blank German pipeline's vocabulary, the place PhraseMatcher, the PLZ/cue
    Matcher. Built once (about 0.3–0.5 s for all of Germany, see benchmarks/bench_suggest.py)."""

    def __init__(self, place_keys: Iterable[str]) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = spacy.blank("de")
        vocab = self.nlp.vocab
        self._doc = Doc
        keys = sorted({k for k in place_keys if k})
        self.places = PhraseMatcher(vocab, attr="ORTH")
        # the keys are already folded and split into words: build pattern Docs straight from the words
        # (no tokenizer pass needed; nlp.tokenizer.pipe over the same keys takes as long again)
        self.places.add("PLACE", [Doc(vocab, words=k.split()) for k in keys])
        self.known = frozenset(w for k in keys for w in k.split()) | {w for c in CUES for w in c}
        self.tokens = Matcher(vocab)
        self.tokens.add("PLZ", [[{"ORTH": "\u2400plz"}]])
        self.tokens.add("CUE", [[{"ORTH": w} for w in cue] for cue in CUES], greedy="LONGEST")
        self.plz_id = vocab.strings["PLZ"]
        self.cue_id = vocab.strings["CUE"]

    def doc(self, words: list[_Word]) -> Any:
        """The word doc: folded words, PLZ as one marker, unknown words as a placeholder."""
        norm = []
        for w in words:
            if _PLZ_RE.match(w.key):
                norm.append("\u2400plz")
            else:
                norm.append(w.key if w.key in self.known else _PLACEHOLDER)
        return self._doc(self.nlp.vocab, words=norm)


class PlaceParser:
    """Need/place splitter over the gazetteer's names, spaCy-matched (see the module docstring).

    Args:
        places: ``(name key, population)`` pairs — the folded keys the gazetteer resolves
            (``Gazetteer.names()``: key and population); population may be None.
        vocabulary: folded words of the service catalogue.

    The spaCy objects are built on the first :meth:`split` (or :meth:`warm`) and then shared; safe
    to call from several threads.
    """

    def __init__(self, places: Iterable[tuple[str, int | None]], vocabulary: Collection[str] = ()) -> None:
        pop: dict[str, int] = {}
        for key, population in places:
            if key:
                pop[key] = max(pop.get(key, 0), population or 0)
        self._population = pop
        self._vocabulary = frozenset(vocabulary)
        self._matchers: _Matchers | None = None
        self._lock = threading.Lock()

    def warm(self) -> float:
        """Build the spaCy objects now; returns the seconds it took (0 when already built)."""
        import time

        if self._matchers is not None:
            return 0.0
        with self._lock:
            if self._matchers is not None:
                return 0.0
            t0 = time.perf_counter()
            self._matchers = _Matchers(self._population)
            return time.perf_counter() - t0

    def split(self, text: str) -> ParsedQuery:
        """Split ``text`` (already validated) into need and place."""
        self.warm()
        m = self._matchers
        assert m is not None
        words = _line_words(text)
        doc = m.doc(words)
        spans = [(s, e) for _id, s, e in m.places(doc)]
        plz, cues = [], []
        for match_id, s, e in m.tokens(doc):
            (plz if match_id == m.plz_id else cues).append((s, e))
        needs_cue = self._needs_cue
        if _is_english(words):
            def needs_cue(key: str) -> bool:
                return key in ENGLISH_COMMON_WORDS or self._needs_cue(key)
        return _decide(text, words, spans, plz, cues, self._may_stand_alone, needs_cue, self._vocabulary)

    def _may_stand_alone(self, key: str) -> bool:
        """May this name be a place at the start of a line, without a cue?"""
        return key not in COMMON_WORDS and not self._needs_cue(key)

    def _needs_cue(self, key: str) -> bool:
        return key in self._vocabulary and self._population.get(key, 0) < VOCAB_MIN_POPULATION


def _is_english(words: list[_Word]) -> bool:
    """Whether the line holds an English function word (``finder.synonyms.ENGLISH_FUNCTION_WORDS``, less
    :data:`_NOT_ENGLISH_CUES`); then :data:`ENGLISH_COMMON_WORDS` need a cue to be a place."""
    return any(w.key in ENGLISH_FUNCTION_WORDS and w.key not in _NOT_ENGLISH_CUES for w in words)


def split_need_place(
    text: str,
    is_place_name: Callable[[str], bool],
    vocabulary: Collection[str] = (),
    parser: PlaceParser | None = None,
) -> ParsedQuery:
    """Split ``text`` into need and place.

    With ``parser`` (what :class:`finder.core.Finder` passes) the spaCy matchers find the names;
    without it each run of up to :data:`MAX_PLACE_WORDS` words is checked with ``is_place_name`` (a
    dict look-up per span) — same rules, for callers that have a predicate but no gazetteer.

    Args:
        text: the user's line (already length-checked).
        is_place_name: True for a known place name (the gazetteer's ``is_place_name``).
        vocabulary: folded words of the service catalogue; such a word is not taken as a bare place at
            the start of the line.
        parser: a :class:`PlaceParser` to use instead of ``is_place_name``.
    """
    if parser is not None:
        return parser.split(text)
    words = _line_words(text)
    spans = []
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + MAX_PLACE_WORDS) + 1):
            if is_place_name(_raw_span(text, words[i].start, words[j - 1].end)):
                spans.append((i, j))
    plz = [(i, i + 1) for i, w in enumerate(words) if _PLZ_RE.match(w.key)]
    cues = []
    keys = [w.key for w in words]
    for i in range(len(words)):
        for cue in CUES:
            if tuple(keys[i:i + len(cue)]) == cue:
                cues.append((i, i + len(cue)))
                break
    vocab = frozenset(vocabulary)
    return _decide(text, words, spans, plz, cues,
                   lambda k: k not in COMMON_WORDS and k not in vocab, lambda k: False, vocab)


# ---------------------------------------------------------------------------------------- deciding
def _decide(
    text: str,
    words: list[_Word],
    spans: list[tuple[int, int]],
    plz: list[tuple[int, int]],
    cues: list[tuple[int, int]],
    may_stand_alone: Callable[[str], bool],
    needs_cue: Callable[[str], bool],
    vocabulary: Collection[str] = (),
) -> ParsedQuery:
    """Apply the rules of the module docstring to the matches (word index spans, end exclusive)."""
    n = len(words)
    longest_from: dict[int, int] = {}
    longest_to: dict[int, int] = {}
    for s, e in spans:
        longest_from[s] = max(longest_from.get(s, s), e)
        longest_to[e] = min(longest_to.get(e, e), s)

    def key(s: int, e: int) -> str:
        return " ".join(w.key for w in words[s:e])

    def answer(s: int, e: int, source: str, cut_from: int | None = None) -> ParsedQuery | None:
        # "Stadt Erfurt": the resolver knows the prefix word, keep it with the place
        if source != "plz" and cut_from is None and s > 0 and words[s - 1].key in PLACE_PREFIX_WORDS:
            s -= 1
        cut = s if cut_from is None else cut_from
        need = _need(text, words[cut].start, words[e - 1].end)
        if not need and source != "plz":
            return None
        return ParsedQuery(text, need, _raw_span(text, words[s].start, words[e - 1].end), source)

    # 1. a PLZ anywhere, plus a place name right after it
    for s, _e in sorted(plz):
        e = longest_from.get(s + 1, s + 1)
        if e - (s + 1) > MAX_PLACE_WORDS:
            e = s + 1
        cut = s
        for cs, ce in cues:
            if ce == s:
                cut = cs
        got = answer(s, e, "plz", cut_from=cut)
        assert got is not None  # a PLZ is the place even without a need
        return got

    # 2. a place right after a cue (longest cue, longest name); inside the line ("Reisepass in Jena
    #    beantragen") only a name that cannot be an ordinary word ("au pair", "in Wald und Flur")
    for cs, ce in sorted(cues, key=lambda c: (c[0], -c[1])):
        e = longest_from.get(ce)
        if e is not None and e < n and (len(key(ce, e)) <= MIN_INLINE_PLACE_CHARS or key(ce, e) in COMMON_WORDS):
            continue
        if e is not None:
            got = answer(ce, e, "cue", cut_from=cs)
            if got:
                return got

    # 3. a place at the end, longest first
    s = longest_to.get(n)
    if s is not None and s > 0:
        k = key(s, n)
        if not needs_cue(k) and (k,) not in CUES and not (n - s == 1 and _joins(words[s - 1].key, k, vocabulary)):
            got = answer(s, n, "suffix")
            if got:
                return got

    # 4. a capitalised place at the start that stands alone (not part of a phrase)
    e = longest_from.get(0)
    if e is not None and e < n and words[0].raw[:1].isupper():
        k = key(0, e)
        if may_stand_alone(k) and words[e].key not in PHRASE_WORDS:
            got = answer(0, e, "prefix")
            if got:
                return got

    return ParsedQuery(text, _need(text, len(text), len(text)), None, None)


def _joins(before: str, name: str, vocabulary: Collection[str]) -> bool:
    """Whether ``before`` and the one-word place ``name`` join (directly or with a linking element) into
    a catalogue word: then the name is the second half of a compound typed apart ("grund buch" →
    Grundbuch, not the Berlin Ortsteil Buch)."""
    return any(before + link + name in vocabulary for link in LINKERS)


def _raw_span(text: str, start: int, end: int) -> str:
    """The place as typed: the raw characters from the first to the last word, plus a closing bracket
    that belongs to an opening one inside ("Frankfurt (Oder)")."""
    span = text[start:end]
    for o, c in _OPEN_CLOSE.items():
        if span.count(o) > span.count(c) and text[end:end + 1] == c:
            span += c
    return span


def _need(text: str, cut_start: int, cut_end: int) -> str:
    """The line without ``text[cut_start:cut_end]`` (and a bracket closing the cut), words trimmed of
    edge punctuation and joined by single spaces."""
    rest = text[cut_end:]
    cut = text[cut_start:cut_end]
    for o, c in _OPEN_CLOSE.items():
        if cut.count(o) > cut.count(c) and rest.startswith(c):
            rest = rest[1:]
    kept = text[:cut_start] + " " + rest
    # a trailing hyphen after a letter is an Ergänzungsstrich ("An- und Ummeldung"): kept, so that
    # finder.tokens can complete the word
    return " ".join(w for w in (w.strip(_EDGE_PUNCT) + ("-" if len(w) > 1 and w[-1] == "-" and w[-2].isalnum()
                                                        else "") for w in kept.split()) if w)
