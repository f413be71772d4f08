"""Berlin 2024 service scrape in its publisher's formats (issue 6): ``services_export.xlsx`` and ``services.db``
of GitHub tobiasseck/berlin-services-api, written here from the mirror's records in the publisher's shape (sheet,
table and column names from the repo's ``export.py`` / ``scraper_v3.py`` / ``scraper_v4.py``; page HTML as the
scraper stored it), read back through :mod:`indexer.formats_berlin` and compared with the mirror; then downloaded
from a loopback server and read by the indexer."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import sqlite3
from html import escape
from itertools import groupby
from pathlib import Path
from urllib.parse import unquote

import pytest
from loopback import served_path, server_fixtures
from openpyxl import Workbook, load_workbook
from test_download import FAST, _link_inputs

from indexer.descriptions import read_descriptions
from indexer.fetch import download_data, input_for, read_sums
from indexer.formats import verify
from indexer.formats_berlin import parse_service_page, read_berlin_export_xlsx, read_berlin_services_db
from indexer.hamburg import read_mapping
from indexer.report import BuildReport
from indexer.services import read_services
from indexer.sources import (
    BERLIN_FULL_2024,
    FORMAT_BERLIN_DB,
    FORMAT_BERLIN_XLSX,
    PUBLISHER_BY_NAME,
    SERVICE_TEXTS_2024,
)
from zufi.errors import DataFileError

TEXTE, VOLL = PUBLISHER_BY_NAME["berlin-2024-texte"], PUBLISHER_BY_NAME["berlin-2024-voll"]
STANDORTE_CSV = "berlin_services_2024/berlin_standorte_2024-09.csv"
SERVICE_PAGE = "https://service.berlin.de"

#: pandas ``to_excel(index=False)`` headers = the scraper_v3 tables' columns (Scraper Build/scraper_v3.py, the
#: models ``export.py`` imports at commit 8873244e).
SHEETS = {"Services": ("id", "service_name", "link"),
          "ServiceDetails": ("id", "service_id", "title", "description", "voraussetzungen", "unterlagen",
                             "behoerde_id"),
          "Standorte": ("id", "name", "link", "address", "phone", "fax", "email", "homepage"),
          "StandorteServices": ("standort_id", "service_id"),
          "Behoerde": ("id", "name", "address", "contact", "email", "phone")}
#: The tables SQLModel creates for Scraper Build/scraper_v4.py (= app/models.py), as SQLAlchemy writes the DDL.
DB_SCHEMA = """
CREATE TABLE service (
	id INTEGER NOT NULL, service_name VARCHAR NOT NULL, link VARCHAR NOT NULL,
	can_be_done_online BOOLEAN NOT NULL, PRIMARY KEY (id));
CREATE TABLE servicedetail (
	id INTEGER NOT NULL, service_id INTEGER NOT NULL, title VARCHAR NOT NULL, description VARCHAR NOT NULL,
	PRIMARY KEY (id), FOREIGN KEY(service_id) REFERENCES service (id));
CREATE TABLE standorte (
	id INTEGER NOT NULL, name VARCHAR NOT NULL, link VARCHAR NOT NULL, address VARCHAR, phone VARCHAR,
	fax VARCHAR, email VARCHAR, homepage VARCHAR, PRIMARY KEY (id));
CREATE TABLE standorteservices (
	standort_id INTEGER NOT NULL, service_id INTEGER NOT NULL, PRIMARY KEY (standort_id, service_id),
	FOREIGN KEY(standort_id) REFERENCES standorte (id), FOREIGN KEY(service_id) REFERENCES service (id));
CREATE TABLE formular (
	id INTEGER NOT NULL, service_id INTEGER NOT NULL, title VARCHAR NOT NULL, url VARCHAR NOT NULL,
	PRIMARY KEY (id), FOREIGN KEY(service_id) REFERENCES service (id));
