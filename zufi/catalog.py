"""The catalogue of services and offices stored beside the search index in every build.

The indexer writes it once (:meth:`Catalog.save`); the finder loads it (:meth:`Catalog.load`) to turn
search hits (LeiKa keys) into full services and to list the offices that offer each service.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from zufi.analysis import words
from zufi.errors import IndexUnavailableError
from zufi.model import Description, Office, Service

_DESCRIPTIONS_LOCK = threading.Lock()

SERVICES_FILE = "services.json"
OFFICES_FILE = "offices.json"
#: Structured descriptions by LeiKa key (issue 6), read on first use only.
DESCRIPTIONS_FILE = "descriptions.json"


def learning_services(services: Iterable[Service]) -> list[Service]:
    """The services the query language (compound splitter, fuzzy vocabulary) is learned from, by the
    indexer and the finder alike: the curated Berlin catalogue (``in_berlin``: names users know, with
    synonyms) when present, else all. The national rows (OZG 2019 names such as "Gewebe …") are indexed
    with that splitter but do not teach it words, so "gewebeanmeldung" still reads as a typo of
    "Gewerbeanmeldung" and the 615 curated services keep the analysis they were tuned with."""
    services = list(services)
    curated = [s for s in services if s.in_berlin]
    return curated or services


def catalogue_word_df(services: Iterable[Service]) -> Counter[str]:
    """Folded words (letters only, ≥ 3) of every service's name, Leistungsobjekt, Verrichtung, group and
    synonyms → the number of services holding each."""
    df: Counter[str] = Counter()
    for s in services:
        ws: set[str] = set()
        for text in (s.name, s.leistungsobjekt, s.verrichtung, s.group, *s.synonyms):
            ws.update(w for w in words(text) if w.isalpha() and len(w) >= 3)
        df.update(ws)
    return df


def splitter_lexicon(services: Iterable[Service], nouns: Iterable[str] = ()) -> frozenset[str]:
    """The second-pass vocabulary of the compound splitter (:class:`zufi.compounds.CompoundSplitter`):
    the general ``nouns`` (the build's ``lexicon.txt``) and the words of every service
    (:func:`catalogue_word_df`) — the national rows too, which :func:`learning_services` leaves out of the
    first pass. Indexer and finder both call this."""
    return frozenset(nouns) | frozenset(catalogue_word_df(services))


@dataclass
class Catalog:
    """Services by LeiKa key and offices by id; ``offices_by_service`` is derived from ``Office.services``."""

    services: dict[str, Service]
    offices: dict[str, Office]
    offices_by_service: dict[str, list[str]] = field(default_factory=dict)
    #: Where :meth:`load` read the catalogue; descriptions are read from there on first use.
    directory: Path | None = None
    _descriptions: dict[str, Description] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.offices_by_service:
            links: defaultdict[str, list[str]] = defaultdict(list)
            for office in self.offices.values():
                for key in office.services:
                    links[key].append(office.id)
            self.offices_by_service = dict(links)

    def description(self, key: str) -> Description | None:
        """The structured description of service ``key``, or None. ``descriptions.json`` is read on the
        first call (a build without it has no descriptions).

        Raises:
            IndexUnavailableError: when the file exists but is not valid JSON of the expected shape.
        """
        if self._descriptions is None:
            with _DESCRIPTIONS_LOCK:  # concurrent first requests must not see a half-filled dict
                if self._descriptions is None:
                    self._descriptions = self._read_descriptions()
        return self._descriptions.get(key)

    def _read_descriptions(self) -> dict[str, Description]:
        path = self.directory / DESCRIPTIONS_FILE if self.directory is not None else None
        if path is None or not path.exists():
            return {}
        try:
            raw = orjson.loads(path.read_bytes())
            return {d["leika_key"]: Description.model_validate(d) for d in raw}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexUnavailableError(f"descriptions in {path} are unreadable: {exc}") from exc

    @staticmethod
    def save_descriptions(directory: Path, descriptions: dict[str, Description]) -> None:
        """Write ``descriptions.json`` (a list of :class:`Description`) into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / DESCRIPTIONS_FILE).write_bytes(orjson.dumps([d.model_dump() for d in descriptions.values()]))

    def save(self, directory: Path) -> None:
        """Write ``services.json`` and ``offices.json`` into ``directory`` (created if missing)."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / SERVICES_FILE).write_bytes(
            orjson.dumps([s.model_dump() for s in self.services.values()])
        )
        (directory / OFFICES_FILE).write_bytes(orjson.dumps([o.model_dump() for o in self.offices.values()]))

    @classmethod
    def load(cls, directory: Path) -> Catalog:
        """Read a catalogue written by :meth:`save`.

        Raises:
            IndexUnavailableError: when a file is missing or not valid JSON of the expected shape.
        """
        try:
            services = [Service.model_validate(d) for d in orjson.loads((directory / SERVICES_FILE).read_bytes())]
            offices = [Office.model_validate(d) for d in orjson.loads((directory / OFFICES_FILE).read_bytes())]
        except (OSError, ValueError) as exc:
            raise IndexUnavailableError(f"catalogue in {directory} is unreadable: {exc}") from exc
        return cls({s.leika_key: s for s in services}, {o.id: o for o in offices}, directory=directory)
