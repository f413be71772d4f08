"""The :class:`Gazetteer` facade: where is a point, what does a typed place mean.

Data generation: boundaries BKG VG5000 Stand 01.01.2021 (generalised 1:5,000,000, expect
100 m – 1 km error near boundaries); names/population/centres Destatis GV-ISys 31.12.2020; PLZ from
OpenStreetMap 2022; Bezirke from ``gazetteer/data/bezirke.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from gazetteer import store
from gazetteer.locate import Locator
from gazetteer.resolve import TextResolver
from gazetteer.table import AreaTable
from zufi.model import GERMANY_BBOX, ChainLink, Place, PlaceCandidate, Point

#: Points farther than this from every Gemeinde polygon are outside Germany (metres). Closer ones
#: (sea side of a generalised coastline, a few hundred metres across a border) resolve to the nearest.
COAST_TOLERANCE_M = 2000.0


class PlaceName(NamedTuple):
    """One name key of a Gemeinde or Bezirk, as listed by :meth:`Gazetteer.names`.

    ``name``: display name (official VG5000 name; "Berlin-Neukölln" for a Bezirk); ``key``: the folded
    matching key (:func:`gazetteer.names.name_key`, e.g. "halle saale"); ``kind``: "gemeinde" | "bezirk";
    ``population``: Destatis 31.12.2019 (the city's for a Bezirk, None when unknown); ``ags``: 8 digits
    (Berlin's/Hamburg's for a Bezirk); ``land``, ``kreis``: labels; ``exact``: True for an official
    name, False for a base name ("Frankfurt") or an Ortsteil variant ("Tempelhof").
    """

    name: str
    key: str
    kind: str
    population: int | None
    ags: str
    land: str | None
    kreis: str | None
    exact: bool


class Gazetteer:
    """Gemeinden of Germany with their chain of areas, names, PLZ and Berlin/Hamburg Bezirke.

    Build the files with ``indexer.areas.build_gazetteer`` and open them with :meth:`load`.
    Read-only after construction; safe to share between threads.

    Args:
        data: the attributes (``gazetteer.json``).
        geoms: numpy array of the Gemeinde polygons (WGS84), aligned with ``data["gemeinden"]``.
        near_boundary_m: distance in metres to another Gemeinde that triggers the "near_boundary"
            warning (default 500, see ``Settings.near_boundary_m``).
    """

    def __init__(self, data: dict[str, Any], geoms: np.ndarray, near_boundary_m: float = 500.0) -> None:
        self.table = AreaTable(data)
        self.locator = Locator(geoms)
        self.text = TextResolver(self.table, data)
        self.near_boundary_m = float(near_boundary_m)
        self.sources: dict[str, str] = data.get("sources", {})

    @classmethod
    def load(cls, directory: Path, near_boundary_m: float = 500.0) -> Gazetteer:
        """Open a built gazetteer directory (about 0.3 s for all of Germany).

        Raises:
            IndexUnavailableError: when files are missing or corrupt.
        """
        data, geoms = store.load(Path(directory))
        return cls(data, geoms, near_boundary_m=near_boundary_m)

    def __len__(self) -> int:
        return len(self.table.rows)

    # ------------------------------------------------------------------ points
    def locate(self, point: Point, near_boundary_m: float | None = None) -> Place:
        """The Gemeinde covering a WGS84 point (boundary points count as inside).

        Returns a Place with status "resolved" (chain Land → … → Gemeinde, lat/lon = the point,
        point_source "given"); warning "near_boundary" with candidates (containing Gemeinde first)
        when another Gemeinde is within ``near_boundary_m`` metres or the point lies up to 2 km outside
        every polygon (generalised coastline/border); "gemeindefrei" for a gemeindefreies Gebiet
        (chain ends at the Kreis); status "outside_germany" otherwise, with warning
        "probably_swapped" and ``suggestion`` {lat, lon} when the swapped reading is in Germany.
        """
        lon, lat = point.lon, point.lat
        tol = self.near_boundary_m if near_boundary_m is None else near_boundary_m
        if point.in_germany_bbox():
            cover, near = self.locator.within_m(lon, lat, tol)
            if cover:
                i = cover[0]
                others = cover[1:] + [j for j, _d in near]
                if not others:
                    return self.table.place(i, lon=lon, lat=lat, point_source="given")
                return self.table.place(
                    i, lon=lon, lat=lat, point_source="given", warnings=["near_boundary"],
                    candidates=[self.table.candidate(j) for j in [i, *others]],
                    message=f"within {tol:.0f} m of another Gemeinde; boundaries are generalised "
                            "(VG5000 1:5,000,000), check the candidates")
            _, near = self.locator.within_m(lon, lat, max(COAST_TOLERANCE_M, tol))
            if near:
                i, d = near[0]
                return self.table.place(
                    i, lon=lon, lat=lat, point_source="given", warnings=["near_boundary"],
                    candidates=[self.table.candidate(j) for j, _d in near],
                    message=f"point is {d:.0f} m outside the nearest Gemeinde polygon (generalised "
                            "coastline or border); resolved to the nearest")
        return self._outside(point)

    def _outside(self, point: Point, swapped_inside: bool | None = None) -> Place:
        place = Place(status="outside_germany", lat=point.lat, lon=point.lon, point_source="given",
                      message=f"point (lat {point.lat}, lon {point.lon}) is outside Germany: no Gemeinde "
                              f"within {COAST_TOLERANCE_M / 1000:.0f} km")
        swapped = Point(lon=point.lat, lat=point.lon)
        if swapped_inside is None:
            swapped_inside = swapped.in_germany_bbox() and bool(self.locator.containing(swapped.lon, swapped.lat))
        if swapped_inside:
            place.warnings.append("probably_swapped")
            place.suggestion = {"lat": swapped.lat, "lon": swapped.lon}
            place.message += (f"; with latitude and longitude swapped (lat {swapped.lat}, lon {swapped.lon})"
                              " it would be in Germany")
        return place

    def locate_many(self, points: Sequence[Point] | Iterable[Point]) -> list[Place]:
        """:meth:`locate` for many points, same results; the common cases (inside and far from any
        boundary, far outside) are decided with vectorised tree queries, the rest point by point."""
        pts = list(points)
        if not pts:
            return []
        lons = np.fromiter((p.lon for p in pts), float, len(pts))
        lats = np.fromiter((p.lat for p in pts), float, len(pts))
        loc = self.locator
        inside = loc.containing_many(lons, lats)
        near_n = loc.near_counts_many(lons, lats, self.near_boundary_m)
        x0, y0, x1, y1 = GERMANY_BBOX
        in_bbox = (lons >= x0) & (lons <= x1) & (lats >= y0) & (lats <= y1)
        far_out = np.zeros(len(pts), dtype=bool)
        out_idx = np.nonzero((inside < 0) & in_bbox)[0]
        if len(out_idx):
            coast_n = loc.near_counts_many(lons[out_idx], lats[out_idx],
                                           max(COAST_TOLERANCE_M, self.near_boundary_m))
            far_out[out_idx[coast_n == 0]] = True
        far_out |= ~in_bbox
        sw_in_bbox = (lats >= x0) & (lats <= x1) & (lons >= y0) & (lons <= y1)
        swapped_ok = np.zeros(len(pts), dtype=bool)
        sw_idx = np.nonzero(far_out & sw_in_bbox)[0]
        if len(sw_idx):
            swapped_ok[sw_idx] = loc.containing_many(lats[sw_idx], lons[sw_idx]) >= 0
        out = []
        for k, p in enumerate(pts):
            i = int(inside[k])
            if i >= 0 and near_n[k] == 1:
                out.append(self.table.place(i, lon=p.lon, lat=p.lat, point_source="given"))
            elif far_out[k]:
                out.append(self._outside(p, bool(swapped_ok[k])))
            else:
                out.append(self.locate(p))
        return out

    # ------------------------------------------------------------------ text
    def resolve(self, text: str, geocoder: Any = None) -> Place:
        """A typed place: key ("16056000"), PLZ ("99084"), "PLZ Name" ("15537 Erkner"), Gemeinde
        ("Halle (Saale)", "Koeln", "Munich", "Halle Westfalen"), Bezirk/Ortsteil ("Neukölln",
        "Prenzlauer Berg", "Buttelstedt"), or a street address ("Goetheplatz 10, Weimar").

        An address (house number after a street-like word, see :func:`gazetteer.geocode.parse_address`)
        is geocoded with ``geocoder`` (a :class:`gazetteer.geocode.ConfiguredGeocoder`; default the
        offline one) and the point located. Everything else: :meth:`resolve_text`.
        Status "resolved", "ambiguous" (candidates by population), "not_found" or "outside_germany"
        (PLZ of a place abroad), always with a message when not resolved.
        """
        from gazetteer.geocode import parse_address, resolve_address

        if parse_address(text or "") is not None:
            return resolve_address(self, text, geocoder)
        return self.text.resolve(text)

    def resolve_text(self, text: str) -> Place:
        """:meth:`resolve` without address geocoding (keys, PLZ, names; rules in :mod:`gazetteer.resolve`)."""
        return self.text.resolve(text)

    def locate_projected(self, x: float, y: float, crs: str, near_boundary_m: float | None = None) -> Place:
        """:meth:`locate` for projected metres, e.g. ``(663269, 5650385, "EPSG:25832")`` → Weimar.

        Raises:
            UsageError: unsupported CRS or a position that is not valid (see :mod:`gazetteer.crs`).
        """
        from gazetteer.crs import to_wgs84

        return self.locate(to_wgs84(x, y, crs), near_boundary_m=near_boundary_m)

    def is_place_name(self, text: str) -> bool:
        """Fast check: is the folded text a known Gemeinde name/variant or Bezirk name?"""
        return self.text.is_place_name(text)

    def is_plz_known(self, plz: str) -> bool:
        """Is ``plz`` (five digits) in the PLZ table?"""
        return self.text.is_plz_known(plz)

    def search_places(self, text: str, limit: int = 10) -> list[PlaceCandidate]:
        """Places whose name equals or begins with ``text`` (folded); exact first, then by population."""
        return self.text.search_places(text, limit)

    def area(self, ars: str) -> ChainLink | None:
        """The area (Land, RB, Kreis, Gemeindeverband or Gemeinde) with this ARS, or None."""
        return self.table.area(ars)

    def gemeinde(self, ags: str) -> Place | None:
        """The Gemeinde with this 8-digit AGS as a resolved Place at its centre, or None."""
        i = self.table.by_ags.get(ags)
        if i is None:
            return None
        lon, lat = self.table.centre(i)
        return self.table.place(i, lon=lon, lat=lat, point_source="gemeinde_centre")

    # ------------------------------------------------------------------ listings (for matchers)
    def names(self) -> Iterable[PlaceName]:
        """Every (name key, place) pair :meth:`is_place_name` knows: Gemeinden with all name variants,
        former Gemeinden (under the Gemeinde they joined), then Berlin/Hamburg Bezirke with their
        variants, Ortsteile and "City Variant" forms. A key shared by several places is yielded once
        per place."""
        t = self.text
        for key, targets in t.names.items():
            for i, strength in targets:
                c = self.table.candidate(i)
                yield PlaceName(c.name, key, "gemeinde", c.population, c.ags, c.land, c.kreis, strength == 2)
        for key, targets in t.former.items():  # former Gemeinden of the change table
            for i, _change in targets:
                c = self.table.candidate(i)
                yield PlaceName(c.name, key, "gemeinde", c.population, c.ags, c.land, c.kreis, False)
        keyed: dict[tuple[str, int], bool] = {}
        for key, found in t.bezirk_keys.items():
            for n, strength in found.items():
                keyed[(key, n)] = strength == 2
        for key, found in t.bezirk_city_keys.items():
            for n in found:
                keyed.setdefault((key, n), True)
        for (key, n), exact in keyed.items():
            c = t._bezirk_candidate(n)
            city = self.table.candidate(t.bezirke[n]["gemeinde"])
            yield PlaceName(c.name, key, "bezirk", city.population, c.ags, c.land, c.kreis, exact)

    def postcodes(self) -> Iterable[tuple[str, str, str]]:
        """Every (PLZ, place name as in the PLZ table, AGS) from the PLZ table (OpenStreetMap 2022);
        a PLZ covering several Gemeinden is yielded once per Gemeinde."""
        for plz, links in self.text.plz.items():
            for _row, ags, ort in links:
                yield plz, ort, ags
