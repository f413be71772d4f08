"""Who is responsible for a service at a place: records first, rules where no record exists, the level
alone where no office can be named — each answer with its legal basis and a sentence to read out.
"""

from __future__ import annotations

from collections.abc import Sequence

from finder.responsibility.areas import Target, resolve
from finder.responsibility.rules import Rule, RuleBook
from gazetteer import Gazetteer
from zufi.model import ChainLink, LegalBasis, Place, ResponsibleOffice
from zufi.townhalls import TownHall

NO_RULE = LegalBasis(source="keine Zuständigkeitsregel in finder/data/rules/rules.csv", date=None)
_LEVEL_WORDS = {"gemeinde": "die Gemeinde (bzw. ihr Gemeindeverband)", "kreis": "der Kreis bzw. die kreisfreie Stadt",
                "land": "eine Landesbehörde", "bund": "eine Bundesbehörde", "kammer": "eine Kammer"}


class Resolver:
    """Answers ``responsible[]`` for a service and a place.

    Args:
        book: the rule tables (:meth:`RuleBook.load`).
        gazetteer: for the member Gemeinden of a Gemeindeverband (erfüllende Gemeinde).
        townhalls: contacts by AGS (``zufi.townhalls.load_townhalls``), may be empty.
    """

    def __init__(self, book: RuleBook, gazetteer: Gazetteer, townhalls: dict[str, TownHall] | None = None) -> None:
        self.book = book
        self.gazetteer = gazetteer
        self.townhalls = townhalls or {}

    def answer(self, leika_key: str, service_name: str | None, place: Place,
               records: Sequence = ()) -> list[ResponsibleOffice]:
        """Responsible offices for ``leika_key`` at ``place``.

        Args:
            leika_key: 14-digit LeiKa key (any key; rules match by key, Kennung or group).
            service_name: for the sentences (None: the rule's label).
            place: a Place (resolved or not).
            records: office matches from office data (``finder.offices.OfficeMatch``), nearest first; for
                a resolved place they are the answer (source "record"); without a place they are ignored
                (the level is said instead).
        """
        if records and place.status == "resolved":  # records cover their own area only (office data)
            return [self._record(m, service_name or leika_key, place) for m in records]
        rules = self.book.rules_for(leika_key)
        if not rules:
            return [ResponsibleOffice(
                name="Zuständigkeit unbekannt", source="level_only", level="unknown", legal_basis=NO_RULE,
                confidence="low", ars=None,
                why=f"Für „{service_name or leika_key}“ ist keine Zuständigkeitsregel hinterlegt und es gibt keine "
                    "Standortdaten – die zuständige Stelle ist hier nicht bekannt.")]
        if place.status != "resolved" or not place.ars:
            return [self._no_place(r, service_name) for r in rules]
        return [self._rule(r, service_name, place) for r in rules]

    # ------------------------------------------------------------------ answers
    def _record(self, m, service_name: str, place: Place) -> ResponsibleOffice:
        o = m.office
        dist = round(m.distance_m) if m.distance_m is not None else None
        where = f"{place.name} ({place.district.name})" if place.district else (place.name or "dem Ort")
        far = f", {dist / 1000:.1f} km entfernt".replace(".", ",") if dist is not None else ""
        return ResponsibleOffice(
            name=o.name, authority=o.authority, source="record", record_id=o.id, level="gemeinde",
            ars=place.ars if place.status == "resolved" else None, area_name=where, role="zuständige Stelle",
            legal_basis=LegalBasis(source=f"Standortdaten: {o.source or 'Office-Datensatz'} (Leistungszuordnung)",
                                   date=_record_date(o.source)),
            why=f"{where} → laut Standortdaten bietet {o.name} „{service_name}“ an{far} → {o.name}",
            confidence="high", address=o.address.one_line() or None, phone=o.phone, email=o.email, url=o.url,
            lat=o.lat, lon=o.lon, distance_m=dist, contact_source=o.source or None)

    def _no_place(self, rule: Rule, service_name: str | None) -> ResponsibleOffice:
        who = _LEVEL_WORDS.get(rule.level, rule.level)
        return ResponsibleOffice(
            name=rule.behoerde, source="level_only", rule_id=rule.rule_id, level=rule.level, role=rule.role,
            legal_basis=LegalBasis(source=rule.legal_source, date=rule.legal_date), confidence=rule.confidence,
            why=f"{service_name or rule.label}: zuständig ist {who} ({rule.behoerde}, {_short(rule.legal_source)}); "
                "ohne Ort lässt sich die konkrete Stelle nicht nennen – bitte Ort oder PLZ angeben.")

    def _rule(self, rule: Rule, service_name: str | None, place: Place) -> ResponsibleOffice:
        t: Target = resolve(rule, place, self.book, self._member)
        src, date = t.legal[0]
        steps = list(t.steps)
        if not t.named:
            steps.append("für diese Stelle liegen keine Standort- oder Bezirksdaten vor – bekannt ist nur die Ebene")
        out = ResponsibleOffice(
            name=t.name, authority=t.authority, source="rule" if t.named else "level_only", rule_id=rule.rule_id,
            level=t.level, ars=t.ars, area_name=t.area_name, role=t.role,
            legal_basis=LegalBasis(source=src, date=date), confidence=t.confidence,
            why=" → ".join(steps) + f" ({'; '.join(dict.fromkeys(_short(x) for x, _d in t.legal))}).")
        hall = self.townhalls.get(t.contact_ags or "") if t.named and t.level in ("gemeinde", "gemeindeverband") else None
        if hall is not None:
            out.address, out.phone, out.email, out.url = hall.address, hall.phone, hall.email, hall.url
            out.lat, out.lon, out.contact_source = hall.lat, hall.lon, hall.source
        return out

    def _member(self, gv_ars: str, name: str) -> ChainLink | None:
        """The Gemeinde called ``name`` inside the Gemeindeverband ``gv_ars`` (the erfüllende Gemeinde)."""
        for c in self.gazetteer.search_places(name, limit=20):
            if c.ars.startswith(gv_ars) and c.name == name:
                p = self.gazetteer.gemeinde(c.ags)
                if p is not None:
                    return next((link for link in p.chain if str(link.level) == "gemeinde"), None)
        return None


def _short(legal_source: str) -> str:
    """The head of a legal source, up to its first colon ('§ 58 Abs. 1 Bauordnung NRW 2018 (BauO NRW)')."""
    depth = 0
    for i, ch in enumerate(legal_source):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ":" and depth == 0:
            return legal_source[:i].strip()
    return legal_source.strip()


def _record_date(source: str | None) -> str | None:
    if source and "2017" in source:
        return "2017-06-08"
    if source and "2024" in source:
        return "2024-09"
    return None
