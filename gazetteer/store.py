"""On-disk format of a built gazetteer: one JSON of attributes and one binary file of WKB polygons.

Files in the gazetteer directory:

* ``gazetteer.json`` (orjson) – ``format``, ``sources``, ``areas`` (Land/RB/Kreis/Gemeindeverband
  attributes by ARS), ``gemeinden`` (one row per polygon, see :data:`GEMEINDE_FIELDS`), ``wkb_offsets``
  (n + 1 byte offsets into the WKB file), ``names``, ``plz``, ``berlin_plz``, ``bezirke``, ``generation``,
  ``changes`` (rows of ``gazetteer/data/ags_changes.csv``), ``former`` (old names → [row, change no]),
  ``ortsteile`` (GeoNames name key → [[row, name, lon, lat]]), ``plz_abroad`` ({plz: row}) and
  ``abroad_names`` ({name key: plz}). ``areas`` values are ``[level, name, type (BEZ), type_destatis,
  population]``.
* ``gemeinden.wkb`` – the Gemeinde polygons (WGS84 lon/lat degrees) as concatenated WKB, in the
  order of ``gemeinden``.

Written by ``indexer.areas.build_gazetteer``; read by :func:`load`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson
import shapely

from zufi.errors import IndexUnavailableError

FORMAT_VERSION = 2
JSON_NAME = "gazetteer.json"
WKB_NAME = "gemeinden.wkb"

#: Column order of one row of ``gemeinden``.
GEMEINDE_FIELDS = ("ars", "ags", "name", "type", "destatis_name", "population", "lon", "lat", "plz",
                   "type_destatis")


def save(out_dir: Path, data: dict[str, Any], geometries: list[shapely.Geometry]) -> None:
    """Write ``data`` (without ``wkb_offsets``, added here) and ``geometries`` into ``out_dir``.

    ``geometries`` must align with ``data["gemeinden"]``. Files are written to temporary names and
    renamed, so a crashed build leaves no half-written gazetteer behind.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    blobs = shapely.to_wkb(np.asarray(geometries, dtype=object))
    offsets = [0]
    for b in blobs:
        offsets.append(offsets[-1] + len(b))
    data = {**data, "format": FORMAT_VERSION, "wkb_offsets": offsets}
    tmp_wkb, tmp_json = out_dir / (WKB_NAME + ".tmp"), out_dir / (JSON_NAME + ".tmp")
    tmp_wkb.write_bytes(b"".join(blobs))
    tmp_json.write_bytes(orjson.dumps(data))
    tmp_wkb.replace(out_dir / WKB_NAME)
    tmp_json.replace(out_dir / JSON_NAME)


def load(directory: Path) -> tuple[dict[str, Any], np.ndarray]:
    """Read a gazetteer directory: (attributes dict, numpy array of shapely Gemeinde polygons).

    Raises:
        IndexUnavailableError: when a file is missing, unreadable, of another format version, or
            the WKB does not match the attribute rows.
    """
    directory = Path(directory)
    jpath, wpath = directory / JSON_NAME, directory / WKB_NAME
    try:
        data = orjson.loads(jpath.read_bytes())
        raw = wpath.read_bytes()
    except FileNotFoundError as e:
        raise IndexUnavailableError(f"gazetteer not built: {e.filename} is missing") from e
    except (OSError, orjson.JSONDecodeError) as e:
        raise IndexUnavailableError(f"gazetteer at {directory} cannot be read: {e}") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise IndexUnavailableError(f"{jpath}: unknown gazetteer format, rebuild the index")
    try:
        offsets = data["wkb_offsets"]
        rows = data["gemeinden"]
        if len(offsets) != len(rows) + 1 or offsets[-1] != len(raw):
            raise ValueError("WKB size does not match the attribute rows")
        mv = memoryview(raw)
        blobs = np.array([bytes(mv[a:b]) for a, b in zip(offsets, offsets[1:])], dtype=object)
        geoms = shapely.from_wkb(blobs)
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as e:
        raise IndexUnavailableError(f"gazetteer at {directory} is corrupt: {e}") from e
    return data, geoms
