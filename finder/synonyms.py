"""Curated synonym and translation tables, applied to the query at search time.

The tables live in small text files (``finder/data/synonyms.tsv``, ``finder/data/translations.tsv``,
plus any files named in ``ZUFI_SYNONYM_FILES``) and are read by the finder, never by the indexer: a
changed rule takes effect on the next request (:meth:`SynonymTable.reload_if_changed`), no index
rebuild needed. The format is described in ``finder/data/README.md``; in short, one rule per line::

    perso | persi => personalausweis                 # OpenThesaurus "Perso (ugs.)"
    auto anmelden => fahrzeug zulassung ; 0.85       # optional weight after ";"
    en: passport => reisepass                        # language tag: a translation

Both sides are folded with :func:`zufi.analysis.words` when the file is loaded, so "Führerschein",
"Fuehrerschein" and "fuhrerschein" are the same left side and match the query's folded words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from zufi.analysis import STOP_WORDS, drop_possessive, fold, words
from zufi.errors import DataFileError
from zufi.settings import Settings

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The two curated files shipped with the package, in load order.
REPO_FILES = ("synonyms.tsv", "translations.tsv")

SYNONYM_WEIGHT = 0.9
"""Default ranking weight of an untagged (German synonym) rule."""
TRANSLATION_WEIGHT = 0.85
"""Default ranking weight of a rule with a language tag (a translation)."""

_TAG_RE = re.compile(r"^([a-z]{2,3})\s*:\s+")

#: Snowball stemmer (PyStemmer algorithm name) for the words of a translation rule, by language tag. A
#: rule lists a phrase in one or two forms, people type it in any case or number ("справка о регистрации"
#: as written, "справку о регистрации" as asked; "ehliyetimi", "zameldowania"), so a tagged rule also
#: matches query words whose stems equal its words' stems. Ukrainian has no Snowball stemmer; the Russian
#: one strips the endings the two languages share. German rules (no tag) match exactly: the index itself
#: stems German words. Source: Snowball (snowballstem.org) via PyStemmer.
TRANSLATION_STEMMERS = {"en": "english", "ru": "russian", "uk": "russian", "pl": "polish",
                        "tr": "turkish", "ar": "arabic"}
#: Words of the query that may stand between the words of a rule of several words ("kind kommt
#: nächstes jahr schule" still reads as "kind kommt schule"); such a match weighs GAP_FACTOR as much.
MAX_GAP = 2
GAP_FACTOR = 0.9
#: A rule whose words have a stem shorter than this (other than the word itself) matches only as
#: written: short stems of different words collide ("дети" → "дет").
MIN_STEM_CHARS = 4
# Letters and digits of any script: the fallback for left sides that zufi.analysis.words() drops
# entirely (Arabic, Cyrillic while its word pattern is ASCII-only).
_ANY_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Expansion:
    """One way to read part of a query: the folded query ``words[start:end]`` may be read as ``terms``.

    Attributes:
        start: index of the first query word covered (0-based).
        end: index after the last covered word (``end > start``).
        terms: the folded catalogue words the span means (``zufi.analysis.words`` of the rule's right side).
        weight: ranking multiplier, ``0 < weight <= 1`` (1 = as good as the typed words).
        source: where the rule comes from, ``"synonyms.tsv:12"`` or ``"translations.tsv:40 (en)"``.
        gaps: query words inside ``[start, end)`` that the rule does not cover (a match with gaps,
            :data:`MAX_GAP`); they keep their own readings.
    """

    start: int
    end: int
    terms: tuple[str, ...]
    weight: float
    source: str
    gaps: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    terms: tuple[str, ...]
    weight: float
    source: str
    lang: str | None = None


@cache
def _stemmer(algorithm: str):
    """The PyStemmer Snowball stemmer ``algorithm`` (one object per algorithm; its C calls hold the GIL)."""
    import Stemmer

    return Stemmer.Stemmer(algorithm)


#: Arabic words are built on three-letter roots, so their stems may be that short.
MIN_ARABIC_STEM_CHARS = 3
#: Arabic "لل" (li- + al-, "for the") at the start of a word: read as the article "ال" before stemming, which the
#: Snowball stemmer strips ("للاجئين" → "اللاجئين", for the refugees). Source: Arabic grammar (the
#: preposition li- before the article al- drops the article's alif).
_ARABIC_LIL = "لل"


def _stem_words(words: list[str] | tuple[str, ...], algorithm: str) -> list[str]:
    """``words`` stemmed with ``algorithm`` (Arabic "للـ" first read as "اللـ")."""
    if algorithm == "arabic":
        words = ["ا" + w if w.startswith(_ARABIC_LIL) and len(w) > 4 else w for w in words]
    return _stemmer(algorithm).stemWords(list(words))


def _stem_key(key: tuple[str, ...], algorithm: str) -> tuple[str, ...] | None:
    """``key``'s words stemmed with ``algorithm``; None when a stem is shorter than MIN_STEM_CHARS and
    is not the whole word (a short word matches only as typed, through the exact rules)."""
    shortest = MIN_ARABIC_STEM_CHARS if algorithm == "arabic" else MIN_STEM_CHARS
    out = []
    for w, st in zip(key, _stem_words(key, algorithm)):
        if len(st) < shortest and st != w:
            return None
        out.append(st)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _State:
    """One loaded rule set; every field is built by :func:`_load_state` (a reload swaps the whole)."""

    rules: dict[tuple[str, ...], tuple[_Rule, ...]]
    max_len: int
    stamps: tuple[tuple[int, int] | None, ...]
    warnings: tuple[str, ...]
    #: first word → left sides of two or more words starting with it (for matches with gaps)
    by_first: dict[str, tuple[tuple[str, ...], ...]]
    #: second word → left sides of exactly two words with that second word (matched in swapped order)
    by_second: dict[str, tuple[tuple[str, ...], ...]]
    #: stemmer algorithm → stemmed left words → (left words, rule) pairs (translation rules only, see
    #: TRANSLATION_STEMMERS)
    stemmed: dict[str, dict[tuple[str, ...], tuple[tuple[tuple[str, ...], _Rule], ...]]]
    #: first words of the left sides, and per stemmer the first stems: spans starting elsewhere are skipped
    firsts: frozenset[str]
    stem_firsts: dict[str, frozenset[str]]
    #: every word of every left side
    left_words: frozenset[str]


def _stamp(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size in bytes) of ``path``, or None when it cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


#: English function words: dropped from a query that holds at least ``ENGLISH_MIN_HITS`` of them
#: ("how do i get a certificate of …", :func:`finder.tokens.query_words`), where they would otherwise match
#: catalogue words ("I" in "Zulassungsbescheinigung Teil I", "of" in "Certificate of good standing"). An
#: ``en:`` rule also loads without them ("power of attorney" → "power attorney"). Own list.
ENGLISH_FUNCTION_WORDS = frozenset([
    "i", "me", "my", "mine", "you", "your", "we", "our", "they", "their", "he", "she", "his", "her", "it",
    "its", "the", "of", "for", "to", "from", "with", "without", "on", "at", "by", "about", "into", "and",
    "or", "how", "what", "where", "who", "when", "which", "why", "do", "does", "did", "can", "could",
    "should", "would", "is", "are", "be", "been", "am", "have", "has", "had", "want", "need", "get",
    "got", "please", "this", "that", "there", "some", "any", "if", "after", "before", "just", "find",
])
ENGLISH_MIN_HITS = 2


def _left_words(text: str) -> tuple[str, ...]:
    """Folded words of one left-side alternative, as the query pipeline will see them.

    Uses :func:`zufi.analysis.words`; only when that yields nothing (a script its word pattern does
    not cover) falls back to letters of any script, so Arabic and Cyrillic rules still load and apply
    to words passed in directly (and to real queries once the analysis keeps those letters).
    """
    ws = words(drop_possessive(text))
    if ws:
        return tuple(ws)
    return tuple(w for w in _ANY_WORD_RE.findall(fold(text)) if w not in STOP_WORDS)


def _parse_line(raw: str, path: Path, lineno: int,
                warnings: list[str]) -> list[tuple[tuple[str, ...], _Rule]]:
    """Parse one line into (left words, rule) pairs, one per left alternative; [] for blank/comment.

    A left alternative holding a stop word is skipped and reported in ``warnings`` (not an error, so a
    change of :data:`zufi.analysis.STOP_WORDS` cannot stop the finder from starting).

    Raises:
        DataFileError: with ``"line N: ..."`` for any malformed line.
    """
    line = raw.split("#", 1)[0].strip()
    if not line:
        return []

    def bad(reason: str) -> DataFileError:
        return DataFileError(path, f"line {lineno}: {reason}")

    lang = None
    m = _TAG_RE.match(line)
    if m:
        lang = m.group(1)
        line = line[m.end():]
    if line.count("=>") != 1:
        raise bad("expected exactly one '=>' between left and right side")
    left, right = (part.strip() for part in line.split("=>"))
    weight = TRANSLATION_WEIGHT if lang else SYNONYM_WEIGHT
    if ";" in right:
        right, _, wtext = (part.strip() for part in right.partition(";"))
        try:
            weight = float(wtext)
        except ValueError:
            raise bad(f"weight {wtext!r} is not a number") from None
        if not 0 < weight <= 1:
            raise bad(f"weight {weight} is outside (0, 1]")
    terms = tuple(words(right))
    if not terms:
        raise bad("right side has no words (empty, or only stop words)")
    if not left:
        raise bad("left side is empty")
    source = f"{path.name}:{lineno}" + (f" ({lang})" if lang else "")
    rule = _Rule(terms, weight, source, lang)
    out = []
    skipped = False
    for alt in left.split("|"):
        alt = alt.strip()
        if not alt:
            raise bad("empty alternative in left side (doubled or trailing '|')")
        dropped = [w for w in _ANY_WORD_RE.findall(fold(alt)) if w in STOP_WORDS]
        if dropped:
            # Queries never carry stop words, so "führerschein machen" would fire for every
            # "Führerschein" query once "machen" became a stop word: skip the alternative, tell.
            warnings.append(f"{path.name}:{lineno}: left side {alt!r} skipped, it holds stop word(s) "
                            f"{', '.join(dropped)} (zufi.analysis.STOP_WORDS) that queries never carry")
            skipped = True
            continue
        key = _left_words(alt)
        if not key:
            raise bad(f"left side {alt!r} has no letters or digits")
        if key != terms:  # "führerschein | fuehrerschein => führerschein" spellings: nothing to add
            out.append((key, rule))
        if lang == "en":  # an English question loses its function words (finder.tokens.query_words)
            short = tuple(w for w in key if w not in ENGLISH_FUNCTION_WORDS)
            # ... but a phrase that shrinks to one word would fire on that word in any query ("had baby"
            # → "baby", a German word too): only phrases of two words or more are kept
            if len(short) >= 2 and short != key and short != terms:
                out.append((short, rule))
    if not out and not skipped:
        raise bad("every left alternative equals the right side; the rule changes nothing")
    return out


def _load_state(paths: list[Path]) -> _State:
    """Read and merge the rule files in order; a repeated (left, right) pair keeps its first source.

    The file stamps are taken before reading, so an edit made while loading is picked up next time.

    Raises:
        DataFileError: a file is missing or unreadable, or a line is malformed.
    """
    stamps = tuple(_stamp(p) for p in paths)
    rules: dict[tuple[str, ...], list[_Rule]] = {}
    warnings: list[str] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(path, f"cannot read synonym file: {exc}") from exc
        for lineno, raw in enumerate(text.splitlines(), start=1):
            for key, rule in _parse_line(raw, path, lineno, warnings):
                bucket = rules.setdefault(key, [])
                if all(r.terms != rule.terms for r in bucket):
                    bucket.append(rule)
    for w in warnings:
        log.warning("synonym rule %s", w)
    stemmed: dict[str, dict[tuple[str, ...], list[tuple[tuple[str, ...], _Rule]]]] = {}
    for key, bucket in rules.items():
        for rule in bucket:
            algorithm = TRANSLATION_STEMMERS.get(rule.lang or "")
            if algorithm is None:
                continue
            skey = _stem_key(key, algorithm)
            if skey is None:
                continue
            stemmed.setdefault(algorithm, {}).setdefault(skey, []).append((key, rule))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    by_second: dict[str, list[tuple[str, ...]]] = {}
    for key in rules:
        if len(key) > 1:
            by_first.setdefault(key[0], []).append(key)
        if len(key) == 2 and key[0] != key[1]:
            by_second.setdefault(key[1], []).append(key)
    return _State(
        rules={k: tuple(v) for k, v in rules.items()}, max_len=max((len(k) for k in rules), default=0),
        stamps=stamps, warnings=tuple(warnings),
        by_first={w: tuple(ks) for w, ks in by_first.items()},
        by_second={w: tuple(ks) for w, ks in by_second.items()},
        stemmed={a: {k: tuple(v) for k, v in d.items()} for a, d in stemmed.items()},
        firsts=frozenset(k[0] for k in rules), stem_firsts={a: frozenset(k[0] for k in d) for a, d in stemmed.items()},
        left_words=frozenset(w for k in rules for w in k))


class SynonymTable:
    """Query-time synonym and translation rules, matched on folded query words.

    Build with :meth:`load`; one instance is safe to share between threads (a reload swaps the whole
    rule set at once). Rules come from the files only — see ``finder/data/README.md`` for the format
    and the sources of the shipped rules.
    """

    def __init__(self, paths: list[Path], state: _State) -> None:
        self.paths = list(paths)
        self._state = state
        self._lock = threading.Lock()

    @classmethod
    def load(cls, paths: list[Path]) -> SynonymTable:
        """Read the rule files ``paths`` (later files add to earlier ones).

        Raises:
            DataFileError: ``(path, "line N: ...")`` for a malformed line, or a missing/unreadable file.
        """
        paths = [Path(p) for p in paths]
        return cls(paths, _load_state(paths))

    @property
    def warnings(self) -> tuple[str, ...]:
        """Problems of the current rules that did not stop loading (left sides skipped for stop words)."""
        return self._state.warnings

    def rules(self) -> list[tuple[tuple[str, ...], Expansion]]:
        """Every loaded rule as (folded left words, the :class:`Expansion` it gives on exactly those words),
        in load order (by each left side's first appearance) — for checks and debugging tools."""
        return [(k, Expansion(0, len(k), r.terms, r.weight, r.source))
                for k, rs in self._state.rules.items() for r in rs]

    def has_word(self, word: str) -> bool:
        """Whether the folded ``word`` is a word of some rule's left side ("rausfinden" of "adresse
        rausfinden"): the query analysis then reads a separable verb as it (``finder.tokens.verbs``)."""
        return word in self._state.left_words

    def __len__(self) -> int:
        """Number of distinct (left side, right side) pairs."""
        return sum(len(v) for v in self._state.rules.values())

    def expand(self, words: list[str], may_skip: Callable[[str], bool] | None = None,
               known: Callable[[str], bool] | None = None) -> list[Expansion]:
        """The readings of the folded query ``words`` (``zufi.analysis.words`` output, stop words removed).

        Every contiguous span that equals a rule's left side gives one :class:`Expansion` per rule; a
        span no rule matches exactly may match a translation rule through the Snowball stems of its
        language (:data:`TRANSLATION_STEMMERS`: "справку о регистрации" as "справка о регистрации"),
        except on words ``known`` says the German analysis knows (the query analysis passes its
        catalogue and lexicon words, so German "Installation" is not the English "instalment"). The
        words of a rule of two or more words may also stand apart, with up to :data:`MAX_GAP` words in
        all between them that ``may_skip`` allows (default: none; the query analysis allows words that
        name no service of their own, see ``finder.tokens.synonyms``), and a German (untagged) two-word
        rule matches in the other order too unless that order is a rule of its own; such matches weigh
        :data:`GAP_FACTOR` as much. A match whose words all lie inside a longer match is dropped — the
        longest match wins ("auto anmelden" reads as Zulassung, not also "auto" → Fahrzeug) — while
        rules on the same words and on partly overlapping ones all apply. Ordered by number of words
        covered (most first), then by start, then by weight (highest first). Reads one snapshot of the
        rules, so a reload by another thread cannot mix two rule sets. An empty list when nothing
        matches.
        """
        state = self._state
        n = len(words)
        found: list[tuple[tuple[int, ...], _Rule, float]] = []  # (covered positions, rule, weight factor)
        for start in range(n):
            if words[start] not in state.firsts:
                continue
            for end in range(min(n, start + state.max_len), start, -1):
                for rule in state.rules.get(tuple(words[start:end]), ()):
                    found.append((tuple(range(start, end)), rule, 1.0))
        exact = {p for p, _, _ in found}
        seen = {(p, r) for p, r, _ in found}
        german = [known is not None and known(w) for w in words]
        for algorithm, table in state.stemmed.items():
            stems = _stem_words(words, algorithm)
            firsts = state.stem_firsts.get(algorithm, frozenset())
            for start in range(n):
                if stems[start] not in firsts:
                    continue
                for end in range(min(n, start + state.max_len), start, -1):
                    pos = tuple(range(start, end))
                    if pos in exact:
                        continue
                    span = words[start:end]
                    for key, rule in table.get(tuple(stems[start:end]), ()):
                        # a word typed otherwise than the rule has it matches through its stem only when
                        # it is inflected (not its own stem: German "park" is not English "parking") and
                        # not a German word
                        if all(w == k or (st != w and not g)
                               for w, k, st, g in zip(span, key, stems[start:end], german[start:end])) \
                                and (pos, rule) not in seen:
                            found.append((pos, rule, 1.0))
                            seen.add((pos, rule))
        if may_skip is not None:
            for pos, rule in _gapped(state, words, may_skip):
                if (pos, rule) not in seen:
                    found.append((pos, rule, GAP_FACTOR))
                    seen.add((pos, rule))
        return _longest_first(found)

    def reload_if_changed(self) -> bool:
        """Re-read the files when one's modification time or size changed; True when new rules took effect.

        Cheap when nothing changed (one ``stat`` per file), so the finder calls it on every search. On a
        malformed, missing or unreadable file the current rules stay in force and a warning is logged
        once per change of the file (not on every request).
        """
        stamps = tuple(_stamp(p) for p in self.paths)
        if stamps == self._state.stamps:
            return False
        with self._lock:
            state = self._state
            if stamps == state.stamps:  # another thread reloaded meanwhile
                return False
            try:
                new = _load_state(self.paths)
            except DataFileError as exc:
                log.warning("synonym files not reloaded, keeping the previous rules: %s", exc)
                # remember the bad version so the warning is not repeated on every request
                self._state = replace(state, stamps=stamps)
                return False
            self._state = new
            log.info("synonym rules reloaded: %d left sides from %d files", len(new.rules), len(self.paths))
            return True


def _gapped(state: _State, words: list[str],
            may_skip: Callable[[str], bool]) -> list[tuple[tuple[int, ...], _Rule]]:
    """Matches (covered positions, rule) of rules of two or more words whose words stand in ``words`` in
    their order with at most :data:`MAX_GAP` words in all between them that ``may_skip`` allows ("kind
    kommt nächstes jahr in die schule" holds "kind kommt schule"), and of German (untagged) two-word
    rules in the other order, next to each other or so apart ("ziehen ausland" holds "ausland ziehen"),
    unless the other order is a rule too ("home care" is not "care home"); contiguous matches in rule
    order are left to :meth:`SynonymTable.expand`."""
    out = []
    n = len(words)
    first = state.by_first
    swapped = state.by_second
    for i, w in enumerate(words):
        for key in swapped.get(w, ()):
            if (key[1], key[0]) in state.rules:
                continue
            j = i + 1
            while j < n and words[j] != key[0] and j - i - 1 < MAX_GAP and may_skip(words[j]):
                j += 1
            if j < n and words[j] == key[0]:
                out.extend(((i, j), rule) for rule in state.rules[key] if rule.lang is None)
        for key in first.get(w, ()):
            pos = [i]
            gaps = 0
            for kw in key[1:]:
                j = pos[-1] + 1
                while j < n and words[j] != kw and gaps < MAX_GAP and may_skip(words[j]):
                    j += 1
                    gaps += 1
                if j >= n or words[j] != kw:
                    break
                pos.append(j)
            else:
                if pos[-1] - pos[0] + 1 > len(key):  # a real gap
                    out.extend((tuple(pos), rule) for rule in state.rules[key])
    return out


def _longest_first(found: list[tuple[tuple[int, ...], _Rule, float]]) -> list[Expansion]:
    """``found`` (covered positions, rule, weight factor) without matches whose positions all lie inside
    a longer match's, as :class:`Expansion` objects in :meth:`SynonymTable.expand` order."""
    cover = [frozenset(p) for p, _, _ in found]
    kept = [(p, r, f) for (p, r, f), c in zip(found, cover) if not any(c < c2 for c2 in cover)]
    kept.sort(key=lambda t: (-len(t[0]), t[0][0], t[0][-1] - t[0][0], -t[1].weight * t[2], t[1].source))
    return [Expansion(p[0], p[-1] + 1, r.terms, round(r.weight * f, 4), r.source,
                      tuple(sorted(set(range(p[0], p[-1] + 1)) - set(p))))
            for p, r, f in kept]


def longest_only(expansions: list[Expansion]) -> list[Expansion]:
    """``expansions`` (from several :meth:`SynonymTable.expand` calls over the same query positions)
    without those whose covered words all lie inside another's: the longest match wins across calls too."""
    cover = [frozenset(range(e.start, e.end)) - frozenset(e.gaps) for e in expansions]
    return [e for e, c in zip(expansions, cover) if not any(c < c2 for c2 in cover)]


def default_paths(settings: Settings | None = None) -> list[Path]:
    """The shipped ``synonyms.tsv`` and ``translations.tsv``, then the extra files of ``ZUFI_SYNONYM_FILES``.

    ``settings`` defaults to ``Settings()`` (read from the environment when called).
    """
    settings = settings or Settings()
    extra = [p.expanduser() for p in settings.synonym_files]
    return [DATA_DIR / name for name in REPO_FILES] + extra


def default_table(settings: Settings | None = None) -> SynonymTable:
    """:meth:`SynonymTable.load` over :func:`default_paths`.

    Raises:
        DataFileError: a file is missing or has a malformed line.
    """
    return SynonymTable.load(default_paths(settings))
