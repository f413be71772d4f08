"""Attach to a service the offices that offer it, nearest first, each with a one-line reason.

Office data: service.berlin.de Standorte export, Stand 08.06.2017 (Berlin only). Where the place lies
outside the area that office data covers, the answer says so instead of listing far-away offices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from zufi.catalog import Catalog
from zufi.model import Office, Place, Service

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
OFFICE_SOURCE = "service.berlin.de Standorte, Stand 08.06.2017"


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres between two WGS84 points given in degrees.

    Spherical Earth; error below 0.5 % — ample for ranking offices within a city.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class OfficeMatch:
    """An office offering a service, its distance from the place in metres (None without a point),
    the service-specific appointment link, and the reason in words."""

    office: Office
    distance_m: float | None
    appointment_url: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class OfficeAnswer:
    """The offices listed for one service, how many there are in all, and the coverage verdict:
    ``status`` ∈ {offices, no_office_data, no_offices_for_service, place_unresolved} with a message."""

    offices: list[OfficeMatch]
    total: int
    status: str
    message: str


def _place_label(place: Place) -> str:
    if place.district is not None:
        return f"{place.district.name} ({place.district.city})"
    if place.point_source == "plz" and place.plz:
        return f"PLZ {place.plz} ({place.name})"
    if place.point_source == "given":
        return f"dem angegebenen Punkt ({place.name})"
    return place.name or "dem Ort"


def _fmt_km(metres: float) -> str:
    if metres < 1000:
        return f"{round(metres, -1):.0f} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


def offices_for(
    service: Service,
    catalog: Catalog,
    place: Place,
    covered_ags: frozenset[str],
    limit: int,
    office_ags: Mapping[str, str] | None = None,
) -> OfficeAnswer:
    """The offices offering ``service``, for ``place``.

    Args:
        service: the service.
        catalog: where offices and links come from.
        place: the resolved (or not) place; its lat/lon (WGS84 degrees) is used for distances.
        covered_ags: AGS of the Gemeinden where office data exists (derived from the office locations).
        limit: how many offices to list.
        office_ags: office id → AGS of its Gemeinde; with it, a resolved place lists only the offices in
            its own Gemeinde (a Berlin Bürgeramt is not where a Hamburg resident reports a lost passport).
    """
    ids = catalog.offices_by_service.get(service.leika_key, [])
    offices = [catalog.offices[i] for i in ids if i in catalog.offices]
    if not offices:
        return OfficeAnswer([], 0, "no_offices_for_service",
                            f"Für „{service.name}“ sind keine Standorte in den Daten verzeichnet; "
                            "die zuständige Stelle nennt „responsible“.")
    if place.status in {"ambiguous", "not_found", "outside_germany"}:
        reason = {
            "ambiguous": "Der Ort ist mehrdeutig – bitte einen der Kandidaten wählen (place.candidates).",
            "not_found": "Der Ort wurde nicht gefunden – bitte Ort oder PLZ prüfen.",
            "outside_germany": "Der Ort liegt nicht in Deutschland.",
        }[place.status]
        return OfficeAnswer([], len(offices), "place_unresolved", reason + " Ohne Ort keine Standorte.")
    if place.status == "resolved" and place.ags not in covered_ags:
        return OfficeAnswer(
            [], len(offices), "no_office_data",
            f"Für {place.name} liegen keine Standortdaten vor (Standortdaten gibt es nur für "
            f"{', '.join(sorted(_covered_names(catalog)))}); die zuständige Stelle nach Regel nennt "
            "„responsible“.",
        )
    if place.status == "resolved" and office_ags is not None:
        here = [o for o in offices if office_ags.get(o.id) == place.ags]
        if not here:
            return OfficeAnswer(
                [], len(offices), "no_office_data",
                f"Für {place.name} sind keine Standorte für „{service.name}“ in den Daten verzeichnet (die "
                f"{len(offices)} Standorte dieser Leistung liegen anderswo); die zuständige Stelle nach Regel "
                "nennt „responsible“.",
            )
        offices = here
    has_point = place.status == "resolved" and place.lat is not None and place.lon is not None
    matches: list[OfficeMatch] = []
    for o in offices:
        d = None
        if has_point and o.lat is not None and o.lon is not None:
            d = distance_m(place.lon, place.lat, o.lon, o.lat)  # type: ignore[arg-type]
        reason = f"Bietet „{service.name}“ an ({_source_of(o)})"
        if d is not None:
            reason += f"; {_fmt_km(d)} von {_place_label(place)}"
        matches.append(OfficeMatch(o, d, o.services.get(service.leika_key) or o.appointment_url, reason + "."))
    matches.sort(key=lambda m: (m.distance_m is None, m.distance_m or 0.0, m.office.name))
    where = ", ".join(sorted(_covered_names(catalog)))
    count = "1 Standort bietet" if len(matches) == 1 else f"{len(matches)} Standorte bieten"
    return OfficeAnswer(matches[:limit], len(matches), "offices",
                        f"{count} diese Leistung an"
                        + ("; sortiert nach Entfernung." if has_point else
                           f" (Standortdaten gibt es nur für {where}); für die Entfernung einen Ort angeben."))


def _source_of(o: Office) -> str:
    """The office data source named in a reason: the office's own for Hamburg's (hamburg.de 2025-05),
    else Berlin's Standorte export."""
    return o.source if o.source.startswith("hamburg.de") else OFFICE_SOURCE


def _covered_names(catalog: Catalog) -> set[str]:
    """Cities named by the office data (computed once per catalogue; the catalogue never changes)."""
    names = getattr(catalog, "_covered_names_cache", None)
    if names is None:
        names = {o.address.city for o in catalog.offices.values() if o.address.city} or {"Berlin"}
        object.__setattr__(catalog, "_covered_names_cache", names)
    return names