"""


# ------------------------------------------------------------------------------------- fixture writers
def write_berlin_export_xlsx(texts: list[dict], out: Path, standorte_csv: Path | None = None) -> Path:
    """``services_export.xlsx`` as export.py writes it, from the mirror's text records: ``Services`` in id order
    (SQLite rowid order), ``ServiceDetails`` in scrape order with the section heading ``get_text(strip=True)``
    kept in front of ``voraussetzungen`` / ``unterlagen`` (stripped by the staging), ids as numbers."""
    wb = Workbook(write_only=True)
    sheets = {name: wb.create_sheet(name) for name in SHEETS}
    for name, ws in sheets.items():
        ws.append(list(SHEETS[name]))
    for r in sorted(texts, key=lambda r: int(r["d115_id"])):
        sheets["Services"].append([int(r["d115_id"]), r["name"], r["url"]])
    for n, r in enumerate(texts, 1):
        sheets["ServiceDetails"].append([n, int(r["d115_id"]), r["name"], r["beschreibung"],
                                         "Voraussetzungen" + r["voraussetzungen"],
                                         "Erforderliche Unterlagen" + r["unterlagen"], None])
    if standorte_csv is not None:
        with standorte_csv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                sheets["Standorte"].append([int(row["standort_id"]), row["name"],
                                            row["url"].removeprefix(SERVICE_PAGE), row["adresse"], row["telefon"],
                                            row["fax"], row["email"], row["homepage"] or None])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _href(link: str) -> str:
    """Links into service.berlin.de relative, as on the site's own pages (the reader resolves them)."""
    return escape(link.removeprefix(SERVICE_PAGE) if link.startswith(SERVICE_PAGE + "/") else link)


def _ps(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))


def _li(item: dict) -> str:
    titel = escape(item["titel"])
    head = f'<a href="{_href(item["link"])}">{titel}</a>' if "link" in item else titel
    body = f'<div class="text">{_ps(item["text"])}</div>' if "text" in item else ""
    return f'\n<li><div class="title">{head}</div>{body}</li>'


def _link_li(item: dict) -> str:
    if "link" not in item:
        return f"\n<li>{escape(item['titel'])}</li>"
    titel = escape(item["titel"])
    return f'\n<li><a href="{_href(item["link"])}" title="{titel}">{titel}</a></li>'


def _block(heading: str, body: str, hid: str = "") -> str:
    h2 = f'<h2 class="title"{f" id={chr(34)}{hid}{chr(34)}" if hid else ""}>{heading}</h2>'
    return f'\n<div class="block">\n{h2}\n{body}\n</div>'


def render_page(rec: dict) -> str:
    """The main content of a service page, as scraper_v4 stored it (``str()`` of each child of
    ``div#layout-grid__area--maincontent``: a comment comes out as bare text), rendered from a mirror record:
    ``div.block`` sections headed by ``h2.title``, lists as ``ul.list`` of ``li`` with a ``div.title`` (the link
    as ``a``) and a ``div.text``, Formulare as ``ul.list-clean`` of links, "Für Sie zuständig" as the appointment
    form with one checkbox per location, grouped under ``h3`` Behörde headings."""
    intro = f'<div class="block"><div class="html5-section body">{_ps(rec["beschreibung"])}</div></div>'
    parts = ["\n MAIN CONTENT \n", intro]
    lists = (("online_abwicklung", "Online-Abwicklung", "Online-Abwicklung"),
             ("voraussetzungen", "Voraussetzungen", ""),
             ("unterlagen", "Erforderliche Unterlagen", ""))
    for field, heading, hid in lists:
        if field in rec:
            parts.append(_block(heading, '<ul class="list">' + "".join(map(_li, rec[field])) + "</ul>", hid))
    if "formulare" in rec:
        parts.append(_block("Formulare", '<ul class="list-clean">' + "".join(map(_link_li, rec["formulare"]))
                            + "</ul>"))
    parts.append(_block("Gebühren", _ps(rec["gebuehren"])))
    parts.append(_block("Rechtsgrundlagen", '<ul class="list">' + "".join(map(_link_li, rec["rechtsgrundlagen"]))
                        + "</ul>"))
    if "bearbeitungszeit" in rec:
        parts.append(_block("Durchschnittliche Bearbeitungszeit", _ps(rec["bearbeitungszeit"])))
    if "weiterfuehrende_informationen" in rec:
        parts.append(_block("Weiterführende Informationen", '<ul class="list">'
                            + "".join(map(_link_li, rec["weiterfuehrende_informationen"])) + "</ul>"))
    if "hinweise_zustaendigkeit" in rec:
        parts.append(_block("Hinweise zur Zuständigkeit", _ps(rec["hinweise_zustaendigkeit"])))
    if "zustaendige_standorte" in rec:
        form = [('<p>Bitte wählen Sie für eine Terminvereinbarung einen Standort aus</p>'
                 '<form action="https://service.berlin.de/terminvereinbarung/termin/tag.php" method="get">'
                 '<input type="checkbox" id="checkbox_overall" value="all"><label for="checkbox_overall">'
                 "Alle Standorte auswählen</label>")]
        for behoerde, group in groupby(rec["zustaendige_standorte"], key=lambda s: s["behoerde"]):
            form.append(f'<h3>{escape(behoerde)}</h3><ul class="list-clean">')
            for s in group:
                sid = s["standort_id"]
                form.append(f'\n<li><input type="checkbox" name="dienstleisterlist[]" value="{sid}" '
                            f'id="checkbox_{sid}"><label for="checkbox_{sid}"><a href="/standort/{sid}/">'
                            f'{escape(s["name"])}</a><br><span class="address">{escape(s["adresse"])}</span>'
                            "</label></li>")
            form.append("</ul>")
        form.append('<button type="submit" id="appointment_submit">An diesem Standort einen Termin buchen</button>'
                    "</form>")
        parts.append(_block("Für Sie zuständig", "".join(form)))
    return "".join(parts) + "\n"


