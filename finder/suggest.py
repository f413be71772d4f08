"""Autocomplete: service names and places for a line being typed (``GET /api/v1/suggest``).

Built once per :class:`finder.core.Finder` (about 0.1 s for 615 services, ~14,000 place name keys and
~12,900 PLZ rows); a suggestion then costs well under a millisecond (benchmarks/bench_suggest.py).

Services (folded with :func:`zufi.analysis.fold`, so "fuhrer", "fuehrer" and "Führer" meet):

* ``prefix`` — the whole line starts the service name ("personalausweis be" → "Personalausweis
  beantragen"); tier 4;
* ``word_prefix`` — every word of the line starts some word of the service, the last (being typed) a
  word of the name (tier 3) or of the Leistungsobjekt/synonyms (tier 2);
* ``fuzzy`` — only when nothing (no service, no place) matched by prefix and the last word has ≥ 4
  letters: that word is within optimal-string-alignment distance 1 (2 from 8 letters on) of the start
  of a word with the same first letter ("persoanl" → "personal…"); tier 1 at distance 1, 0 at
  distance 2, +0.5 when the word is in the name.

Within a tier, services offered by more offices (a proxy for how often they are asked for) and with
shorter names come first.

Places: Gemeinden (every name variant the gazetteer resolves) and Berlin/Hamburg Bezirke whose folded
name key starts with the last one to three words of the line, largest population first; PLZ rows
when the last word is 1–5 digits. When neither a place nor a service matches, places whose key
starts within distance 1 (2 from 8 letters) of the last word (same first letter) are offered as
``fuzzy`` ("erfrut" → Erfurt, "hambrg" → Hamburg), closer first, then larger; after a need only
towns of :data:`BIG_PLACE` inhabitants or more ("reisepass kosten" suggests no "Kottenheim"). A Bezirk is ranked by its city's population divided by the city's
number of Bezirke (the table has no Bezirk populations).

Order: services first; places first when the line looks like a place — digits, a complete place
name ("erfurt"), or a need followed by a place being typed for which no service matches the whole
line ("reisepass berl"; services for the need alone follow). The other kind keeps up to a quarter
of the slots when it has hits.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from zufi.analysis import STOP_WORDS, key_words
from zufi.model import Service

#: Places precomputed per prefix up to this many characters (the longest candidate lists).
_SHORT_PREFIX = 3
_KEEP_PER_PREFIX = 20
MAX_PLACE_WORDS = 3
#: After a need, a place being typed goes first when its best match has this many inhabitants
#: ("reisepass berl" → Berlin before the services that mention Berlin); smaller ones ("hund ab" →
#: Abensberg) stay behind the services.
BIG_PLACE = 100_000


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One completion. ``kind`` "service" (with ``leika_key``) or "place" (with ``ags``, 8 digits);
    ``text`` to show; ``score`` orders suggestions of one kind (higher first); ``match`` ∈ {prefix,
    word_prefix, fuzzy}."""

    kind: str
    text: str
    score: float
    match: str
    leika_key: str | None = None
    ags: str | None = None


@dataclass(frozen=True, slots=True)
class _Place:
    text: str
    ags: str
    rank: float  # population used for ranking


def _key(text: str) -> str:
    return " ".join(key_words(text))


def _prefix_range(keys: list[str], prefix: str) -> range:
    lo = bisect.bisect_left(keys, prefix)
    hi = bisect.bisect_left(keys, prefix + "\uffff", lo)
    return range(lo, hi)


