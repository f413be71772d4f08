"""Issue 6, from the publishers: the hamburg.de page copies (GitHub MoDimGH/ReductionOfHallucinations archive),
the WSP.NRW list as xlsx and the golden points as the origin repo's bare list — written here from the mirror's
records in the publishers' shapes, read back by the publisher readers, compared with the mirror, and downloaded
over a loopback HTTP server (127.0.0.1 only) into a data dir that the indexer reads the same way."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from loopback import served_path, server_fixtures
from openpyxl import Workbook
from test_download import FAST

from indexer.descriptions import read_descriptions
from indexer.fetch import download_data, input_for, read_sums
from indexer.formats import verify
from indexer.formats_hamburg import HAMBURG_COMMIT, read_hamburg_pages
from indexer.formats_points import load_golden_points, read_golden_points
from indexer.formats_wsp import WSP_COLUMNS, read_wsp_xlsx
from indexer.hamburg import HAMBURG_LAND, read_hamburg_offices, read_mapping
from indexer.nrw_wsp import read_nrw_wsp
from indexer.report import BuildReport
from indexer.sources import (
    FORMAT_GOLDEN_LIST,
    FORMAT_HAMBURG_PAGES,
    FORMAT_MIRROR_ONLY,
    FORMAT_WSP_XLSX,
    HAMBURG_OFFICE_PAIRS,
    HAMBURG_SERVICES,
    NRW_WSP,
    PUBLISHER_BY_NAME,
)
from zufi.errors import DataFileError

GOLDEN = "testpoints/golden_points_ars.json"
HH, WSP, WSP_REPO, PTS = (PUBLISHER_BY_NAME[n] for n in ("hamburg-leistungen", "nrw-wsp", "nrw-wsp-repo",
                                                          "golden-points"))
#: The xlsx header believed to be the publisher's: wspcheck.js of DestinyBirdy/OZG-Serviceportal-Crawler reads
#: Nummer, Name, Landingpage, Direktlink, Stelle; Onlinedienst and Live are guesses (indexer.formats_wsp).
WSP_HEADER = ("Nummer", "Name", "Onlinedienst", "Live", "Landingpage", "Direktlink", "Stelle")
TOP = f"ReductionOfHallucinations-{HAMBURG_COMMIT}/"
NEW, OLD = "16.06.2025", "28.04.2025"  # "Letzte Aktualisierung" of the cleaned (ATX) and raw (setext) copies

# (level, heading, field) of a hamburg.de service page, in page order (read from the stored repository).
_SECTIONS = (
    (2, "Online-Service nutzen", "online_service"), (2, "Beschreibung der Leistung", "beschreibung"),
    (2, "Informationen", None), (3, "Wichtige Hinweise", None), (3, "Voraussetzungen", "voraussetzungen"),
    (3, "Benötigte Unterlagen", "unterlagen"), (3, "Zu Beachten", "zu_beachten"), (3, "Fristen", "fristen"),
    (3, "Ablauf, Dauer & Gebühren", None), (3, "Verfahrensablauf", "verfahrensablauf"), (3, "Dauer", "dauer"),
    (3, "Gebühren", "gebuehren"), (3, "Zahlungsarten", "zahlungsarten"), (3, "Rechtliche Hinweise", None),
    (3, "Rechtsbehelf", "rechtsbehelf"), (3, "Rechtsgrundlage", "rechtsgrundlage"),
    (3, "Formulare, Services & Links", None), (4, "Formulare und Downloads", "formulare"),
    (4, "Weitere Dienstleistungen", "weitere_dienstleistungen"), (4, "Links auf hamburg.de", "links_hamburg"),
    (4, "Links im Internet", "links_internet"))
_TAIL = ("Noch nicht das passende gefunden?", " [Zur Hamburg Service Startseite](/service/)",
         "Suchwörter: Testwort")


# ------------------------------------------------------------------------------------ fixture writers
def _heading(level: int, text: str, setext: bool) -> str:
    if setext and level <= 2:
        return f"{text}\n{('=' if level == 1 else '-') * max(len(text), 3)}\n"
    return f"{'#' * level} {text}\n"


def _body(text: str, setext: bool) -> str:
    """Section text as a page copy has it: the raw (setext) copies end lines with markdown hard breaks."""
    if not setext:
        return text + "\n"
    return "".join(line + "  \n" for line in text.split("\n"))


def render_page(rec: dict, *, setext: bool, updated: str, office: dict | None = None,
                texts: dict | None = None) -> str:
    """A hamburg.de service page (general, or office-specific with ``office``) in one of the repository's two
    markdown dialects: ATX headings (cleaned copies) or setext headings with hard line breaks (raw copies)."""
    texts = rec if texts is None else texts
    sep = "\n" if setext else ""
    title = rec["leistung"] if office is None else f"{office['einrichtung']} {rec['leistung']}"
    out = ["\n\n\n\n\n" if setext else "", _heading(1, title, setext), sep, texts.get("einleitung", ""), "\n\n"]
    for level, heading, name in _SECTIONS:
        value = texts.get(name) if name else None
        if name and not value:
            continue
        out += [_heading(level, heading, setext), sep]
        if value:
            out += [_body(value, setext), "\n"]
        elif not setext:
            out.append("\n")
    if office is None and rec["n_einrichtungen_angegeben"] is not None:
        n = rec["n_einrichtungen_angegeben"]
        out += [_heading(2, f"Wählen Sie eine von {n} Einrichtungen ...", setext), sep,
                "Aktuellen Standort suchen\n", sep, "In der Nähe finden\n\n"]
        for e in rec["einrichtungen"]:
            if e["quelle"] == "seite":
                continue
            oid = e["leistung_einrichtung_info_id"]
            out += [f"### {e['einrichtung']}\n", sep, f"* [{e['strasse']}](#)\n", '* [115](tel:+4940115 "115")\n', sep]
            if oid:
                out += [f'[Kontakt speichern](//iason.hamburg.de/befi/info/vcard/{oid}/ "Kontakt speichern") \n', sep,
                        f"[Details anzeigen](/service/info/{oid}/)\n"]
            out.append("\n")
    if office is not None:
        oid = office["leistung_einrichtung_info_id"] or "11295473"
        out += [_heading(2, "Adresse und Kontakt", setext), sep, f"### {office['einrichtung']}\n", sep,
                f"* [{office['strasse'] or 'Adolphsplatz 1'}   \n  20457 Hamburg](#)\n",
                f'* [Kontakt speichern](//iason.hamburg.de/befi/info/vcard/{oid}/ "Kontakt speichern")\n',
                "* barrierefrei\n\n"]
        if office.get("oeffnungszeiten"):
            out += [f"### Öffnungszeiten\n{sep}", _body(office["oeffnungszeiten"], setext), "\n"]
        out += [f"### Infos zur Einrichtung\n{sep}", "Der Hausbriefkasten befindet sich neben Eingang C.\n\n"]
    out += [_heading(2, _TAIL[0], setext), sep, _TAIL[1], "\n", sep, _TAIL[2], "\n", sep,
            f"Letzte Aktualisierung: {updated}\n"]
    return "".join(out)


def _file_stem(text: str) -> str:
    return re.sub(r"[^\w\s.-]", "", text).replace(" ", "_")


def hamburg_page_files(records: list[dict]) -> dict[str, str]:
    """The repository's page files for the mirror's service records: {repository path: markdown}.

    Per service: the cleaned general page (ATX, ``scraping/dataset/<topic>/<Titel>_-_hamburg.de_index.md``,
    no id); where the record has a hamburg.de info id, also an older raw copy in ``old_data/all_files_1``
    (setext, ``…_-_hamburg.de__<id>.md``) with other fees and another office list, which the newer copy
    must win over; per office-specific page (quelle seite / liste+seite) a raw copy named with its id, or a
    cleaned one without id; a service known only from its office page carries its texts there.
    """
    files: dict[str, str] = {}

    def put(rel: str, text: str) -> None:
        assert rel not in files, rel
        files[rel] = text

    for rec in records:
        stem = _file_stem(rec["leistung"])
        topic = "kfz" if stem.startswith("Kfz") else "gewerbe" if "ewerbe" in stem else "personalausweis"
        if not rec["text_von_einrichtungsseite"]:
            put(f"scraping/dataset/{topic}/{stem}_-_hamburg.de_index.md", render_page(rec, setext=False, updated=NEW))
            if rec["hh_info_id"]:
                older = dict(rec, gebuehren="Ältere Fassung der Gebühren.", n_einrichtungen_angegeben=1,
                             einrichtungen=[{"einrichtung": "Bezirksamt Altona", "strasse": "Platz der Republik 1",
                                             "leistung_einrichtung_info_id": "1", "quelle": "liste"}])
                put(f"old_data/all_files_1/{stem}_-_hamburg.de__{rec['hh_info_id']}.md",
                    render_page(older, setext=True, updated=OLD))
        for e in rec["einrichtungen"]:
            if e["quelle"] == "liste":
                continue
            texts = rec if rec["text_von_einrichtungsseite"] else {
                "einleitung": rec["einleitung"], "beschreibung": "Seite der Einrichtung: " + rec["beschreibung"]}
            office = _file_stem(e["einrichtung"])
            if e["leistung_einrichtung_info_id"]:
                put(f"old_data/all_files_1/{stem}_-_{office}_-_hamburg.de__{e['leistung_einrichtung_info_id']}.md",
                    render_page(rec, setext=True, updated=OLD, office=e, texts=texts))
            else:
                put(f"scraping/dataset/{topic}/{stem}_-_{office}_-_hamburg.de_index.md",
                    render_page(rec, setext=False, updated=NEW, office=e, texts=texts))
    return files


#: Files of the repository that are no service page, or lie outside the page folders: all must be ignored.
NOISE = {
    "README.md": "# ReductionOfHallucinations\n",
    "old_data/all_files_1/Konsulate_in_Hamburg_-_Information_-_hamburg.de__11449325.md":
        "\n\nKonsulate in Hamburg\n====================\n\nInformationen\n-------------\n\n### Zu Beachten\n\n"
        "In Hamburg sind rund einhundert Staaten konsularisch vertreten.\n\nLetzte Aktualisierung: 28.04.2025\n",
    "old_data/all_files_1/Formular-Beiblatt-weitere-Gesellschafter.txt": "Formular\n",
    "scraping/dataset/gewerbe/W0804.pdf": "%PDF-1.4 binary",
    "benchmarking/clean_dataset/meldebescheinigung/Meldebescheinigung_beantragen_-_hamburg.de_index.md":
        "# Meldebescheinigung beantragen\nKopie\n\n## Beschreibung der Leistung\nNicht lesen.\n\n"
        "Letzte Aktualisierung: 01.01.2026\n",
    "old_data/all_files_1/sub/Gewerbe_anmelden_-_hamburg.de_index.md":
        "# Gewerbe anmelden\n\n## Beschreibung der Leistung\nNicht lesen.\n",
}


def write_hamburg_zip(records: list[dict], out: Path) -> Path:
    """The repository archive as GitHub's codeload serves it: every file under ``<repo>-<commit>/``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(TOP, "")
        for rel, text in sorted({**hamburg_page_files(records), **NOISE}.items()):
            zf.writestr(TOP + rel, text.encode("utf-8"))
    return out


