"""Readers for the publishers' own file formats, giving the records the mirror readers give.

The mirror (``../shared/data``) holds converted copies: VG5000 as WGS84 GeoJSON, the Destatis
Gemeindeverzeichnis as CSV, GeoNames as a German CSV extract. `zufi data fetch` without ``--mirror``
stores what the publishers ship (see ``docs/data.md``); this module reads those files:

* **BKG VG5000** (``vg5000_01-01.utm32s.{gpkg,shape}.ebenen.zip``, a ``.gpkg`` or a directory of
  shapefiles), EPSG:25832 (or whatever CRS the file declares; none declared → EPSG:25832, the BKG
  product's CRS): layers ``vg5000_lan/krs/vwg/gem`` (``VG5000_LAN.shp`` …) read with pyogrio and
  reprojected to WGS84 (lon/lat) with pyproj → GeoJSON-like features ``{"properties": {...},
  "geometry": shapely geometry}`` with upper-case attribute names (``ARS``, ``GEN``, ``BEZ``, ``GF`` …),
  as in the mirror's GeoJSON.
* **Destatis GV-ISys "Auszug GV"** spreadsheet (xlsx): see :func:`read_gv_xlsx` for the accepted layout
  → rows ``{column: text}`` with the mirror CSV's column names.
* **Berlin d115 → LeiKa table** ``data/data.tsv`` of GitHub ``shansmann/chatbot-egov-berlin`` (UTF-8,
  tab-separated, CR line ends, header ``D115 ID``, ``Leika Nummer`` …) → the rows of the mirror's
  ``berlin_d115_leika_synonyme.csv`` (:func:`read_d115_tsv`).
* **OZG-Datenbank NRW** MySQL dump ``doc-dev/databases/symfony.data.sql`` of GitHub
  ``kdn-nrw/OZG-Datenbank-NRW`` (tables ``ozg_service``, ``ozg_service_system``, ``ozg_situation``,
  ``ozg_subject``) → the rows of the mirror's ``ozg_leika_leistungen_2019.csv`` (:func:`read_ozg_sql_dump`).
* **Berlin 2024 scrape** (GitHub ``tobiasseck/berlin-services-api``: ``services_export.xlsx``, ``services.db``) →
  the mirror's ``berlin_services_2024`` records: :mod:`indexer.formats_berlin`.
* **hamburg.de page copies** (GitHub ``MoDimGH/ReductionOfHallucinations`` archive), the **WSP.NRW xlsx**
  and the **golden points** list → the mirror's Hamburg JSON/CSV, WSP CSV and golden-points object:
  :mod:`indexer.formats_hamburg`, :mod:`indexer.formats_wsp`, :mod:`indexer.formats_points`.
* **GeoNames** ``cities1000.zip`` (tab-separated ``cities1000.txt``) → rows ``{lat, lon, name, admin1,
  admin2, cc}`` for country code DE, like the mirror's ``geonames_cities1000_de.csv`` (but ``admin1`` is
  GeoNames' admin1 *code*, e.g. "15" for Thüringen, where the mirror extract has "Thuringia").

Every reader raises :class:`zufi.errors.DataFileError` naming the file when it cannot be read.
No work at import time: pyogrio, pyproj and openpyxl are imported by the functions that need them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.sources import (
    FORMAT_BERLIN_DB,
    FORMAT_BERLIN_XLSX,
    FORMAT_D115_TSV,
    FORMAT_GEONAMES_ZIP,
    FORMAT_GOLDEN_LIST,
    FORMAT_GV_XLSX,
    FORMAT_HAMBURG_PAGES,
    FORMAT_OPENTHESAURUS_ZIP,
    FORMAT_OZG_SQL,
    FORMAT_SAME,
    FORMAT_VG5000_GPKG_ZIP,
    FORMAT_VG5000_SHP_ZIP,
    FORMAT_WSP_XLSX,
)
from indexer.xlsxio import open_workbook
from zufi.errors import DataFileError

#: Layer short names of VG5000 (BKG "Ebenen"): Länder, Kreise, Gemeindeverbände, Gemeinden.
VG5000_LEVELS = ("lan", "krs", "vwg", "gem")

#: The CRS of the BKG VG5000 "utm32s" products, used when a file declares none.
BKG_CRS = "EPSG:25832"

#: Column names of the Destatis Auszug GV in sheet order (A…T) = the mirror CSV's header.
GV_COLUMNS = ("satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename",
              "flaeche", "bevoelkerung", "maennlich", "weiblich", "jekm2", "postleitzahl", "laengengrad",
              "breitengrad", "schluessel", "bezeichnung", "verstaedterungschluessel",
              "verstaedterungbezeichnung")
_GV_WIDTH = {"satzart": 2, "land": 2, "rb": 1, "kreis": 2, "vb": 4, "gemeinde": 3, "postleitzahl": 5}
_SATZARTEN = {"10", "20", "30", "40", "50", "60"}

#: Header of Berlin's ``data/data.tsv`` (shansmann/chatbot-egov-berlin, as stored at commit 604ff0ce) →
#: the mirror CSV's column names (SOURCES.md §1: "re-written as clean CSV with renamed header").
D115_TSV_COLUMNS = {"D115 ID": "d115_id", "Leika Nummer": "leika_schluessel", "Leika Gruppe": "leika_gruppe",
                    "Leika Kennung": "leika_kennung", "Leika Verrichtung": "leika_verrichtung",
                    "Leika Synonyme": "leika_synonyme"}
_LINE_END = re.compile(r"\r\n|\r|\n")


# ------------------------------------------------------------------------------------------- VG5000
def _vg5000_dataset(path: Path, level: str) -> tuple[str, str | None]:
    """(GDAL dataset name, layer or None) of VG5000 layer ``level`` in a gpkg, a zip or a shapefile dir."""
    if level not in VG5000_LEVELS:
        raise ValueError(f"unknown VG5000 level {level!r}")
    import pyogrio

    want_layer, want_shp = f"vg5000_{level}", f"vg5000_{level}.shp"
    if path.is_dir():
        shp = [p for p in path.rglob("*") if p.name.lower() == want_shp]
        if not shp:
            raise DataFileError(path, f"no {want_shp.upper()} in the directory")
        return str(shp[0]), None
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
        gpkg = sorted(n for n in names if n.lower().endswith(".gpkg"))
        shp = sorted(n for n in names if n.lower().rsplit("/", 1)[-1] == want_shp)
        if gpkg:
            dataset = f"/vsizip/{path}/{gpkg[0]}"
        elif shp:
            return f"/vsizip/{path}/{shp[0]}", None
        else:
            raise DataFileError(path, f"zip holds neither a GeoPackage nor {want_shp.upper()}")
    else:
        dataset = str(path)
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(dataset)]
    except Exception as e:  # pyogrio.errors.DataSourceError and GDAL errors
        raise DataFileError(path, f"not a readable GeoPackage: {e}") from e
    match = [n for n in layers if n.lower() == want_layer] or [n for n in layers if n.lower().endswith(f"_{level}")]
    if not match:
        raise DataFileError(path, f"no layer {want_layer} (layers: {', '.join(layers)})")
    return dataset, match[0]


def _to_wgs84(geoms: Any, crs: str | None) -> Any:
    """Reproject an array of shapely geometries from ``crs`` (None → :data:`BKG_CRS`) to lon/lat WGS84."""
    import numpy as np
    import shapely
    from pyproj import CRS, Transformer

    src = CRS.from_user_input(crs or BKG_CRS)
    if src.to_epsg() == 4326:
        return geoms
    tr = Transformer.from_crs(src, "EPSG:4326", always_xy=True)

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, fn)


def read_vg5000_features(path: Path, level: str) -> list[dict[str, Any]]:
    """Features of VG5000 layer ``level`` (lan, krs, vwg, gem) from a BKG GeoPackage or shapefile.

    Args:
        path: a ``.gpkg``, a ``.zip`` holding a ``.gpkg`` or ``VG5000_*.shp`` files (as BKG ships
            ``vg5000_01-01.utm32s.{gpkg,shape}.ebenen.zip``), or a directory with the shapefiles.
        level: the layer's short name.
    Returns:
        ``[{"properties": {ATTR: value}, "geometry": shapely geometry in WGS84 lon/lat}]``; attribute
        names upper-cased, values as Python scalars (dates as ``datetime.date``); a feature without
        geometry has ``"geometry": None``.
    Raises:
        DataFileError: naming ``path`` when the file or layer is missing or unreadable.
    """
    import pyogrio.raw
    import shapely

    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "file is missing")
    dataset, layer = _vg5000_dataset(path, level)
    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(dataset, layer=layer)
    except DataFileError:
        raise
    except Exception as e:  # GDAL/pyogrio errors
        raise DataFileError(path, f"cannot read layer {layer or level}: {e}") from e
    names = [str(n).upper() for n in meta["fields"]]
    geoms = _to_wgs84(shapely.from_wkb(wkb), meta.get("crs"))
    columns = [f.tolist() for f in fields]
    out = []
    for i, g in enumerate(geoms.tolist()):
        props = {n: col[i] for n, col in zip(names, columns)}
        out.append({"type": "Feature", "properties": props, "geometry": g})
    return out


# ------------------------------------------------------------------------------------------ Destatis
def _gv_text(col: str, v: Any) -> str:
    """A spreadsheet cell as the mirror CSV writes it: key parts zero-padded, numbers without '.0'."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and col not in ("laengengrad", "breitengrad", "flaeche", "jekm2"):
        v = int(v)
    s = str(v).strip()
    width = _GV_WIDTH.get(col)
    if width and s.isdigit():
        s = s.zfill(width)
    return s


