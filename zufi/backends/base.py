"""The small interface every service-search backend implements (embedded tantivy, later Elasticsearch).

Backends receive documents and queries as tokens already analysed by :mod:`zufi.analysis`; they only
store, match and score (BM25). Nothing outside a backend module imports its engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Text fields of a service document. Each comes twice: ``<name>`` holds stems, ``<name>_exact`` the
#: folded unstemmed words, so an exact match can score above a stem-only match. ``parts`` holds the
#: compound parts of the words of name, Leistungsobjekt and synonyms (see :mod:`zufi.compounds`), so
#: "Hund anmelden" meets "Hundesteuer" and "Hundeanmeldung". ``description`` holds the words of the
#: published description (what / who / documents), searched at a low weight (finder.ranking).
TEXT_FIELDS = ("name", "leistungsobjekt", "verrichtung", "group", "synonyms", "parts", "description")


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One service as the backend sees it: its key and, per field, a list of analysed tokens.

    ``fields`` maps each of ``TEXT_FIELDS`` and ``<f>_exact`` to tokens (strings without spaces).
    """

    key: str
    fields: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class TermClause:
    """Match ``term`` in ``field``; its BM25 score is multiplied by ``boost``."""

    field: str
    term: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class BackendQuery:
    """A disjunction of term clauses (any may match; scores add up), cut to ``limit`` hits."""

    should: tuple[TermClause, ...]
    limit: int = 10


@dataclass(frozen=True, slots=True)
class Hit:
    """A matching document key and its score (higher is better, backend-specific scale)."""

    key: str
    score: float
    matched: dict[str, list[str]] = field(default_factory=dict)


class ServiceIndexWriter(ABC):
    """Writes one fresh index into an empty directory; used only by the indexer."""

    @abstractmethod
    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Add documents; returns how many were added."""

    @abstractmethod
    def commit(self) -> None:
        """Make everything added durable. The directory is complete after this returns."""


class ServiceIndex(ABC):
    """A read-only, opened service index."""

    @abstractmethod
    def search(self, query: BackendQuery) -> list[Hit]:
        """Run ``query`` and return up to ``query.limit`` hits, best first."""

    @abstractmethod
    def count(self) -> int:
        """Number of documents in the index."""


class Backend(ABC):
    """Factory for one engine: creates writers and opens readers at a path."""

    name: str = ""

    @abstractmethod
    def create(self, path: Path) -> ServiceIndexWriter:
        """Start a new index in ``path`` (created if missing, must be empty)."""

    @abstractmethod
    def open(self, path: Path) -> ServiceIndex:
        """Open an existing index at ``path``.

        Raises:
            IndexUnavailableError: when ``path`` holds no readable index.
        """
