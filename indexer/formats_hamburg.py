"""Read the hamburg.de "Hamburg Service" pages as markdown copies and merge them into service records.

Publisher form (issue 6, ``zufi data fetch --source hamburg-leistungen``): the archive of GitHub
``MoDimGH/ReductionOfHallucinations`` at commit 72c40cf1 (2025-06-21), whose folders
``scraping/dataset/**``, ``old_data/dataset_old/**`` and ``old_data/all_files_1/*`` hold markdown copies of
``https://www.hamburg.de/service/info/<id>/`` pages (SOURCES.md §9 of the data mirror). The mirror's
``hamburg_leistungen_2025-05.json`` and ``hamburg_leistung_einrichtung_2025-05.csv`` were merged from
these pages by the data staging; :func:`read_hamburg_pages` does that merge itself, giving records with
the mirror's fields. The page format was read from the stored repository (not downloaded): see
``docs/data.md`` for what is known and what was inferred.

No work at import time; the standard library only.
"""

from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from zufi.errors import DataFileError

#: The repository and commit the download is pinned to (HEAD as the staging read it, 2025-06-21).
HAMBURG_REPO = "MoDimGH/ReductionOfHallucinations"
HAMBURG_COMMIT = "72c40cf11df6c1e79023f85eaa16b7c4800b0f0c"
#: Repository folders holding page copies, in order of preference for equally new copies of a page
#: (``old_data/all_files_1`` direct children only; the other two with sub-folders).
PAGE_FOLDERS = ("scraping/dataset/", "old_data/dataset_old/", "old_data/all_files_1/")
#: Columns of the service → office pairs (the mirror CSV's header, in order).
PAIR_COLUMNS = ("leistung", "leistung_hh_info_id", "einrichtung", "strasse", "leistung_einrichtung_info_id",
                "quelle")
#: Text fields of a service record in the mirror JSON's order (``einleitung`` and ``beschreibung`` always set).
TEXT_FIELDS = ("einleitung", "online_service", "beschreibung", "voraussetzungen", "unterlagen", "zu_beachten",
               "fristen", "verfahrensablauf", "dauer", "gebuehren", "zahlungsarten", "rechtsbehelf",
               "rechtsgrundlage", "formulare", "weitere_dienstleistungen", "links_hamburg", "links_internet")

#: Section headings (normalised: case-folded, blanks collapsed) → record field. H2 sections and the H3/H4
#: sections below "Informationen" and "Formulare, Services & Links" alike.
SECTION_FIELDS = {
    "online-service nutzen": "online_service", "beschreibung der leistung": "beschreibung",
    "voraussetzungen": "voraussetzungen", "benötigte unterlagen": "unterlagen",
    "erforderliche unterlagen": "unterlagen", "zu beachten": "zu_beachten", "fristen": "fristen",
    "verfahrensablauf": "verfahrensablauf", "dauer": "dauer", "bearbeitungsdauer": "dauer",
    "gebühren": "gebuehren", "zahlungsarten": "zahlungsarten", "rechtsbehelf": "rechtsbehelf",
    "rechtsgrundlage": "rechtsgrundlage", "rechtsgrundlagen": "rechtsgrundlage",
    "formulare und downloads": "formulare", "formulare": "formulare",
    "weitere dienstleistungen": "weitere_dienstleistungen", "links auf hamburg.de": "links_hamburg",
    "links im internet": "links_internet"}
_OFFICE_LIST = re.compile(r"^wählen sie eine von (\d+) einrichtung(?:en)?\b")
_ADDRESS = "adresse und kontakt"
_OPENING = "öffnungszeiten"
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s")
_UPDATED = re.compile(r"Letzte Aktualisierung:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})")
_FILE_ID = re.compile(r"_(\d{6,})\.md$")
_STREET = re.compile(r"^\s*[*+-]\s*\[([^\]]*)\]\(#\)", re.MULTILINE)
_DETAILS = re.compile(r"\(/service/info/(\d+)/?\)")
_VCARD = re.compile(r"/vcard/(\d+)/")


