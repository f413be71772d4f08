"""Town-hall contacts stored in a build (``catalog/townhalls.json``), keyed by the Gemeinde's 8-digit AGS.

Written by ``indexer.townhalls`` from the okfde files (Bayern, Sachsen-Anhalt; matched to AGS by name
and Landkreis at build time); read by the finder to add real contacts to rule answers.
"""

from __future__ import annotations

from pathlib import Path

from zufi.jsonlist import load_records, save_records
from zufi.model import ContactFields

TOWNHALLS_FILE = "townhalls.json"


class TownHall(ContactFields):
    """Contact data of a Gemeinde's administration: ``address`` one line (often the seat of its
    Verwaltungsgemeinschaft), ``lat``/``lon`` WGS84 degrees, ``source`` the data set, ``qid`` Wikidata."""

    ags: str
    name: str
    qid: str | None = None
    source: str


def save_townhalls(directory: Path, halls: list[TownHall]) -> None:
    """Write ``townhalls.json`` into ``directory``."""
    save_records(directory / TOWNHALLS_FILE, halls)


def load_townhalls(directory: Path) -> dict[str, TownHall]:
    """Town halls by AGS; an empty dict when the build has none (older builds).

    Raises:
        IndexUnavailableError: when the file exists but is corrupt.
    """
    return load_records(directory / TOWNHALLS_FILE, TownHall, lambda h: h.ags)
