"""Typed, validated request parameters, built once from user input (CLI or HTTP)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from zufi.errors import UsageError
from zufi.model import Point
from zufi.settings import Settings

DEFAULT_LIMIT = 10


def _clean_char(c: str) -> str:
    """Control and format characters (NUL, zero-width …) become a space; a decimal digit of any script
    ("٩", "１") becomes its ASCII digit, so a PLZ or key typed with another keyboard layout reads alike."""
    if unicodedata.category(c).startswith("C"):
        return " "
    if not c.isascii() and unicodedata.category(c) == "Nd":
        return str(unicodedata.digit(c))
    return c


def clean_text(value: str | None, *, what: str, max_chars: int, required: bool) -> str | None:
    """Strip control characters and surrounding space, turn decimal digits of any script into ASCII;
    enforce presence and length. A value given but blank is an error even when not required.

    Raises:
        UsageError: when given (or required) but empty, or longer than ``max_chars``.
    """
    if value is None:
        if required:
            raise UsageError(f"{what} is required")
        return None
    if len(value) > max_chars:
        raise UsageError(f"{what} is too long: {len(value)} characters, at most {max_chars}")
    text = "".join(_clean_char(c) for c in value)
    text = " ".join(text.split())
    if not text:
        raise UsageError(f"{what} must not be empty")
    return text


def make_point(lat: float | None, lon: float | None, x: float | None = None, y: float | None = None,
               crs: str | None = None) -> Point | None:
    """A checked WGS84 :class:`Point` from optional ``lat``/``lon`` degrees or projected ``x``/``y``
    metres with ``crs`` (e.g. "EPSG:25832", see :data:`gazetteer.crs.SUPPORTED_CRS`); None if no
    coordinate is given.

    Raises:
        UsageError: only one of a pair; both pairs; x/y without crs (the message names the CRS the
            values look like); metres given as lat/lon (likewise); out-of-range or unsupported values.
    """
    from gazetteer.crs import check_degrees, likely_crs, to_wgs84

    if x is not None or y is not None:
        if x is None or y is None:
            raise UsageError("give both x and y (with crs)")
        if lat is not None or lon is not None:
            raise UsageError("give either lat/lon or x/y, not both")
        if not crs:
            guess = likely_crs(x, y)
            hint = f"; the values look like {guess[0]}" if guess else ""
            raise UsageError(f"x/y need a crs (e.g. EPSG:25832){hint}")
        return to_wgs84(x, y, crs)
    if crs:
        raise UsageError("crs applies to x/y only; lat/lon are always WGS84 degrees")
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise UsageError("give both lat and lon (WGS84 degrees), or neither")
    check_degrees(lat, lon)
    return Point.checked(lon=lon, lat=lat)


@dataclass(frozen=True, slots=True)
class SearchParams:
    """A validated search request: ``text`` (the free-text line), optional ``where`` (place text) or
    ``point`` (never both), ``limit`` (1 … settings.max_limit), ``explain`` (add a trace)."""

    text: str
    where: str | None = None
    point: Point | None = None
    limit: int = 10
    explain: bool = False

    @classmethod
    def build(
        cls,
        settings: Settings,
        text: str | None,
        where: str | None = None,
        point: Point | tuple[float, float] | None = None,
        limit: int | None = None,
        explain: bool = False,
    ) -> SearchParams:
        """Validate raw values. ``point`` may be a :class:`Point` or a ``(lon, lat)`` tuple; ``limit``
        None means the default, 10 capped at ``settings.max_limit``.

        Raises:
            UsageError: empty or over-long text, bad limit, bad point, or both where and point.
        """
        q = clean_text(text, what="q", max_chars=settings.max_query_chars, required=True)
        w = clean_text(where, what="where", max_chars=settings.max_query_chars, required=False)
        if isinstance(point, tuple):
            if len(point) != 2:
                raise UsageError("point must be (lon, lat)")
            point = Point.checked(lon=point[0], lat=point[1])
        if limit is None:
            limit = min(DEFAULT_LIMIT, settings.max_limit)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= settings.max_limit:
            raise UsageError(f"limit must be an integer from 1 to {settings.max_limit}")
        if w and point is not None:
            raise UsageError("give either a place (where) or a point (lat/lon), not both")
        return cls(text=q or "", where=w, point=point, limit=limit, explain=explain)
