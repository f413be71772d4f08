"""Projected coordinates (metres) → WGS84, and a helpful refusal of metres given as degrees.

German authority data (ALKIS, VG250, VG5000 shapefiles) is published in ETRS89/UTM (EPSG:25832, 25833)
or the older Gauß-Krüger zones (EPSG:31466–31469); web maps use EPSG:3857. :func:`to_wgs84` converts
with a pyproj ``Transformer`` built once per CRS (``always_xy=True``: x = easting/longitude first).
:func:`likely_crs` names the CRS a pair of metres probably is in, from the value ranges over Germany
(computed from Germany's bounding box 5.5–15.5° E, 47.2–55.2° N in each CRS, rounded outwards).
``Gazetteer.locate`` itself stays WGS84.
"""

from __future__ import annotations

import math
from functools import cache

from zufi.errors import UsageError
from zufi.model import Point

#: CRS accepted by :func:`to_wgs84` with a short description.
SUPPORTED_CRS = {
    "EPSG:4326": "WGS84 degrees (x = longitude, y = latitude)",
    "EPSG:4258": "ETRS89 degrees (x = longitude, y = latitude)",
    "EPSG:25832": "ETRS89 / UTM zone 32N metres",
    "EPSG:25833": "ETRS89 / UTM zone 33N metres",
    "EPSG:4647": "ETRS89 / UTM zone 32N metres with zone prefix (easting 32xxxxxx)",
    "EPSG:31466": "DHDN / Gauß-Krüger zone 2 metres",
    "EPSG:31467": "DHDN / Gauß-Krüger zone 3 metres",
    "EPSG:31468": "DHDN / Gauß-Krüger zone 4 metres",
    "EPSG:31469": "DHDN / Gauß-Krüger zone 5 metres",
    "EPSG:3857": "WGS84 / Pseudo-Mercator (web maps) metres",
}

#: (crs, x range, y range) of Germany in metres, most common first.
_RANGES = (
    ("EPSG:25832", (280_000, 920_000), (5_200_000, 6_130_000)),
    ("EPSG:25833", (-170_000, 520_000), (5_200_000, 6_130_000)),
    ("EPSG:31467", (3_200_000, 3_950_000), (5_200_000, 6_130_000)),
    ("EPSG:31468", (4_200_000, 4_700_000), (5_200_000, 6_130_000)),
    ("EPSG:31466", (2_400_000, 2_750_000), (5_200_000, 6_130_000)),
    ("EPSG:31469", (5_200_000, 5_500_000), (5_200_000, 6_130_000)),
    ("EPSG:4647", (32_280_000, 32_920_000), (5_200_000, 6_130_000)),
    ("EPSG:3857", (600_000, 1_730_000), (5_970_000, 7_400_000)),
)


def normalise_crs(crs: str) -> str:
    """'epsg:25832', 'EPSG:25832', '25832' → 'EPSG:25832'.

    Raises:
        UsageError: for a CRS not in :data:`SUPPORTED_CRS`.
    """
    c = (crs or "").strip().upper().replace(" ", "")
    if c.isdigit():
        c = "EPSG:" + c
    if c == "WGS84" or c == "CRS84":
        c = "EPSG:4326"
    if c not in SUPPORTED_CRS:
        raise UsageError(f"crs {crs!r} is not supported; use one of {', '.join(SUPPORTED_CRS)}")
    return c


@cache
def _transformer(crs: str):
    from pyproj import Transformer

    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def to_wgs84(x: float, y: float, crs: str) -> Point:
    """The WGS84 :class:`Point` of ``(x, y)`` in ``crs`` (x = easting or longitude).

    Raises:
        UsageError: unsupported CRS, non-finite values, or a result that is not a valid lon/lat.
    """
    c = normalise_crs(crs)
    for name, v in (("x", x), ("y", y)):
        if v is None or not math.isfinite(v):
            raise UsageError(f"{name} must be a finite number")
    if c == "EPSG:4326":
        return Point.checked(lon=x, lat=y)
    lon, lat = _transformer(c).transform(x, y)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise UsageError(f"({x}, {y}) is not a valid position in {c}")
    return Point.checked(lon=lon, lat=lat)


def likely_crs(x: float, y: float) -> list[str]:
    """CRS in which ``(x, y)`` metres fall inside Germany, most common first (may be empty)."""
    return [c for c, (x0, x1), (y0, y1) in _RANGES if x0 <= x <= x1 and y0 <= y <= y1]


def check_degrees(lat: float, lon: float) -> None:
    """Refuse values that can only be metres when degrees were expected.

    Raises:
        UsageError: when ``|lon| > 180`` or ``|lat| > 90``, naming the likely CRS ("looks like
            ETRS89 / UTM zone 32N metres (EPSG:25832); give x, y and crs EPSG:25832 instead").
    """
    if abs(lon) <= 180 and abs(lat) <= 90:
        return
    guesses = likely_crs(lon, lat) or likely_crs(lat, lon)
    swapped = not likely_crs(lon, lat) and bool(guesses)
    x, y = (lat, lon) if swapped else (lon, lat)
    if guesses:
        first = guesses[0]
        others = f" (or {', '.join(guesses[1:])})" if len(guesses) > 1 else ""
        raise UsageError(
            f"lat {lat} / lon {lon} are not degrees: they look like {SUPPORTED_CRS[first]} ({first}){others}; "
            f"give x {x:g}, y {y:g} and crs {first} instead of lat/lon")
    raise UsageError(f"lat {lat} / lon {lon} are not WGS84 degrees (lat −90…90, lon −180…180) and match no "
                     f"projected CRS over Germany; pass x, y and crs (one of {', '.join(SUPPORTED_CRS)})")
