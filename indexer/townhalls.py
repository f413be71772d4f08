"""Town-hall contacts of Bayern and Sachsen-Anhalt (okfde/staedte-gemeinden-verwaltungen) matched to AGS.

The files carry no AGS. Matching, per record: the folded name among the Gemeinden of the Land; several
Gemeinden of that name → the one whose Kreis matches ``landkreis`` (Bayern; "Kreisfreie Stadt" → a
kreisfreie Stadt), else the one whose polygon contains the record's point (lat/long, Wikidata).
Unmatched and ambiguous records are counted in the build report (kind ``townhalls``).
"""

from __future__ import annotations

import json
from pathlib import Path

from gazetteer import Gazetteer
from gazetteer.names import name_key
from indexer.report import BuildReport
from indexer.sources import TOWNHALLS_BY, TOWNHALLS_ST
from zufi.errors import DataFileError, ZufiError
from zufi.model import Point
from zufi.townhalls import TownHall

SOURCE_NOTE = "okfde/staedte-gemeinden-verwaltungen (HEAD aa125dfb, 2020-09-29), Stand 2020; Lizenz nicht angegeben"


def read_townhalls(data_dir: Path, gazetteer: Gazetteer, report: BuildReport) -> list[TownHall]:
    """Match both files to AGS (see module doc); returns the matched town halls.

    Raises:
        DataFileError: a file that is missing or not a JSON list.
    """
    index = _gemeinden_by_name(gazetteer)
    out: dict[str, TownHall] = {}
    for source, land in ((TOWNHALLS_BY, "09"), (TOWNHALLS_ST, "15")):
        path = source.at(data_dir)
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            report.notes.append(f"{source.path} missing: no town-hall contacts for Land {land}")
            continue
        except (OSError, ValueError) as exc:
            raise DataFileError(path, f"unreadable town-hall file: {exc}") from exc
        if not isinstance(records, list):
            raise DataFileError(path, "expected a JSON list of town halls")
        for rec in records:
            ags = _match(rec, land, index, gazetteer, report)
            if ags is None or ags in out:
                if ags in out:
                    report.reject("townhalls", "second record for the same Gemeinde", rec.get("name"))
                continue
            out[ags] = _hall(ags, rec, land)
            report.ok("townhalls")
    return list(out.values())


def _gemeinden_by_name(gazetteer: Gazetteer) -> dict[tuple[str, str], list[tuple[str, str, str | None]]]:
    """(Land, folded name) → [(AGS, Kreis name, Kreis type)] for every Gemeinde."""
    idx: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
    for n in gazetteer.names():
        if n.kind != "gemeinde" or not n.exact:
            continue
        place = gazetteer.gemeinde(n.ags)
        kreis = next((c for c in place.chain if str(c.level) == "kreis"), None) if place else None
        entry = (n.ags, kreis.name if kreis else "", kreis.type if kreis else None)
        lst = idx.setdefault((n.ags[:2], n.key), [])
        if entry not in lst:
            lst.append(entry)
    return idx


def _match(rec: dict, land: str, index, gazetteer: Gazetteer, report: BuildReport) -> str | None:
    name = (rec.get("name") or "").strip()
    found = index.get((land, name_key(name)), [])
    if len(found) > 1 and rec.get("landkreis"):
        lk = rec["landkreis"]
        if lk == "Kreisfreie Stadt":
            found = [f for f in found if f[2] == "Kreisfreie Stadt"]
        else:
            found = [f for f in found if name_key(lk.removeprefix("Landkreis ")) == name_key(f[1])]
    if len(found) > 1:
        found = [f for f in found if f[0] == _point_ags(rec, gazetteer)]
    if len(found) == 1:
        return found[0][0]
    located = _point_ags(rec, gazetteer) if not found else None
    if located and located[:2] == land:
        report.repair("townhalls", "name not found, matched by point (lat/long)", name)
        return located
    report.reject("townhalls", "ambiguous name" if found else "no Gemeinde of that name", name)
    return None


def _point_ags(rec: dict, gazetteer: Gazetteer) -> str | None:
    try:
        p = gazetteer.locate(Point.checked(float(rec["long"]), float(rec["lat"])))
    except (KeyError, TypeError, ValueError, ZufiError):  # a bad point only means no match
        return None
    return p.ags if p.status == "resolved" else None


def _hall(ags: str, rec: dict, land: str) -> TownHall:
    def f(key: str) -> str | None:
        v = rec.get(key)
        return str(v).strip() or None if v is not None else None

    def num(key: str) -> float | None:
        try:
            return float(rec[key])
        except (KeyError, TypeError, ValueError):
            return None

    address = f("adresse")
    return TownHall(ags=ags, name=rec.get("name", ""), address=address.replace("\n", ", ") if address else None,
                    phone=f("telefon"), email=f("email"), url=f("website"), lat=num("lat"), lon=num("long"),
                    qid=f("item"), source=f"{SOURCE_NOTE} ({'Bayern' if land == '09' else 'Sachsen-Anhalt'})")
