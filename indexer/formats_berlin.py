"""Readers for the Berlin 2024 service scrape as its publisher ships it (issue 6, SOURCES.md §8).

Publisher: GitHub ``tobiasseck/berlin-services-api``, a scrape of
``https://service.berlin.de/dienstleistung/<id>/`` (content: Land Berlin / BerlinOnline, licence not stated).
The repo's scraper (``Scraper Build/scraper_v3.py``, ``scraper_v4.py``; models also in ``app/models.py``) stores
SQLModel tables in SQLite; ``Scraper Build/export.py`` writes them to an xlsx with pandas. Two files stand for
the mirror's ``berlin_services_2024/`` files:

* ``Scraper Build/services_export.xlsx`` (commit 8873244e86fdae8f3c50517371e97b338b318ddd, 2024-09-02) →
  ``berlin_dienstleistungen_texte_2024-09.json.gz`` (:func:`read_berlin_export_xlsx`);
* ``services.db`` (repository root, commit e60f8f639f704159d9a33c3dcb86d9dba7f98d73; the scraper_v4 schema with
  the page HTML) → ``berlin_dienstleistungen_voll_2024-09_104.json`` (:func:`read_berlin_services_db`).

Neither file could be opened here (both are binary in the code index; there is no network): the sheet, table and
column names come from the repo's code, the HTML handling from what the scraper stored and what the mirror records
hold. ``docs/data.md`` lists what was inferred and why. Nothing is added that the files do not say: a section that
cannot be parsed keeps its raw text; a value that is absent is left out.

Every reader raises :class:`zufi.errors.DataFileError` naming the file when it cannot be read. No work at import
time: openpyxl and lxml are imported by the functions that need them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from indexer.xlsxio import open_workbook
from zufi.errors import DataFileError

#: Sheet → the columns read (pandas ``to_excel(index=False)`` of the scraper_v3 tables ``Service`` and
#: ``ServiceDetail``: header row = the table's column names).
EXPORT_SHEETS = {"Services": ("id", "service_name", "link"),
                 "ServiceDetails": ("service_id", "description", "voraussetzungen", "unterlagen")}
#: The section heading the scraper's ``get_text(strip=True)`` kept at the start of each value (the staging
#: stripped it, SOURCES.md §8).
EXPORT_HEADINGS = {"voraussetzungen": "Voraussetzungen", "unterlagen": "Erforderliche Unterlagen"}
#: Fields of a text record (= the mirror's ``berlin_dienstleistungen_texte_2024-09.json.gz``), in order.
TEXT_FIELDS = ("d115_id", "name", "url", "beschreibung", "voraussetzungen", "unterlagen")

#: Tables → the columns read (scraper_v4 / app/models.py: ``Service``, ``ServiceDetail``; SQLModel table names).
DB_TABLES = {"service": ("id", "service_name", "link"), "servicedetail": ("service_id", "description")}

_LIST, _TEXT, _PLACES = "list", "text", "places"
#: h2 heading (case-folded, spaces collapsed, no trailing colon) → (record field, kind of section).
SECTIONS: dict[str, tuple[str, str]] = {
    "online-abwicklung": ("online_abwicklung", _LIST),
    "voraussetzungen": ("voraussetzungen", _LIST),
    "erforderliche unterlagen": ("unterlagen", _LIST),
    "unterlagen": ("unterlagen", _LIST),
    "formulare": ("formulare", _LIST),
    "gebühren": ("gebuehren", _TEXT),
    "rechtsgrundlagen": ("rechtsgrundlagen", _LIST),
    "rechtsgrundlage": ("rechtsgrundlagen", _LIST),
    "durchschnittliche bearbeitungszeit": ("bearbeitungszeit", _TEXT),
    "bearbeitungszeit": ("bearbeitungszeit", _TEXT),
    "bearbeitungsdauer": ("bearbeitungszeit", _TEXT),
    "weiterführende informationen": ("weiterfuehrende_informationen", _LIST),
    "hinweise zur zuständigkeit": ("hinweise_zustaendigkeit", _TEXT),
    "für sie zuständig": ("zustaendige_standorte", _PLACES),
}
#: Elements that end a line of text (as a browser lays them out).
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
                    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
                    "nav", "ol",
                    "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul"})
#: Elements whose text is not page text.
_SKIP = frozenset({"button", "head", "noscript", "option", "script", "select", "style", "template", "textarea"})
_TITLE_TAGS = frozenset({"a", "b", "dt", "h3", "h4", "h5", "h6", "strong"})
_LINE_WS = re.compile(r"\s*[\r\n\t\f\v]\s*")


# ------------------------------------------------------------------------------------------------ xlsx
def _cell(v: Any) -> str:
    """A spreadsheet cell as text: None → "", 120686.0 → "120686", line ends as ``\\n``, trimmed."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


