"""NRW evidence of responsibility stored in a build (``catalog/nrw_wsp.json``), keyed by 14-digit LeiKa key.

Written by ``indexer.nrw_wsp`` from the Wirtschafts-Service-Portal.NRW list "Live WSP 11.11" (Stand
2024-11-11; mirror file ``nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv``), whose free-text
column ``zustaendige_stelle`` is normalised to a level through ``finder/data/rules/nrw_wsp_levels.csv``;
read by the finder (``finder.responsibility``) to set or confirm the responsible level for places in
Nordrhein-Westfalen (Land 05).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from zufi.jsonlist import load_records, save_records

NRW_WSP_FILE = "nrw_wsp.json"
#: How answers cite the data set (source and Stand), see SOURCES.md § 11 of the data mirror.
WSP_SOURCE = "NRW Wirtschafts-Service-Portal, Liste 'Live WSP 11.11', Stand 11.11.2024"
WSP_DATE = "2024-11-11"
#: Levels of ``nrw_wsp_levels.csv`` (see its README section).
WSP_LEVELS = frozenset({
    "gemeinde", "kreis", "polizei", "bezirksregierung", "landesteil", "land", "kammer", "kammer_ihk",
    "kammer_hwk", "alternativ", "unbestimmt", "keine_zustaendigkeit"})


class WspEntry(BaseModel):
    """One service of the WSP list with its normalised responsibility.

    ``raw``: the list's ``zustaendige_stelle`` text; ``level`` ∈ :data:`WSP_LEVELS`; ``authority``: the
    office type or named authority (``{rb}`` stands for the Regierungsbezirk's name; ``a|b`` for the
    Rhineland | Westphalia-Lippe bodies of level ``landesteil``); ``named``: an office can be named from
    the place (else only the level is known); ``land``: 2-digit Land of a named Land authority (Hamburg
    for one federal-wide Waffenbehörde); ``confidence`` of the normalisation; ``note`` its reasoning.
    """

    leika_key: str
    name: str
    online_service: str | None = None
    landingpage: str | None = None
    raw: str
    level: str
    authority: str
    named: bool
    land: str = "05"
    confidence: str = "high"
    note: str = ""


def save_nrw_wsp(directory: Path, entries: list[WspEntry]) -> None:
    """Write ``nrw_wsp.json`` (a list of :class:`WspEntry`) into ``directory``."""
    save_records(directory / NRW_WSP_FILE, entries)


def load_nrw_wsp(directory: Path) -> dict[str, WspEntry]:
    """WSP entries by LeiKa key; an empty dict when the build has none (older builds, file not fetched).

    Raises:
        IndexUnavailableError: when the file exists but is corrupt.
    """
    return load_records(directory / NRW_WSP_FILE, WspEntry, lambda e: e.leika_key)