def _gv_rows(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, str]]:
    columns: tuple[str, ...] = GV_COLUMNS
    out: list[dict[str, str]] = []
    for row in rows:
        cells = list(row)
        if not cells:
            continue
        heads = [str(c).strip().lower() if c is not None else "" for c in cells]
        if "satzart" in heads and "gemeindename" in heads:  # a header row with the mirror's names
            columns = tuple(heads)
            continue
        first = _gv_text("satzart", cells[0] if columns is GV_COLUMNS else cells[columns.index("satzart")])
        if first not in _SATZARTEN:
            continue  # title, multi-line header, footnotes
        out.append({c: _gv_text(c, cells[i] if i < len(cells) else None) for i, c in enumerate(columns) if c})
    return out


def read_gv_xlsx(path: Path) -> list[dict[str, str]]:
    """Rows of a Destatis GV-ISys "Auszug GV" spreadsheet, keyed like the mirror CSV.

    Accepted layout (the quarterly ``AuszugGV<n>Q…xlsx`` / ``…_Auszug_GV.xlsx``, sheet
    ``Onlineprodukt_Gemeinden…``, or else the first sheet with data rows): data rows are the rows whose
    first cell is a Satzart (10, 20, 30, 40, 50, 60); the 20 columns A…T are, in order,
    :data:`GV_COLUMNS` (Satzart, Textkennzeichen, ARS parts Land/RB/Kreis/VB/Gem, Gemeindename, Fläche
    km², Bevölkerung insgesamt/männlich/weiblich/je km², Postleitzahl, Längengrad, Breitengrad,
    Reisegebiet Schlüssel/Bezeichnung, Grad der Verstädterung Schlüssel/Bezeichnung). Title and
    multi-line header rows are skipped. A sheet whose header row names the mirror columns
    (``satzart``, ``gemeindename`` …) is read by those names instead. Numeric key cells are zero-padded
    (Land 2, RB 1, Kreis 2, VB 4, Gemeinde 3, PLZ 5 digits); numbers become text (the readers accept
    decimal points and commas).

    Raises:
        DataFileError: naming ``path`` when it is not a readable xlsx or has no data rows.
    """
    path = Path(path)
    wb = open_workbook(path, data_only=True)
    try:
        sheets = sorted(wb.worksheets, key=lambda ws: not ws.title.lower().startswith("onlineprodukt"))
        for ws in sheets:
            rows = _gv_rows(ws.iter_rows(values_only=True))
            if rows:
                return rows
    finally:
        wb.close()
    raise DataFileError(path, "no Gemeindeverzeichnis rows (no row starts with a Satzart 10–60)")