def _sheet_rows(path: Path, wb: Any, sheet: str, wanted: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of ``sheet`` (any case) as ``{column: text}``, by the names of its header row."""
    ws = next((wb[n] for n in wb.sheetnames if n.lower() == sheet.lower()), None)
    if ws is None:
        raise DataFileError(path, f"no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
    rows = ws.iter_rows(values_only=True)
    header = [_cell(c) for c in next(rows, ())]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise DataFileError(path, f"sheet {sheet!r} lacks columns {missing} (header: {header})")
    out = []
    for row in rows:
        cells = {h: _cell(v) for h, v in zip(header, row) if h}
        if any(cells.values()):
            out.append(cells)
    return out


def read_berlin_export_xlsx(path: Path) -> list[dict[str, str]]:
    """The Berlin service texts of ``services_export.xlsx``, as the mirror's ``berlin_dienstleistungen_texte``.

    Source: ``Scraper Build/services_export.xlsx`` of GitHub tobiasseck/berlin-services-api at commit
    8873244e86fdae8f3c50517371e97b338b318ddd (2024-09-02), written by ``Scraper Build/export.py`` (pandas
    ``to_excel(index=False)``, one sheet per table, header row = column names) from the scraper_v3 tables:
    sheet ``Services`` (``id`` = d115 id, ``service_name``, ``link``) and sheet ``ServiceDetails`` (``id``,
    ``service_id``, ``title``, ``description`` = text of the page's first ``div.block``, ``voraussetzungen`` /
    ``unterlagen`` = ``get_text(strip=True)`` of the blocks headed "Voraussetzungen" / "Erforderliche
    Unterlagen", ``behoerde_id``). Other sheets (``Standorte``, ``StandorteServices``, ``Behoerde``) are not read.

    One record per ``ServiceDetails`` row, in sheet order (the scraper's A–Z order), joined to ``Services`` by
    ``service_id``: ``d115_id`` = the id as text, ``name`` = ``service_name`` (else the detail's ``title``),
    ``url`` = ``link`` (``""`` when the service row is missing), ``beschreibung`` = ``description``,
    ``voraussetzungen`` / ``unterlagen`` without the heading the scraper kept in front
    (:data:`EXPORT_HEADINGS`, removed once, as the staging did). Empty cells give ``""``; values are trimmed and
    line ends become ``\\n``; a cell openpyxl stored as a formula because its text begins with ``=`` gives that
    text back (the workbook is read with ``data_only=False``); the glued list items of ``get_text(strip=True)``
    are kept as they are. A second detail row for the same id is skipped (the scraper upserts: there is none).

    Returns:
        ``[{"d115_id", "name", "url", "beschreibung", "voraussetzungen", "unterlagen"}]`` — all text.
    Raises:
        DataFileError: naming ``path`` when it is missing, not a readable xlsx, lacks one of the two sheets or a
            column of :data:`EXPORT_SHEETS`, or has no detail rows.
    """
    path = Path(path)
    # data_only=False: openpyxl (pandas' engine in export.py) stored a text beginning with "=" as a formula
    # without a cached value (d115 351307: "=== Der Beantragungszeitraum …"); its formula is that text
    wb = open_workbook(path, data_only=False)
    try:
        services = {r["id"]: r for r in _sheet_rows(path, wb, "Services", EXPORT_SHEETS["Services"]) if r["id"]}
        details = _sheet_rows(path, wb, "ServiceDetails", EXPORT_SHEETS["ServiceDetails"])
    except DataFileError:
        raise
    except Exception as e:  # a damaged sheet inside a readable zip
        raise DataFileError(path, f"cannot read the workbook: {e or type(e).__name__}") from e
    finally:
        wb.close()
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for d in details:
        sid = d["service_id"]
        if not sid or sid in seen:
            continue
        seen.add(sid)
        svc = services.get(sid, {})
        rec = {"d115_id": sid, "name": svc.get("service_name") or d.get("title", ""), "url": svc.get("link", ""),
               "beschreibung": d["description"]}
        for field, heading in EXPORT_HEADINGS.items():
            rec[field] = d[field].removeprefix(heading).strip()
        out.append(rec)
    if not out:
        raise DataFileError(path, "no rows in sheet 'ServiceDetails'")
    return out


# ---------------------------------------------------------------------------------------------- SQLite
def _tables(path: Path, con: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n.lower(): [str(c[1]) for c in con.execute(f'PRAGMA table_info("{n}")')] for n in names}


def read_berlin_services_db(path: Path) -> list[dict[str, Any]]:
    """The complete Berlin service pages of ``services.db``, as the mirror's ``berlin_dienstleistungen_voll``.

    Source: ``services.db`` of GitHub tobiasseck/berlin-services-api (repository root, commit
    e60f8f639f704159d9a33c3dcb86d9dba7f98d73; 104 services scraped 2024-09), SQLite written by
    ``Scraper Build/scraper_v4.py`` (SQLModel; the same models in ``app/models.py``): table ``service`` (``id`` =
    d115 id, ``service_name``, ``link``, ``can_be_done_online``), ``servicedetail`` (``service_id``, ``title`` =
    the page's ``h1``, ``description`` = the HTML of the children of ``div#layout-grid__area--maincontent``, as
    BeautifulSoup printed them), ``formular`` (``service_id``, ``title``, ``url``); ``standorte`` /
    ``standorteservices`` are not read (the locations come from the page).

    One record per ``service`` row with a non-empty ``servicedetail`` page, in id order: ``d115_id``, ``name``
    (``service_name``, else the detail's ``title``), ``url`` (``link``), ``online`` (``can_be_done_online``; if
    the column is absent, whether the page has the heading "Online-Abwicklung" — the scraper's own rule), then the
    page sections (:func:`parse_service_page`). When the page has no "Formulare" section, the service's
    ``formular`` rows (deduplicated) give ``formulare`` as ``{titel, link}``.

    Returns:
        ``[{"d115_id", "name", "url", "online": bool, "beschreibung", …sections}]`` shaped like the mirror file.
    Raises:
        DataFileError: naming ``path`` when it is missing, not an SQLite database, lacks the table ``service`` or
            ``servicedetail`` or one of their columns in :data:`DB_TABLES`, or has no service page.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "file is missing")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise DataFileError(path, f"cannot open the SQLite database: {e}") from e
    try:
        tables = _tables(path, con)
        for table, cols in DB_TABLES.items():
            if table not in tables:
                raise DataFileError(path, f"no table {table!r} (tables: {', '.join(sorted(tables)) or 'none'})")
            missing = [c for c in cols if c not in tables[table]]
            if missing:
                raise DataFileError(path, f"table {table!r} lacks columns {missing}")
        online_col = "can_be_done_online" in tables["service"]
        services = con.execute(
            f"SELECT id, service_name, link, {'can_be_done_online' if online_col else 'NULL'} FROM service "
            "ORDER BY id").fetchall()
        title_col = "title" if "title" in tables["servicedetail"] else "NULL"
        pages: dict[str, tuple[str, str]] = {}
        for sid, title, html in con.execute(
                f"SELECT service_id, {title_col}, description FROM servicedetail ORDER BY id"):
            pages.setdefault(str(sid), (title or "", html or ""))
        forms: dict[str, list[dict[str, str]]] = {}
        if {"service_id", "title", "url"} <= set(tables.get("formular", ())):
            for sid, title, url in con.execute("SELECT service_id, title, url FROM formular ORDER BY id"):
                item = {k: v for k, v in (("titel", (title or "").strip()), ("link", (url or "").strip())) if v}
                if item and item not in forms.setdefault(str(sid), []):
                    forms[str(sid)].append(item)
    except sqlite3.DatabaseError as e:  # "file is not a database", malformed pages …
        raise DataFileError(path, f"not a readable SQLite database: {e}") from e
    finally:
        con.close()
    out: list[dict[str, Any]] = []
    for sid, name, link, online in services:
        title, html = pages.get(str(sid), ("", ""))
        if not html.strip():
            continue  # no page stored for this service: nothing to read
        url = (link or "").strip()
        try:
            sections = parse_service_page(html, url)
        except Exception as e:  # lxml.etree.ParserError and the like
            reason = f"service {sid}: cannot parse the page HTML: {e or type(e).__name__}"
            raise DataFileError(path, reason) from e
        rec: dict[str, Any] = {"d115_id": str(sid), "name": (name or "").strip() or title.strip(), "url": url,
                               "online": bool(online) if online_col else "online_abwicklung" in sections}
        rec.update(sections)
        if "formulare" not in rec and forms.get(str(sid)):
            rec["formulare"] = forms[str(sid)]
        out.append(rec)
    if not out:
        raise DataFileError(path, "no service pages (table servicedetail has no HTML for any service)")
    return out


# ------------------------------------------------------------------------------------------------ HTML
def parse_service_page(html: str, url: str = "") -> dict[str, Any]:
    """The sections of one service page's main-content HTML, keyed like the mirror's complete pages.

    The page is cut at its ``h2`` headings, in document order (a heading may sit inside a ``div.block``
    wrapper; matched by its text, else by its ``id`` such as ``Online-Abwicklung``): what comes before the
    first heading is ``beschreibung``; each heading's section runs to the next ``h2``. ``h1`` and loose text
    outside any element (BeautifulSoup prints a comment such as ``<!-- MAIN CONTENT -->`` as bare text) are
    skipped. Headings are matched by :data:`SECTIONS`:

    * list sections (``voraussetzungen``, ``unterlagen``, ``formulare``, ``rechtsgrundlagen``,
      ``weiterfuehrende_informationen``, ``online_abwicklung``) → ``[{titel, link?, text?}]``, one per
      outermost ``li`` (:func:`_item`); a section with text outside its lists, or without any list, keeps its
      raw text instead (a string);
    * text sections (``gebuehren``, ``bearbeitungszeit``, ``hinweise_zustaendigkeit``) → text;
    * "Für Sie zuständig" → ``zustaendige_standorte``: ``[{standort_id, name?, behoerde?, adresse?}]``, one per
      location checkbox (:func:`_places`; ``[]`` when the section has none);
    * any other heading → ``weitere_abschnitte``: ``[{titel, text?}]`` with the raw text.

    Text: a line per block element (``p``, ``li``, ``div``, ``br`` …), each line trimmed, empty lines dropped,
    lines joined with ``\\n``; a whitespace run holding a line break or tab becomes one space, other spaces are
    kept; non-breaking spaces become spaces; ``script``/``style``/form controls are not text. Relative links are
    resolved against ``url``.

    Returns:
        ``{"beschreibung": str, field: list | str, …}`` — only the sections the page has.
    Raises:
        lxml.etree.ParserError: when ``html`` holds nothing parseable (callers name the file).
    """
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(html, create_parent="div")
    segments: list[tuple[Any, list[Any]]] = [(None, [])]

    def visit(el: Any) -> None:
        if not isinstance(el.tag, str):  # a comment or processing instruction
            return
        tag = el.tag.lower()
        if tag == "h2":
            segments.append((el, []))
        elif tag == "h1":
            return
        elif any(True for _ in el.iterdescendants("h2")):
            if el.text and el.text.strip():
                segments[-1][1].append(el.text)
            for child in el:
                visit(child)
                if child.tail and child.tail.strip():
                    segments[-1][1].append(child.tail)
        else:
            segments[-1][1].append(el)

    for child in root:
        visit(child)
    out: dict[str, Any] = {"beschreibung": "\n".join(_lines(segments[0][1]))}
    for heading, nodes in segments[1:]:
        titel = _line([heading]).rstrip(":").strip()
        hid = (heading.get("id") or "").casefold()
        field, kind = SECTIONS.get(titel.casefold()) or SECTIONS.get(hid, ("", ""))
        if kind == _PLACES:
            out.setdefault(field, []).extend(_places(nodes))
        elif kind == _TEXT:
            text = "\n".join(_lines(nodes))
            if text:
                out[field] = f"{out[field]}\n{text}" if out.get(field) else text
        elif kind == _LIST:
            value = _list_section(nodes, url)
            if value:
                old = out.get(field)
                if isinstance(old, list) and isinstance(value, list):
                    old.extend(value)
                elif old:
                    out[field] = "\n".join(_as_text(v) for v in (old, value))
                else:
                    out[field] = value
        elif titel:
            text = "\n".join(_lines(nodes))
            out.setdefault("weitere_abschnitte", []).append({"titel": titel, **({"text": text} if text else {})})
    return out


def _ws(text: str | None) -> str:
    return _LINE_WS.sub(" ", text.replace("\xa0", " ")) if text else ""


def _lines(nodes: Iterable[Any], *, skip: frozenset[str] = frozenset()) -> list[str]:
    """Trimmed non-empty lines of ``nodes`` (elements — their tails not included — or strings)."""
    buf: list[str] = []

    def walk(el: Any) -> None:
        if isinstance(el.tag, str):
            tag = el.tag.lower()
            if tag not in _SKIP and tag not in skip:
                block = tag in _BLOCK
                if block:
                    buf.append("\n")
                buf.append(_ws(el.text))
                for c in el:
                    walk(c)
                    buf.append(_ws(c.tail))
                if block:
                    buf.append("\n")

    for n in nodes:
        if isinstance(n, str):
            buf.append(_ws(n))
        else:
            walk(n)
    return [s for s in (line.strip() for line in "".join(buf).split("\n")) if s]


def _line(nodes: Iterable[Any]) -> str:
    """The text of ``nodes`` on one line."""
    return " ".join(_lines(nodes))


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "\n".join("\n".join(str(v) for v in item.values()) for item in value)


def _link(el: Any, url: str) -> str:
    href = (el.get("href") or "").strip()
    return urljoin(url, href) if href and url else href


def _outer_items(nodes: list[Any]) -> Iterator[Any]:
    for n in nodes:
        if isinstance(n, str):
            continue
        cands = [n] if n.tag == "li" else []
        cands += list(n.iterdescendants("li"))
        for li in cands:
            if not any(a.tag == "li" for a in li.iterancestors()):
                yield li


def _list_section(nodes: list[Any], url: str) -> list[dict[str, str]] | str:
    """Items of a list section, or its raw text when it has text outside its lists or no list at all."""
    items = [i for i in (_item(li, url) for li in _outer_items(nodes)) if i]
    if items and not _lines(nodes, skip=frozenset({"li"})):
        return items
    return "\n".join(_lines(nodes))


def _is_title(el: Any) -> bool:
    if not isinstance(el.tag, str):
        return False
    tag, cls = el.tag.lower(), (el.get("class") or "").lower()
    if tag in _TITLE_TAGS or "title" in cls or "head" in cls:
        return True
    kids = [c for c in el if isinstance(c.tag, str)]  # a wrapper around one link or bold text
    return (len(kids) == 1 and kids[0].tag in ("a", "strong", "b") and not (el.text or "").strip()
            and not (kids[0].tail or "").strip())


def _item(li: Any, url: str) -> dict[str, str]:
    """``{titel, link?, text?}`` of one ``li``: the title is its first element when nothing comes before it and
    it is a link, bold text, a sub-heading, marked as title (class ``title``/``head``) or a wrapper around one
    link or bold text; ``link`` is the title's link (when the link's text is the whole title); ``text`` is the
    rest. Without such a title the whole text is ``titel``."""
    first = next((c for c in li if isinstance(c.tag, str)), None)
    if first is None or (li.text or "").strip() or not _is_title(first):
        text = "\n".join(_lines([li]))
        return {"titel": text} if text else {}
    titel = _line([first])
    anchor = first if first.tag == "a" else next(first.iterdescendants("a"), None)
    link = _link(anchor, url) if anchor is not None and _line([anchor]) == titel else ""
    rest: list[Any] = [first.tail] if first.tail else []
    for sib in first.itersiblings():
        rest.append(sib)
        if sib.tail:
            rest.append(sib.tail)
    text = "\n".join(_lines(rest))
    item = {"titel": titel} if titel else {}
    if link:
        item["link"] = link
    if text:
        item["text"] = text
    return item


def _places(nodes: list[Any]) -> list[dict[str, str]]:
    """Locations of the "Für Sie zuständig" section: one per checkbox whose value is a location id.

    ``standort_id`` = the checkbox value; within the checkbox's ``li`` (else its ``label``, else its parent):
    ``name`` = the text of a link to ``/standort/<id>/`` (else of an element with class ``name``/``title``, else
    of ``strong``/``b``); ``adresse`` = an element with class ``address``/``adresse`` (lines joined with ", ");
    ``behoerde`` = an element with class ``behoerde``/``authority``, else the nearest ``h3``/``h4`` before the
    checkbox in the section. A value not found is left out.
    """
    out: list[dict[str, str]] = []
    heads: list[Any] = []
    for n in nodes:
        if isinstance(n, str):
            continue
        for el in n.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag in ("h3", "h4"):
                heads.append(el)
            if el.tag != "input" or (el.get("type") or "").lower() != "checkbox":
                continue
            value = (el.get("value") or "").strip()
            if not value.isdigit():
                continue  # "alle auswählen" and the like
            box = next((a for a in el.iterancestors("li")), None)
            if box is None and el.get("id"):
                box = next((lb for lb in el.getroottree().iter("label") if lb.get("for") == el.get("id")), None)
            if box is None:
                box = el.getparent()
            place = {"standort_id": value}
            href = f"/standort/{value}"
            name = _first_text(box, lambda e, h=href: e.tag == "a" and h in (e.get("href") or "")) or \
                _first_text(box, lambda e: _has_class(e, ("name", "title"))) or \
                _first_text(box, lambda e: e.tag in ("strong", "b"))
            behoerde = _first_text(box, lambda e: _has_class(e, ("behoerde", "authority")))
            if not behoerde and heads:
                behoerde = _line([heads[-1]])
            adresse = next((", ".join(_lines([e])) for e in box.iter()
                            if isinstance(e.tag, str) and _has_class(e, ("address", "adresse"))), "")
            for k, v in (("name", name), ("behoerde", behoerde), ("adresse", adresse)):
                if v:
                    place[k] = v
            out.append(place)
    return out


def _has_class(el: Any, words: tuple[str, ...]) -> bool:
    cls = (el.get("class") or "").lower()
    return any(w in cls for w in words)


def _first_text(box: Any, pred: Any) -> str:
    for e in box.iter():
        if isinstance(e.tag, str) and pred(e):
            text = _line([e])
            if text:
                return text
    return ""


__all__ = ["DB_TABLES", "EXPORT_HEADINGS", "EXPORT_SHEETS", "SECTIONS", "TEXT_FIELDS", "parse_service_page",
           "read_berlin_export_xlsx", "read_berlin_services_db"]