def write_berlin_services_db(pages: list[dict], out: Path) -> Path:
    """``services.db`` with the scraper_v4 tables: ``service`` (online flag), ``servicedetail`` (page HTML from
    :func:`render_page`, inserted in scrape order), ``formular`` (the page's forms, as scraper_v4 inserts them)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    con = sqlite3.connect(out)
    with con:
        con.executescript(DB_SCHEMA)
        for n, r in enumerate(sorted(pages, key=lambda r: r["name"]), 1):
            sid = int(r["d115_id"])
            con.execute("INSERT INTO service VALUES (?, ?, ?, ?)", (sid, r["name"], r["url"], int(r["online"])))
            con.execute("INSERT INTO servicedetail VALUES (?, ?, ?, ?)", (n, sid, r["name"], render_page(r)))
            for f in r.get("formulare", []):
                con.execute("INSERT INTO formular (service_id, title, url) VALUES (?, ?, ?)",
                            (sid, f["titel"], f["link"]))
    con.close()
    return out


# ------------------------------------------------------------------------------------------------ data
@pytest.fixture(scope="module")
def texte(mirror: Path) -> list[dict]:
    with gzip.open(SERVICE_TEXTS_2024.at(mirror), "rb") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def voll(mirror: Path) -> list[dict]:
    return json.loads(BERLIN_FULL_2024.at(mirror).read_bytes())


@pytest.fixture(scope="module")
def berlin_root(mirror: Path, texte: list[dict], voll: list[dict],
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two publisher files from the mirror's records, laid out under their raw.githubusercontent.com paths."""
    root = tmp_path_factory.mktemp("berlin_publisher")
    write_berlin_export_xlsx(texte, _local(root, TEXTE.url), mirror / STANDORTE_CSV)
    write_berlin_services_db(voll, _local(root, VOLL.url))
    return root


def _local(root: Path, url: str) -> Path:
    """Where the test server serves ``url``'s path from (``Scraper%20Build`` → ``Scraper Build``)."""
    return root / unquote(served_path(url)).lstrip("/")


@pytest.fixture(scope="module")
def xlsx(berlin_root: Path) -> Path:
    return _local(berlin_root, TEXTE.url)


@pytest.fixture(scope="module")
def db(berlin_root: Path) -> Path:
    return _local(berlin_root, VOLL.url)


