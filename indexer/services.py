"""Read and validate the LeiKa services of the Berlin d115 table, named with Berlin's 2024 page titles.

Sources: ``leika_berlin/berlin_d115_leika_synonyme.csv`` (Land Berlin, 2017: d115 id, LeiKa key,
Gruppierung, Kennung = Leistungsobjekt, Verrichtung, ``|``-separated synonyms) and, optionally,
``berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz`` (service.berlin.de, scraped
2024-09: name, url, beschreibung by d115 id; or the publisher's ``services_export.xlsx``, issue 6).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

from indexer.csvio import read_csv
from indexer.fetch import input_for
from indexer.report import BuildReport
from indexer.sources import (
    FORMAT_BERLIN_XLSX,
    FORMAT_D115_TSV,
    FORMAT_OZG_SQL,
    FORMAT_SAME,
    OZG_CATALOGUE,
    SERVICE_TEXTS_2024,
    SERVICES_CSV,
    TOPICS_2017,
)
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
    path, fmt = input_for(data_dir, SERVICES_CSV.path)  # the mirror CSV or Berlin's data.tsv (issue 6)
    texts = _read_texts(data_dir, report)
    topic_names = _read_topic_names(data_dir, report)
    services: list[Service] = []
    seen: set[str] = set()
    for line_no, row in _read_rows(path, fmt):
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


def _read_rows(path: Path, fmt: str = FORMAT_SAME) -> list[tuple[int, dict[str, str]]]:
    if fmt == FORMAT_D115_TSV:
        from indexer.formats import read_d115_tsv

        return read_d115_tsv(path)
    return read_csv(path, COLUMNS, "LeiKa table")


def _read_texts(data_dir: Path, report: BuildReport) -> dict[str, dict]:
    path, fmt = input_for(data_dir, SERVICE_TEXTS_2024.path)  # the mirror JSON or services_export.xlsx (issue 6)
    if not path.exists():
        report.notes.append(f"{SERVICE_TEXTS_2024.path} missing: services named from LeiKa fields only")
        return {}
    if fmt == FORMAT_BERLIN_XLSX:
        from indexer.formats_berlin import read_berlin_export_xlsx

        return {r["d115_id"]: r for r in read_berlin_export_xlsx(path) if r["d115_id"]}
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


# --------------------------------------------------------------------------- national catalogue (issue 6)

#: Source labels recorded per field in ``Service.sources`` (publisher, date of the data).
SRC_BERLIN_TABLE = "Berlin d115→LeiKa table (service.berlin.de), 2017-06"
SRC_BERLIN_2024 = "service.berlin.de pages, 2024-09"
SRC_BERLIN_2017 = "service.berlin.de topic tree, 2017-06-08"
SRC_OZG = "LeiKa/OZG-Umsetzungskatalog (OZG-Datenbank NRW), 2019-10-05"
#: Key given to OZG rows whose ``leika_schluessel`` says "nicht im LeiKa": ``ozg-row-<row id>``.
OZG_ROW_PREFIX = "ozg-row-"
OZG_COLUMNS = ("id", "leika_schluessel", "bezeichnung", "typisierung", "rechtsgrundlage", "ozg_id",
               "ozg_leistung", "lebenslage", "themenfeld", "sdg1", "sdg2")


def read_catalogue(data_dir: Path, report: BuildReport) -> list[Service]:
    """The merged national catalogue: one :class:`Service` per LeiKa key (plus one per OZG row without
    a key), Berlin's rows first in file order, then the OZG rows in file order.

    Merge by key of ``leika_berlin/berlin_d115_leika_synonyme.csv`` (via :func:`read_services`) and
    ``ozg_katalog_2019/ozg_leika_leistungen_2019.csv`` (optional; without it the catalogue is Berlin's).
    Rules: the name is Berlin's page title where the Berlin row has one (2024 page, else 2017 topic
    tree: the names Berlin's users know), else the OZG ``bezeichnung``, else "Leistungsobjekt Verrichtung"; Leistungsobjekt/Verrichtung/group/synonyms from
    Berlin; Typisierung, legal basis, OZG-Leistung, Lebenslage, Themenfeld, SDG flags from the OZG row.
    For OZG-only keys Leistungsobjekt/Verrichtung are derived from the bezeichnung only where the data
    shows the split (:func:`split_bezeichnung`), else left empty. OZG rows "nicht im LeiKa" get the key
    ``ozg-row-<id>`` and ``in_leika=False``. ``Service.sources`` names the source of every field.
    Variants: ``origin`` = key[0:2]; a Land key's ``national_key`` is the 99 key of the same service
    (:func:`national_key_for`).

    Raises:
        DataFileError: when a present input file is unreadable or malformed.
    """
    berlin = read_services(data_dir, report)
    texts = _read_texts(data_dir, BuildReport())
    named_2024 = {d for d, t in texts.items() if (t.get("name") or "").strip()}
    topic_names = _read_topic_names(data_dir, BuildReport())
    by_key: dict[str, Service] = {}
    for s in berlin:
        s.in_berlin = True
        s.lands = ["11"]
        s.origin = s.leika_key[:2]
        name_src = (SRC_BERLIN_2024 if s.d115_id in named_2024 else
                    SRC_BERLIN_2017 if s.d115_id in topic_names else SRC_BERLIN_TABLE)
        s.sources = {"name": name_src, "leistungsobjekt": SRC_BERLIN_TABLE, "verrichtung": SRC_BERLIN_TABLE,
                     "group": SRC_BERLIN_TABLE, "synonyms": SRC_BERLIN_TABLE}
        if s.url:
            s.sources["url"] = SRC_BERLIN_2024
        if s.description:
            s.sources["description"] = SRC_BERLIN_2024
        by_key[s.leika_key] = s
    rows = _read_ozg_rows(data_dir, report)
    berlin_keys = set(by_key)
    umbrella = {r["leika_schluessel"].strip(): r["bezeichnung"].strip() for r in rows
                if is_leika_key(r["leika_schluessel"].strip()) and r["leika_schluessel"].strip()[8:] == "000000"}
    verb_by_code = _verrichtung_words(berlin)
    added = merged = 0
    for row in rows:
        raw_key = (row.get("leika_schluessel") or "").strip()
        name = " ".join((row.get("bezeichnung") or "").split())
        if not name:
            report.reject("ozg_rows", "missing bezeichnung", raw_key or row.get("id"))
            continue
        if is_leika_key(raw_key):
            key, in_leika = raw_key, True
        elif raw_key.lower() == "nicht im leika" and (row.get("id") or "").strip().isdigit():
            key, in_leika = OZG_ROW_PREFIX + row["id"].strip(), False
        else:
            report.reject("ozg_rows", "malformed LeiKa key", raw_key or row.get("id"))
            continue
        s = by_key.get(key)
        if s is None:
            objekt, verrichtung = split_bezeichnung(key, name, umbrella, verb_by_code) if in_leika else ("", "")
            s = Service(leika_key=key, name=name, leistungsobjekt=objekt, verrichtung=verrichtung,
                        in_leika=in_leika, origin=key[:2] if in_leika else None,
                        sources={"name": SRC_OZG})
            if objekt:
                s.sources["leistungsobjekt"] = f"derived from the bezeichnung ({SRC_OZG})"
            if verrichtung:
                s.sources["verrichtung"] = f"derived from the bezeichnung ({SRC_OZG})"
            by_key[key] = s
            added += 1
        else:
            merged += 1
            if s.sources.get("name") == SRC_BERLIN_TABLE:  # Berlin had no page title, only "LO V"
                s.name, s.sources["name"] = name, SRC_OZG
        _apply_ozg_fields(s, row)
    nat = national_index(by_key)
    for s in by_key.values():
        s.national_key = national_key_for(s, by_key, nat)
        s.variant_of = s.national_key
    services = list(by_key.values())
    _make_new_names_unique(services, berlin_keys, report)
    report.ok("ozg_rows", added + merged)
    report.notes.append(f"catalogue: {len(berlin_keys)} Berlin keys, {merged} of them also in the OZG catalogue, "
                        f"{added} OZG-only entries ({sum(not s.in_leika for s in services)} without LeiKa key)")
    report.ok("catalogue", len(services))
    return services


def split_bezeichnung(key: str, name: str, umbrella: dict[str, str],
                      verb_by_code: dict[str, str]) -> tuple[str, str]:
    """(Leistungsobjekt, Verrichtung) of an OZG-only key, only where the data shows the split, else
    ("", ""). Rules, in order: a key with Verrichtung code 000 (key[8:11]) names only its
    Leistungsobjekt → (name, ""); the bezeichnung starts with the bezeichnung of the key's own
    Leistungsobjekt row (key[:8] + "000000", e.g. "Hundesteuer" for "Hundesteuer Festsetzung") → the
    rest is the Verrichtung (cut to the Berlin word of this Verrichtung code when the rest starts with
    it); the bezeichnung ends with the Berlin table's word for the key's Verrichtung code → split there.
    """
    code = key[8:11]
    if code == "000":
        return name, ""
    head = umbrella.get(key[:8] + "000000")
    word = verb_by_code.get(code)
    if head and name.lower().startswith(head.lower() + " ") or head and name.lower().startswith(head.lower() + " -"):
        rest = name[len(head):].strip(" -–")
        if word and rest.lower().startswith(word.lower()):
            rest = rest[:len(word)]
        return (head, rest) if rest else ("", "")
    if word and name.lower().endswith(" " + word.lower()):
        return name[: -len(word)].strip(" -–"), name[-len(word):]
    return "", ""


def national_key_for(s: Service, by_key: dict[str, Service],
                     index: dict[str, dict] | None = None) -> str | None:
    """The national (99…) key a Land variant belongs to, or None (for national keys, rows without a
    LeiKa key, and variants without a national counterpart in the catalogue).

    A key is origin (2) + Gruppierung (3) + Kennung (3) + Verrichtung (3) + Verrichtungsdetail (3); a
    Land key and a 99 key with the same digits 2…10 (Gruppierung, Kennung, Verrichtung) are the same
    service: "99" + key[2:11] + "000" when present, else the smallest such 99 key; failing that, the
    99 key with the same (folded) Leistungsobjekt and Verrichtung. ``index`` (from
    :func:`national_index`) speeds up repeated calls."""
    if not s.in_leika or s.leika_key.startswith("99"):
        return None
    index = index if index is not None else national_index(by_key)
    mid = s.leika_key[2:11]
    exact = "99" + mid + "000"
    if exact in by_key:
        return exact
    if mid in index["mid"]:
        return index["mid"][mid]
    if s.leistungsobjekt and s.verrichtung:
        return index["lov"].get((fold(s.leistungsobjekt), fold(s.verrichtung)))
    return None


def national_index(by_key: dict[str, Service]) -> dict[str, dict]:
    """Lookup tables of the national keys: ``mid`` key[2:11] → smallest 99 key, ``lov`` (folded
    Leistungsobjekt, Verrichtung) → smallest 99 key."""
    mid: dict[str, str] = {}
    lov: dict[tuple[str, str], str] = {}
    for k in sorted(by_key):
        if not k.startswith("99") or not is_leika_key(k):
            continue
        mid.setdefault(k[2:11], k)
        o = by_key[k]
        if o.leistungsobjekt and o.verrichtung:
            lov.setdefault((fold(o.leistungsobjekt), fold(o.verrichtung)), k)
    return {"mid": mid, "lov": lov}


def _apply_ozg_fields(s: Service, row: dict[str, str]) -> None:
    def val(col: str) -> str | None:
        v = " ".join((row.get(col) or "").split())
        return v or None

    for field, col in (("typisierung", "typisierung"), ("legal_basis", "rechtsgrundlage"), ("ozg_id", "ozg_id"),
                       ("ozg_leistung", "ozg_leistung"), ("lebenslage", "lebenslage"),
                       ("themenfeld", "themenfeld")):
        v = val(col)
        if v is not None:
            setattr(s, field, v)
            s.sources[field] = SRC_OZG
    sdg = [label for col, label in (("sdg1", "I"), ("sdg2", "II")) if (row.get(col) or "").strip() == "1"]
    if sdg:
        s.sdg = sdg
        s.sources["sdg"] = SRC_OZG


def _verrichtung_words(berlin: list[Service]) -> dict[str, str]:
    """Verrichtung code (key[8:11]) → the one Verrichtung word Berlin's table uses for it (codes whose
    rows disagree are left out)."""
    seen: defaultdict[str, set[str]] = defaultdict(set)
    for s in berlin:
        if s.verrichtung:
            seen[s.leika_key[8:11]].add(s.verrichtung)
    return {code: next(iter(ws)) for code, ws in seen.items() if len(ws) == 1}


def _read_ozg_rows(data_dir: Path, report: BuildReport) -> list[dict[str, str]]:
    path, fmt = input_for(data_dir, OZG_CATALOGUE.path)  # the mirror CSV or the OZG-Datenbank SQL dump (issue 6)
    if not path.exists():
        report.notes.append(f"{OZG_CATALOGUE.path} missing: catalogue is Berlin's only")
        return []
    if fmt == FORMAT_OZG_SQL:
        from indexer.formats import read_ozg_sql_dump

        return read_ozg_sql_dump(path)
    return [row for _, row in read_csv(path, OZG_COLUMNS, "OZG catalogue")]


def _make_new_names_unique(services: list[Service], keep: set[str], report: BuildReport) -> None:
    """Names shared by several services: the ones not in ``keep`` (Berlin's, already unique) get their
    Verrichtung, else their key, in parentheses."""
    groups: defaultdict[str, list[Service]] = defaultdict(list)
    for s in services:
        groups[fold(s.name)].append(s)
    for group in groups.values():
        if len(group) < 2:
            continue
        for s in group:
            if s.leika_key in keep:
                continue
            suffix = s.verrichtung if s.verrichtung and fold(s.verrichtung) not in fold(s.name) else s.leika_key
            _rename(s, suffix, report)
