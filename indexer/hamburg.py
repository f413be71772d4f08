"""Hamburg's services mapped to LeiKa, and Hamburg's service → office pairs as :class:`Office` records.

Sources: ``indexer/data/hamburg_leika.csv`` (this repo: the reviewed mapping of the 114 hamburg.de
service pages to LeiKa keys, with the method of each match: exact name / synonym / manual reading / no
match, and a reviewer note), ``hamburg_services_2025/hamburg_leistung_einrichtung_2025-05.csv``
(hamburg.de "Hamburg Service", May 2025: 730 service → office pairs, 46 offices, no coordinates; after a
download the same pairs from the hamburg.de page copies, :mod:`indexer.formats_hamburg`) and
``gazetteer/data/bezirke.csv`` (the point of each Hamburg Bezirk, used only for offices whose name
names the Bezirk).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

from gazetteer.bezirke import read_bezirke
from indexer.csvio import read_csv
from indexer.fetch import input_for
from indexer.report import BuildReport
from indexer.sources import FORMAT_HAMBURG_PAGES, HAMBURG_OFFICE_PAIRS
from zufi.errors import DataFileError
from zufi.model import Address, Office, is_leika_key

MAPPING_CSV = Path(__file__).resolve().parent / "data" / "hamburg_leika.csv"
BEZIRKE_CSV = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "bezirke.csv"
#: ``Office.source`` of every Hamburg office (the reason line of an office names it).
HAMBURG_SOURCE = "hamburg.de 2025-05"
#: Land code (first two digits of ARS/AGS) of Hamburg.
HAMBURG_LAND = "02"
#: Office names that name their Bezirk: "<Bezirk> Einwohnerangelegenheiten", "Fahrzeug-Zulassung <Bezirk>",
#: "Fahrerlaubnis <Bezirk>", "Bezirksamt <Bezirk>" (Hamburg's naming of its Bezirk offices).
_NAMES_BEZIRK = re.compile(r"^(\S+) Einwohnerangelegenheiten$|^(?:Fahrzeug-Zulassung|Fahrerlaubnis|Bezirksamt) (\S+)$")
#: Federal bodies listed by Hamburg's pages that are not located in Hamburg (or whose site is not
#: given): no city, no coordinates (the Beitragsservice sits in Köln).
NOT_LOCAL = ("Beitragsservice", "Familienkasse")
PAIR_COLUMNS = ("leistung", "leistung_hh_info_id", "einrichtung", "strasse", "leistung_einrichtung_info_id")


def read_mapping(path: Path = MAPPING_CSV) -> dict[str, str]:
    """Hamburg page title → LeiKa key, for the rows of the reviewed table that have a key.

    Raises:
        DataFileError: when the table is missing, lacks a column, or holds a key that is not 14 digits.
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"hamburg_title", "hh_info_id", "leika_key", "method", "reviewer_note"}
            if not need <= set(reader.fieldnames or []):
                raise DataFileError(path, f"mapping table lacks columns {sorted(need - set(reader.fieldnames or []))}")
            out: dict[str, str] = {}
            for row in reader:
                key = (row.get("leika_key") or "").strip()
                if not key:
                    continue
                if not is_leika_key(key):
                    raise DataFileError(path, f"malformed LeiKa key {key!r} for {row.get('hamburg_title')!r}")
                out[row["hamburg_title"].strip()] = key
            return out
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(path, f"cannot read Hamburg mapping: {exc}") from exc


def bezirk_points(path: Path = BEZIRKE_CSV) -> dict[str, tuple[float, float]]:
    """Hamburg Bezirk short name (without "Hamburg-") → (lon, lat) in WGS84 degrees, from the gazetteer's
    Bezirke table (:func:`gazetteer.bezirke.read_bezirke`)."""
    return {r["bezirk"].removeprefix("Hamburg-"): (float(r["lon"]), float(r["lat"]))
            for r in read_bezirke(path) if r["city"] == "Hamburg"}


def read_hamburg_offices(data_dir: Path, mapping: dict[str, str], report: BuildReport) -> list[Office]:
    """Hamburg's offices with ``services`` = {LeiKa key: None} from the service → office pairs.

    One office per (name, street); a pair without street joins the office of that name that has one.
    Pairs whose service has no LeiKa key in ``mapping`` are counted as rejected ``hamburg_links``
    "service not mapped to LeiKa". Coordinates: the Bezirk point when a word of the office name is a
    Hamburg Bezirk ("Altona Einwohnerangelegenheiten", "Fahrzeug-Zulassung Harburg"), else none
    (counted in ``report.notes``). City "Hamburg". Returns [] when the pairs file is absent.

    Raises:
        DataFileError: when the pairs file is present but unreadable or lacks columns.
    """
    path, fmt = input_for(data_dir, HAMBURG_OFFICE_PAIRS.path)  # mirror CSV or hamburg.de page copies (issue 6)
    if not path.exists():
        report.notes.append(f"{HAMBURG_OFFICE_PAIRS.path} missing: no Hamburg offices")
        return []
    if fmt == FORMAT_HAMBURG_PAGES:
        from indexer.formats_hamburg import read_hamburg_pages

        pairs = read_hamburg_pages(path).pairs
    else:
        pairs = [row for _, row in read_csv(path, PAIR_COLUMNS, "Hamburg office pairs")]
    streets: defaultdict[str, list[str]] = defaultdict(list)
    for p in pairs:
        name, street = _clean(p["einrichtung"]), _clean(p["strasse"])
        if name and street and street not in streets[name]:
            streets[name].append(street)
    points = bezirk_points()
    offices: dict[tuple[str, str], Office] = {}
    for p in pairs:
        name, street = _clean(p["einrichtung"]), _clean(p["strasse"])
        if not name:
            report.reject("hamburg_links", "missing office name")
            continue
        street = street or (streets[name][0] if streets[name] else "")
        office = offices.get((name, street))
        if office is None:
            office = _office(name, street, len([k for k in offices if k[0] == name]), points)
            offices[(name, street)] = office
        key = mapping.get(_clean(p["leistung"]))
        if key is None:
            report.reject("hamburg_links", "service not mapped to LeiKa", _clean(p["leistung"]))
            continue
        office.services.setdefault(key, None)
        report.ok("hamburg_links")
    out = [o for o in offices.values() if o.services]
    if len(out) < len(offices):
        report.notes.append(f"{len(offices) - len(out)} Hamburg offices dropped: none of their services is mapped")
    report.ok("hamburg_offices", len(out))
    report.notes.append(f"Hamburg offices: {sum(o.lat is not None for o in out)} of {len(out)} placed at their "
                        "Bezirk point (bezirke.csv), the others without coordinates")
    return out


def _office(name: str, street: str, n_same_name: int, points: dict[str, tuple[float, float]]) -> Office:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().translate(str.maketrans("äöüß", "aous"))).strip("-")
    oid = f"hh-{slug}" + (f"-{n_same_name + 1}" if n_same_name else "")
    lon = lat = None
    m = _NAMES_BEZIRK.match(name)
    bezirk = m and (m.group(1) or m.group(2))
    if bezirk and bezirk in points:
        lon, lat = points[bezirk]
    city = "" if any(w in name for w in NOT_LOCAL) else "Hamburg"
    return Office(id=oid, name=name, category="hamburg_service", address=Address(street=street, city=city),
                  lat=lat, lon=lon, source=HAMBURG_SOURCE + (" (coordinates: Bezirk point, approximate)"
                                                             if lat is not None else ""))


def _clean(v: str | None) -> str:
    return " ".join((v or "").replace("\xa0", " ").split())
