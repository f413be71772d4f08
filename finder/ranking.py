"""Ranking defaults and the translation of analysed query tokens into a backend query.

All field boosts live in :data:`FIELD_BOOSTS`, so tuning is a data change (cf. pelias/api
``query/search_defaults.js``). Scores from the backend (BM25) are then multiplied by a coverage factor:
the share of the query's stems that occur anywhere in the service, so that a service matching every
word of "Personalausweis beantragen" beats one that matches only one word very often.
"""

from __future__ import annotations

from dataclasses import dataclass

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
}

#: Exponent of the coverage factor ``(matched stems / query stems) ** COVERAGE_EXPONENT``.
COVERAGE_EXPONENT = 2.0

#: Extra weight for the share of query stems found in the service's *name*: a service whose name holds
#: every word of the query ("Personalausweis beantragen") ranks above one that has a word only among
#: its synonyms ("beantragten Personalausweis abholen").
NAME_COVERAGE_BONUS = 0.5

#: How many backend hits are fetched for re-ranking, at least.
CANDIDATE_POOL = 60


@dataclass(frozen=True, slots=True)
class QueryTokens:
    """The analysed need: folded exact words and their Snowball stems, in query order (no duplicates)."""

    exact: tuple[str, ...]
    stems: tuple[str, ...]


def backend_query(tokens: QueryTokens, limit: int) -> BackendQuery:
    """Build the disjunctive term query over every boosted field for ``tokens``."""
    clauses: list[TermClause] = []
    for field, boost in FIELD_BOOSTS.items():
        source = tokens.exact if field.endswith("_exact") else tokens.stems
        clauses.extend(TermClause(field, term, boost) for term in source)
    return BackendQuery(should=tuple(clauses), limit=max(limit, CANDIDATE_POOL))


def coverage(query_stems: tuple[str, ...], service_stems: frozenset[str]) -> float:
    """Share (0…1) of distinct query stems found among the service's stems; 1.0 for an empty query."""
    if not query_stems:
        return 1.0
    distinct = set(query_stems)
    return len(distinct & service_stems) / len(distinct)


def final_score(bm25: float, cov: float, name_cov: float = 0.0) -> float:
    """Combine the backend score with the coverage factor and the name-coverage bonus."""
    return bm25 * (cov**COVERAGE_EXPONENT) * (1.0 + NAME_COVERAGE_BONUS * name_cov)