@dataclass(frozen=True, slots=True)
class HamburgPages:
    """What :func:`read_hamburg_pages` gives.

    ``services``: one record per service (title), sorted by case-folded title, with the fields of the
    mirror's ``hamburg_leistungen_2025-05.json``; ``pairs``: the service → office rows of the mirror's
    ``hamburg_leistung_einrichtung_2025-05.csv`` (:data:`PAIR_COLUMNS`, all text, ``""`` for none);
    ``files``: page files read; ``pages``: distinct pages (title, office) among them; ``skipped``:
    markdown files in the page folders that are no service page (no title or no "Beschreibung der
    Leistung", e.g. hamburg.de "Information" pages).
    """

    services: list[dict[str, Any]]
    pairs: list[dict[str, str]]
    files: int
    pages: int
    skipped: int


@dataclass(slots=True)
class _Page:
    rel: str
    rank: int
    updated: date
    title: str
    file_id: str | None
    fields: dict[str, str] = field(default_factory=dict)
    n_listed: int | None = None
    listed: list[dict[str, Any]] = field(default_factory=list)
    office: str | None = None
    opening: str | None = None

    @property
    def leistung(self) -> str:
        if self.office and self.title.startswith(self.office + " "):
            return self.title[len(self.office) + 1:].strip()
        return self.title

    @property
    def is_office_page(self) -> bool:
        """An office-specific page ("<Einrichtung> <Leistung>" with an "Adresse und Kontakt" block)."""
        return bool(self.office) and self.title.startswith(self.office + " ")

    def order(self) -> tuple[int, int, str]:
        """Newest copy first, then by folder preference and path."""
        return (-self.updated.toordinal(), self.rank, self.rel)


