"""Typed place text → Place: PLZ, "PLZ Name", Gemeinde names and Berlin/Hamburg Bezirke.

Rules (nothing is picked silently):

* exactly one matching Gemeinde/Bezirk → ``resolved``;
* several → ``ambiguous`` with candidates ranked by population, unless exactly one of them matches
  a full official name (EXACT) and the others only by base name: "Frankfurt am Main" and "Weimar"
  (vs. "Weimar (Lahn)") resolve; "Frankfurt", "Neustadt" (base names only) and "Halle" (two
  Gemeinden are called exactly "Halle") stay ambiguous;
* nothing → ``not_found`` with a message.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from gazetteer import names as nm
from gazetteer.table import AreaTable
from zufi.model import District, Place, PlaceCandidate, is_plz

_PLZ_NAME_RE = re.compile(r"^\s*(\d{5})[\s,]+(.+?)\s*$")
_CITIES = {"berlin": "Berlin", "hamburg": "Hamburg"}
_BEZIRK_WORDS = ("bezirk", "bezirksamt", "stadtbezirk")


class TextResolver:
    """Name and PLZ look-ups over an :class:`AreaTable`.

    Args:
        table: the Gemeinde rows.
        data: the loaded ``gazetteer.json`` (``names``, ``plz``, ``berlin_plz``, ``bezirke``).
    """

    def __init__(self, table: AreaTable, data: dict[str, Any]) -> None:
        self.t = table
        self.names: dict[str, list[list[int]]] = data["names"]
        self.plz: dict[str, list[list]] = data["plz"]
        self.berlin_plz: dict[str, list[float]] = data["berlin_plz"]
        self.bezirke: list[dict] = data["bezirke"]
        # Bezirk keys → {bezirk no: strength}: the Bezirk's own name and "City-Name" forms are EXACT,
        # other variants (Ortsteile such as "Kreuzberg", "Wedding") are BASE; "city variant" → EXACT
        self.bezirk_keys: dict[str, dict[int, int]] = {}
        self.bezirk_city_keys: dict[str, set[int]] = {}
        for n, b in enumerate(self.bezirke):
            city = nm.name_key(b["city"])
            own = nm.name_key(b["bezirk"])
            for v in b["variants"]:
                k = nm.name_key(v)
                strength = nm.EXACT if k == own or k.startswith(city + " ") else nm.BASE
                d = self.bezirk_keys.setdefault(k, {})
                d[n] = max(d.get(n, 0), strength)
                if not k.startswith(city + " "):
                    self.bezirk_city_keys.setdefault(f"{city} {k}", set()).add(n)
        self._sorted_keys = sorted(set(self.names) | set(self.bezirk_keys))

    # ------------------------------------------------------------------ fast predicates
    def is_place_name(self, text: str) -> bool:
        """True when the folded text is a known Gemeinde name/variant or Bezirk name (dict look-up)."""
        for k in nm.query_keys(text):
            if k in self.names or k in self.bezirk_keys or k in self.bezirk_city_keys:
                return True
        return False

    def is_plz_known(self, plz: str) -> bool:
        """True when the five-digit ``plz`` is in the PLZ table (OpenStreetMap 2022)."""
        return plz.strip() in self.plz

    # ------------------------------------------------------------------ matching
    def _matches(self, text: str) -> dict[tuple[str, int], int]:
        """{target: strength}; target = ("g", Gemeinde row) or ("b", Bezirk number)."""
        found: dict[tuple[str, int], int] = {}

        def add(t: tuple[str, int], s: int) -> None:
            found[t] = max(found.get(t, 0), s)

        for k in nm.query_keys(text):
            for i, s in self.names.get(k, ()):
                add(("g", i), s)
            for n, s in self.bezirk_keys.get(k, {}).items():
                add(("b", n), s)
            for n in self.bezirk_city_keys.get(k, ()):
                add(("b", n), nm.EXACT)
            for w in _BEZIRK_WORDS:
                if k.startswith(w + " "):
                    for n in self.bezirk_keys.get(k[len(w) + 1:], {}):
                        add(("b", n), nm.EXACT)
            if found:
                break
        return found

    @staticmethod
    def _pick(found: dict[tuple[str, int], int]) -> tuple[str, int] | None:
        """The one target to resolve to: the only match, or the only EXACT match; else None."""
        if len(found) == 1:
            return next(iter(found))
        exact = [t for t, s in found.items() if s == nm.EXACT]
        return exact[0] if len(exact) == 1 else None

    # ------------------------------------------------------------------ places
    def _bezirk_place(self, n: int, query: str, plz: str | None = None) -> Place:
        b = self.bezirke[n]
        d = District(name=b["bezirk"], city=b["city"], lat=b["lat"], lon=b["lon"], source=b["source"])
        lon, lat, src = b["lon"], b["lat"], "district"
        if plz and plz in self.berlin_plz:
            (lon, lat), src = self.berlin_plz[plz], "plz"
        return self.t.place(b["gemeinde"], lon=lon, lat=lat, point_source=src, query=query, district=d,
                            plz=plz)

    def _gemeinde_place(self, i: int, query: str, plz: str | None = None, **extra: Any) -> Place:
        if plz and plz in self.berlin_plz:
            (lon, lat), src = self.berlin_plz[plz], "plz"
        else:
            (lon, lat), src = self.t.centre(i), "gemeinde_centre"
        return self.t.place(i, lon=lon, lat=lat, point_source=src, query=query, plz=plz, **extra)

    def _bezirk_candidate(self, n: int) -> PlaceCandidate:
        b = self.bezirke[n]
        c = self.t.candidate(b["gemeinde"])
        return c.model_copy(update={"name": f"{b['city']}-{b['bezirk']}" if not b["bezirk"].startswith(
            b["city"]) else b["bezirk"], "population": None})

    def _candidates(self, targets, plz: str | None = None) -> list[PlaceCandidate]:
        out = [self.t.candidate(i, plz) if kind == "g" else self._bezirk_candidate(i) for kind, i in targets]
        out.sort(key=lambda c: -(c.population or -1))
        return out

    def resolve(self, text: str) -> Place:
        """Resolve user text to a Place; see the module docstring for the rules."""
        q = (text or "").strip()
        if not q:
            return Place(status="not_found", query=text, message="no place given")
        if is_plz(q):
            return self._resolve_plz(q, None, q)
        m = _PLZ_NAME_RE.match(q)
        if m:
            return self._resolve_plz(m.group(1), m.group(2), q)
        return self._resolve_name(q, q)

    def _resolve_name(self, name: str, query: str, plz: str | None = None) -> Place:
        found = self._matches(name)
        if not found:
            return Place(status="not_found", query=query,
                         message=f"no Gemeinde or Bezirk named {name!r} (VG5000 01.01.2021)")
        pick = self._pick(found)
        if pick is not None:
            kind, i = pick
            return self._bezirk_place(i, query) if kind == "b" else self._gemeinde_place(i, query)
        return Place(status="ambiguous", query=query, candidates=self._candidates(found),
                     message=f"{len(found)} places match {name!r}; choose one")

    def _resolve_plz(self, plz: str, name: str | None, query: str) -> Place:
        links = self.plz.get(plz)
        if not links:
            if name:
                p = self._resolve_name(name, query)
                p.warnings.append("plz_unknown")
                return p
            return Place(status="not_found", query=query,
                         message=f"PLZ {plz} is not in the PLZ table (OpenStreetMap 2022)")
        rows = list(dict.fromkeys(i for i, _a, _o in links if i >= 0))
        if not rows:
            keys = ", ".join(f"{a} ({o})" for _i, a, o in links)
            return Place(status="not_found", query=query, plz=plz,
                         message=f"PLZ {plz} belongs to AGS {keys}, a key newer than the boundary data "
                                 "(VG5000 01.01.2021); give the place name instead")
        warnings: list[str] = []
        if name:
            found = self._matches(name)
            orts = {i for i, _a, o in links if i >= 0 and nm.name_key(o) in nm.query_keys(name)}
            hit_rows = [i for i in rows if ("g", i) in found or i in orts]
            bez = [n for kind, n in found if kind == "b" and self.bezirke[n]["gemeinde"] in rows]
            if len(hit_rows) == 1 and not bez:
                return self._gemeinde_place(hit_rows[0], query, plz)
            if len(bez) == 1:
                return self._bezirk_place(bez[0], query, plz)
            if hit_rows:
                rows = hit_rows
            else:
                warnings.append("plz_name_mismatch")
        if len(rows) == 1:
            p = self._gemeinde_place(rows[0], query, plz)
            p.warnings.extend(warnings)
            return p
        return Place(status="ambiguous", query=query, plz=plz, warnings=warnings,
                     candidates=self._candidates([("g", i) for i in rows], plz),
                     message=f"PLZ {plz} covers {len(rows)} Gemeinden; choose one")

    # ------------------------------------------------------------------ prefix search
    def search_places(self, text: str, limit: int = 10) -> list[PlaceCandidate]:
        """Gemeinden/Bezirke whose name (or variant) equals or begins with the folded text.

        Ranked: exact key first, then by population (largest first). At most ``limit`` results.
        """
        key = nm.name_key(text)
        if not key or limit <= 0:
            return []
        lo = bisect.bisect_left(self._sorted_keys, key)
        scored: dict[tuple[str, int], tuple[int, int]] = {}
        for k in self._sorted_keys[lo:]:
            if not k.startswith(key):
                break
            exact = 0 if k == key else 1
            targets = [("g", i) for i, _s in self.names.get(k, ())]
            targets += [("b", n) for n in self.bezirk_keys.get(k, {})]
            for t in targets:
                pop = self.t.population(t[1]) if t[0] == "g" else 0
                rank = (exact, -(pop or 0))
                if t not in scored or rank < scored[t]:
                    scored[t] = rank
        best = sorted(scored, key=lambda t: scored[t])[:limit]
        return [self.t.candidate(i) if kind == "g" else self._bezirk_candidate(i) for kind, i in best]
