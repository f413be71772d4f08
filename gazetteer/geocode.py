"""Addresses → points through geopy: an offline geocoder over the gazetteer, Nominatim or Photon.

* :class:`OfflineGeocoder` implements geopy's ``Geocoder`` interface over the gazetteer (no network):
  ``geocode("Goetheplatz 10, Weimar")`` answers the point of the best place it can read from the text
  (Berlin PLZ area, Bezirk, Ortsteil or Gemeinde centre — never the street), ``reverse(point)`` the
  Gemeinde containing the point.
* :func:`make_geocoder` builds the configured one (settings ``ZUFI_GEOCODER`` = offline | nominatim |
  photon, ``ZUFI_GEOCODER_URL``, ``ZUFI_GEOCODER_USER_AGENT``, ``ZUFI_GEOCODER_MIN_DELAY_S``,
  ``ZUFI_GEOCODER_TIMEOUT_S``), online ones wrapped in geopy's ``RateLimiter`` (Nominatim's usage
  policy: at most one request per second, a real user agent).
* :func:`resolve_address` turns an address into a :class:`Place`: geocode → ``Gazetteer.locate``.
  Network errors (any ``geopy.exc.GeopyError``) fall back to the offline geocoder with warning
  ``geocoder_fallback``.

geopy is imported when a geocoder is built, not at import time of :mod:`gazetteer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from zufi.model import Place, Point

if TYPE_CHECKING:  # pragma: no cover
    from gazetteer.core import Gazetteer

#: Last words of German street names (lower case), from the common Straßennamen endings.
_STREET_SUFFIXES = (
    "straße", "strasse", "str", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer", "chaussee",
    "markt", "steig", "pfad", "promenade", "graben", "wall", "kai", "brücke", "bruecke", "tor", "hof",
    "berg", "garten", "park", "feld", "stieg", "twiete", "deich", "zeile", "gang", "winkel", "kamp",
)
#: First words of German street names without a suffix ("Unter den Linden", "Am Markt", "Alt-Moabit").
_STREET_PREFIXES = ("unter", "am", "an", "auf", "im", "in", "zum", "zur", "hinter", "vor", "bei", "alt", "alte",
                    "altes", "großer", "grosser", "kleiner", "neuer", "neue", "hohe", "hoher", "lange", "langer")

_ADDRESS_RE = re.compile(
    r"^\s*(?P<street>[^\d,]*?[^\W\d_][^\d,]*?)\s+(?P<number>\d{1,4}(?:\s?[a-zA-Z](?![^\W\d_]))?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?)?)"
    r"(?![\d])\s*(?:,\s*|\s+)?(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class Address:
    """A street address read from user text: street, house number, and the rest (PLZ and/or place)."""

    street: str
    number: str
    rest: str


def parse_address(text: str) -> Address | None:
    """Read "Street 10, Place" / "Street 10 Place" / "Street 10, 99423 Weimar"; None when the text has no
    house number after a street-like word (a last word ending like a street, or a first word such as
    "Unter", "Am", "Alt-").

    >>> parse_address("Goetheplatz 10, Weimar")
    Address(street='Goetheplatz', number='10', rest='Weimar')
    >>> parse_address("Unter den Linden 1 Berlin").street
    'Unter den Linden'
    >>> parse_address("15537 Erkner") is None
    True
    """
    m = _ADDRESS_RE.match(text or "")
    if not m:
        return None
    street = m.group("street").strip()
    words = street.lower().replace("-", " ").split()
    if not words:
        return None
    last, first = words[-1], words[0]
    street_like = last.endswith(_STREET_SUFFIXES) or first in _STREET_PREFIXES or "straße" in last
    if not street_like:
        return None
    return Address(street=street, number=m.group("number").replace(" ", ""), rest=m.group("rest").strip(" ,"))


class OfflineGeocoder(Geocoder):
    """geopy ``Geocoder`` over the gazetteer: no network, place-level precision.

    ``Location.raw`` holds ``{"ags", "ars", "name", "point_source", "precision", "status", "source"}``;
    precision is "plz", "district", "ortsteil" or "gemeinde" (the street is not known offline).

    Args:
        gazetteer: a loaded :class:`gazetteer.Gazetteer`.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        super().__init__(user_agent="zufi-offline")
        self.gazetteer = gazetteer

    def _location(self, place: Place, address: str) -> Location:
        raw = {"ags": place.ags, "ars": place.ars, "name": place.name, "point_source": place.point_source,
               "precision": {"gemeinde_centre": "gemeinde"}.get(place.point_source or "", place.point_source),
               "status": place.status, "source": "offline"}
        return Location(address, (place.lat, place.lon), raw)

    def geocode(self, query: str, *, exactly_one: bool = True, **_kwargs: Any) -> Location | list[Location] | None:
        """The point of the place named in ``query`` (the address part is dropped); None when the place
        is unknown or ambiguous (with ``exactly_one=False``: the ambiguous candidates' centres)."""
        text = query if isinstance(query, str) else " ".join(str(v) for v in dict(query).values())
        addr = parse_address(text)
        place_text = addr.rest if addr else text
        if not place_text:
            return None if exactly_one else []
        place = self.gazetteer.resolve_text(place_text)
        if place.status == "resolved":
            chain = ", ".join(c.name for c in reversed(place.chain))
            loc = self._location(place, f"{text} ({chain})")
            return loc if exactly_one else [loc]
        if place.status == "ambiguous" and not exactly_one:
            out = []
            for c in place.candidates:
                g = self.gazetteer.gemeinde(c.ags) or self.gazetteer.resolve_text(c.ags)
                if g.status == "resolved":
                    out.append(self._location(g, f"{c.name}, {c.kreis}, {c.land}"))
            return out
        return None if exactly_one else []

    def reverse(self, query: Any, *, exactly_one: bool = True, **_kwargs: Any) -> Location | list[Location] | None:
        """The Gemeinde containing the point ``query`` ((lat, lon), "lat, lon" or geopy Point); None
        outside Germany."""
        lat, lon = self._coerce_point_to_string(query).split(",")
        place = self.gazetteer.locate(Point.checked(lon=float(lon), lat=float(lat)))
        if place.status != "resolved":
            return None if exactly_one else []
        loc = self._location(place, ", ".join(c.name for c in reversed(place.chain)))
        return loc if exactly_one else [loc]