def read_hamburg_pages(path: Path) -> HamburgPages:
    """Service records and service → office pairs merged from hamburg.de page copies.

    Source: GitHub ``MoDimGH/ReductionOfHallucinations`` at commit 72c40cf1 (2025-06-21), markdown copies of
    ``https://www.hamburg.de/service/info/<id>/`` pages (publisher: Freie und Hansestadt Hamburg; copies dated
    2025-04-28 … 2025-06-16; licence not stated) — the pages the mirror's Hamburg files were merged from.

    Args:
        path: the repository archive as GitHub serves it (a zip whose members sit under one top folder,
            ``ReductionOfHallucinations-<commit>/…``; a zip without that folder works too), or a directory
            with the repository's files (a checkout or the unpacked archive).
    Page files: ``*.md`` under :data:`PAGE_FOLDERS`, UTF-8. Both markdown dialects of the repository are
    read: ATX headings (``# Titel`` / ``## Beschreibung der Leistung`` …, the cleaned copies of June 2025)
    and setext headings (``Titel`` / ``=====``, ``Informationen`` / ``-----``, the raw copies of April/May
    2025). A page is a service page when it has a title (the first level-1 heading) and a non-empty
    "Beschreibung der Leistung". The text between the title and the first section is ``einleitung``
    (outer blanks stripped only); every section (:data:`SECTION_FIELDS`) is kept as markdown with trailing
    blanks cut from each line (non-breaking spaces stay), blank lines at either end dropped and runs of
    blank lines collapsed to one. "Letzte Aktualisierung: dd.mm.yyyy" dates the copy.

    Office-specific pages are those whose title is "<Einrichtung> <Leistung>", the Einrichtung being the
    first heading under "Adresse und Kontakt"; their "Öffnungszeiten" are kept. The hamburg.de info id of
    a page is the number a file name ends with (``…_-_hamburg.de__11298946.md``); copies without one
    (``…_index.md``) have none.

    Merge, per service title: the newest copy of the general page (ties: folder order, then path) gives
    the texts, the office list ("Wählen Sie eine von N Einrichtungen": name, street = first line of the
    address link, id = the "Details anzeigen" / vcard id) and ``n_einrichtungen_angegeben``;
    ``hh_info_id`` is the first id a general-page file name carries. Each office-specific page
    (title, Einrichtung; its newest copy) is joined to the list entry with one of its file ids, else to
    the entries of the same name (``quelle`` "liste+seite"), else appended (``quelle`` "seite", ``strasse``
    None); both get ``oeffnungszeiten`` (the page's "Öffnungszeiten" text, None when it has none). A service without a general page takes its texts from its
    newest office-specific page (``text_von_einrichtungsseite`` true).

    Returns:
        :class:`HamburgPages`. Results are cached per (file, size, mtime); callers get their own copy.
    Raises:
        DataFileError: naming ``path`` when it is missing, not a zip or directory, a page is not UTF-8
            (the member is named), or no service page is found in the page folders.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataFileError(path, "file is missing") from None
    except OSError as e:
        raise DataFileError(path, f"cannot read the Hamburg page archive: {e}") from e
    return copy.deepcopy(_read_cached(str(path), st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=4)
def _read_cached(path_str: str, size: int, mtime_ns: int) -> HamburgPages:
    path = Path(path_str)
    pages: list[_Page] = []
    skipped = 0
    for rel, rank, raw in _page_files(path):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise DataFileError(path, f"{rel}: page is not UTF-8 ({e})") from None
        page = _parse_page(rel, rank, text)
        if page is None:
            skipped += 1
        else:
            pages.append(page)
    if not pages:
        raise DataFileError(path, "no hamburg.de service pages (markdown with a title and 'Beschreibung der "
                                  f"Leistung') under {', '.join(PAGE_FOLDERS)}")
    services, distinct = _merge(pages)
    pairs = [{"leistung": s["leistung"], "leistung_hh_info_id": s["hh_info_id"] or "",
              "einrichtung": e["einrichtung"], "strasse": e["strasse"] or "",
              "leistung_einrichtung_info_id": e["leistung_einrichtung_info_id"] or "", "quelle": e["quelle"]}
             for s in services for e in s["einrichtungen"]]
    return HamburgPages(services=services, pairs=pairs, files=len(pages) + skipped, pages=distinct,
                        skipped=skipped)


# ----------------------------------------------------------------------------------------- files
def _repo_rel(name: str) -> tuple[str, int] | None:
    """(repository-relative path, folder rank) of an archive member or file that is a page copy."""
    parts = PurePosixPath(name).parts
    for start in (0, 1):  # the archive's top folder "<repo>-<commit>/" is optional
        rel = "/".join(parts[start:])
        for rank, folder in enumerate(PAGE_FOLDERS):
            if rel.startswith(folder) and rel.lower().endswith(".md"):
                if folder.endswith("all_files_1/") and "/" in rel[len(folder):]:
                    return None
                return rel, rank
    return None


def _page_files(path: Path):
    """Yield (repository-relative path, folder rank, bytes) of every page copy, sorted by path."""
    if path.is_dir():
        found = []
        for p in path.rglob("*.md"):
            hit = _repo_rel(p.relative_to(path).as_posix())
            if hit and p.is_file():
                found.append((hit[0], hit[1], p))
        for rel, rank, p in sorted(found):
            try:
                yield rel, rank, p.read_bytes()
            except OSError as e:
                raise DataFileError(path, f"{rel}: cannot read: {e}") from e
        return
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise DataFileError(path, f"not a zip archive of the repository {HAMBURG_REPO}: {e}") from None
    with zf:
        members = sorted((hit[0], hit[1], info) for info in zf.infolist() if not info.is_dir()
                         for hit in [_repo_rel(info.filename)] if hit)
        for rel, rank, info in members:
            try:
                yield rel, rank, zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as e:  # a corrupt member (CRC, truncated data)
                raise DataFileError(path, f"{rel}: corrupt zip member: {e}") from None


# ---------------------------------------------------------------------------------------- parsing
def _norm(heading: str) -> str:
    return " ".join(heading.replace("\xa0", " ").split()).casefold().rstrip(". …").strip()


def _blocks(text: str) -> list[tuple[int, str, list[str]]]:
    """The page as (heading level, heading text, body lines); level 0 = text before the first heading."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[tuple[int, str, list[str]]] = [(0, "", [])]
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _ATX.match(line)
        if m:
            out.append((len(m.group(1)), m.group(2).strip(), []))
            i += 1
            continue
        if (i + 1 < len(lines) and line.strip() and not _LIST_ITEM.match(line) and not line.startswith(("    ", "\t"))
                and _SETEXT.match(lines[i + 1])):
            out.append((1 if lines[i + 1].strip()[0] == "=" else 2, line.strip(), []))
            i += 2
            continue
        out[-1][2].append(line)
        i += 1
    return out