# ------------------------------------------------------------------------------------- Berlin d115
def _d115_header(cells: list[str]) -> list[str]:
    """Mirror column names for a data.tsv header row (original or already-renamed names, any case/spacing)."""
    known = {" ".join(k.split()).lower(): v for k, v in D115_TSV_COLUMNS.items()}
    known.update({v: v for v in D115_TSV_COLUMNS.values()})
    return [known.get(" ".join(c.split()).lower(), c.strip()) for c in cells]


def read_d115_tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of Berlin's d115 → LeiKa table ``data.tsv`` as the mirror CSV reader gives them.

    Format (``data/data.tsv`` of GitHub shansmann/chatbot-egov-berlin, SOURCES.md §1): UTF-8 (a BOM is
    ignored), cells separated by tabs, no quoting (a ``"`` is part of the value, e.g. ``Merkzeichen "G"``),
    lines ended by CR (LF and CRLF are accepted too); the header ``D115 ID, Leika Nummer, Leika Gruppe,
    Leika Kennung, Leika Verrichtung, Leika Synonyme`` (:data:`D115_TSV_COLUMNS`) is renamed to the mirror's
    ``d115_id, leika_schluessel, leika_gruppe, leika_kennung, leika_verrichtung, leika_synonyme``; every
    value is trimmed (the original has trailing blanks in a few Kennungen), as the staging did. Blank lines
    are skipped; a short row is padded with empty values.

    Returns:
        ``[(line number, {column: value})]`` — the shape of :func:`indexer.csvio.read_csv` (line 1 = header).
    Raises:
        DataFileError: naming ``path`` when it is missing, not UTF-8, lacks one of the six columns, or a row
            has non-empty cells beyond the header's (a tab inside a value).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as e:
        raise DataFileError(path, "file is missing") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(path, f"cannot read the d115 table (UTF-8 TSV): {e}") from e
    lines = _LINE_END.split(text)
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise DataFileError(path, "empty d115 table")
    header = _d115_header(lines[header_at].split("\t"))
    missing = [c for c in D115_TSV_COLUMNS.values() if c not in header]
    if missing:
        raise DataFileError(path, f"d115 table: TSV header lacks columns {missing} (header: {header})")
    out: list[tuple[int, dict[str, str]]] = []
    for i in range(header_at + 1, len(lines)):
        if not lines[i].strip():
            continue
        cells = lines[i].split("\t")
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise DataFileError(path, f"line {i + 1}: {len(cells)} tab-separated cells, the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        out.append((i + 1, {h: c.strip() for h, c in zip(header, cells)}))
    return out


# ------------------------------------------------------------------------------------- OZG SQL dump
#: Columns of the mirror's ``ozg_leika_leistungen_2019.csv``, in order.
OZG_SQL_COLUMNS = ("id", "leika_schluessel", "bezeichnung", "typisierung", "rechtsgrundlage", "gesetze",
                   "gesetz_kuerzel", "ozg_id", "ozg_leistung", "lebenslage", "themenfeld", "sdg1", "sdg2")
#: Mirror column ← ``ozg_service`` column (the dump's INSERT column list, commit 4edb4b27).
_OZG_SERVICE_COLUMNS = {"id": "id", "leika_schluessel": "service_key", "bezeichnung": "name",
                        "typisierung": "service_type", "rechtsgrundlage": "legal_basis", "gesetze": "laws",
                        "gesetz_kuerzel": "law_shortcuts", "sdg1": "relevance1", "sdg2": "relevance2"}
#: The tables read and the columns each must have.
_OZG_TABLES = {"ozg_service": ("id", "name", "service_system_id", "service_key", "service_type", "legal_basis",
                               "laws", "law_shortcuts", "relevance1", "relevance2"),
               "ozg_service_system": ("id", "situation_id", "service_key", "name"),
               "ozg_situation": ("id", "subject_id", "name"),
               "ozg_subject": ("id", "name")}
#: The staging's two documented edits (SOURCES.md §10): test rows dropped (by ``name``), a junk value blanked.
OZG_TEST_ROWS = frozenset({"Test 124", "Test 4"})
OZG_JUNK_VALUES = {"gesetze": frozenset({"sdesf"})}

_INSERT = re.compile(r"INSERT\s+INTO\s+`?(\w+)`?\s*\(([^)]*)\)\s*VALUES\s*", re.IGNORECASE)
_SQL_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^'\\]|\\.|'')*')|(?P<null>NULL)\b|"""
                        r"""(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)|(?P<p>[(),;]))""", re.DOTALL | re.IGNORECASE)
_SQL_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_SQL_ESCAPE = re.compile(r"\\(.)|''", re.DOTALL)


class _Incomplete(Exception):
    """The statement text ends before its closing ``;`` (read more lines)."""


def _sql_string(lit: str) -> str:
    """The value of a MySQL string literal ``'…'``: backslash escapes (``\\n``, ``\\'``, ``\\\\`` …; any other
    ``\\x`` is ``x``, as MySQL reads it) and doubled quotes resolved."""
    return _SQL_ESCAPE.sub(lambda m: "'" if m.group(1) is None else _SQL_ESCAPES.get(m.group(1), m.group(1)),
                           lit[1:-1])


def _sql_rows(text: str, pos: int) -> list[list[str | None]]:
    """The value tuples of one INSERT from ``text[pos:]`` (after ``VALUES``) up to its ``;``.

    Values: strings unescaped, numbers as written, NULL as None. Raises :class:`_Incomplete` when the
    text ends first, ValueError (with the offset) on anything else.
    """
    rows: list[list[str | None]] = []

    def tok(at: int) -> tuple[str, str, int]:
        m = _SQL_TOKEN.match(text, at)
        if m is None:
            rest = text[at:].lstrip()
            if not rest or rest.startswith("'"):
                raise _Incomplete
            raise ValueError(f"unexpected {rest[:20]!r} at offset {at}")
        return m.lastgroup or "", m.group(m.lastgroup or 0), m.end()

    while True:
        kind, val, pos = tok(pos)
        if (kind, val) != ("p", "("):
            raise ValueError(f"expected '(' at offset {pos}, got {val!r}")
        row: list[str | None] = []
        while True:
            kind, val, pos = tok(pos)
            if kind == "str":
                row.append(_sql_string(val))
            elif kind == "null":
                row.append(None)
            elif kind == "num":
                row.append(val)
            else:
                raise ValueError(f"expected a value at offset {pos}, got {val!r}")
            kind, val, pos = tok(pos)
            if val == ")":
                break
            if val != ",":
                raise ValueError(f"expected ',' or ')' at offset {pos}, got {val!r}")
        rows.append(row)
        kind, val, pos = tok(pos)
        if val == ";":
            return rows
        if val != ",":
            raise ValueError(f"expected ',' or ';' after a row at offset {pos}, got {val!r}")


def _sql_tables(path: Path, wanted: dict[str, tuple[str, ...]]) -> dict[str, list[dict[str, str | None]]]:
    """The rows of the ``wanted`` tables of a mysqldump file, ``{table: [{column: value}]}``, read line by
    line (one statement is held in memory at a time). Every INSERT must name its columns (mysqldump's
    ``--complete-insert``, as in the OZG dump); a table lacking a column of ``wanted`` is an error."""
    out: dict[str, list[dict[str, str | None]]] = {t: [] for t in wanted}
    stmt: list[str] = []
    start = 0
    try:
        fh = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as e:
        raise DataFileError(path, "file is missing") from e
    except OSError as e:
        raise DataFileError(path, f"cannot read the SQL dump: {e}") from e

    def finish(text: str, lineno: int) -> bool:
        m = _INSERT.match(text)
        assert m is not None
        table = m.group(1)
        cols = [c.strip().strip("`") for c in m.group(2).split(",")]
        try:
            rows = _sql_rows(text, m.end())
        except _Incomplete:
            return False
        except ValueError as e:
            raise DataFileError(path, f"INSERT into {table} starting on line {lineno}: {e}") from None
        if table in wanted:
            missing = [c for c in wanted[table] if c not in cols]
            if missing:
                raise DataFileError(path, f"INSERT into {table} (line {lineno}) lacks columns {missing}")
            for r in rows:
                if len(r) != len(cols):
                    raise DataFileError(path, f"INSERT into {table} (line {lineno}): a row of {len(r)} values "
                                              f"for {len(cols)} columns")
                out[table].append(dict(zip(cols, r)))
        return True

    with fh:
        try:
            for lineno, line in enumerate(fh, 1):
                if not stmt:
                    if not _INSERT.match(line):
                        continue
                    start = lineno
                stmt.append(line)
                if line.rstrip().endswith(";") and finish("".join(stmt), start):
                    stmt = []
        except UnicodeDecodeError as e:
            raise DataFileError(path, f"SQL dump is not UTF-8: {e}") from e
    if stmt:
        raise DataFileError(path, f"INSERT starting on line {start} is not terminated (unclosed string or no ';')")
    return out


def read_ozg_sql_dump(path: Path) -> list[dict[str, str]]:
    """The national catalogue rows of the OZG-Datenbank NRW MySQL dump, as the mirror's
    ``ozg_katalog_2019/ozg_leika_leistungen_2019.csv`` has them.

    Format (``doc-dev/databases/symfony.data.sql`` of GitHub kdn-nrw/OZG-Datenbank-NRW, commit 4edb4b27;
    SOURCES.md §10): a mysqldump (UTF-8) with ``INSERT INTO `table` (`col`, …) VALUES (…),(…);``
    statements — strings in single quotes with backslash escapes, ``NULL``, bare numbers; a table may
    come in several INSERTs. Read line by line; only the INSERTs are parsed. Joined as the staging did:
    ``ozg_service`` (id, service_key → leika_schluessel, name → bezeichnung, service_type → typisierung,
    legal_basis → rechtsgrundlage, laws → gesetze, law_shortcuts → gesetz_kuerzel, relevance1/2 →
    sdg1/sdg2) → ``ozg_service_system`` by service_system_id (service_key → ozg_id, name → ozg_leistung)
    → ``ozg_situation`` by situation_id (name → lebenslage) → ``ozg_subject`` by subject_id (name →
    themenfeld). NULL and a missing link give ``""``; values are kept as they are (not trimmed).

    The two edits SOURCES.md §10 documents for the mirror are applied: the test rows named "Test 124" and
    "Test 4" are dropped (:data:`OZG_TEST_ROWS`) and the junk value ``laws = "sdesf"`` is blanked
    (:data:`OZG_JUNK_VALUES`).

    Returns:
        ``[{column: value}]`` with the columns :data:`OZG_SQL_COLUMNS`, in the dump's row order.
    Raises:
        DataFileError: naming ``path`` when it is missing, not UTF-8, has a malformed or unterminated
            INSERT, an ``ozg_service`` INSERT without one of the columns used, or no ``ozg_service`` rows.
    """
    path = Path(path)
    t = _sql_tables(path, _OZG_TABLES)
    if not t["ozg_service"]:
        raise DataFileError(path, "no ozg_service rows in the SQL dump")
    subjects = {r["id"]: r["name"] or "" for r in t["ozg_subject"]}
    situations = {r["id"]: (r["name"] or "", subjects.get(r["subject_id"], "")) for r in t["ozg_situation"]}
    systems = {r["id"]: (r["service_key"] or "", r["name"] or "", *situations.get(r["situation_id"], ("", "")))
               for r in t["ozg_service_system"]}
    out: list[dict[str, str]] = []
    for r in t["ozg_service"]:
        if r["name"] in OZG_TEST_ROWS:
            continue
        row = {col: r[src] or "" for col, src in _OZG_SERVICE_COLUMNS.items()}
        for col, junk in OZG_JUNK_VALUES.items():
            if row[col] in junk:
                row[col] = ""
        row["ozg_id"], row["ozg_leistung"], row["lebenslage"], row["themenfeld"] = \
            systems.get(r["service_system_id"], ("", "", "", ""))
        out.append({c: row[c] for c in OZG_SQL_COLUMNS})
    return out


# ------------------------------------------------------------------------------------------ GeoNames
def read_geonames_zip(path: Path, country: str = "DE") -> list[dict[str, str]]:
    """Places of ``country`` from GeoNames' ``cities1000.zip`` (tab-separated ``cities1000.txt``).

    GeoNames dump columns: geonameid, name, asciiname, alternatenames, latitude, longitude, feature
    class, feature code, country code, cc2, admin1 code, admin2 code, … (readme.txt of the dump).

    Returns:
        ``[{lat, lon, name, admin1, admin2, cc}]`` as text, like the mirror's extract.
    Raises:
        DataFileError: naming ``path`` when it is not a zip holding a ``.txt`` table.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            txt = [n for n in zf.namelist() if n.lower().endswith(".txt") and "readme" not in n.lower()]
            if not txt:
                raise DataFileError(path, "zip holds no .txt table")
            text = zf.read(txt[0]).decode("utf-8")
    except FileNotFoundError as e:
        raise DataFileError(path, "file is missing") from e
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as e:
        raise DataFileError(path, f"not a readable GeoNames zip: {e}") from e
    out = []
    for cells in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(cells) < 12:
            continue
        if cells[8] == country:
            out.append({"lat": cells[4], "lon": cells[5], "name": cells[1], "admin1": cells[10],
                        "admin2": cells[11], "cc": cells[8]})
    return out


