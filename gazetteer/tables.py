"""Readers of the repository's sourced tables in ``gazetteer/data/`` (pure file parsing, no data joins).

* ``ags_changes.csv`` – key changes relative to VG5000 01.01.2021 (reforms after it, keys of other
  generations in the staged data sets, Hanau 2026).
* ``exonyms.csv`` – other-language names of large cities ("Munich", "Cologne").
* ``plz_abroad.csv`` – German PLZ of places in Austria (Jungholz, Kleinwalsertal).
* ``ortsteile_stadtstaaten.csv`` – Ortsteile of Berlin and Stadtteile of Hamburg with their Bezirk.

Each table has ``#`` comment lines naming its sources; each row has a source column where rows differ.
All readers raise ``OSError`` for unreadable files and ``ValueError``/``KeyError`` for broken rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CHANGES_CSV = DATA_DIR / "ags_changes.csv"
EXONYMS_CSV = DATA_DIR / "exonyms.csv"
PLZ_ABROAD_CSV = DATA_DIR / "plz_abroad.csv"
ORTSTEILE_CSV = DATA_DIR / "ortsteile_stadtstaaten.csv"

_CHANGE_DIRECTIONS = ("newer", "older")
_CHANGE_STATUS = ("data", "law", "unverified")


def _rows(path: Path) -> list[dict[str, str]]:
    """Rows of a comma CSV with ``#`` comment lines, values stripped."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(lines)]


def _key(value: str, length: int, what: str) -> str:
    """``value`` when it is empty or ``length`` digits; else ValueError naming ``what``."""
    if value and (len(value) != length or not value.isdigit()):
        raise ValueError(f"{what} must be {length} digits, got {value!r}")
    return value


def read_changes(path: Path = CHANGES_CSV) -> list[dict[str, str]]:
    """Rows of the change table: ``old_ags, old_name, new_ags (may be ''), new_ars, new_name, date
    (ISO), new_kreis (5 digits or ''), new_kreis_name, direction ('newer'|'older'), status
    ('data'|'law'|'unverified'), source, note``."""
    out = []
    for r in _rows(path):
        _key(r["old_ags"], 8, "old_ags")
        _key(r["new_ags"], 8, "new_ags")
        _key(r["new_ars"], 12, "new_ars")
        _key(r["new_kreis"], 5, "new_kreis")
        if r["direction"] not in _CHANGE_DIRECTIONS or r["status"] not in _CHANGE_STATUS:
            raise ValueError(f"bad direction/status in change row {r['old_ags']}")
        if not r["source"]:
            raise ValueError(f"change row {r['old_ags']} has no source")
        out.append(r)
    return out


def read_exonyms(path: Path = EXONYMS_CSV) -> list[dict[str, str]]:
    """Rows ``{exonym, lang, ags (8 digits), gemeinde, source}``."""
    out = []
    for r in _rows(path):
        if not r["exonym"] or not r["gemeinde"] or not r["source"]:
            raise ValueError(f"incomplete exonym row {r}")
        _key(r["ags"], 8, "ags")
        out.append(r)
    return out


def read_plz_abroad(path: Path = PLZ_ABROAD_CSV) -> list[dict]:
    """Rows ``{plz, place, names: [str], country, admin, austrian_plz, source}``."""
    out = []
    for r in _rows(path):
        _key(r["plz"], 5, "plz")
        names = [n.strip() for n in r["names"].split("|") if n.strip()]
        out.append({**r, "names": names})
    return out


def read_ortsteile(path: Path = ORTSTEILE_CSV) -> list[dict[str, str]]:
    """Rows ``{city, bezirk, ortsteil}`` (Berlin Ortsteile, Hamburg Stadtteile)."""
    out = []
    for r in _rows(path):
        if not (r["city"] and r["bezirk"] and r["ortsteil"]):
            raise ValueError(f"incomplete Ortsteil row {r}")
        out.append(r)
    return out
