"""Attribute table of the gazetteer: Gemeinde rows, area names, and the Place parts built from them.

Chains and candidates are built once per Gemeinde and cached; callers get fresh lists holding the
shared (treat as read-only) :class:`ChainLink` objects. Places are built with the normal pydantic
constructor: with model instances as input it costs ~2 µs (``model_construct`` is slower here,
because it resolves default factories through ``inspect``).
"""

from __future__ import annotations

from typing import Any

from zufi.model import ChainLink, Level, Place, PlaceCandidate

_GEMEINDEFREI_TYPE = "Gemeindefreies Gebiet"


class AreaTable:
    """Gemeinden (rows aligned with the polygons) and the areas above them, keyed by ARS.

    Args:
        data: the loaded ``gazetteer.json`` (see :mod:`gazetteer.store`).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.rows: list[list] = data["gemeinden"]
        self.areas: dict[str, list] = data["areas"]
        self._chains: list[list[ChainLink] | None] = [None] * len(self.rows)
        self._cands: list[PlaceCandidate | None] = [None] * len(self.rows)
        self.by_ags: dict[str, int] = {r[1]: i for i, r in enumerate(self.rows)}
        self.by_ars: dict[str, int] = {r[0]: i for i, r in enumerate(self.rows)}

    # --- row accessors (column order: gazetteer.store.GEMEINDE_FIELDS)
    def name(self, i: int) -> str:
        """Official VG5000 name (GEN), e.g. 'Erfurt'."""
        return self.rows[i][2]

    def population(self, i: int) -> int | None:
        """Destatis population 31.12.2019, None when unknown."""
        return self.rows[i][5]

    def centre(self, i: int) -> tuple[float, float]:
        """(lon, lat) of the Gemeinde centre from Destatis, else a point inside the polygon."""
        r = self.rows[i]
        return r[6], r[7]

    def is_gemeindefrei(self, i: int) -> bool:
        """True for a gemeindefreies Gebiet (forest, lake …): no Gemeinde, the Kreis is responsible."""
        return self.rows[i][3] == _GEMEINDEFREI_TYPE

    def area_name(self, ars: str) -> str | None:
        """Name of the Land/RB/Kreis/Gemeindeverband/Gemeinde with this ARS, or None."""
        a = self.areas.get(ars)
        if a:
            return a[1]
        i = self.by_ars.get(ars)
        return self.name(i) if i is not None else None

    def area(self, ars: str) -> ChainLink | None:
        """The area with this ARS (2, 3, 5, 9 or 12 digits) as a ChainLink, or None when unknown."""
        a = self.areas.get(ars)
        if a:
            return ChainLink(level=Level(a[0]), ars=ars, name=a[1], type=a[2])
        i = self.by_ars.get(ars)
        if i is None:
            return None
        return ChainLink(level=Level.GEMEINDE, ars=ars, name=self.name(i), type=self.rows[i][3])

    # --- derived, cached
    def chain(self, i: int) -> list[ChainLink]:
        """Land → (Regierungsbezirk) → Kreis → Gemeindeverband → Gemeinde; ends at the Kreis for
        a gemeindefreies Gebiet. Levels missing from the data are left out."""
        c = self._chains[i]
        if c is None:
            ars = self.rows[i][0]
            keys = [ars[:2]]
            if ars[2] != "0":
                keys.append(ars[:3])
            keys.append(ars[:5])
            c = []
            for k in keys:
                a = self.areas.get(k)
                if a:
                    c.append(ChainLink(level=Level(a[0]), ars=k, name=a[1], type=a[2]))
            if not self.is_gemeindefrei(i):
                a = self.areas.get(ars[:9])
                if a:
                    c.append(ChainLink(level=Level(a[0]), ars=ars[:9], name=a[1], type=a[2]))
                c.append(ChainLink(level=Level.GEMEINDE, ars=ars, name=self.name(i),
                                                   type=self.rows[i][3]))
            self._chains[i] = c
        return list(c)

    def candidate(self, i: int, plz: str | None = None) -> PlaceCandidate:
        """The Gemeinde as a :class:`PlaceCandidate` with Land and Kreis labels and population."""
        c = self._cands[i]
        if c is None:
            r = self.rows[i]
            c = PlaceCandidate(name=r[2], ags=r[1], ars=r[0], land=self.area_name(r[0][:2]),
                               kreis=self.area_name(r[0][:5]), population=r[5])
            self._cands[i] = c
        return c.model_copy(update={"plz": plz}) if plz else c

    def place(self, i: int, *, status: str = "resolved", lon: float, lat: float, point_source: str,
              query: str | None = None, warnings: list[str] | None = None, **extra: Any) -> Place:
        """A resolved :class:`Place` for Gemeinde row ``i`` at the given point.

        A gemeindefreies Gebiet gets the warning "gemeindefrei" and a chain ending at its Kreis.
        """
        r = self.rows[i]
        warnings = list(warnings or ())
        if self.is_gemeindefrei(i) and "gemeindefrei" not in warnings:
            warnings.append("gemeindefrei")
            extra.setdefault("message", f"{r[2]} is a gemeindefreies Gebiet (no Gemeinde); the Kreis "
                             f"{self.area_name(r[0][:5])} is responsible")
        return Place(
            status=status, query=query, name=r[2], ags=r[1], ars=r[0], chain=self.chain(i),
            lat=lat, lon=lon, point_source=point_source, warnings=warnings, **extra)
