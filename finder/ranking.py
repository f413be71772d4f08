"""Ranking defaults and the translation of query tokens (:mod:`finder.tokens`) into a backend query.

All field boosts live in :data:`FIELD_BOOSTS`, so tuning is a data change (cf. pelias/api
``query/search_defaults.js``). Every reading of every token becomes a term clause on each field of its
kind, boosted by field boost × reading weight. Scores from the backend (BM25) are then multiplied by a
coverage factor: the share of the query's tokens that the service covers, each token counted with the
weight of its best matching reading (a fuzzy-only match covers less), so that a service matching every
word of "Personalausweis beantragen" beats one that matches only one word very often.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from finder.tokens import QueryToken
from finder.wordclasses import NOT_OFFICE_WORDS, OFFICE_WORD_ENDINGS, OFFICE_WORDS, is_office_word  # noqa: F401
from zufi.analysis import stem, words
from zufi.backends import BackendQuery, TermClause

#: Boost per index field. ``*_exact`` fields hold unstemmed folded words and add to the stem match, so an
#: exact word form ranks above a stem-only match.
FIELD_BOOSTS: dict[str, float] = {
    "name": 3.0,
    "name_exact": 1.5,
    "leistungsobjekt": 2.5,
    "leistungsobjekt_exact": 1.0,
    "verrichtung": 1.5,
    "verrichtung_exact": 0.5,
    "group": 0.5,
    "group_exact": 0.2,
    "synonyms": 1.0,
    "synonyms_exact": 0.5,
    # stems / folded words of the compound parts of every word of name, Leistungsobjekt and synonyms
    "parts": 1.0,
    "parts_exact": 0.5,
    # words of the published description (Berlin/Hamburg pages): a weak signal only, so a page that
    # mentions another service ("Wohngeld … Bürgergeld") does not outrank that service
    "description": 0.15,
    "description_exact": 0.05,
}

#: Fields searched with ``stem`` readings and with ``exact`` readings.
STEM_FIELDS = tuple(f for f in FIELD_BOOSTS if not f.endswith("_exact"))
EXACT_FIELDS = tuple(f for f in FIELD_BOOSTS if f.endswith("_exact"))

#: Exponent of the coverage factor ``(covered tokens / query tokens) ** COVERAGE_EXPONENT``.
COVERAGE_EXPONENT = 2.0

#: Extra weight for the share of query tokens found in the service's *name*: a service whose name holds
#: every word of the query ("Personalausweis beantragen") ranks above one that has a word only among
#: its synonyms ("beantragten Personalausweis abholen").
NAME_COVERAGE_BONUS = 0.5

#: Exponent on the token importance in coverage (0: every token alike; 1: plain idf). Plain idf: the
#: rarest word of a query says most about which service is meant ("gründungszuschuss arbeitsagentur
#: selbstständig" is about the Gründungszuschuss).
IMPORTANCE_EXPONENT = 1.0

#: How many backend hits are fetched for re-ranking, at least: the national catalogue has ~5,600
#: services, where a frequent word such as "antrag" alone fills a small pool.
CANDIDATE_POOL = 200


def backend_query(tokens: Sequence[QueryToken], limit: int) -> BackendQuery:
    """The disjunctive term query: for each reading of each token, one clause per field of the reading's
    kind with boost ``FIELD_BOOSTS[field] * reading.weight``; repeated (field, term) pairs keep the
    highest boost. At least :data:`CANDIDATE_POOL` hits are asked for."""
    best: dict[tuple[str, str], float] = {}
    for token in tokens:
        for r in token.readings:
            if not r.term:
                continue
            for f in STEM_FIELDS if r.kind == "stem" else EXACT_FIELDS:
                boost = FIELD_BOOSTS[f] * r.weight
                if boost > best.get((f, r.term), 0.0):
                    best[(f, r.term)] = boost
    clauses = tuple(TermClause(f, t, b) for (f, t), b in best.items())
    return BackendQuery(should=clauses, limit=max(limit, CANDIDATE_POOL))


def token_weight(token: QueryToken, service_terms: frozenset[str]) -> float:
    """The weight (0…1) of ``token``'s best reading whose term the service holds; 0 when none does. A
    reading from a several-word synonym ("Auto zulassen" → Fahrzeug Zulassung Neuzulassung) counts in
    the share of that synonym's words the service holds, so one shared word ("Fahrzeug") does not make
    "Auto abgeschleppt" cover "zulassen"."""
    best = 0.0
    for r in token.readings:
        if r.term not in service_terms:
            continue
        w = r.weight
        if r.group:
            held = sum(1 for exact, st in r.group if exact in service_terms or st in service_terms)
            w *= held / len(r.group)
        best = max(best, w)
    return best


@dataclass(frozen=True, slots=True)
class CompiledToken:
    """A token's readings prepared for :func:`coverage` over many services: ``plain`` = term → best
    weight of the readings without a group, heaviest first; ``groups`` = the several-word synonym
    readings."""

    plain: tuple[tuple[str, float], ...]
    groups: tuple[tuple[str, float, tuple[tuple[str, str], ...]], ...]


def compile_token(token: QueryToken) -> CompiledToken:
    """:class:`CompiledToken` of ``token`` (same result in :func:`token_weight`, computed once per query)."""
    plain: dict[str, float] = {}
    groups = []
    for r in token.readings:
        if r.group:
            groups.append((r.term, r.weight, r.group))
        elif r.weight > plain.get(r.term, 0.0):
            plain[r.term] = r.weight
    return CompiledToken(tuple(sorted(plain.items(), key=lambda kv: -kv[1])), tuple(groups))


def compiled_weight(ct: CompiledToken, service_terms: frozenset[str]) -> float:
    """:func:`token_weight` for a compiled token."""
    best = 0.0
    for term, w in ct.plain:  # heaviest first: the first hit is the best
        if term in service_terms:
            best = w
            break
    for term, w, group in ct.groups:
        if term in service_terms:
            held = sum(1 for exact, st in group if exact in service_terms or st in service_terms)
            best = max(best, w * held / len(group))
    return best


def coverage(tokens: Sequence[QueryToken] | Sequence[CompiledToken], service_terms: frozenset[str],
             importance: Sequence[float] | None = None) -> float:
    """Weighted share (0…1) of ``tokens`` the service covers: Σ importance × best matching reading weight
    / Σ importance; 1.0 for an empty query. ``service_terms`` = the service's stems ∪ exact words ∪
    compound parts; ``importance`` (default: all 1) is each token's :func:`token_importance`. Tokens may
    be given compiled (:func:`compile_token`), as the finder does for speed."""
    if not tokens:
        return 1.0
    imp = importance if importance is not None else [1.0] * len(tokens)
    total = sum(imp)
    if total <= 0:
        return 1.0
    cts = [t if isinstance(t, CompiledToken) else compile_token(t) for t in tokens]
    return sum(w * min(1.0, compiled_weight(t, service_terms)) for t, w in zip(cts, imp)) / total


#: Sources of the readings that stand for the typed word itself (not a synonym, part or typo).
OWN_READING_SOURCES = frozenset(["word", "morphology", "derivation"])
#: Readings that say what the word means (its own forms and its synonyms): their broadest decides the
#: token's importance.
MEANING_SOURCES = OWN_READING_SOURCES | {"synonym"}

#: Factor on the importance of a *Verrichtung* token ("beantragen", "verlängern", "anmelden"): in a LeiKa
#: name the Leistungsobjekt says which service it is and the Verrichtung which variant (LeiKa-Handbuch:
#: Leistungsbezeichnung = Leistungsobjekt + Verrichtung), so "jagdschein verlängern" must rank Jagdschein
#: above "Fahrerlaubnis verlängern".
VERRICHTUNG_FACTOR = 0.5

#: A token is a Verrichtung token when one of its readings (synonyms included: "beantragen" → Erteilung)
#: is the Verrichtung of at least this many services.
VERRICHTUNG_MIN_SERVICES = 10


#: Words that ask about an aspect of a service (documents, fees, duration, deadlines, appointments,
#: forms) rather than name one: "welche Unterlagen brauche ich für die Anmeldung der Eheschließung?".
#: They count with :data:`ASPECT_FACTOR` of their importance, so the service words decide. Own list,
#: after the section headings of the FIM Stammtext (Erforderliche Unterlagen, Kosten, Bearbeitungsdauer,
#: Fristen, Formulare, Voraussetzungen, Zuständige Stelle), folded like query words.
ASPECT_WORDS = frozenset([
    "unterlagen", "dokumente", "nachweise", "papiere", "kosten", "gebuhr", "gebuhren", "preis", "dauer",
    "dauert", "lange", "frist", "fristen", "termin", "termine", "offnungszeiten", "formular", "formulare",
    "voraussetzungen", "zustandig", "zustandigkeit", "ablauf",
])
ASPECT_FACTOR = 0.3

#: Negation words describe the situation ("Kind noch nicht schulreif", "keine Kirchensteuer mehr") and
#: seldom name the service, though some names hold them ("für in Berlin nicht gemeldete Personen"), so
#: they are not stop words but count with :data:`ASPECT_FACTOR` of their importance too.
NEGATION_WORDS = frozenset(["nicht", "kein", "keine", "keinen", "keiner", "keinem", "keines"])


def token_importance(token: QueryToken, df: Mapping[str, int], n_services: int,
                     verrichtung_df: Mapping[str, int] | None = None) -> float:
    """How much a token matters for coverage: ``ln(1 + N / (1 + df)) ** IMPORTANCE_EXPONENT``, times
    :data:`VERRICHTUNG_FACTOR` for a Verrichtung token and :data:`ASPECT_FACTOR` for a whole query word
    of :data:`ASPECT_WORDS` or :data:`NEGATION_WORDS` (not a compound part: "kostenerstattung" keeps its
    "kosten") and for an office word (:func:`is_office_word`).

    ``df`` is the number of services holding the word's broadest meaning: its exact form, stem, -ung noun
    or synonym ("verlängern" counts the 108 services with "Verlängerung", "auto" those with "Fahrzeug");
    a word with none of these in the catalogue takes its rarest other reading (compound part, typo). So a word many services
    hold ("auto", "neu") weighs less than one few hold ("feinstaubplakette"); a token no service holds
    weighs 0, since it cannot tell candidates apart. ``verrichtung_df``: services per term of the
    Verrichtung field (None: no Verrichtung factor).
    """
    own = [df[r.term] for r in token.readings if r.source in MEANING_SOURCES and df.get(r.term, 0) > 0]
    if own:
        n = max(own)
    else:
        known = [df[r.term] for r in token.readings if df.get(r.term, 0) > 0]
        if not known:
            return 0.0
        n = min(known)
    imp = math.log(1.0 + n_services / (1.0 + n)) ** IMPORTANCE_EXPONENT
    if verrichtung_df and is_verrichtung(token, df, verrichtung_df):
        imp *= VERRICHTUNG_FACTOR
    if token.part_of is None and (token.text in ASPECT_WORDS or token.text in NEGATION_WORDS):
        imp *= ASPECT_FACTOR
    if is_office_word(token.part_of or token.text):
        imp *= ASPECT_FACTOR
    return imp


def is_verrichtung(token: QueryToken, df: Mapping[str, int], verrichtung_df: Mapping[str, int]) -> bool:
    """Whether ``token`` names a Verrichtung: one of its own readings is the Verrichtung of at least
    :data:`VERRICHTUNG_MIN_SERVICES` services ("verlängern" → Verlängerung), or it has synonym readings
    and every one the catalogue holds is such a Verrichtung ("beantragen" → Erteilung, Ausstellung,
    Bewilligung). A word whose synonyms also name an object ("zameldowanie" → Wohnsitz Anmeldung) is none,
    nor a word of a several-word synonym rule ("auto zulassen" → Fahrzeug Zulassung Neuzulassung).
    """
    def common(term: str) -> bool:
        return verrichtung_df.get(term, 0) >= VERRICHTUNG_MIN_SERVICES

    if any(r.group for r in token.readings):  # part of a phrase rule: "Auto zulassen" names one service
        return False

    if any(common(r.term) for r in token.readings if r.source in OWN_READING_SOURCES):
        return True
    syn = [r.term for r in token.readings if r.source == "synonym" and df.get(r.term, 0) > 0]
    return bool(syn) and all(common(t) for t in syn)


#: Words in a service name that narrow it to a situation the user must say to be in: loss or theft,
#: illegally dumped waste, a dangerous dog, abroad, online, a provisional document, a change of name,
#: or an enquiry about a case already filed (Vorgangsauskunft, Statusabfrage).
#: A service whose name holds one that no query reading asks for scores QUALIFIER_FACTOR as much, so
#: "Schwerbehindertenausweis beantragen" gets the card, not "Ausstellung nach Verlust", while
#: "perso verloren" (→ Verlust) still gets the loss report. Own list, after the catalogue's variant names.
QUALIFIER_WORDS = frozenset([
    "verlust", "diebstahl", "illegal", "gefahrlich", "gefahrlicher", "gefahrliche", "ausland",
    "auslandsbeteiligung", "online", "onlineverfahren", "vorlaufig", "vorlaufiger", "vorlaufige",
    "namensanderung", "beschadigung", "mehrsprachig", "hausgeburten", "spataussiedler",
    # follow-up enquiries about a case already filed, not the service itself
    "vorgangsauskunft", "statusabfrage", "informationserteilung",
    # an extension presupposes the document: without "verlängern" the first issue comes first
    "verlangerung",
    # collecting a document presupposes the application: "perso" alone is the application
    "abholen", "abholung",
])
QUALIFIER_FACTOR = 0.75


def name_qualifiers(name: str, name_terms: frozenset[str]) -> frozenset[str]:
    """The :data:`QUALIFIER_WORDS` a service name narrows it by: those among ``name_terms`` (folded name
    words, their stems and compound parts) that the name does not negate ("Eheschließung (ohne
    Auslandsbeteiligung) anmelden" is the ordinary case, not a narrowed one)."""
    folded = " ".join(words(name, keep_stop_words=True))
    return frozenset(q for q in QUALIFIER_WORDS if q in name_terms and f"ohne {q}" not in folded)


def qualifier_factor(qualifiers: frozenset[str], query_terms: frozenset[str]) -> float:
    """:data:`QUALIFIER_FACTOR` when one of a service's ``qualifiers`` (:func:`name_qualifiers`) is not
    among the query's reading terms (nor its stem); else 1.0."""
    for q in qualifiers:
        if q not in query_terms and stem(q) not in query_terms:
            return QUALIFIER_FACTOR
    return 1.0


def final_score(bm25: float, cov: float, name_cov: float = 0.0) -> float:
    """Combine the backend score with the coverage factor and the name-coverage bonus."""
    return bm25 * (cov**COVERAGE_EXPONENT) * (1.0 + NAME_COVERAGE_BONUS * name_cov)
