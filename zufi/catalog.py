"""The catalogue of services and offices stored beside the search index in every build.

The indexer writes it once (:meth:`Catalog.save`); the finder loads it (:meth:`Catalog.load`) to turn
search hits (LeiKa keys) into full services and to list the offices that offer each service.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from zufi.errors import IndexUnavailableError
from zufi.model import Office, Service

SERVICES_FILE = "services.json"
OFFICES_FILE = "offices.json"


@dataclass
class Catalog:
    """Services by LeiKa key and offices by id; ``offices_by_service`` is derived from ``Office.services``."""

    services: dict[str, Service]
    offices: dict[str, Office]
    offices_by_service: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.offices_by_service:
            links: defaultdict[str, list[str]] = defaultdict(list)
            for office in self.offices.values():
                for key in office.services:
                    links[key].append(office.id)
            self.offices_by_service = dict(links)

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
        return cls({s.leika_key: s for s in services}, {o.id: o for o in offices})
