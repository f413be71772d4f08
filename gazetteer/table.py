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
        self.generation: str | None = data.get("generation")
        #: change-table rows (``gazetteer/data/ags_changes.csv``)
        self.changes: list[dict] = data.get("changes", [])
        #: Gemeinde row → change row for reforms after the reference date (Eisenach, Langelsheim, Hanau)
        self.newer: dict[int, dict] = {}
        for c in self.changes:
            i = self.by_ags.get(c["old_ags"])
            if c["direction"] == "newer" and i is not None:
                self.newer[i] = c

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

    def _link(self, ars: str) -> ChainLink | None:
        a = self.areas.get(ars)
        if not a:
            return None
        return ChainLink(level=Level(a[0]), ars=ars, name=a[1], type=a[2], type_destatis=a[3], population=a[4])

    def _gemeinde_link(self, i: int) -> ChainLink:
        r = self.rows[i]
        return ChainLink(level=Level.GEMEINDE, ars=r[0], name=r[2], type=r[3], type_destatis=r[9],
                         population=r[5])

    def area(self, ars: str) -> ChainLink | None:
        """The area with this ARS (2, 3, 5, 9 or 12 digits) as a ChainLink, or None when unknown."""
        link = self._link(ars)
        if link is not None:
            return link
        i = self.by_ars.get(ars)
        return None if i is None else self._gemeinde_link(i)

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
            c = [link for link in map(self._link, keys) if link is not None]
            if not self.is_gemeindefrei(i):
                link = self._link(ars[:9])
                if link is not None:
                    c.append(link)
                c.append(self._gemeinde_link(i))
            change = self.newer.get(i)
            if change and change["new_ags"]:
                c = self._changed_chain(i, change)
            self._chains[i] = c
        return list(c)

    def _changed_chain(self, i: int, change: dict) -> list[ChainLink]:
        """Chain after a reform with a known new key: Land → (RB) → new Kreis → Gemeinde (new keys;
        the Gemeindeverband of the new key is not in the data and left out)."""
        r = self.rows[i]
        kreis = change["new_kreis"]
        keys = [kreis[:2]] + ([kreis[:3]] if kreis[2] != "0" else []) + [kreis]
        c = [link for link in map(self._link, keys) if link is not None]
        c.append(ChainLink(level=Level.GEMEINDE, ars=change["new_ars"] or change["new_ags"],
                           name=change["new_name"] or r[2], type=r[3], population=r[5]))
        return c

    def candidate(self, i: int, plz: str | None = None) -> PlaceCandidate:
        """The Gemeinde as a :class:`PlaceCandidate` with Land and Kreis labels and population
        (the new key and Kreis after a reform listed in the change table)."""
        c = self._cands[i]
        if c is None:
            r = self.rows[i]
            ags, ars, kreis = r[1], r[0], r[0][:5]
            change = self.newer.get(i)
            if change and change["new_ags"]:
                ags, ars, kreis = change["new_ags"], change["new_ars"] or ars, change["new_kreis"]
            name = r[2]
            if change and change["new_ags"] and change["new_name"] and change["new_name"] != name:
                c = PlaceCandidate(name=change["new_name"], ags=ags, ars=ars, land=self.area_name(r[0][:2]),
                                   kreis=self.area_name(kreis), population=r[5], ortsteil=name)
            else:
                c = PlaceCandidate(name=name, ags=ags, ars=ars, land=self.area_name(r[0][:2]),
                                   kreis=self.area_name(kreis), population=r[5])
            self._cands[i] = c
        return c.model_copy(update={"plz": plz}) if plz else c

    @staticmethod
    def change_message(change: dict) -> str:
        """One sentence describing a change-table row for ``Place.message``."""
        old = f"{change['old_name']} (AGS {change['old_ags']})"
        if not change["new_ags"]:
            return f"{old}: {change['note']}"
        kreis = f", Kreis {change['new_kreis_name']} ({change['new_kreis']})" if change["new_kreis"] else ""
        verb = "has been" if change["direction"] == "newer" else "is"
        return (f"{old} {verb} {change['new_name']} (AGS {change['new_ags']}{kreis}) since {change['date']}: "
                f"{change['note']}")

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
        ags, ars = r[1], r[0]
        change = self.newer.get(i)
        if change is not None:
            if "key_changed" not in warnings:
                warnings.append("key_changed")
            msg = self.change_message(change)
            extra["message"] = f"{extra['message']}; {msg}" if extra.get("message") else msg
            extra.setdefault("key_change", change)
            name = r[2]
            if change["new_ags"]:
                ags, ars = change["new_ags"], change["new_ars"] or None
                if change["new_name"] and change["new_name"] != r[2]:
                    name = change["new_name"]
                    extra.setdefault("ortsteil", r[2])
        else:
            name = r[2]
        return Place(
            status=status, query=query, name=name, ags=ags, ars=ars, chain=self.chain(i),
            lat=lat, lon=lon, point_source=point_source, warnings=warnings, population=r[5],
            generation=self.generation, **extra)