# ------------------------------------------------------------------------------------------ the readers
def test_publisher_entries_are_pinned_downloads():
    assert TEXTE.format == FORMAT_BERLIN_XLSX and VOLL.format == FORMAT_BERLIN_DB
    for pf in (TEXTE, VOLL):
        assert pf.downloadable and pf.default and pf.stable and pf.filename.startswith("berlin_services_2024/")
    assert TEXTE.url == ("https://raw.githubusercontent.com/tobiasseck/berlin-services-api/"
                         "8873244e86fdae8f3c50517371e97b338b318ddd/Scraper%20Build/services_export.xlsx")
    assert VOLL.url == ("https://raw.githubusercontent.com/tobiasseck/berlin-services-api/"
                        "e60f8f639f704159d9a33c3dcb86d9dba7f98d73/services.db")
    assert TEXTE.provides == (SERVICE_TEXTS_2024.path,) and VOLL.provides == (BERLIN_FULL_2024.path,)


def test_export_xlsx_gives_the_mirror_texts(xlsx: Path, texte: list[dict]):
    sheets = load_workbook(xlsx, read_only=True).sheetnames
    assert sheets == ["Services", "ServiceDetails", "Standorte", "StandorteServices", "Behoerde"]
    got = read_berlin_export_xlsx(xlsx)
    assert len(got) == len({r["d115_id"] for r in got}) == 1062
    assert got == texte  # every field of every record, in the mirror's order
    hund = next(r for r in got if r["d115_id"] == "326263")
    assert hund["name"] == "Tiere - Hundehaltung - Anmeldung - Gefährlicher Hund"
    assert hund["url"] == "https://service.berlin.de/dienstleistung/326263/"
    # the heading "Voraussetzungen" is stripped, the glued list items are kept
    assert hund["voraussetzungen"].startswith("Dauerhafter HaltungsortGefährliche Hunde")
    assert verify(xlsx, FORMAT_BERLIN_XLSX) == "1062 Berlin service texts"


def test_services_db_gives_the_mirror_pages(db: Path, voll: list[dict]):
    got = read_berlin_services_db(db)
    assert [r["d115_id"] for r in got] == [r["d115_id"] for r in voll]  # id order
    assert got == voll  # every section, item, link and location
    anm = next(r for r in got if r["d115_id"] == "120686")
    assert anm["gebuehren"] == "keine" and anm["online"] is False
    assert {"titel": "Bundesmeldegesetz (BMG)", "link": "https://www.gesetze-im-internet.de/bmg/"} \
        in anm["rechtsgrundlagen"]
    assert anm["unterlagen"][0]["titel"] == "Identitätsnachweis"
    assert len(anm["zustaendige_standorte"]) == 72
    assert anm["zustaendige_standorte"][0] == {"standort_id": "122210", "name": "Bürgeramt Halemweg (Außenstelle)",
                                               "behoerde": "Bezirksamt Charlottenburg - Wilmersdorf",
                                               "adresse": "Halemweg 18, 13627 Berlin"}
    assert sum(r["online"] for r in got) == 28 == sum("online_abwicklung" in r for r in got)
    assert verify(db, FORMAT_BERLIN_DB) == "104 Berlin service pages"


def test_page_sections_that_cannot_be_parsed_keep_their_text():
    html = ("<!-- bs4 printed the comment as text: --> MAIN CONTENT <h1 class='title'>Titel</h1>"
            "<div class='block'><p>Einleitung\n   mit  Umbruch</p><script>var x = 1;</script></div>"
            "<div class='block'><h2 class='title'>Voraussetzungen</h2><p>Hierfür benötigen Sie:</p>"
            "<ul class='list'><li>Wohnsitz in Berlin</li></ul></div>"
            "<div class='block'><h2 class='title'>Erforderliche Unterlagen</h2><p>keine</p></div>"
            "<div class='block'><h2 class='title'>Rechtsgrundlagen</h2><ul><li><strong><a href='/gesetz/1/'>G 1"
            "</a></strong> § 3</li><li>Satz mit <a href='https://example.org/'>Link</a></li></ul></div>"
            "<div class='block'><h2 class='title'>Fristen</h2><p>4&#160;Wochen</p></div>"
            "<div class='block'><h2 class='title'>Für Sie zuständig</h2><ul><li>Bezirksamt (ohne Termin)</li></ul>"
            "</div>")
    got = parse_service_page(html, "https://service.berlin.de/dienstleistung/1/")
    assert got == {
        "beschreibung": "Einleitung mit  Umbruch",                   # no h1, no loose text, no script
        "voraussetzungen": "Hierfür benötigen Sie:\nWohnsitz in Berlin",  # text outside the list: kept raw
        "unterlagen": "keine",                                         # no list at all: kept raw
        "rechtsgrundlagen": [{"titel": "G 1", "link": "https://service.berlin.de/gesetz/1/", "text": "§ 3"},
                             {"titel": "Satz mit Link"}],             # an inline link is not the item's title
        "weitere_abschnitte": [{"titel": "Fristen", "text": "4 Wochen"}],  # unknown heading: raw text
        "zustaendige_standorte": [],                                   # no location checkbox: none invented
    }