def write_wsp_xlsx(rows: list[dict], out: Path, header: tuple[str, ...] = WSP_HEADER,
                   columns: tuple[str, ...] = WSP_COLUMNS) -> Path:
    """The WSP.NRW list as an xlsx: an info sheet first, then sheet "Live WSP 11.11" with a title row, a blank
    row, the header row and the rows; LeiKa keys as numbers (the crawler converts them with toString()), and
    the responsible body's text with the line breaks a spreadsheet cell has where the mirror has blanks."""
    wb = Workbook()
    wb.active.title = "Info"
    wb.active.append(["Veröffentlichung der live geschalteten Leistungen im Wirtschafts-Service-Portal.NRW"])
    ws = wb.create_sheet("Live WSP 11.11")
    ws.append(["Live WSP 11.11.2024"])
    ws.append([])
    ws.append(list(header))
    for i, r in enumerate(rows):
        cells = []
        for col in columns:
            v: object = r[col]
            if col == "leika_schluessel" and v.isdigit():
                v = int(v)
            elif col == "zustaendige_stelle" and i % 3 == 0:
                v = v.replace(" / ", " /\n", 1) + "  "
            cells.append(v if v != "" else None)
        ws.append(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def write_golden_list(points: list[dict], out: Path) -> Path:
    """``tests/golden-punkte.json`` as the repo has it: a bare list, one point object per line."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("[\n" + ",\n".join("  " + json.dumps(p, ensure_ascii=False) for p in points) + "\n]\n",
                   encoding="utf-8")
    return out


# ------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def hh_records(mirror: Path) -> list[dict]:
    return json.loads(HAMBURG_SERVICES.at(mirror).read_bytes())


@pytest.fixture(scope="module")
def hh_pairs(mirror: Path) -> list[dict]:
    with HAMBURG_OFFICE_PAIRS.at(mirror).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def wsp_rows(mirror: Path) -> list[dict]:
    with NRW_WSP.at(mirror).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def hh_zip(hh_records, tmp_path_factory) -> Path:
    return write_hamburg_zip(hh_records, tmp_path_factory.mktemp("hh") / "archive.zip")


@pytest.fixture(scope="module")
def wsp_xlsx(wsp_rows, tmp_path_factory) -> Path:
    return write_wsp_xlsx(wsp_rows, tmp_path_factory.mktemp("wsp") / "Live-11.11-1.xlsx")


# ------------------------------------------------------------------------------------------- Hamburg
def test_hamburg_pages_give_the_mirror_records(hh_zip: Path, hh_records, hh_pairs):
    got = read_hamburg_pages(hh_zip)
    assert len(got.services) == len(hh_records) == 114
    assert got.skipped == 1  # the "Konsulate in Hamburg" information page (no Beschreibung der Leistung)
    by_title = {r["leistung"]: r for r in got.services}
    melde = by_title["Meldebescheinigung beantragen"]
    assert melde["gebuehren"] == "Die Gebühr beträgt 14,00 EUR pro Bescheinigung."
    assert melde["n_einrichtungen_angegeben"] == 23 and melde["hh_info_id"] is None
    assert [e["quelle"] for e in melde["einrichtungen"]] == ["liste"] * 23
    u16 = by_title["Als unter 16-jährige Person den Personalausweis beantragen"]
    assert u16["hh_info_id"] == "11298946"  # from the older copy's file name; texts from the newer copy
    assert u16["gebuehren"] != "Ältere Fassung der Gebühren."
    mitte = [e for e in u16["einrichtungen"] if e["einrichtung"] == "Mitte Einwohnerangelegenheiten"]
    assert mitte == [{"einrichtung": "Mitte Einwohnerangelegenheiten", "strasse": None,
                      "leistung_einrichtung_info_id": "111091135", "oeffnungszeiten": mitte[0]["oeffnungszeiten"],
                      "quelle": "seite"}]
    kg = by_title["Kindergeld"]
    assert kg["text_von_einrichtungsseite"] and kg["rechtsgrundlage"] == "§§ 62 ff. Einkommensteuergesetz (EStG)"
    assert got.services == hh_records  # every field of every record, office lists included
    assert got.pairs == hh_pairs and len(got.pairs) == 730
    assert Counter(p["quelle"] for p in got.pairs) == {"liste+seite": 483, "liste": 206, "seite": 41}


def test_hamburg_pages_from_an_unpacked_archive(hh_zip: Path, hh_records, tmp_path: Path):
    with zipfile.ZipFile(hh_zip) as zf:
        zf.extractall(tmp_path)
    got = read_hamburg_pages(tmp_path / TOP.rstrip("/"))
    assert got.services == hh_records


def test_both_markdown_dialects_read_alike(hh_records, tmp_path: Path):
    rec = next(r for r in hh_records if r["leistung"] == "Meldebescheinigung beantragen")
    for setext in (False, True):
        d = tmp_path / ("setext" if setext else "atx")
        page = d / "scraping/dataset/meldebescheinigung/Meldebescheinigung_beantragen_-_hamburg.de_index.md"
        page.parent.mkdir(parents=True)
        page.write_text(render_page(rec, setext=setext, updated=NEW), encoding="utf-8")
        assert read_hamburg_pages(d).services == [rec]
    raw = (tmp_path / "setext/scraping/dataset/meldebescheinigung/Meldebescheinigung_beantragen_-_hamburg.de_index.md")
    assert "Beschreibung der Leistung\n-------------------------" in raw.read_text(encoding="utf-8")


def test_hamburg_indexer_reads_the_pages_like_the_mirror(hh_zip: Path, mirror: Path, tmp_path: Path):
    """What the build takes from Hamburg — offices with their LeiKa keys, and the description sections — is the
    same from the page archive as from the mirror's JSON and CSV."""
    (tmp_path / HH.filename).parent.mkdir(parents=True)
    (tmp_path / HH.filename).write_bytes(hh_zip.read_bytes())
    for rel in HH.provides:
        assert input_for(tmp_path, rel) == (tmp_path / HH.filename, FORMAT_HAMBURG_PAGES)
    mapping = read_mapping()
    ref_report, got_report = BuildReport(), BuildReport()
    ref = read_hamburg_offices(mirror, mapping, ref_report)
    got = read_hamburg_offices(tmp_path, mapping, got_report)
    assert len(got) == len(ref) > 40 and got == ref
    assert got_report.rejected == ref_report.rejected
    ref_d = read_descriptions(mirror, {}, mapping, BuildReport())
    got_d = read_descriptions(tmp_path, {}, mapping, BuildReport())
    hamburg = {k: [s for s in d.sections if s.land == HAMBURG_LAND] for k, d in ref_d.items()}
    hamburg = {k: v for k, v in hamburg.items() if v}
    assert len(hamburg) > 80
    assert {k: d.sections for k, d in got_d.items()} == hamburg


def test_corrupt_hamburg_archives_name_the_file(tmp_path: Path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"<html>not the archive</html>")
    with pytest.raises(DataFileError, match="not a zip archive") as exc:
        read_hamburg_pages(junk)
    assert exc.value.path == str(junk)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr(TOP + "README.md", "# nothing\n")
    with pytest.raises(DataFileError, match="no hamburg.de service pages"):
        read_hamburg_pages(empty)
    latin = tmp_path / "latin.zip"
    with zipfile.ZipFile(latin, "w") as zf:
        zf.writestr(TOP + "old_data/all_files_1/Gebühren_-_hamburg.de__1.md", "# Geb\xfchren\n".encode("latin-1"))
    with pytest.raises(DataFileError, match=r"Gebühren_-_hamburg.de__1.md: page is not UTF-8"):
        read_hamburg_pages(latin)
    with pytest.raises(DataFileError, match="file is missing"):
        read_hamburg_pages(tmp_path / "absent.zip")


# ------------------------------------------------------------------------------------------------ WSP
def test_wsp_xlsx_gives_the_mirror_rows(wsp_xlsx: Path, wsp_rows):
    got = read_wsp_xlsx(wsp_xlsx)
    assert got == wsp_rows and len(got) == 369
    assert len({r["leika_schluessel"] for r in got}) == 368
    assert got[1] == {"leika_schluessel": "99050058108000",
                      "bezeichnung": "Besonders sachkundige Versteigerer Öffentliche Bestellung und Vereidigung",
                      "onlinedienst": "§34b GewO Versteigerergewerbe", "live": "Ja",
                      "landingpage": "/antrag/versteigerergewerbe-leistungsauswahl/", "direktlink": "",
                      "zustaendige_stelle": "IHK"}
    assert verify(wsp_xlsx, FORMAT_WSP_XLSX) == "368 WSP.NRW LeiKa keys"


def test_wsp_header_found_by_name_in_any_order(wsp_rows, tmp_path: Path):
    """Other case, blanks and order, and without the two guessed columns: those come back empty."""
    cols = ("zustaendige_stelle", "direktlink", "leika_schluessel", "landingpage", "bezeichnung")
    header = ("  zuständige Stelle ", "DIREKTLINK", "nummer", "Landing page", " Name\n")
    got = read_wsp_xlsx(write_wsp_xlsx(wsp_rows[:5], tmp_path / "other.xlsx", header, cols))
    assert got == [dict(r, onlinedienst="", live="") for r in wsp_rows[:5]]


def test_corrupt_wsp_files_name_the_file(wsp_rows, tmp_path: Path):
    junk = tmp_path / "Live-11.11-1.xlsx"
    junk.write_bytes(b"<html>Seite nicht gefunden</html>")
    with pytest.raises(DataFileError, match="not a readable xlsx") as exc:
        read_wsp_xlsx(junk)
    assert exc.value.path == str(junk)
    no_header = write_wsp_xlsx(wsp_rows[:3], tmp_path / "noheader.xlsx", ("A", "B", "C", "D", "E", "F", "G"))
    with pytest.raises(DataFileError, match="no sheet has a header row naming Nummer, Name, Landingpage"):
        read_wsp_xlsx(no_header)


# ------------------------------------------------------------------------------------------ golden points
def test_golden_points_from_the_repo_list(mirror: Path, tmp_path: Path):
    ref = json.loads((mirror / GOLDEN).read_bytes())
    got = read_golden_points(write_golden_list(ref["points"], tmp_path / "golden-punkte.json"))
    assert got["points"] == ref["points"] and len(got["points"]) == 13
    assert got["source"].startswith("vizsim/wer-ist-zustaendig tests/golden-punkte.json")
    assert read_golden_points(mirror / GOLDEN) == ref  # the mirror's object is read as it is
    bad = write_golden_list([dict(ref["points"][0], ars="09162")], tmp_path / "bad.json")
    with pytest.raises(DataFileError, match="point 1: needs .* 12-digit ars") as exc:
        read_golden_points(bad)
    assert exc.value.path == str(bad)


# ------------------------------------------------------------------------------------------- download
@pytest.fixture(scope="module")
def publisher_root(hh_records, wsp_rows, mirror: Path, tmp_path_factory) -> Path:
    """The three publishers' paths, their files written from the mirror (see the writers above)."""
    root = tmp_path_factory.mktemp("publishers_hh_wsp")

    def place(pf) -> Path:
        p = root / served_path(pf.url).lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    write_hamburg_zip(hh_records, place(HH))
    write_wsp_xlsx(wsp_rows, place(WSP))
    place(WSP_REPO).write_bytes(place(WSP).read_bytes())
    write_golden_list(json.loads((mirror / GOLDEN).read_bytes())["points"], place(PTS))
    return root


# a threaded HTTP server on 127.0.0.1 (random port) over ``publisher_root``, and its base URL per test
_server, _base_url = server_fixtures("publisher_root")


def test_publisher_entries():
    assert HH.default and HH.format == FORMAT_HAMBURG_PAGES and HH.stable
    assert HH.url == ("https://codeload.github.com/MoDimGH/ReductionOfHallucinations/zip/"
                      "72c40cf11df6c1e79023f85eaa16b7c4800b0f0c")
    assert set(HH.provides) == {HAMBURG_SERVICES.path, HAMBURG_OFFICE_PAIRS.path}
    assert WSP.default and WSP.format == FORMAT_WSP_XLSX and WSP.provides == (NRW_WSP.path,)
    assert WSP.url == "https://wsp-veroeffentlichungen.nrw/wp-content/uploads/Live-11.11-1.xlsx"
    assert not WSP_REPO.default and WSP_REPO.url == (
        "https://raw.githubusercontent.com/DestinyBirdy/OZG-Serviceportal-Crawler/"
        "0d9fa9fc3d0c357ae149e99a9c1e030488f8c74b/Live-11.11-1.xlsx")
    assert PTS.default and PTS.format == FORMAT_GOLDEN_LIST and PTS.url == (
        "https://raw.githubusercontent.com/vizsim/wer-ist-zustaendig/5439299a6d04cfbb7f286c2beb0f91a9f97ac49a/"
        "tests/golden-punkte.json")
    assert all(pf.format != FORMAT_MIRROR_ONLY for pf in (HH, WSP, WSP_REPO, PTS))


def test_download_builds_the_same_hamburg_offices_and_wsp_evidence(base_url, mirror: Path, tmp_path: Path):
    names = ["hamburg-leistungen", "nrw-wsp", "golden-points"]
    report = download_data(tmp_path, sources=names, base_url=base_url, policy=FAST)
    assert report.downloaded == [PUBLISHER_BY_NAME[n].filename for n in names] and report.skipped == {}
    assert set(read_sums(tmp_path)) == set(report.downloaded)
    assert input_for(tmp_path, NRW_WSP.path) == (tmp_path / WSP.filename, FORMAT_WSP_XLSX)
    assert input_for(tmp_path, GOLDEN) == (tmp_path / PTS.filename, FORMAT_GOLDEN_LIST)
    assert not HAMBURG_SERVICES.at(tmp_path).exists() and not NRW_WSP.at(tmp_path).exists()

    mapping = read_mapping()
    assert read_hamburg_offices(tmp_path, mapping, BuildReport()) == read_hamburg_offices(mirror, mapping,
                                                                                         BuildReport())
    ref_r, got_r = BuildReport(), BuildReport()
    ref, got = read_nrw_wsp(mirror, ref_r), read_nrw_wsp(tmp_path, got_r)
    assert got == ref and len(got) > 300
    assert got_r.indexed == ref_r.indexed and got_r.rejected == ref_r.rejected and got_r.notes == ref_r.notes
    assert load_golden_points(tmp_path)["points"] == load_golden_points(mirror)["points"]

    again = download_data(tmp_path, sources=names, base_url=base_url, policy=FAST)
    assert again.downloaded == [] and len(again.unchanged) == 3

    # the repo copy of the xlsx as an alternative: the last fetch decides which file is read
    download_data(tmp_path, sources=["nrw-wsp-repo"], base_url=base_url, policy=FAST)
    assert input_for(tmp_path, NRW_WSP.path) == (tmp_path / WSP_REPO.filename, FORMAT_WSP_XLSX)
    assert read_nrw_wsp(tmp_path, BuildReport()) == ref


def test_download_of_a_broken_file_is_refused(base_url, server, tmp_path: Path):
    server.behaviour[served_path(HH.url)] = "junk"
    with pytest.raises(DataFileError, match="not a zip archive of the repository") as exc:
        download_data(tmp_path, sources=["hamburg-leistungen"], base_url=base_url, policy=FAST)
    assert ".part" in exc.value.path and "ReductionOfHallucinations-72c40cf1.zip" in exc.value.path
    server.behaviour[served_path(WSP.url)] = "junk"
    with pytest.raises(DataFileError, match="not a readable xlsx"):
        download_data(tmp_path, sources=["nrw-wsp"], base_url=base_url, policy=FAST)
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "SHA256SUMS"]


def test_summaries(hh_zip: Path, tmp_path: Path, mirror: Path):
    assert verify(hh_zip, FORMAT_HAMBURG_PAGES).startswith("114 Hamburg services from ")
    assert "730 service → office pairs" in verify(hh_zip, FORMAT_HAMBURG_PAGES)
    points = json.loads((mirror / GOLDEN).read_bytes())["points"]
    assert verify(write_golden_list(points, tmp_path / "g.json"), FORMAT_GOLDEN_LIST) == "13 golden points"
