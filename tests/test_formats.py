"""Publisher formats: VG5000 as a BKG GeoPackage/shapefile in EPSG:25832, the Destatis Gemeindeverzeichnis as
xlsx, GeoNames as cities1000.zip — written here from the mirror's files, read back through the publisher
readers, and compared with what the mirror readers give."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from indexer import formats
from indexer.areas import _areas, _destatis, _read_csv
from indexer.csvio import read_csv
from indexer.report import BuildReport
from indexer.sources import (
    FORMAT_D115_TSV,
    FORMAT_GEONAMES_ZIP,
    FORMAT_GV_XLSX,
    FORMAT_OZG_SQL,
    FORMAT_VG5000_GPKG_ZIP,
    FORMAT_VG5000_SHP_ZIP,
)
from zufi.errors import DataFileError

GEM_TH = "geo/vg5000_2021_gem_thueringen.geojson"
VWG_TH = "geo/vg5000_2021_vwg_thueringen.geojson"
LAYERS = {"lan": "geo/vg5000_2021_lan.geojson", "krs": "geo/vg5000_2021_krs.geojson",
          "vwg": "geo/vg5000_2021_vwg.geojson.gz", "gem": "geo/vg5000_2021_gem.geojson.gz"}
DESTATIS_CSV = "gemeindeverzeichnis/destatis_AuszugGV4QAktuell.csv"
GEONAMES_CSV = "places/geonames_cities1000_de.csv"
D115_CSV = "leika_berlin/berlin_d115_leika_synonyme.csv"
#: The header of data/data.tsv in shansmann/chatbot-egov-berlin (read from the stored repo, commit 604ff0ce).
D115_TSV_HEADER = ("D115 ID", "Leika Nummer", "Leika Gruppe", "Leika Kennung", "Leika Verrichtung", "Leika Synonyme")
#: d115 ids whose Kennung ends in a blank in the original (trimmed by the staging).
D115_PADDED = ("326183", "326181")
OZG_CSV = "ozg_katalog_2019/ozg_leika_leistungen_2019.csv"
#: ``ozg_service`` column list of doc-dev/databases/symfony.data.sql (kdn-nrw/OZG-Datenbank-NRW, commit 4edb4b27).
OZG_SERVICE_COLS = ("id", "description", "modified_at", "created_at", "name", "hidden", "service_system_id",
                    "service_key", "service_type", "legal_basis", "laws", "law_shortcuts", "relevance1", "relevance2",
                    "status_id", "created_by", "modified_by")
#: The dump's two test rows, verbatim (dropped by the staging, SOURCES.md §10).
OZG_TEST_ROW_SQL = (" (8192,'','2019-12-19 15:54:57','2019-12-19 15:54:57','Test 124',0,1,'25323525','2','asdqw',"
                    "NULL,NULL,0,0,1,101,101),\n (8193,'','2019-12-19 15:54:57','2019-12-19 15:54:57','Test 4',0,1,"
                    "'3233','44','wqfwe',NULL,NULL,0,0,1,101,101)")
_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def _to_utm(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.column_stack(_TO_UTM.transform(xy[:, 0], xy[:, 1])))


# ------------------------------------------------------------------------------------- fixture writers
def write_vg5000(geojson_files: dict[str, Path], out: Path, driver: str = "GPKG") -> Path:
    """Write mirror GeoJSON layers as BKG would ship them: EPSG:25832, layers ``vg5000_<level>`` in one
    GeoPackage (``driver="GPKG"``, ``out`` a file) or ``VG5000_<LEVEL>.shp`` files (``out`` a dir)."""
    import pyogrio.raw

    if driver != "GPKG":
        out.mkdir(parents=True, exist_ok=True)
    for level, src in geojson_files.items():
        data = gzip.decompress(src.read_bytes()) if src.suffix == ".gz" else src.read_bytes()
        meta, _fids, wkb, fields = pyogrio.raw.read(data)
        geoms = _to_utm(shapely.from_wkb(wkb))
        target, layer = (out, f"vg5000_{level}") if driver == "GPKG" else (out / f"VG5000_{level.upper()}.shp", None)
        pyogrio.raw.write(target, shapely.to_wkb(geoms), fields, meta["fields"], layer=layer, driver=driver,
                          crs="EPSG:25832", geometry_type="MultiPolygon", promote_to_multi=True,
                          append=driver == "GPKG" and out.exists())
    return out


def zip_tree(src: Path, out: Path, inner: str) -> Path:
    """Zip the file or directory ``src`` under the folder ``inner`` (BKG's archives nest their files)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted([src] if src.is_file() else src.rglob("*")):
            if p.is_file():
                zf.write(p, f"{inner}/{p.name}")
    return out


def _number(v: str) -> int | float | str | None:
    t = v.strip().replace(" ", "")
    if not t:
        return None
    try:
        return int(t)
    except ValueError:
        try:
            return float(t.replace(",", "."))
        except ValueError:
            return v.strip()


def write_gv_xlsx(csv_path: Path, out: Path) -> Path:
    """A Destatis-like "Auszug GV" workbook from the mirror CSV: title and two header rows, then the rows
    with key parts as text and numbers as numbers (population int, area and lon/lat float)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Onlineprodukt_Gemeinden_311220")
    ws.append(["Gemeindeverzeichnis-Informationssystem GV-ISys"])
    ws.append(["Alle politisch selbständigen Gemeinden mit ausgewählten Merkmalen am 31.12.2020 (4. Quartal)"])
    ws.append([])
    ws.append(["Satz-art", "Text-kenn-zeichen", "Amtlicher Regionalschlüssel (ARS)", None, None, None, None,
               "Gemeindename", "Fläche km2", "Bevölkerung", None, None, None, "Post-leit-zahl",
               "Geografische Mittelpunktkoordinaten", None, "Reisegebiete", None, "Grad der Verstädterung"])
    ws.append([None, None, "Land", "RB", "Kreis", "VB", "Gem", None, None, "insgesamt", "männlich", "weiblich",
               "je km2", None, "Längengrad", "Breitengrad", "Schlüssel", "Bezeichnung", "Schlüssel", "Bezeichnung"])
    ws.append([str(i) for i in range(1, 21)])
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            row = []
            for col in formats.GV_COLUMNS:
                v = r[col]
                if col in ("flaeche", "bevoelkerung", "maennlich", "weiblich", "jekm2", "laengengrad", "breitengrad"):
                    row.append(_number(v))
                else:
                    row.append(v.strip() or None)
            ws.append(row)
    ws.append([])
    ws.append(["1) Einwohnerzahlen auf Grundlage des Zensus 2011."])
    wb.save(out)
    return out


def write_geonames_zip(csv_path: Path, out: Path) -> Path:
    """``cities1000.zip`` with the mirror's German rows in GeoNames' 19 tab-separated columns plus one
    place abroad (Salzburg, AT) that the reader must drop."""
    buf = io.StringIO()
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh)):
            cells = [str(n), r["name"], r["name"], "", r["lat"], r["lon"], "P", "PPL", r["cc"], "", "15", "",
                     "", "", "0", "", "200", "Europe/Berlin", "2016-01-01"]
            buf.write("\t".join(cells) + "\n")
    abroad = ["2766824", "Salzburg", "Salzburg", "", "47.79941", "13.04399", "P", "PPLA", "AT", "", "05", "", "",
              "", "150887", "", "424", "Europe/Vienna", "2019-11-26"]
    buf.write("\t".join(abroad) + "\n")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("cities1000.txt", buf.getvalue())
    return out


# ---------------------------------------------------------------------------------------- comparing
def write_d115_tsv(csv_path: Path, out: Path, line_end: str = "\r") -> Path:
    """Berlin's data.tsv as the repo holds it, from the mirror CSV: original header, tab-separated, no quoting,
    CR line ends, a trailing blank after the Kennung of :data:`D115_PADDED` (as in the original)."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    lines = ["\t".join(D115_TSV_HEADER)]
    for r in rows:
        assert not any(c in v for v in r for c in "\t\r\n")
        if r[0] in D115_PADDED:
            r = [*r[:3], r[3] + " ", *r[4:]]
        lines.append("\t".join(r))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes((line_end.join(lines) + line_end).encode("utf-8"))
    return out


def _sql_lit(v: str | None) -> str:
    """A value as mysqldump writes it: NULL, or a single-quoted string with backslash escapes."""
    if v is None:
        return "NULL"
    for a, b in (("\\", "\\\\"), ("'", "\\'"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\0", "\\0")):
        v = v.replace(a, b)
    return f"'{v}'"


def _sql_insert(table: str, cols: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = f"INSERT INTO `{table}` ({', '.join(f'`{c}`' for c in cols)}) VALUES\n"
    return head + ",\n".join(" (" + ",".join(r) + ")" for r in rows)


def write_ozg_sql_dump(csv_path: Path, out: Path, ids: set[str] | None = None) -> Path:
    """The OZG-Datenbank NRW dump (symfony.data.sql) in its real syntax, rebuilt from the mirror CSV rows
    (``ids``: only those): ``ozg_service`` with the dump's column list, NULL legal basis for row 1 and its junk
    ``laws = 'sdesf'`` (as in the original), the two test rows; ``ozg_service_system``/``ozg_situation`` one
    extended INSERT each, ``ozg_subject`` one INSERT per row (as mysqldump wrote it), other tables around."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if ids is None or r["id"] in ids]
    subjects: dict[str, int] = {}
    situations: dict[tuple[str, str], int] = {}
    systems: dict[tuple[str, str, str, str], int] = {}
    ts = "'2019-10-05 14:38:15'"
    service = []
    for r in rows:
        sys_id = "NULL"
        if r["ozg_id"]:
            subj = subjects.setdefault(r["themenfeld"], len(subjects) + 1)
            sit = situations.setdefault((r["lebenslage"], r["themenfeld"]), len(situations) + 1)
            sys_id = str(systems.setdefault((r["ozg_id"], r["ozg_leistung"], r["lebenslage"], r["themenfeld"]),
                                            len(systems) + 1))
            assert subj and sit
        legal = None if r["id"] == "1" else r["rechtsgrundlage"]
        laws = "sdesf" if r["id"] == "1" else r["gesetze"]
        service.append((r["id"], "NULL", ts, ts, _sql_lit(r["bezeichnung"]), "0", sys_id, _sql_lit(r["leika_schluessel"]),
                        _sql_lit(r["typisierung"]), _sql_lit(legal), _sql_lit(laws), _sql_lit(r["gesetz_kuerzel"]),
                        r["sdg1"], r["sdg2"], "1", "NULL", "NULL"))
    ts = "'2019-10-05 14:38:11'"
    system_rows = [(str(i), str(situations[(sl, tf)]), "1", _sql_lit(oid), "NULL", "NULL", ts, ts, _sql_lit(name), "0", "1")
                   for (oid, name, sl, tf), i in systems.items()]
    situation_rows = [(str(i), str(subjects[tf]), ts, ts, _sql_lit(name), "0") for (name, tf), i in situations.items()]
    parts = ["-- MySQL dump 10.13  Distrib 5.7.28, for Linux (x86_64)\n--\n-- Host: localhost    Database: symfony\n",
             "/*!40101 SET NAMES utf8 */;\n",
             "LOCK TABLES `ozg_priority` WRITE;\n" + _sql_insert(
                 "ozg_priority", ("id", "level", "description", "modified_at", "created_at", "name", "hidden"),
                 [("1", "0", "NULL", ts, ts, "'Nicht festgelegt; it''s \\'quoted\\' (a);'", "0")]) + ";\nUNLOCK TABLES;\n",
             "LOCK TABLES `ozg_service` WRITE;\n/*!40000 ALTER TABLE `ozg_service` DISABLE KEYS */;\n"
             + _sql_insert("ozg_service", OZG_SERVICE_COLS, service) + ",\n" + OZG_TEST_ROW_SQL + ";\n"
             "/*!40000 ALTER TABLE `ozg_service` ENABLE KEYS */;\nUNLOCK TABLES;\n",
             _sql_insert("ozg_service_system", ("id", "situation_id", "priority_id", "service_key", "contact",
                                                "description", "modified_at", "created_at", "name", "hidden",
                                                "status_id"), system_rows) + ";\n",
             _sql_insert("ozg_situation", ("id", "subject_id", "modified_at", "created_at", "name", "hidden"),
                         situation_rows) + ";\n",
             *(_sql_insert("ozg_subject", ("id", "modified_at", "created_at", "name", "hidden"),
                           [(str(i), ts, ts, _sql_lit(name), "0")]) + ";\n" for name, i in subjects.items()),
             "-- Dump completed on 2019-12-20 12:11:39\n"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(parts), encoding="utf-8")
    return out


def assert_same_areas(ref: dict, got: dict) -> None:
    """Same ARS, names and types; geometry within ~1 m (Hausdorff in EPSG:25832) and area within 0.1 %."""
    assert set(got) == set(ref)
    arss = sorted(ref)
    assert [(got[a]["name"], got[a]["type"]) for a in arss] == [(ref[a]["name"], ref[a]["type"]) for a in arss]
    a = _to_utm(np.array([ref[k]["geom"] for k in arss]))
    b = _to_utm(np.array([got[k]["geom"] for k in arss]))
    assert float(shapely.hausdorff_distance(a, b).max()) < 1.0
    rel = np.abs(shapely.area(b) / shapely.area(a) - 1)
    assert float(rel.max()) < 1e-3


@pytest.fixture(scope="module")
def th_gpkg(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_vg5000({"gem": mirror / GEM_TH, "vwg": mirror / VWG_TH},
                        tmp_path_factory.mktemp("vg") / "DE_VG5000.gpkg")


def test_geopackage_in_utm32_gives_the_geojson_areas(mirror: Path, th_gpkg: Path):
    ref_report, got_report = BuildReport(), BuildReport()
    ref = _areas(mirror / GEM_TH, "gemeinden", ref_report, keep_geometry=True)
    got = _areas((th_gpkg, FORMAT_VG5000_GPKG_ZIP), "gemeinden", got_report, keep_geometry=True)
    assert len(ref) == 631
    assert got["160510000000"]["name"] == "Erfurt" and got["160550000000"]["name"] == "Weimar"
    assert_same_areas(ref, got)
    assert got_report.indexed == ref_report.indexed
    vwg_ref = _areas(mirror / VWG_TH, "gemeindeverbaende", BuildReport(), keep_geometry=True)
    vwg_got = _areas((th_gpkg, FORMAT_VG5000_GPKG_ZIP), "gemeindeverbaende", BuildReport(), keep_geometry=True)
    assert len(vwg_ref) == 192
    assert_same_areas(vwg_ref, vwg_got)


def test_geopackage_properties_and_point_in_polygon(th_gpkg: Path):
    feats = formats.read_vg5000_features(th_gpkg, "gem")
    erfurt = next(f for f in feats if f["properties"]["ARS"] == "160510000000")
    assert erfurt["properties"]["GEN"] == "Erfurt" and erfurt["properties"]["BEZ"] == "Stadt"
    assert erfurt["geometry"].contains(shapely.Point(11.0287, 50.9787))  # Domplatz, WGS84 lon/lat


def test_zipped_geopackage_and_shapefiles_read_alike(mirror: Path, th_gpkg: Path, tmp_path: Path):
    gz = zip_tree(th_gpkg, tmp_path / "vg5000_01-01.utm32s.gpkg.ebenen.zip", "vg5000_01-01.utm32s.gpkg.ebenen")
    shp_dir = write_vg5000({"gem": mirror / GEM_TH}, tmp_path / "shp", driver="ESRI Shapefile")
    sz = zip_tree(shp_dir, tmp_path / "vg5000_01-01.utm32s.shape.ebenen.zip", "vg5000_ebenen_0101")
    ref = _areas((th_gpkg, FORMAT_VG5000_GPKG_ZIP), "gemeinden", BuildReport(), keep_geometry=True)
    for src in ((gz, FORMAT_VG5000_GPKG_ZIP), (sz, FORMAT_VG5000_SHP_ZIP), (shp_dir, FORMAT_VG5000_SHP_ZIP)):
        assert_same_areas(ref, _areas(src, "gemeinden", BuildReport(), keep_geometry=True))
    with pytest.raises(DataFileError, match="VG5000_KRS.SHP"):
        formats.read_vg5000_features(sz, "krs")
    with pytest.raises(DataFileError, match="no layer vg5000_lan"):
        formats.read_vg5000_features(th_gpkg, "lan")


def test_destatis_xlsx_gives_the_csv_records(mirror: Path, tmp_path: Path):
    xlsx = write_gv_xlsx(mirror / DESTATIS_CSV, tmp_path / "AuszugGV4QAktuell.xlsx")
    ref_gem, ref_rbs, ref_types = _destatis(mirror / DESTATIS_CSV, BuildReport())
    gem, rbs, types = _destatis((xlsx, FORMAT_GV_XLSX), BuildReport())
    assert len(gem) == len(ref_gem) == 11004
    assert gem == ref_gem and rbs == ref_rbs and types == ref_types
    assert gem["160510000000"] == {"name": "Erfurt, Stadt", "population": 213981, "lon": 11.027236,
                                   "lat": 50.977122, "plz": "99084", "type": "Kreisfreie Stadt"}


def test_destatis_numeric_key_cells_are_padded():
    rows = formats._gv_rows([("Titel",), (60, 63, 1, 0, 51, 11, 11, "Heide, Stadt", 31.97, 21657.0, None, None,
                                          677, 25746, 9.09, 54.19)])
    assert len(rows) == 1
    r = rows[0]
    assert (r["satzart"], r["land"], r["rb"], r["kreis"], r["vb"], r["gemeinde"]) == ("60", "01", "0", "51", "0011", "011")
    assert (r["bevoelkerung"], r["postleitzahl"], r["laengengrad"], r["schluessel"]) == ("21657", "25746", "9.09", "")


def test_unreadable_publisher_files_name_the_file(tmp_path: Path):
    junk = tmp_path / "AuszugGV4QAktuell.xlsx"
    junk.write_bytes(b"<html>Wartungsarbeiten</html>")
    with pytest.raises(DataFileError, match="AuszugGV4QAktuell.xlsx: not a readable xlsx"):
        formats.read_gv_xlsx(junk)
    bad_zip = tmp_path / "vg5000.zip"
    bad_zip.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DataFileError, match="vg5000.zip"):
        formats.read_vg5000_features(bad_zip, "gem")
    with pytest.raises(DataFileError, match="cities1000.zip"):
        formats.read_geonames_zip(tmp_path / "cities1000.zip")


def test_geonames_zip_gives_the_german_rows(mirror: Path, tmp_path: Path):
    z = write_geonames_zip(mirror / GEONAMES_CSV, tmp_path / "cities1000.zip")
    ref = _read_csv(mirror / GEONAMES_CSV, {"lat", "lon", "name"})
    got = formats.read_geonames_zip(z)
    assert len(got) == len(ref) == 10508
    assert [(r["lat"], r["lon"], r["name"]) for r in got] == [(r["lat"], r["lon"], r["name"]) for r in ref]
    assert formats.verify(z, FORMAT_GEONAMES_ZIP) == "10508 places"


# ------------------------------------------------------------------------------------ Berlin data.tsv
def test_d115_tsv_gives_the_mirror_csv_rows(mirror: Path, tmp_path: Path):
    ref = read_csv(mirror / D115_CSV, (), "LeiKa table")
    for end in ("\r", "\n", "\r\n"):
        tsv = write_d115_tsv(mirror / D115_CSV, tmp_path / "data.tsv", line_end=end)
        if end == "\r":
            assert tsv.read_bytes().count(b"\r") == 616 and b"\n" not in tsv.read_bytes()
            assert ' "G" ' in tsv.read_text(encoding="utf-8")  # unquoted quotes stay values
        got = formats.read_d115_tsv(tsv)
        assert got == ref  # same line numbers, columns and trimmed values
    assert len(got) == 615 and got[0] == (2, {
        "d115_id": "326690", "leika_schluessel": "99001013006000", "leika_gruppe": "Abfall",
        "leika_kennung": "Transport nach dem Kreislaufwirtschaftsgesetz", "leika_verrichtung": "Genehmigung",
        "leika_synonyme": ref[0][1]["leika_synonyme"]})
    by_id = {r["d115_id"]: r for _, r in got}
    assert by_id["326183"]["leika_kennung"] == "Eheurkunde bei Eheschließung im Ausland oder ehemaliges deutsches Gebiet"
    assert formats.verify(tsv, FORMAT_D115_TSV) == "615 services"


def test_d115_tsv_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "data.tsv"
    bad.write_bytes(b"D115 ID\tLeika Nummer\tLeika Gruppe\rx\ty\tz\r")
    with pytest.raises(DataFileError, match=r"data.tsv.*lacks columns \['leika_kennung'"):
        formats.read_d115_tsv(bad)
    bad.write_bytes(("\t".join(D115_TSV_HEADER) + "\r1\t99001013006000\ta\tb\tc\td\textra\r").encode())
    with pytest.raises(DataFileError, match=r"line 2: 7 tab-separated cells, the header has 6"):
        formats.read_d115_tsv(bad)
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(DataFileError, match="not UTF-8|UTF-8 TSV"):
        formats.read_d115_tsv(bad)
    bad.write_bytes(("\t".join(D115_TSV_HEADER) + "\r<html>\r").encode())
    with pytest.raises(DataFileError, match="no rows with a 14-digit LeiKa key"):
        formats.verify(bad, FORMAT_D115_TSV)
    with pytest.raises(DataFileError, match="file is missing"):
        formats.read_d115_tsv(tmp_path / "nope.tsv")


# --------------------------------------------------------------------------------- OZG-Datenbank SQL dump
def test_ozg_sql_dump_gives_the_mirror_csv_rows(mirror: Path, tmp_path: Path):
    ref = {r["id"]: r for _, r in read_csv(mirror / OZG_CSV, (), "OZG catalogue")}
    quoted = sorted((i for i, r in ref.items() if any('"' in v for v in r.values())), key=int)[:3]
    ids = {str(i) for i in range(1, 31)} | {"32", "5046", "5248", "5249", *quoted}  # 32: no OZG-Leistung, trailing blank
    dump = write_ozg_sql_dump(mirror / OZG_CSV, tmp_path / "symfony.data.sql", ids)
    text = dump.read_text(encoding="utf-8")
    assert "'sdesf'" in text and "'Test 124'" in text and '\\"' in text  # the raw material of the two edits, escapes
    got = formats.read_ozg_sql_dump(dump)
    assert [r["id"] for r in got] == sorted(ids, key=int)  # dump order; test rows "Test 124", "Test 4" dropped
    assert got == [ref[i] for i in sorted(ids, key=int)]  # every column, values as in the mirror
    assert tuple(got[0]) == formats.OZG_SQL_COLUMNS == tuple(ref["1"])
    assert got[0] == {"id": "1", "leika_schluessel": "nicht im LeiKa",
                      "bezeichnung": "(Baumuster-) Prüfung von Gefahrengutverpackungen", "typisierung": "1",
                      "rechtsgrundlage": "", "gesetze": "", "gesetz_kuerzel": "", "ozg_id": "10478",
                      "ozg_leistung": "Produkt- und Stoffzulassung", "lebenslage": "Anlagen & Stoffe",
                      "themenfeld": "Umwelt", "sdg1": "1", "sdg2": "1"}  # laws "sdesf" blanked, NULL → ""
    by_id = {r["id"]: r for r in got}
    assert by_id["32"]["bezeichnung"] == "Abgabe von Meldungen nach dem FATCA-Abkommen " and by_id["32"]["ozg_id"] == ""
    assert by_id["5046"]["leika_schluessel"] == "99115005104000" and by_id["5046"]["lebenslage"] == "Wohnen & Umzug"
    keyed = sum(ref[i]["leika_schluessel"] != "nicht im LeiKa" for i in ids)
    assert keyed == 32 and formats.verify(dump, FORMAT_OZG_SQL) == f"{len(ids)} catalogue rows, {keyed} with a LeiKa key"


def test_ozg_sql_dump_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "symfony.data.sql"
    head = "INSERT INTO `ozg_service` (`" + "`, `".join(OZG_SERVICE_COLS) + "`) VALUES\n"
    bad.write_text(head + " (1,NULL,'a','b','Name',0,NULL,'99001001000000','1','x','y','z',0,0,1,NULL,NULL),\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"symfony.data.sql.*line 1 is not terminated"):
        formats.read_ozg_sql_dump(bad)  # no ';'
    bad.write_text(head + " (1,NULL,'a','b','unclosed,0,1);\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not terminated"):
        formats.read_ozg_sql_dump(bad)
    bad.write_text(head + " (1,NULL,'a','b','Name',0,NULL,'k','1','x','y','z',0,0,1,NULL,NULL) junk;\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"symfony.data.sql.*ozg_service starting on line 1: unexpected 'junk"):
        formats.read_ozg_sql_dump(bad)
    bad.write_text(head + " (1,'only three',2);\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="a row of 3 values for 17 columns"):
        formats.read_ozg_sql_dump(bad)
    bad.write_text("INSERT INTO `ozg_service` (`id`, `name`) VALUES (1,'x');\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"lacks columns \['service_system_id'"):
        formats.read_ozg_sql_dump(bad)
    bad.write_text("-- MySQL dump\n<html>not a dump</html>\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no ozg_service rows"):
        formats.verify(bad, FORMAT_OZG_SQL)
    bad.write_bytes(head.encode() + b" (1,'\xff\xfe');\n")
    with pytest.raises(DataFileError, match="not UTF-8"):
        formats.read_ozg_sql_dump(bad)
    with pytest.raises(DataFileError, match="file is missing"):
        formats.read_ozg_sql_dump(tmp_path / "nope.sql")
