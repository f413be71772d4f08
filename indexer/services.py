"""Read and validate the LeiKa services of the Berlin d115 table, named with Berlin's 2024 page titles.

Sources: ``leika_berlin/berlin_d115_leika_synonyme.csv`` (Land Berlin, 2017: d115 id, LeiKa key,
Gruppierung, Kennung = Leistungsobjekt, Verrichtung, ``|``-separated synonyms) and, optionally,
``berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz`` (service.berlin.de, scraped
2024-09: name, url, beschreibung by d115 id).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

from indexer.report import BuildReport
from indexer.sources import SERVICE_TEXTS_2024, SERVICES_CSV, TOPICS_2017
from zufi.analysis import fold, words
from zufi.errors import DataFileError
from zufi.model import Service, is_leika_key

COLUMNS = ("d115_id", "leika_schluessel", "leika_gruppe", "leika_kennung", "leika_verrichtung", "leika_synonyme")
DESCRIPTION_CHARS = 300
MAX_SUFFIX_CHARS = 40


def read_services(data_dir: Path, report: BuildReport) -> list[Service]:
    """All valid services of the d115 table, in file order, with unique names.

    Rows without a key, with a key that is not 14 digits, with a duplicate key or without
    Leistungsobjekt are counted in ``report.rejected["services"]``; accepted rows in
    ``report.indexed["services"]``. Name: the 2024 page title where the d115 id has one, else the 2017
    service name from Berlin's topic tree, else "Leistungsobjekt Verrichtung"; names still shared by several keys get a distinguishing suffix in
    parentheses (noted in ``report.notes``).

    Raises:
        DataFileError: when the CSV (or a present 2024 texts file) is missing, unreadable or malformed.
    """
    path = SERVICES_CSV.at(data_dir)
    texts = _read_texts(data_dir, report)
    topic_names = _read_topic_names(data_dir, report)
    services: list[Service] = []
    seen: set[str] = set()
    for line_no, row in _read_rows(path):
        key = (row.get("leika_schluessel") or "").strip()
        rid = key or f"line {line_no}"
        if not key:
            report.reject("services", "missing LeiKa key", rid)
            continue
        if not is_leika_key(key):
            report.reject("services", "malformed LeiKa key (not 14 digits)", rid)
            continue
        if key in seen:
            report.reject("services", "duplicate LeiKa key", rid)
            continue
        objekt = (row.get("leika_kennung") or "").strip()
        if not objekt:
            report.reject("services", "missing Leistungsobjekt", rid)
            continue
        seen.add(key)
        verrichtung = (row.get("leika_verrichtung") or "").strip()
        d115 = (row.get("d115_id") or "").strip() or None
        text = texts.get(d115 or "", {})
        name = (
            (text.get("name") or "").strip()
            or " ".join(topic_names.get(d115 or "", "").split())
            or " ".join(p for p in (objekt, verrichtung) if p)
        )
        services.append(Service(
            leika_key=key,
            name=name,
            leistungsobjekt=objekt,
            verrichtung=verrichtung,
            group=(row.get("leika_gruppe") or "").strip(),
            synonyms=_split_synonyms(row.get("leika_synonyme") or ""),
            d115_id=d115,
            url=(text.get("url") or "").strip() or None,
            description=_shorten(text.get("beschreibung") or "") or None,
        ))
    _make_names_unique(services, report)
    report.ok("services", len(services))
    return services


def _read_rows(path: Path):  # noqa: ANN202 - generator of (line number, row)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataFileError(path, f"CSV header lacks columns {missing}")
            rows = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(path, f"cannot read LeiKa table: {exc}") from exc
    return rows


def _read_texts(data_dir: Path, report: BuildReport) -> dict[str, dict]:
    path = SERVICE_TEXTS_2024.at(data_dir)
    if not path.exists():
        report.notes.append(f"{SERVICE_TEXTS_2024.path} missing: services named from LeiKa fields only")
        return {}
    try:
        with gzip.open(path, "rb") as fh:
            data = json.load(fh)
        if not isinstance(data, list):
            raise ValueError("expected a JSON list")
        return {str(r["d115_id"]): r for r in data if isinstance(r, dict) and r.get("d115_id")}
    except (OSError, EOFError, ValueError) as exc:
        raise DataFileError(path, f"cannot read service texts: {exc}") from exc


def _read_topic_names(data_dir: Path, report: BuildReport) -> dict[str, str]:
    """Service names by d115 id from the 2017 topic tree (``relation.services[{id, name}]``)."""
    path = TOPICS_2017.at(data_dir)
    if not path.exists():
        report.notes.append(f"{TOPICS_2017.path} missing: no 2017 service names")
        return {}
    try:
        data = json.loads(path.read_bytes())
        names: dict[str, str] = {}
        for topic in data["data"]:
            for svc in (topic.get("relation") or {}).get("services") or []:
                if svc.get("id") and svc.get("name"):
                    names[str(svc["id"])] = str(svc["name"])
        return names
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(path, f"cannot read topic tree: {exc}") from exc


def _split_synonyms(raw: str) -> list[str]:
    out: list[str] = []
    for part in raw.split("|"):
        part = " ".join(part.split())
        if part and part not in out:
            out.append(part)
    return out


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _make_names_unique(services: list[Service], report: BuildReport) -> None:
    """Disambiguate names shared by several keys: first by Verrichtung, then by a synonym only that
    variant has, else by the key's Verrichtungsdetail (last three digits)."""
    for attempt in (_by_verrichtung, _by_synonym, _by_variant):
        groups: defaultdict[str, list[Service]] = defaultdict(list)
        for s in services:
            groups[fold(s.name)].append(s)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            return
        for group in clashes:
            attempt(group, report)


def _rename(service: Service, suffix: str, report: BuildReport) -> None:
    new = f"{service.name} ({suffix})"
    report.notes.append(f"service {service.leika_key}: name {service.name!r} shared, renamed {new!r}")
    report.repair("services", "duplicate name disambiguated", service.leika_key)
    service.name = new


def _by_verrichtung(group: list[Service], report: BuildReport) -> None:
    if len({fold(s.verrichtung) for s in group}) == len(group) and all(
        fold(s.verrichtung) not in fold(s.name) for s in group
    ):
        for s in group:
            _rename(s, s.verrichtung, report)


def _by_synonym(group: list[Service], report: BuildReport) -> None:
    counts: defaultdict[str, int] = defaultdict(int)
    for s in group:
        for syn in {fold(x) for x in s.synonyms}:
            counts[syn] += 1
    picks = {}
    for s in group:
        name_words = set(words(s.name))
        pick = next((x for x in s.synonyms if counts[fold(x)] == 1 and len(x) <= MAX_SUFFIX_CHARS
                     and not set(words(x)) <= name_words), None)
        if pick is None:
            return
        picks[s.leika_key] = pick
    for s in group:
        _rename(s, picks[s.leika_key], report)


def _by_variant(group: list[Service], report: BuildReport) -> None:
    for s in group:
        _rename(s, f"Variante {s.leika_key[-3:]}", report)