# ------------------------------------------------------------------------------------------ verify
def verify(path: Path, fmt: str) -> str:
    """Check that a downloaded file of publisher format ``fmt`` parses; returns a one-line summary.

    ``same`` files are checked by checksum elsewhere; here only JSON/GeoJSON/CSV well-formedness.
    Raises:
        DataFileError: naming ``path`` when it does not parse or holds no records.
    """
    path = Path(path)
    if fmt in (FORMAT_VG5000_GPKG_ZIP, FORMAT_VG5000_SHP_ZIP):
        counts = {}
        for level in VG5000_LEVELS:
            feats = read_vg5000_features(path, level)
            if not feats or not any(f["properties"].get("ARS") for f in feats):
                raise DataFileError(path, f"VG5000 layer {level} has no features with ARS")
            counts[level] = len(feats)
        return "VG5000 " + ", ".join(f"{k} {v}" for k, v in counts.items())
    if fmt == FORMAT_GV_XLSX:
        rows = read_gv_xlsx(path)
        n = sum(r.get("satzart") == "60" for r in rows)
        if not n:
            raise DataFileError(path, "no Gemeinde rows (Satzart 60)")
        return f"{n} Gemeinden"
    if fmt == FORMAT_GEONAMES_ZIP:
        rows = read_geonames_zip(path)
        if not rows:
            raise DataFileError(path, "no places in Germany")
        return f"{len(rows)} places"
    if fmt == FORMAT_D115_TSV:
        keys = [r["leika_schluessel"] for _, r in read_d115_tsv(path)]
        n = sum(len(k) == 14 and k.isdigit() for k in keys)
        if not n:
            raise DataFileError(path, "no rows with a 14-digit LeiKa key")
        return f"{n} services"
    if fmt == FORMAT_OZG_SQL:
        rows = read_ozg_sql_dump(path)
        n = sum(len(k) == 14 and k.isdigit() for k in (r["leika_schluessel"] for r in rows))
        if not n:
            raise DataFileError(path, "no ozg_service rows with a 14-digit LeiKa key")
        return f"{len(rows)} catalogue rows, {n} with a LeiKa key"
    if fmt in (FORMAT_BERLIN_XLSX, FORMAT_BERLIN_DB):  # the Berlin 2024 scrape (indexer.formats_berlin)
        from indexer import formats_berlin

        if fmt == FORMAT_BERLIN_XLSX:
            recs = formats_berlin.read_berlin_export_xlsx(path)
            what = "service texts"
        else:
            recs = formats_berlin.read_berlin_services_db(path)
            what = "service pages"
        n = sum(r["d115_id"].isdigit() and bool(r["name"]) for r in recs)
        if not n:
            raise DataFileError(path, f"no {what} with a numeric d115 id and a name")
        return f"{n} Berlin {what}"
    if fmt == FORMAT_HAMBURG_PAGES:  # hamburg.de page copies (indexer.formats_hamburg)
        from indexer import formats_hamburg

        return formats_hamburg.hamburg_summary(formats_hamburg.read_hamburg_pages(path))
    if fmt == FORMAT_WSP_XLSX:  # WSP.NRW "Live WSP 11.11" (indexer.formats_wsp)
        from indexer.formats_wsp import read_wsp_xlsx

        keys = {r["leika_schluessel"] for r in read_wsp_xlsx(path)}
        n = sum(len(k) == 14 and k.isdigit() for k in keys)
        if not n:
            raise DataFileError(path, "no WSP rows with a 14-digit LeiKa key")
        return f"{n} WSP.NRW LeiKa keys"
    if fmt == FORMAT_GOLDEN_LIST:  # vizsim/wer-ist-zustaendig golden points (indexer.formats_points)
        from indexer.formats_points import read_golden_points

        return f"{len(read_golden_points(path)['points'])} golden points"
    if fmt == FORMAT_OPENTHESAURUS_ZIP:
        from indexer.lexicon import read_nouns  # lazy: indexer.lexicon reads inputs through indexer.fetch

        return f"{len(read_nouns(path))} nouns"
    if fmt == FORMAT_SAME:
        return _verify_plain(path)
    raise ValueError(f"unknown publisher format {fmt!r}")


def _verify_plain(path: Path) -> str:
    """Light check of a JSON/GeoJSON/CSV file (name without ``.part``/``.gz`` decides)."""
    import gzip

    import orjson

    raw = path.read_bytes()
    name = path.name.removesuffix(".part")
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise DataFileError(path, f"corrupt gzip: {e}") from e
        name = name.removesuffix(".gz")
    if ".json" in name or ".geojson" in name:
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError as e:
            raise DataFileError(path, f"not valid JSON: {e}") from e
        return "JSON"
    if name.endswith(".csv"):
        try:
            text = raw.decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(text)), None)
        except (UnicodeDecodeError, csv.Error) as e:
            raise DataFileError(path, f"not a UTF-8 CSV: {e}") from e
        if not header:
            raise DataFileError(path, "empty CSV")
        return "CSV"
    return "file"


__all__ = ["BKG_CRS", "D115_TSV_COLUMNS", "GV_COLUMNS", "OZG_SQL_COLUMNS", "OZG_TEST_ROWS", "VG5000_LEVELS",
           "read_d115_tsv", "read_geonames_zip", "read_gv_xlsx", "read_ozg_sql_dump", "read_vg5000_features",
           "verify"]