@dataclass
class ConfiguredGeocoder:
    """The geocoder zufi uses: a callable ``geocode(query) -> Location | None`` plus its name.

    ``online`` is False for the offline geocoder; then errors cannot happen and no fallback is needed.
    """

    name: str
    geocode: Callable[..., Any]
    online: bool
    geocoder: Geocoder


def make_geocoder(gazetteer: Gazetteer, kind: str = "offline", url: str | None = None,
                  user_agent: str = "zufi", min_delay_s: float = 1.0, timeout_s: float = 5.0) -> ConfiguredGeocoder:
    """Build the configured geocoder (see module docstring). ``url`` is the service's base URL, e.g.
    ``https://nominatim.openstreetmap.org`` or ``http://127.0.0.1:8080``; its path is kept.

    Raises:
        ValueError: unknown ``kind``, or an online kind without ``url``.
    """
    if kind == "offline":
        g = OfflineGeocoder(gazetteer)
        return ConfiguredGeocoder("offline", g.geocode, False, g)
    if kind not in ("nominatim", "photon"):
        raise ValueError(f"unknown geocoder {kind!r}: offline, nominatim or photon")
    if not url:
        raise ValueError(f"geocoder {kind} needs ZUFI_GEOCODER_URL")
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim, Photon

    parts = urlsplit(url if "://" in url else "https://" + url)
    domain = parts.netloc + parts.path.rstrip("/")
    cls = Nominatim if kind == "nominatim" else Photon
    g = cls(domain=domain, scheme=parts.scheme, user_agent=user_agent, timeout=timeout_s)
    limited = RateLimiter(g.geocode, min_delay_seconds=min_delay_s, max_retries=0, swallow_exceptions=False)
    return ConfiguredGeocoder(kind, limited, True, g)


def resolve_address(gazetteer: Gazetteer, text: str, geocoder: ConfiguredGeocoder | None = None) -> Place:
    """Geocode a street address and locate the point: a Place with ``point_source`` "geocoder" (online)
    or the offline precision, ``query`` = ``text``.

    Online errors fall back to the offline geocoder (warning ``geocoder_fallback``). An address the
    geocoder cannot find → ``not_found`` with a message (offline: the place part is resolved as usual).
    """
    geocoder = geocoder or make_geocoder(gazetteer)
    warnings: list[str] = []
    note = ""
    loc = None
    used = geocoder.name
    if geocoder.online:
        try:
            loc = geocoder.geocode(text, **({"country_codes": "de"} if used == "nominatim" else {}))
        except GeopyError as e:
            warnings.append("geocoder_fallback")
            note = f"geocoder {used} failed ({type(e).__name__}); used the offline gazetteer instead. "
            geocoder = make_geocoder(gazetteer)
            used = "offline"
    if loc is None and not geocoder.online:
        addr = parse_address(text)
        place = gazetteer.resolve_text(addr.rest if addr and addr.rest else text)
        place.query = text
        place.warnings = [*warnings, *place.warnings]
        if place.status == "resolved":
            place.warnings.append("address_approximate")
            place.message = (f"{note}{place.message + '; ' if place.message else ''}street not known offline: "
                             f"the point is the {place.point_source} of {place.name}")
        elif note:
            place.message = note + (place.message or "")
        return place
    if loc is None:
        return Place(status="not_found", query=text, warnings=warnings,
                     message=f"{note}geocoder {used} found no address {text!r}")
    place = gazetteer.locate(Point.checked(lon=float(loc.longitude), lat=float(loc.latitude)))
    place.query = text
    place.point_source = "geocoder"
    place.warnings = [*warnings, *place.warnings]
    found = f"geocoded by {used}: {loc.address}"
    place.message = f"{note}{found}" + (f"; {place.message}" if place.message else "")
    return place
