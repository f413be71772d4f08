"""Structured service descriptions from Berlin (2024) and Hamburg (2025), keyed by LeiKa key.

Sources (see SOURCES.md §8, §9):

- ``berlin_services_2024/berlin_dienstleistungen_texte_2024-09.json.gz`` — 1,062 Berlin pages:
  beschreibung / voraussetzungen / unterlagen, joined to LeiKa by d115 id through Berlin's d115 table;
- ``berlin_services_2024/berlin_dienstleistungen_voll_2024-09_104.json`` — 104 complete Berlin pages:
  structured lists plus fees, legal basis with links, processing time, forms, online service, offices;
- ``hamburg_services_2025/hamburg_leistungen_2025-05.json`` — 114 Hamburg pages (FIM-style sections),
  joined to LeiKa by the reviewed table ``indexer/data/hamburg_leika.csv``; after a download, the same
  records merged from the hamburg.de page copies (:func:`indexer.formats_hamburg.read_hamburg_pages`).

The two Berlin files are read in the publisher's formats when `zufi data fetch` downloaded those
(``services_export.xlsx``, ``services.db``: :mod:`indexer.formats_berlin`; :func:`indexer.fetch.input_for`).

Repairs, only where verifiable: the Berlin text export glued list items together ("HaltungsortGefährliche");
a token is split at a lowercase→Uppercase boundary only when both halves occur as words elsewhere in
the texts and the glued token itself does not (:class:`GlueRepair`); anything else stays raw
("verziehenoder" has no case boundary and stays). Hamburg's markdown escapes (``\\_``) are undone and
non-breaking spaces become spaces. Nothing is added that the pages do not say.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

from indexer.fetch import input_for
from indexer.hamburg import HAMBURG_LAND
from indexer.report import BuildReport
from indexer.sources import (
    BERLIN_FULL_2024,
    FORMAT_BERLIN_DB,
    FORMAT_BERLIN_XLSX,
    FORMAT_HAMBURG_PAGES,
    HAMBURG_SERVICES,
    SERVICE_TEXTS_2024,
)
from zufi.errors import DataFileError
from zufi.model import Description, DescriptionSection

BERLIN_LAND = "11"
SRC_BERLIN_TEXTS = "service.berlin.de (text export)"
SRC_BERLIN_FULL = "service.berlin.de"
SRC_HAMBURG = "hamburg.de (Hamburg Service)"
DATE_BERLIN = "2024-09-02"
DATE_HAMBURG = "2025-05"

#: Section titles as shown to a caller, by kind.
TITLES = {"what": "Was ist das?", "who": "Voraussetzungen", "documents": "Erforderliche Unterlagen",
          "fees": "Gebühren", "deadlines": "Fristen", "duration": "Bearbeitungsdauer",
          "legal_basis": "Rechtsgrundlagen", "forms": "Formulare", "online_service": "Online-Dienst",
          "process": "Verfahrensablauf", "offices": "Zuständige Stellen", "notes": "Hinweise"}
#: Kinds whose text is indexed (at low weight) for search.
SEARCH_KINDS = ("what", "who", "documents")

_GLUE_RE = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])")
_WORD_RE = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_MD_ESCAPE_RE = re.compile(r"\\([\\_*\[\]()#+.!`{}-])")


class GlueRepair:
    """Splits glued list items at a lowercase→Uppercase boundary inside a token, when verifiable.

    ``vocabulary``: word counts of the whole corpus (Berlin texts, Berlin complete pages, Hamburg pages).
    A token ``abcDef`` is split into ``abc`` + newline + ``Def`` when ``abc`` and ``Def`` each occur at
    least :attr:`MIN_COUNT` times as words of their own in ``vocabulary`` (any case: a list item's first
    word is capitalised, "Gefährliche" is verified by "gefährliche") and ``abcDef`` never occurs in
    ``clean`` (texts scraped with structure: Berlin's complete pages and Hamburg's pages), so names
    written that way on structured pages ("BerlinOnline") stay. Counts the repairs in ``done``.
    """

    MIN_COUNT = 2

    def __init__(self, vocabulary: Counter[str], clean: Counter[str] | None = None) -> None:
        self.vocabulary = Counter()
        for w, n in vocabulary.items():
            self.vocabulary[w.lower()] += n
        self.clean = clean if clean is not None else Counter()
        self.done = 0

    def __call__(self, text: str) -> str:
        """``text`` with verifiable glue points replaced by a line break."""
        return _WORD_RE.sub(self._word, text)

    def _word(self, m: re.Match[str]) -> str:
        word = m.group(0)
        pieces = _GLUE_RE.split(word)
        if len(pieces) < 2 or self.clean[word]:
            return word
        if any(len(p) < 2 or self.vocabulary[p.lower()] < self.MIN_COUNT for p in pieces):
            return word
        self.done += len(pieces) - 1
        return "\n".join(pieces)


def unescape_markdown(text: str) -> str:
    """Undo markdown backslash escapes (``\\_`` → ``_``) and turn non-breaking spaces into spaces."""
    return _MD_ESCAPE_RE.sub(r"\1", text.replace("\xa0", " "))


def read_descriptions(data_dir: Path, key_by_d115: dict[str, str], hamburg_mapping: dict[str, str],
                      report: BuildReport) -> dict[str, Description]:
    """Descriptions by LeiKa key: Berlin sections (complete page where one exists, else the text
    export) and Hamburg sections (first mapped page per key), each with source and date.

    ``key_by_d115``: Berlin d115 id → LeiKa key; ``hamburg_mapping``: Hamburg page title → LeiKa key.
    Missing source files are noted and skipped. Counts: ``descriptions`` indexed, ``description_glue``
    repaired, unjoinable pages rejected with the reason.

    Raises:
        DataFileError: when a present source file is unreadable.
    """
    texts = _load_berlin(data_dir, SERVICE_TEXTS_2024.path, gz=True, report=report) or []
    full = _load_berlin(data_dir, BERLIN_FULL_2024.path, gz=False, report=report) or []
    hh_path, hh_fmt = input_for(data_dir, HAMBURG_SERVICES.path)  # mirror JSON or hamburg.de page copies (issue 6)
    if hh_fmt == FORMAT_HAMBURG_PAGES:
        from indexer.formats_hamburg import read_hamburg_pages

        hamburg = read_hamburg_pages(hh_path).services
    else:
        hamburg = _load(hh_path, gz=False, report=report) or []
    hamburg = [{k: unescape_markdown(v) if isinstance(v, str) else v for k, v in r.items()} for r in hamburg]
    repair = GlueRepair(_vocabulary(texts, full, hamburg), clean=_vocabulary(full, hamburg))
    out: dict[str, Description] = {}
    full_by_id = {str(r.get("d115_id")): r for r in full if isinstance(r, dict)}
    for rec in texts:
        d115 = str(rec.get("d115_id") or "")
        key = key_by_d115.get(d115)
        if key is None:
            report.reject("descriptions", "Berlin page without LeiKa key (d115 id not in the table)", d115)
            continue
        page = full_by_id.get(d115)
        sections = _berlin_full(page) if page else _berlin_texts(rec, repair)
        out.setdefault(key, Description(leika_key=key)).sections.extend(sections)
    seen_hh: set[str] = set()
    for rec in hamburg:
        key = hamburg_mapping.get(" ".join(str(rec.get("leistung") or "").split()))
        if key is None:
            report.reject("descriptions", "Hamburg page not mapped to LeiKa", rec.get("leistung"))
            continue
        if key in seen_hh:
            report.reject("descriptions", "second Hamburg page for the same key (first kept)", rec.get("leistung"))
            continue
        seen_hh.add(key)
        out.setdefault(key, Description(leika_key=key)).sections.extend(_hamburg(rec))
    for _ in range(repair.done):
        report.repair("descriptions", "glued list items split (verified words)")
    report.ok("descriptions", len(out))
    return out


def search_text(description: Description) -> str:
    """The text of a description that is indexed for search: the sections in :data:`SEARCH_KINDS`."""
    parts: list[str] = []
    for s in description.sections:
        if s.kind in SEARCH_KINDS:
            parts.append(s.text)
            parts.extend(f"{i.get('titel', '')} {i.get('text', '')}" for i in s.items)
    return "\n".join(p for p in parts if p)


# --------------------------------------------------------------------------- sources


def _section(kind: str, text: str = "", items: list[dict] | None = None, *, source: str, date: str,
             land: str, url: str | None = None) -> DescriptionSection | None:
    text = (text or "").strip()
    clean_items = [{k: " ".join(str(v).split()) if k != "text" else str(v).strip() for k, v in i.items() if v}
                   for i in (items or []) if isinstance(i, dict)]
    clean_items = [i for i in clean_items if i]
    if not text and not clean_items:
        return None
    return DescriptionSection(kind=kind, title=TITLES[kind], text=text, items=clean_items, source=source,
                              date=date, land=land, url=url)


def _berlin_texts(rec: dict, repair: GlueRepair) -> list[DescriptionSection]:
    url = rec.get("url") or None
    out = [_section(kind, repair(rec.get(field) or ""), source=SRC_BERLIN_TEXTS, date=DATE_BERLIN,
                    land=BERLIN_LAND, url=url)
           for kind, field in (("what", "beschreibung"), ("who", "voraussetzungen"), ("documents", "unterlagen"))]
    return [s for s in out if s is not None]


def _berlin_full(rec: dict) -> list[DescriptionSection]:
    url = rec.get("url") or None
    kw = {"source": SRC_BERLIN_FULL, "date": DATE_BERLIN, "land": BERLIN_LAND, "url": url}
    online = rec.get("online_abwicklung")
    online_items = online if isinstance(online, list) else []
    online_text = online if isinstance(online, str) else ""
    offices = [{"titel": o.get("name", ""), "text": ", ".join(p for p in (o.get("behoerde"), o.get("adresse")) if p),
                "standort_id": o.get("standort_id", "")} for o in rec.get("zustaendige_standorte") or []]
    out = [
        _section("what", rec.get("beschreibung") or "", **kw),
        _section("who", *_text_or_items(rec.get("voraussetzungen")), **kw),
        _section("documents", *_text_or_items(rec.get("unterlagen")), **kw),
        _section("fees", rec.get("gebuehren") or "", **kw),
        _section("duration", rec.get("bearbeitungszeit") or "", **kw),
        _section("legal_basis", *_text_or_items(rec.get("rechtsgrundlagen")), **kw),
        _section("forms", *_text_or_items(rec.get("formulare")), **kw),
        _section("online_service", online_text, online_items, **kw),
        _section("offices", rec.get("hinweise_zustaendigkeit") or "", offices, **kw),
    ]
    return [s for s in out if s is not None]


def _hamburg(rec: dict) -> list[DescriptionSection]:
    info = rec.get("hh_info_id")
    kw = {"source": SRC_HAMBURG, "date": DATE_HAMBURG, "land": HAMBURG_LAND,
          "url": f"https://www.hamburg.de/service/info/{info}/" if info else None}
    what = "\n\n".join(p for p in (rec.get("einleitung"), rec.get("beschreibung")) if p)
    offices = [{"titel": e.get("einrichtung", ""), "text": e.get("strasse", "")} for e in rec.get("einrichtungen") or []]
    out = [_section(kind, rec.get(field) or "", **kw) for kind, field in (
        ("who", "voraussetzungen"), ("documents", "unterlagen"), ("deadlines", "fristen"),
        ("process", "verfahrensablauf"), ("duration", "dauer"), ("fees", "gebuehren"),
        ("legal_basis", "rechtsgrundlage"), ("forms", "formulare"), ("online_service", "online_service"),
        ("notes", "zu_beachten"))]
    out.insert(0, _section("what", what, **kw))
    out.append(_section("offices", "", offices, **kw))
    return [s for s in out if s is not None]


def _text_or_items(value: object) -> tuple[str, list]:
    """A list section of a complete Berlin page: items, or the raw text indexer.formats_berlin kept."""
    return (value, []) if isinstance(value, str) else ("", value if isinstance(value, list) else [])


def _load_berlin(data_dir: Path, rel: str, *, gz: bool, report: BuildReport) -> list | None:
    """Records of the Berlin 2024 mirror file ``rel``, or of the publisher file `zufi data fetch` stored for it
    (``services_export.xlsx`` / ``services.db``, read by :mod:`indexer.formats_berlin`; issue 6)."""
    path, fmt = input_for(data_dir, rel)
    if fmt == FORMAT_BERLIN_XLSX:
        from indexer.formats_berlin import read_berlin_export_xlsx

        return read_berlin_export_xlsx(path)
    if fmt == FORMAT_BERLIN_DB:
        from indexer.formats_berlin import read_berlin_services_db

        return read_berlin_services_db(path)
    return _load(path, gz=gz, report=report)


def _load(path: Path, *, gz: bool, report: BuildReport) -> list | None:
    if not path.exists():
        report.notes.append(f"{path.name} missing: no descriptions from it")
        return None
    try:
        if gz:
            with gzip.open(path, "rb") as fh:
                raw = fh.read()
        else:
            raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise DataFileError(path, f"cannot read service descriptions: {exc}") from exc
    if not isinstance(data, list):
        raise DataFileError(path, "expected a JSON list of service pages")
    return data


def _vocabulary(*corpora: list) -> Counter[str]:
    counts: Counter[str] = Counter()

    def walk(v: object) -> None:
        if isinstance(v, str):
            counts.update(_WORD_RE.findall(v))
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for corpus in corpora:
        walk(corpus)
    return counts
