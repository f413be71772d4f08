"""Point-in-polygon and distances over the Gemeinde polygons (shapely STRtree, prepared geometries).

Coordinates are WGS84 lon/lat degrees. Distances are metres, measured on a local equirectangular
projection around the query point (error well below 0.1 % within a few km – ample for tolerances of
a few hundred metres on 1:5,000,000 boundaries).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

#: Metres per degree of latitude on a sphere with the mean Earth radius 6,371,008.8 m.
M_PER_DEG = 6_371_008.8 * math.pi / 180.0


def _deg_radius(metres: float, lat: float) -> float:
    """A radius in degrees that covers ``metres`` in every direction at latitude ``lat``."""
    return metres / (M_PER_DEG * max(math.cos(math.radians(lat)), 0.01)) * 1.001


class Locator:
    """Spatial index over an array of (Multi)Polygons.

    Args:
        geoms: numpy array of shapely polygons, WGS84 degrees; prepared here.
    """

    def __init__(self, geoms: np.ndarray) -> None:
        self.geoms = geoms
        shapely.prepare(geoms)
        self.tree = shapely.STRtree(geoms)

    def containing(self, lon: float, lat: float) -> list[int]:
        """Indices of the polygons covering the point (boundary counts as inside), ascending."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return sorted(int(i) for i in hits)

    def distance_m(self, idx: int, lon: float, lat: float) -> float:
        """Distance in metres from the point to polygon ``idx`` (0 when inside)."""
        kx = M_PER_DEG * math.cos(math.radians(lat))
        local = shapely.transform(self.geoms[idx], lambda c: (c - (lon, lat)) * (kx, M_PER_DEG))
        return float(shapely.distance(local, shapely.Point(0.0, 0.0)))

    def within_m(self, lon: float, lat: float, metres: float) -> tuple[list[int], list[tuple[int, float]]]:
        """Polygons near the point: (covering indices, [(index, metres)] of the others within ``metres``).

        The others are sorted by distance. One tree query with a degree radius large enough for
        ``metres`` at this latitude, then exact containment and metric distance for the few hits.
        """
        p = shapely.Point(lon, lat)
        hits = self.tree.query(p, predicate="dwithin", distance=_deg_radius(metres, lat))
        if len(hits) == 0:
            return [], []
        if len(hits) == 1:
            i = int(hits[0])
            if self.geoms[i].intersects(p):
                return [i], []
            d = self.distance_m(i, lon, lat)
            return [], ([(i, d)] if d <= metres else [])
        hits = np.sort(hits)
        inside = shapely.intersects(self.geoms[hits], p)
        cover = [int(i) for i in hits[inside]]
        near = []
        for i in hits[~inside]:
            d = self.distance_m(int(i), lon, lat)
            if d <= metres:
                near.append((int(i), d))
        near.sort(key=lambda t: t[1])
        return cover, near

    def containing_many(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Vectorised point-in-polygon: for each point the lowest covering index, or -1."""
        pts = shapely.points(lons, lats)
        qi, gi = self.tree.query(pts, predicate="intersects")
        out = np.full(len(pts), -1, dtype=np.int64)
        # lowest polygon index per point: assign in descending order so the smallest wins
        order = np.lexsort((-gi, qi))
        out[qi[order]] = gi[order]
        return out

    def near_counts_many(self, lons: np.ndarray, lats: np.ndarray, metres: float) -> np.ndarray:
        """Vectorised: number of polygons within a degree radius covering ``metres`` of each point.

        A count of 1 means the point is farther than ``metres`` from every other polygon; larger
        counts need the exact check of :meth:`within_m`.
        """
        pts = shapely.points(lons, lats)
        radii = metres / (M_PER_DEG * np.maximum(np.cos(np.radians(lats)), 0.01)) * 1.001
        qi, _gi = self.tree.query(pts, predicate="dwithin", distance=radii)
        return np.bincount(qi, minlength=len(pts))