class Suggester:
    """Prefix/fuzzy completion over the catalogue and the gazetteer (read-only after construction,
    safe to share between threads).

    Args:
        services: the catalogue's services.
        places: the gazetteer's name keys (``Gazetteer.names()``: objects with ``name``, ``key``,
            ``kind`` "gemeinde"|"bezirk", ``population``, ``ags``, ``land``, ``kreis``).
        postcodes: ``(plz, place name, ags)`` rows (``Gazetteer.postcodes()``).
        popularity: offices per LeiKa key (a tie-breaker within a tier); missing keys count 0.
    """

    def __init__(self, services: Iterable[Service], places: Iterable, postcodes: Iterable[tuple[str, str, str]],
                 popularity: Mapping[str, int] | None = None) -> None:
        popularity = popularity or {}
        svc = sorted(services, key=lambda s: s.leika_key)
        top = max([popularity.get(s.leika_key, 0) for s in svc] + [1])
        self._svc = svc
        # tie-breaker in [0, 0.5): more offices and a shorter name first
        self._bonus = [0.3 * math.log1p(popularity.get(s.leika_key, 0)) / math.log1p(top)
                       + 0.19 / (1 + len(s.name) / 25) for s in svc]
        names = sorted((_key(s.name), i) for i, s in enumerate(svc))
        self._name_keys = [k for k, _ in names]
        self._name_idx = [i for _, i in names]
        words: dict[tuple[str, int], int] = {}
        for i, s in enumerate(svc):
            for w in key_words(s.name):
                words[(w, i)] = 3
            for w in key_words(" ".join([s.leistungsobjekt, *s.synonyms])):
                words.setdefault((w, i), 2)
        entries = sorted((w, i, t) for (w, i), t in words.items())
        self._words = [w for w, _, _ in entries]
        self._word_hits = [(i, t) for _, i, t in entries]
        # fuzzy: the distinct word starts by (length, first letter) → {service: tier}
        starts: dict[tuple[int, str], dict[str, dict[int, int]]] = {}
        for w, i, t in entries:
            for n in range(3, len(w) + 1):
                d = starts.setdefault((n, w[0]), {}).setdefault(w[:n], {})
                d[i] = max(d.get(i, 0), t)
        self._starts = {nc: (list(d), list(d.values())) for nc, d in starts.items()}

        self._places_init(places)
        rows = sorted(set(postcodes))
        self._plz = [p for p, _, _ in rows]
        self._plz_rows = rows

    def _places_init(self, places: Iterable) -> None:
        rows = list(places)
        bezirke_per_city: dict[str, set[str]] = {}
        same_name: dict[tuple[str, str | None], set[str]] = {}
        for p in rows:
            if p.kind == "bezirk":
                bezirke_per_city.setdefault(p.ags, set()).add(p.name)
            else:
                same_name.setdefault((p.name, p.land), set()).add(p.ags)
        by_key: dict[str, dict[tuple[str, str], _Place]] = {}
        for p in rows:
            pop = float(p.population or 0)
            if p.kind == "bezirk":
                pop /= max(1, len(bezirke_per_city.get(p.ags, ())))
            label = _label(p.name, p.land, p.kreis, len(same_name.get((p.name, p.land), ())) > 1)
            by_key.setdefault(p.key, {})[(p.ags, p.name)] = _Place(label, p.ags, pop)
        self._place_keys = sorted(by_key)
        self._place_entries = [sorted(by_key[k].values(), key=lambda e: (-e.rank, e.text)) for k in self._place_keys]
        short: dict[str, dict[tuple[str, str], _Place]] = {}
        for k, entries in zip(self._place_keys, self._place_entries):
            for n in range(1, min(_SHORT_PREFIX, len(k)) + 1):
                d = short.setdefault(k[:n], {})
                for e in entries:
                    d[(e.ags, e.text)] = e
        self._short = {p: sorted(d.values(), key=lambda e: (-e.rank, e.text))[:_KEEP_PER_PREFIX]
                       for p, d in short.items()}
        self._exact_places = frozenset(self._place_keys)
        # fuzzy places: the key indexes by first letter (typos there are rare, and it keeps this fast)
        by_letter: dict[str, list[int]] = {}
        for j, k in enumerate(self._place_keys):
            by_letter.setdefault(k[0], []).append(j)
        self._place_by_letter = by_letter

    # ------------------------------------------------------------------ query
    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]:
        """Completions for ``text`` (already validated), at most ``limit``; see the module docstring."""
        words = key_words(text)
        if not words or limit <= 0:
            return []
        places, k, top = self._places(words, limit)
        services = self._services(words, fuzzy=not places)
        if not places and not services:  # "erfrut": a misspelt place, nothing else matched
            # after a need only a big town ("hund anmelden erfrut"), not "kosten" → Kottenheim
            places, k, top = self.fuzzy_places(words[-1], BIG_PLACE if len(words) > 1 else 0.0), 1, 0.0
        places_first = False
        if places:
            prefix_hits = any(x.match != "fuzzy" for x in services)
            if k == len(words):  # the whole line reads as a place
                places_first = (" ".join(words) in self._exact_places or words[-1].isdigit()
                                or not prefix_hits)
            elif not services or (len(words[-1]) >= 3 and top >= BIG_PLACE):
                # a need, then a place being typed ("reisepass berl"): the place, then the need
                places_first = True
                services = self._services(words[:-k])
        first, second = (places, services) if places_first else (services, places)
        reserve = min(len(second), max(1, limit // 4)) if second and limit > 1 else 0
        out = first[:limit - reserve]
        return out + second[:limit - len(out)]

    def _services(self, words: list[str], fuzzy: bool = True) -> list[Suggestion]:
        if not words or all(w.isdigit() for w in words):  # a PLZ being typed
            return []
        hits: dict[int, tuple[float, str]] = {}
        for j in _prefix_range(self._name_keys, " ".join(words)):
            hits[self._name_idx[j]] = (4, "prefix")
        content = [w for w in words[:-1] if w not in STOP_WORDS] + [words[-1]]
        allowed = self._with_all(content[:-1])
        last: dict[int, int] = {}
        for j in _prefix_range(self._words, content[-1]):
            i, t = self._word_hits[j]
            if allowed is None or i in allowed:
                last[i] = max(last.get(i, 0), t)
        for i, t in last.items():
            hits.setdefault(i, (t, "word_prefix"))
        if not hits and fuzzy:
            self._fuzzy(content[-1], allowed, hits)
        ranked = sorted(hits.items(), key=lambda h: (-(h[1][0] + self._bonus[h[0]]), self._svc[h[0]].name))
        return [Suggestion("service", self._svc[i].name, round(t + self._bonus[i], 4), m,
                           leika_key=self._svc[i].leika_key) for i, (t, m) in ranked]

    def _with_all(self, words: list[str]) -> set[int] | None:
        """Services that have a word starting with each of ``words`` (None: no constraint)."""
        allowed: set[int] | None = None
        for w in words:
            found = {self._word_hits[j][0] for j in _prefix_range(self._words, w)}
            allowed = found if allowed is None else allowed & found
        return allowed

    def _fuzzy(self, word: str, allowed: set[int] | None, hits: dict[int, tuple[float, str]]) -> None:
        """Word starts within OSA distance 1 (2 from 8 letters) of ``word``; tier 1 at distance 1,
        0 at 2. The first letter must be right (typos there are rare, and it keeps this fast)."""
        if len(word) < 4 or word.isdigit():
            return
        max_d = 2 if len(word) >= 8 else 1
        best: dict[int, float] = {}
        for n in range(len(word) - max_d, len(word) + max_d + 1):
            starts = self._starts.get((n, word[0]))
            if not starts:
                continue
            keys, targets = starts
            for _s, d, j in extract(word, keys, scorer=OSA.distance, score_cutoff=max_d, limit=None):
                for i, t in targets[j].items():
                    if allowed is None or i in allowed:
                        best[i] = max(best.get(i, -1.0), 2.0 - d + (0.5 if t == 3 else 0.0))
        for i, tier in best.items():
            hits[i] = (tier, "fuzzy")

    def _places(self, words: list[str], limit: int) -> tuple[list[Suggestion], int, float]:
        """Places for the longest run of last words (≤ 3) that starts a place key: (suggestions, number
        of words in the run, ranking population of the best)."""
        last = words[-1]
        if last.isdigit():
            if len(last) > 5:
                return [], 0, 0.0
            out = []
            for j in _prefix_range(self._plz, last)[: max(limit, 20)]:
                plz, ort, ags = self._plz_rows[j]
                out.append(Suggestion("place", f"{plz} {ort}", 1.0 if plz == last else 0.9, "prefix", ags=ags))
            return out, 1, 0.0
        for k in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
            prefix = " ".join(words[-k:])
            entries = self._place_prefix(prefix)
            if entries:
                return [Suggestion("place", e.text, round(1.0 + math.log10(e.rank + 1) / 10, 4), "prefix",
                                   ags=e.ags) for e in entries], k, entries[0].rank
        return [], 0, 0.0

    def fuzzy_places(self, word: str, min_rank: float = 0.0) -> list[Suggestion]:
        """Places of at least ``min_rank`` (ranking population) whose name key starts within OSA
        distance 1 (2 from 8 letters) of ``word`` (≥ 4 letters, first letter right): "erfrut" → Erfurt;
        closer first, then larger."""
        if len(word) < 4 or not word.isalpha():
            return []
        max_d = 2 if len(word) >= 8 else 1
        idx = self._place_by_letter.get(word[0], [])
        seen: dict[tuple[str, str], tuple[int, _Place]] = {}
        for n in range(len(word) - max_d, len(word) + max_d + 1):  # a letter missing or too many
            starts = [self._place_keys[j][:n] for j in idx]
            for _s, d, m in extract(word, starts, scorer=OSA.distance, score_cutoff=max_d, limit=None):
                for e in self._place_entries[idx[m]]:
                    if e.rank < min_rank:
                        continue
                    if (e.ags, e.text) not in seen or d < seen[(e.ags, e.text)][0]:
                        seen[(e.ags, e.text)] = (int(d), e)
        ranked = sorted(seen.values(), key=lambda de: (de[0], -de[1].rank, de[1].text))[:_KEEP_PER_PREFIX]
        return [Suggestion("place", e.text, round(0.5 - d / 10 + math.log10(e.rank + 1) / 20, 4), "fuzzy",
                           ags=e.ags) for d, e in ranked]

    def _place_prefix(self, prefix: str) -> list[_Place]:
        if len(prefix) <= _SHORT_PREFIX:
            return self._short.get(prefix, [])
        seen: dict[tuple[str, str], _Place] = {}
        for j in _prefix_range(self._place_keys, prefix):
            for e in self._place_entries[j]:
                seen.setdefault((e.ags, e.text), e)
        return sorted(seen.values(), key=lambda e: (-e.rank, e.text))[:_KEEP_PER_PREFIX]


def _label(name: str, land: str | None, kreis: str | None, name_repeats_in_land: bool) -> str:
    """Display text: "Neustadt an der Weinstraße (Rheinland-Pfalz)"; the Kreis is added when the name
    occurs more than once in the Land ("Neustadt (Landkreis Coburg, Bayern)"); nothing is added to a
    city-state's own name or Bezirk ("Berlin", "Berlin-Neukölln")."""
    if not land or land in name:
        return name
    if name_repeats_in_land and kreis and kreis != name:
        return f"{name} ({kreis}, {land})"
    return f"{name} ({land})"