def _text(lines: list[str]) -> str:
    """Section text: trailing blanks cut per line, blank lines at the ends dropped, blank runs collapsed."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip(" \t")
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _parse_page(rel: str, rank: int, text: str) -> _Page | None:
    blocks = _blocks(text)
    h1 = next((i for i, b in enumerate(blocks) if b[0] == 1 and b[1]), None)
    if h1 is None:
        return None
    m = _UPDATED.search(text)
    try:
        updated = date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else date.min
    except ValueError:
        updated = date.min
    fid = _FILE_ID.search(PurePosixPath(rel).name)
    page = _Page(rel=rel, rank=rank, updated=updated, title=" ".join(blocks[h1][1].split()),
                 file_id=fid.group(1) if fid else None)
    page.fields["einleitung"] = "\n".join(blocks[h1][2]).strip()
    context = ""
    for level, heading, body in blocks[h1 + 1:]:
        key = _norm(heading)
        if level <= 2:
            context = key
            listed = _OFFICE_LIST.match(key)
            if listed:
                page.n_listed = int(listed.group(1))
                context = "list"
            elif key == _ADDRESS:
                context = "address"
        if context == "list" and level == 3:
            page.listed.append(_listed_office(heading, "\n".join(body)))
            continue
        if context == "address" and level >= 3:
            if key == _OPENING:
                page.opening = _text(body) or None
            elif page.office is None and level == 3:
                page.office = " ".join(heading.split())
            continue
        name = SECTION_FIELDS.get(key)
        if name and context not in ("list", "address"):
            value = _text(body)
            if value and name not in page.fields:
                page.fields[name] = value
    if not page.fields.get("beschreibung"):
        return None
    return page


def _listed_office(heading: str, body: str) -> dict[str, Any]:
    street = _STREET.search(body)
    ident = _DETAILS.search(body) or _VCARD.search(body)
    return {"einrichtung": " ".join(heading.split()),
            "strasse": street.group(1).split("\n")[0].strip() or None if street else None,
            "leistung_einrichtung_info_id": ident.group(1) if ident else None, "quelle": "liste"}


# ------------------------------------------------------------------------------------------ merge
def _merge(pages: list[_Page]) -> tuple[list[dict[str, Any]], int]:
    general: dict[str, list[_Page]] = {}
    offices: dict[str, dict[str, list[_Page]]] = {}
    for p in sorted(pages, key=_Page.order):
        if p.is_office_page:
            offices.setdefault(p.leistung, {}).setdefault(p.office or "", []).append(p)
        else:
            general.setdefault(p.leistung, []).append(p)
    distinct = sum(1 for _ in general) + sum(len(v) for v in offices.values())
    services = []
    for title in sorted(set(general) | set(offices), key=lambda t: (t.casefold(), t)):
        copies = general.get(title, [])
        by_office = offices.get(title, {})
        if copies:
            primary = copies[0]
        else:  # only office-specific pages: the newest of them gives the texts
            primary = min((ps[0] for ps in by_office.values()), key=_Page.order)
        rec: dict[str, Any] = {"leistung": title,
                               "hh_info_id": next((p.file_id for p in copies if p.file_id), None)}
        rec.update({k: primary.fields[k] for k in TEXT_FIELDS if primary.fields.get(k) or k == "einleitung"})
        entries = [dict(e) for e in primary.listed] if copies else []
        for office, ps in by_office.items():
            ids = [p.file_id for p in ps if p.file_id]
            hit = [e for e in entries if e["leistung_einrichtung_info_id"] in ids] or \
                  [e for e in entries if e["einrichtung"] == office]
            opening = next((p.opening for p in ps if p.opening), None)
            for e in hit:
                e["quelle"] = "liste+seite"
                if e["leistung_einrichtung_info_id"] is None and ids:
                    e["leistung_einrichtung_info_id"] = ids[0]
                e["oeffnungszeiten"] = opening
            if not hit:
                entries.append({"einrichtung": office, "strasse": None,
                                "leistung_einrichtung_info_id": ids[0] if ids else None,
                                "oeffnungszeiten": opening, "quelle": "seite"})
        rec["einrichtungen"] = entries
        rec["n_einrichtungen_angegeben"] = primary.n_listed if copies else None
        rec["text_von_einrichtungsseite"] = not copies
        services.append(rec)
    return services, distinct


def hamburg_summary(pages: HamburgPages) -> str:
    """One line for ``formats.verify``: "<n> Hamburg services from <pages> pages (<files> files, <skipped> not
    service pages), <pairs> service → office pairs". Raises nothing."""
    return (f"{len(pages.services)} Hamburg services from {pages.pages} pages ({pages.files} files, "
            f"{pages.skipped} not service pages), {len(pages.pairs)} service → office pairs")


__all__ = ["HAMBURG_COMMIT", "HAMBURG_REPO", "PAGE_FOLDERS", "PAIR_COLUMNS", "SECTION_FIELDS", "TEXT_FIELDS",
           "HamburgPages", "hamburg_summary", "read_hamburg_pages"]