def test_services_db_without_online_column_and_form_section(tmp_path: Path):
    path = tmp_path / "services.db"
    con = sqlite3.connect(path)
    with con:
        con.executescript("CREATE TABLE service (id INTEGER PRIMARY KEY, service_name VARCHAR, link VARCHAR);"
                          "CREATE TABLE servicedetail (id INTEGER PRIMARY KEY, service_id INTEGER, title VARCHAR, "
                          "description VARCHAR);"
                          "CREATE TABLE formular (id INTEGER PRIMARY KEY, service_id INTEGER, title VARCHAR, "
                          "url VARCHAR);")
        con.execute("INSERT INTO service VALUES (2, 'B', 'https://service.berlin.de/dienstleistung/2/')")
        con.execute("INSERT INTO service VALUES (1, 'A', 'https://service.berlin.de/dienstleistung/1/')")
        con.execute("INSERT INTO service VALUES (3, 'C (no page)', 'https://service.berlin.de/dienstleistung/3/')")
        con.execute("INSERT INTO servicedetail VALUES (1, 2, 'B', ?)",
                    (('<div class="block"><p>b</p></div><div class="block"><h2 id="Online-Abwicklung">Online</h2>'
                      '<ul><li><a href="https://portal/">Jetzt online erledigen</a></li></ul></div>'),))
        con.execute("INSERT INTO servicedetail VALUES (2, 1, 'A', '<p>a</p>')")
        con.execute("INSERT INTO servicedetail VALUES (3, 3, 'C', '')")
        for _ in range(2):  # scraper_v4 inserts the forms again on every run
            con.execute("INSERT INTO formular (service_id, title, url) VALUES (1, 'Antrag', 'https://f/a.pdf')")
    con.close()
    got = read_berlin_services_db(path)
    assert got == [
        {"d115_id": "1", "name": "A", "url": "https://service.berlin.de/dienstleistung/1/", "online": False,
         "beschreibung": "a", "formulare": [{"titel": "Antrag", "link": "https://f/a.pdf"}]},
        {"d115_id": "2", "name": "B", "url": "https://service.berlin.de/dienstleistung/2/", "online": True,
         "beschreibung": "b",
         "online_abwicklung": [{"titel": "Jetzt online erledigen", "link": "https://portal/"}]},
    ]


