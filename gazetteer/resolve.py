"""Typed place text → Place: keys (AGS/ARS), PLZ, "PLZ Name", Gemeinde names, Bezirke and Ortsteile.

Rules (nothing is picked silently), tried in this order:

1. an 8-digit AGS or 12-digit ARS ("16056000", "AGS 16063105") → that Gemeinde, through the change
   table when the key is of another generation (warning ``key_changed``);
2. a PLZ, or "PLZ Name" (the name picks among the PLZ's Gemeinden); a PLZ of a place abroad
   (``plz_abroad.csv``) → ``outside_germany``; a PLZ spanning two Länder says so
   (``plz_crosses_land_border``);
3. the whole text as a Gemeinde/Bezirk name (official names, Destatis names, base names, exonyms,
   Berlin/Hamburg Ortsteile): exactly one match → ``resolved``; several → ``ambiguous`` with candidates
   ranked by population, unless exactly one matches a full official name (EXACT) and the others only
   by base name ("Frankfurt am Main", "Weimar" vs "Weimar (Lahn)"); Ortsteile of the same name are
   appended below the Gemeinden;
4. a former Gemeinde of the change table ("Großenehrich" → Greußen, ``key_changed``);
5. an Ortsteil from GeoNames ("Buttelstedt" → Am Ettersberg, ``ortsteil`` kept);
6. name + qualifier: the longest leading words that are a name, narrowed by the rest ("Halle
   Westfalen", "Neustadt Holstein", "Frankfurt an der Oder", "Neustadt Sachsen"): a qualifier word
   found in the official name beats one found in the Kreis name, which beats the Land name;
7. a place abroad with a German PLZ by name ("Jungholz") → ``outside_germany``; else ``not_found``.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from gazetteer import names as nm
from gazetteer.table import AreaTable
from zufi.model import District, Place, PlaceCandidate, ags_from_ars, is_plz

_PLZ_NAME_RE = re.compile(r"^\s*([0-9]{5})[\s,]+(.+?)\s*$")
_KEY_RE = re.compile(r"^\s*(?:(?:ags|ars|gemeindeschl[uü]ssel|regionalschl[uü]ssel)\s*:?\s*)?([0-9]{8}|[0-9]{12})\s*$",
                     re.IGNORECASE)
_BEZIRK_WORDS = ("bezirk", "bezirksamt", "stadtbezirk")

#: English names of the Länder as GeoNames writes them (admin1 of places/geonames_cities1000_de.csv),
#: accepted as qualifiers ("Neustadt Saxony").
LAND_EN = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Lower Saxony", "04": "Bremen",
    "05": "North Rhine-Westphalia", "06": "Hesse", "07": "Rhineland-Palatinate", "08": "Baden-Württemberg",
    "09": "Bavaria", "10": "Saarland", "11": "Berlin", "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern", "14": "Saxony", "15": "Saxony-Anhalt", "16": "Thuringia",
}

Target = tuple[str, int]  # ("g", Gemeinde row) | ("b", Bezirk no.) | ("o", Ortsteil no.)


def _qual_match(word: str, label_words: set[str]) -> bool:
    """A qualifier word matches a label word when equal, or one is a prefix (≥ 4 letters) of the other
    ("westf" ~ "westfalen")."""
    if word in label_words:
        return True
    if len(word) < 4:
        return False
    return any(len(w) >= 4 and (w.startswith(word) or word.startswith(w)) for w in label_words)


class TextResolver:
    """Name, key and PLZ look-ups over an :class:`AreaTable`.

    Args:
        table: the Gemeinde rows.
        data: the loaded ``gazetteer.json`` (``names``, ``plz``, ``berlin_plz``, ``bezirke``, ``former``,
            ``ortsteile``, ``plz_abroad``, ``abroad_names``).
    """

    def __init__(self, table: AreaTable, data: dict[str, Any]) -> None:
        self.t = table
        self.names: dict[str, list[list[int]]] = data["names"]
        self.plz: dict[str, list[list]] = data["plz"]
        self.berlin_plz: dict[str, list[float]] = data["berlin_plz"]
        self.bezirke: list[dict] = data["bezirke"]
        self.former: dict[str, list[list[int]]] = data.get("former", {})
        self.plz_abroad: dict[str, dict] = data.get("plz_abroad", {})
        self.abroad_names: dict[str, str] = data.get("abroad_names", {})
        # Ortsteile (GeoNames): flat list [row, name, lon, lat] and key → indices into it
        self.ortsteil_list: list[list] = []
        self.ortsteil_keys: dict[str, list[int]] = {}
        for k, entries in data.get("ortsteile", {}).items():
            seen: set[int] = set()
            for e in entries:
                if e[0] in seen:
                    continue
                seen.add(e[0])
                self.ortsteil_keys.setdefault(k, []).append(len(self.ortsteil_list))
                self.ortsteil_list.append(e)
        # Bezirk keys → {bezirk no: strength}: the Bezirk's own name and "City-Name" forms are EXACT,
        # other variants (Ortsteile such as "Kreuzberg", "Wedding") are BASE; "city variant" → EXACT
        self.bezirk_keys: dict[str, dict[int, int]] = {}
        self.bezirk_city_keys: dict[str, set[int]] = {}
        #: (key, Bezirk no.) → Ortsteil name, for keys that name an Ortsteil of the Bezirk
        self.bezirk_ortsteil: dict[tuple[str, int], str] = {}
        for n, b in enumerate(self.bezirke):
            city = nm.name_key(b["city"])
            own = nm.name_key(b["bezirk"])
            ortsteile = b.get("ortsteile", [])
            for o in ortsteile:
                k = nm.name_key(o)
                if k != own:
                    self.bezirk_ortsteil[(k, n)] = o
            for v in list(dict.fromkeys([*b["variants"], *ortsteile])):
                k = nm.name_key(v)
                strength = nm.EXACT if k == own or k.startswith(city + " ") else nm.BASE
                d = self.bezirk_keys.setdefault(k, {})
                d[n] = max(d.get(n, 0), strength)
                if not k.startswith(city + " "):
                    self.bezirk_city_keys.setdefault(f"{city} {k}", set()).add(n)
                    if (k, n) in self.bezirk_ortsteil:
                        self.bezirk_ortsteil[(f"{city} {k}", n)] = self.bezirk_ortsteil[(k, n)]
        self._sorted_keys = sorted(set(self.names) | set(self.bezirk_keys))

    # ------------------------------------------------------------------ fast predicates
    def is_place_name(self, text: str) -> bool:
        """True when the folded text is a known Gemeinde name/variant/exonym, Bezirk or Berlin/Hamburg
        Ortsteil name, or a former Gemeinde of the change table (dict look-ups; GeoNames Ortsteile are
        not included: many are ordinary words)."""
        for k in nm.query_keys(text):
            if k in self.names or k in self.bezirk_keys or k in self.bezirk_city_keys or k in self.former:
                return True
        return False

    def is_plz_known(self, plz: str) -> bool:
        """True when the five-digit ``plz`` is in the PLZ table (OpenStreetMap 2022)."""
        return plz.strip() in self.plz

    # ------------------------------------------------------------------ matching
    def _matches(self, text: str) -> tuple[dict[Target, int], dict[Target, str]]:
        """({target: strength}, {Bezirk target: Ortsteil name typed}); target = ("g", row) | ("b", no.)."""
        found: dict[Target, int] = {}
        via: dict[Target, str] = {}

        def add(t: Target, s: int, key: str | None = None) -> None:
            found[t] = max(found.get(t, 0), s)
            if key is not None and (key, t[1]) in self.bezirk_ortsteil:
                via.setdefault(t, self.bezirk_ortsteil[(key, t[1])])

        for k in nm.query_keys(text):
            for i, s in self.names.get(k, ()):
                add(("g", i), s)
            for n, s in self.bezirk_keys.get(k, {}).items():
                add(("b", n), s, k)
            for n in self.bezirk_city_keys.get(k, ()):
                add(("b", n), nm.EXACT, k)
            for w in _BEZIRK_WORDS:
                if k.startswith(w + " "):
                    for n in self.bezirk_keys.get(k[len(w) + 1:], {}):
                        add(("b", n), nm.EXACT)
            if found:
                break
        return found, via

    def _ortsteil_matches(self, text: str) -> list[Target]:
        for k in nm.query_keys(text):
            hits = self.ortsteil_keys.get(k)
            if hits:
                return [("o", n) for n in hits]
        return []

    @staticmethod
    def _pick(found: dict[Target, int]) -> Target | None:
        """The one target to resolve to: the only match, or the only EXACT match; else None."""
        if len(found) == 1:
            return next(iter(found))
        exact = [t for t, s in found.items() if s == nm.EXACT]
        return exact[0] if len(exact) == 1 else None

    # ------------------------------------------------------------------ places
    def _bezirk_place(self, n: int, query: str, plz: str | None = None, ortsteil: str | None = None) -> Place:
        b = self.bezirke[n]
        d = District(name=b["bezirk"], city=b["city"], lat=b["lat"], lon=b["lon"], source=b["source"])
        lon, lat, src = b["lon"], b["lat"], "district"
        if plz and plz in self.berlin_plz:
            (lon, lat), src = self.berlin_plz[plz], "plz"
        return self.t.place(b["gemeinde"], lon=lon, lat=lat, point_source=src, query=query, district=d,
                            plz=plz, ortsteil=ortsteil)

    def _gemeinde_place(self, i: int, query: str, plz: str | None = None, **extra: Any) -> Place:
        if plz and plz in self.berlin_plz:
            (lon, lat), src = self.berlin_plz[plz], "plz"
        else:
            (lon, lat), src = self.t.centre(i), "gemeinde_centre"
        return self.t.place(i, lon=lon, lat=lat, point_source=src, query=query, plz=plz, **extra)

    def _ortsteil_place(self, n: int, query: str) -> Place:
        row, name, lon, lat = self.ortsteil_list[n]
        return self.t.place(row, lon=lon, lat=lat, point_source="ortsteil", query=query, ortsteil=name,
                            message=f"{name} is a place in the Gemeinde {self.t.name(row)} (GeoNames point "
                                    f"located in the VG5000 polygon)")

    def _bezirk_candidate(self, n: int) -> PlaceCandidate:
        b = self.bezirke[n]
        c = self.t.candidate(b["gemeinde"])
        return c.model_copy(update={"name": f"{b['city']}-{b['bezirk']}" if not b["bezirk"].startswith(
            b["city"]) else b["bezirk"], "population": None})

    def _candidate(self, target: Target, plz: str | None = None,
                   via: dict[Target, str] | None = None) -> PlaceCandidate:
        kind, i = target
        if kind == "g":
            return self.t.candidate(i, plz)
        if kind == "b":
            c = self._bezirk_candidate(i)
            o = (via or {}).get(target)
            return c.model_copy(update={"ortsteil": o}) if o else c
        row, name, _lon, _lat = self.ortsteil_list[i]
        return self.t.candidate(row).model_copy(update={"ortsteil": name})

    def _candidates(self, targets, plz: str | None = None,
                    via: dict[Target, str] | None = None) -> list[PlaceCandidate]:
        """Candidates ranked by population; Ortsteile after the Gemeinden and Bezirke."""
        out = [(kind == "o", self._candidate((kind, i), plz, via)) for kind, i in targets]
        out.sort(key=lambda t: (t[0], -(t[1].population or -1)))
        return [c for _o, c in out]

    def _target_place(self, t: Target, query: str, via: dict[Target, str] | None = None) -> Place:
        kind, i = t
        if kind == "b":
            return self._bezirk_place(i, query, ortsteil=(via or {}).get(t))
        if kind == "o":
            return self._ortsteil_place(i, query)
        return self._gemeinde_place(i, query)

    # ------------------------------------------------------------------ entry point
    def resolve(self, text: str) -> Place:
        """Resolve user text to a Place; see the module docstring for the rules."""
        q = (text or "").strip()
        if not q:
            return Place(status="not_found", query=text, message="no place given")
        m = _KEY_RE.match(q)
        if m:
            return self._resolve_key(m.group(1), q)
        if is_plz(q):
            return self._resolve_plz(q, None, q)
        m = _PLZ_NAME_RE.match(q)
        if m:
            return self._resolve_plz(m.group(1), m.group(2), q)
        return self._resolve_name(q, q)

    # ------------------------------------------------------------------ keys
    def _resolve_key(self, key: str, query: str) -> Place:
        """An AGS (8 digits) or ARS (12 digits), of VG5000 or of another generation (change table)."""
        if len(key) == 12:
            i = self.t.by_ars.get(key)
            if i is not None:
                return self._gemeinde_place(i, query)
            ags = ags_from_ars(key)
        else:
            ags = key
        i = self.t.by_ags.get(ags)
        if i is not None:
            p = self._gemeinde_place(i, query)
            if len(key) == 12 and key != self.t.rows[i][0]:
                p.warnings.append("key_changed")
                p.message = (f"ARS {key} is not in {self.t.generation}; the Gemeinde with AGS {ags} has ARS "
                             f"{self.t.rows[i][0]} there")
            return p
        for c in self.t.changes:
            if c["old_ags"] == ags and c["direction"] == "older":
                j = self.t.by_ags.get(c["new_ags"]) if c["new_ags"] else None
                if j is None:
                    return Place(status="not_found", query=query, warnings=["key_changed"], key_change=c,
                                 message=self.t.change_message(c))
                return self._gemeinde_place(j, query, warnings=["key_changed"], key_change=c,
                                            message=self.t.change_message(c))
        for c in self.t.changes:
            if c["new_ags"] == ags and c["direction"] == "newer":
                return self._gemeinde_place(self.t.by_ags[c["old_ags"]], query)
        return Place(status="not_found", query=query,
                     message=f"no Gemeinde with key {key} in {self.t.generation} or the change table")

    # ------------------------------------------------------------------ names
    def _resolve_name(self, name: str, query: str, plz: str | None = None) -> Place:
        found, via = self._matches(name)
        if found:
            pick = self._pick(found)
            if pick is not None:
                return self._target_place(pick, query, via)
            targets = list(found) + self._ortsteil_matches(name)
            return Place(status="ambiguous", query=query, candidates=self._candidates(targets, via=via),
                         message=f"{len(targets)} Orte heißen „{name}“ – bitte einen wählen")
        former = self._former(name, query)
        if former is not None:
            return former
        ots = self._ortsteil_matches(name)
        if len(ots) == 1:
            return self._ortsteil_place(ots[0][1], query)
        if ots:
            return Place(status="ambiguous", query=query, candidates=self._candidates(ots),
                         message=f"{len(ots)} places below the Gemeinde level are called {name!r}; choose one")
        narrowed = self._narrow(name, query)
        if narrowed is not None:
            return narrowed
        abroad = self.abroad_names.get(nm.name_key(name))
        if abroad:
            return self._abroad(abroad, query)
        return Place(status="not_found", query=query,
                     message=f"no Gemeinde, Bezirk or Ortsteil named {name!r} ({self.t.generation})")

    def _former(self, name: str, query: str) -> Place | None:
        """A former Gemeinde of the change table ("Großenehrich" → Greußen), or None."""
        for k in nm.query_keys(name):
            hits = self.former.get(k)
            if hits:
                if len(hits) > 1:
                    return Place(status="ambiguous", query=query, warnings=["key_changed"],
                                 candidates=self._candidates([("g", i) for i, _c in hits]),
                                 message=f"{name!r} is a former Gemeinde merged into several places; choose one")
                i, n = hits[0]
                c = self.t.changes[n]
                return self._gemeinde_place(i, query, warnings=["key_changed"], key_change=c,
                                            ortsteil=c["old_name"], message=self.t.change_message(c))
        return None

    def _labels(self, t: Target) -> list[set[str]]:
        """Word sets a qualifier is looked up in, strongest first: own name, Kreis, Land."""
        kind, i = t
        if kind == "b":
            b = self.bezirke[i]
            row, own = b["gemeinde"], f"{b['bezirk']} {b['city']}"
        elif kind == "o":
            row = self.ortsteil_list[i][0]
            own = f"{self.ortsteil_list[i][1]} {self.t.name(row)}"
        else:
            row = i
            own = f"{self.t.name(i)} {self.t.rows[i][4] or ''}"
        ars = self.t.rows[row][0]
        kreis = self.t.area_name(ars[:5]) or ""
        land = f"{self.t.area_name(ars[:2]) or ''} {LAND_EN.get(ars[:2], '')}"
        return [set(nm.name_key(x).split()) for x in (own, kreis, land)]

    def _narrow(self, name: str, query: str) -> Place | None:
        """Name + qualifier ("Halle Westfalen"): the longest leading words that name places, filtered by
        the remaining words; None when no leading words are a name."""
        words = nm.name_key(name).split()
        for n in range(len(words) - 1, 0, -1):
            base = " ".join(words[:n])
            found, via = self._matches(base)
            targets: list[Target] = list(found) or self._ortsteil_matches(base)
            if not targets:
                continue
            qual = [w for w in words[n:] if w not in nm.PARTICLES]
            if not qual:
                break
            tiers: dict[Target, int] = {}
            for t in targets:
                labels = self._labels(t)
                best = []
                for w in qual:
                    tier = next((3 - k for k, lw in enumerate(labels) if _qual_match(w, lw)), 0)
                    best.append(tier)
                tiers[t] = min(best)
            top = max(tiers.values())
            if top == 0:
                p = self._resolve_name(base, query)
                p.warnings.append("qualifier_ignored")
                extra = f"{' '.join(qual)!r} matched none of the places called {base!r}"
                p.message = f"{p.message}; {extra}" if p.message else extra
                return p
            keep = [t for t in targets if tiers[t] == top]
            if len(keep) == 1:
                return self._target_place(keep[0], query, via)
            return Place(status="ambiguous", query=query, candidates=self._candidates(keep, via=via),
                         message=f"{len(keep)} places called {base!r} match {' '.join(qual)!r}; choose one")
        return None

    def _abroad(self, plz: str, query: str) -> Place:
        r = self.plz_abroad[plz]
        return Place(status="outside_germany", query=query, plz=plz, warnings=["plz_abroad"],
                     message=f"PLZ {plz} is {r['place']} in {r['country']} ({r['admin']}; Austrian PLZ "
                             f"{r['austrian_plz']}): a German postcode for a place outside Germany — German "
                             f"authorities are not responsible there")

    # ------------------------------------------------------------------ PLZ
    def _resolve_plz(self, plz: str, name: str | None, query: str) -> Place:
        links = self.plz.get(plz)
        if not links:
            if plz in self.plz_abroad:
                return self._abroad(plz, query)
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
            found, via = self._matches(name)
            orts = {i for i, _a, o in links if i >= 0 and nm.name_key(o) in nm.query_keys(name)}
            hit_rows = [i for i in rows if ("g", i) in found or i in orts]
            bez = [n for kind, n in found if kind == "b" and self.bezirke[n]["gemeinde"] in rows]
            if len(hit_rows) == 1 and not bez:
                return self._gemeinde_place(hit_rows[0], query, plz)
            if len(bez) == 1:
                return self._bezirk_place(bez[0], query, plz, ortsteil=via.get(("b", bez[0])))
            if hit_rows:
                rows = hit_rows
            else:
                ot_rows = [self.ortsteil_list[n][0] for _k, n in self._ortsteil_matches(name)]
                ot_hits = [i for i in rows if i in ot_rows]
                if len(ot_hits) == 1:
                    n = next(n for _k, n in self._ortsteil_matches(name) if self.ortsteil_list[n][0] == ot_hits[0])
                    p = self._ortsteil_place(n, query)
                    p.plz = plz
                    return p
                warnings.append("plz_name_mismatch")
        if len(rows) == 1:
            p = self._gemeinde_place(rows[0], query, plz)
            p.warnings.extend(warnings)
            return p
        cands = self._candidates([("g", i) for i in rows], plz)
        lands = list(dict.fromkeys(c.land for c in cands if c.land))
        message = f"PLZ {plz} covers {len(rows)} Gemeinden; choose one"
        if len(lands) > 1:
            warnings.append("plz_crosses_land_border")
            message = f"PLZ {plz} covers {len(rows)} Gemeinden in {len(lands)} Länder ({', '.join(lands)}); choose one"
        return Place(status="ambiguous", query=query, plz=plz, warnings=warnings, candidates=cands,
                     message=message)

    # ------------------------------------------------------------------ prefix search
    def search_places(self, text: str, limit: int = 10) -> list[PlaceCandidate]:
        """Gemeinden/Bezirke whose name (or variant) equals or begins with the folded text.

        Ranked: exact key first, then by population (largest first). At most ``limit`` results.
        """
        key = nm.name_key(text)
        if not key or limit <= 0:
            return []
        lo = bisect.bisect_left(self._sorted_keys, key)
        scored: dict[Target, tuple[int, int]] = {}
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