def test_corrupt_publisher_files_name_the_file(xlsx: Path, tmp_path: Path):
    junk = tmp_path / "services_export.xlsx"
    junk.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(DataFileError, match=r"services_export.xlsx: not a readable xlsx"):
        read_berlin_export_xlsx(junk)
    with pytest.raises(DataFileError, match=r"missing.xlsx: file is missing"):
        read_berlin_export_xlsx(tmp_path / "missing.xlsx")
    wb = load_workbook(xlsx)
    del wb["ServiceDetails"]
    wb.save(tmp_path / "no_details.xlsx")
    with pytest.raises(DataFileError, match=r"no_details.xlsx: no sheet 'ServiceDetails'"):
        read_berlin_export_xlsx(tmp_path / "no_details.xlsx")
    wb = Workbook()
    wb.active.title = "Services"
    wb.active.append(["id", "service_name"])
    wb.create_sheet("ServiceDetails").append(list(SHEETS["ServiceDetails"]))
    wb.save(tmp_path / "no_link.xlsx")
    with pytest.raises(DataFileError, match=r"no_link.xlsx: sheet 'Services' lacks columns \['link'\]"):
        read_berlin_export_xlsx(tmp_path / "no_link.xlsx")

    bad_db = tmp_path / "services.db"
    bad_db.write_bytes(b"SQLite format 2\x00" + b"x" * 4096)
    with pytest.raises(DataFileError, match=r"services.db: not a readable SQLite database"):
        read_berlin_services_db(bad_db)
    with pytest.raises(DataFileError, match=r"services.db: not a readable SQLite database"):
        verify(bad_db, FORMAT_BERLIN_DB)
    bad_db.unlink()
    con = sqlite3.connect(bad_db)
    con.execute("CREATE TABLE service (id INTEGER PRIMARY KEY, service_name VARCHAR, link VARCHAR)")
    con.close()
    with pytest.raises(DataFileError, match=r"services.db: no table 'servicedetail' \(tables: service\)"):
        read_berlin_services_db(bad_db)
    with pytest.raises(DataFileError, match=r"nothing.db: file is missing"):
        read_berlin_services_db(tmp_path / "nothing.db")


# ------------------------------------------------------------------------------------------- download
# a threaded HTTP server on 127.0.0.1 (random port) over ``berlin_root``, and its base URL per test
_berlin_server, _berlin_url = server_fixtures("berlin_root", "berlin_server", "berlin_url")


def test_download_builds_the_same_services_and_descriptions(berlin_url: str, mirror: Path, tmp_path: Path):
    dest = tmp_path / "data"
    report = download_data(dest, sources=["berlin-2024-texte", "berlin-2024-voll"], base_url=berlin_url,
                           policy=FAST)
    assert report.downloaded == ["berlin_services_2024/services_export.xlsx", "berlin_services_2024/services.db"]
    assert report.skipped == {} and set(read_sums(dest)) == set(report.downloaded)
    assert input_for(dest, SERVICE_TEXTS_2024.path) == (dest / TEXTE.filename, FORMAT_BERLIN_XLSX)
    assert input_for(dest, BERLIN_FULL_2024.path) == (dest / VOLL.filename, FORMAT_BERLIN_DB)
    assert not SERVICE_TEXTS_2024.at(dest).exists() and not BERLIN_FULL_2024.at(dest).exists()

    _link_inputs(mirror, dest, {SERVICE_TEXTS_2024.path, BERLIN_FULL_2024.path})
    got_services, ref_services = read_services(dest, BuildReport()), read_services(mirror, BuildReport())
    assert got_services == ref_services  # names, URLs and short descriptions from the 2024 texts
    by_d115 = {s.d115_id: s.leika_key for s in ref_services if s.d115_id}
    got = read_descriptions(dest, by_d115, read_mapping(), BuildReport())
    ref = read_descriptions(mirror, by_d115, read_mapping(), BuildReport())
    assert got == ref and len(got) > 500
    anm = {s.kind: s for s in got["99115005104000"].sections if s.land == "11"}
    assert anm["fees"].text == "keine" and anm["legal_basis"].items[0]["titel"] == "Bundesmeldegesetz (BMG)"


def test_download_of_a_page_that_is_not_the_publisher_format_is_refused(berlin_url: str, berlin_server,
                                                                        tmp_path: Path):
    berlin_server.behaviour[served_path(VOLL.url)] = "junk"
    with pytest.raises(DataFileError, match=r"not a readable SQLite database"):
        download_data(tmp_path, sources=["berlin-2024-voll"], base_url=berlin_url, policy=FAST)
    assert not (tmp_path / VOLL.filename).exists()
    assert not [p for p in tmp_path.rglob("*") if ".part" in p.name]


def test_readers_leave_the_mirror_files_alone(mirror: Path, tmp_path: Path):
    # a --mirror fetch (the JSON files) is still read as before: input_for names the mirror file
    for rel in (SERVICE_TEXTS_2024.path, BERLIN_FULL_2024.path):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror / rel, tmp_path / rel)
        assert input_for(tmp_path, rel) == (tmp_path / rel, "same")
