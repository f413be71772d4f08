"""Who is responsible for a service at a place: records first, rules where no record exists, the level
alone where no office can be named — each answer with its legal basis and a sentence to read out.
"""

from __future__ import annotations

from collections.abc import Sequence

from finder.responsibility.areas import Target, describe_place, links, resolve
from finder.responsibility.nrw import LEVEL_CLASS, is_nrw, wsp_target
from finder.responsibility.rules import Rule, RuleBook
from gazetteer import Gazetteer
from zufi.model import ChainLink, LegalBasis, Place, ResponsibleOffice
from zufi.nrw_wsp import WSP_DATE, WSP_SOURCE, WspEntry
from zufi.townhalls import TownHall

NO_RULE = LegalBasis(source="keine Zuständigkeitsregel in finder/data/rules/rules.csv", date=None)
_LEVEL_WORDS = {"gemeinde": "die Gemeinde (bzw. ihr Gemeindeverband)", "kreis": "der Kreis bzw. die kreisfreie Stadt",
                "land": "eine Landesbehörde", "bund": "eine Bundesbehörde", "kammer": "eine Kammer"}


#: What to tell the caller when the rule's level is known but the place is not settled.
_UNRESOLVED_HINT = {
    "none": "ohne Ort lässt sich die konkrete Stelle nicht nennen – bitte Ort oder PLZ angeben.",
    "ambiguous": "der Ort ist mehrdeutig – bitte einen der Kandidaten (place.candidates) wählen, dann "
                 "nennt zufi die konkrete Stelle.",
    "not_found": "der Ort wurde nicht gefunden – bitte Ort oder PLZ prüfen.",
    "outside_germany": "der Ort liegt nicht in Deutschland; eine deutsche Stelle lässt sich nicht nennen.",
}

class Resolver:
    """Answers ``responsible[]`` for a service and a place.

    Args:
        book: the rule tables (:meth:`RuleBook.load`).
        gazetteer: for the member Gemeinden of a Gemeindeverband (erfüllende Gemeinde).
        townhalls: contacts by AGS (``zufi.townhalls.load_townhalls``), may be empty.
        nrw_wsp: NRW evidence by LeiKa key (``zufi.nrw_wsp.load_nrw_wsp``), may be empty. For a place in
            NRW it sets the level (or confirms the rule's: "bestätigt durch WSP.NRW"), see :meth:`_wsp`.
    """

    def __init__(self, book: RuleBook, gazetteer: Gazetteer, townhalls: dict[str, TownHall] | None = None,
                 nrw_wsp: dict[str, WspEntry] | None = None) -> None:
        self.book = book
        self.gazetteer = gazetteer
        self.townhalls = townhalls or {}
        self.nrw_wsp = nrw_wsp or {}
        self._wsp_kennung = _unanimous_kennungen(self.nrw_wsp)

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
        entry = self._wsp_entry(leika_key) if is_nrw(place) else None
        if entry is not None:
            return self._wsp(entry, rules, service_name, place, leika_key)
        if not rules:
            return [ResponsibleOffice(
                name="Zuständigkeit unbekannt", source="level_only", level="unknown", legal_basis=NO_RULE,
                confidence="low", ars=None,
                why=f"Für „{service_name or leika_key}“ ist keine Zuständigkeitsregel hinterlegt und es gibt keine "
                    "Standortdaten – die zuständige Stelle ist hier nicht bekannt.")]
        if place.status != "resolved" or not place.ars:
            return [self._no_place(r, service_name, place) for r in rules]
        return [self._rule(r, service_name, place) for r in rules]

    # ------------------------------------------------------------------ NRW evidence (WSP.NRW)
    def _wsp_entry(self, leika_key: str) -> WspEntry | None:
        """The WSP entry of a key ("11…" Berlin keys also as "99…"); else, when every WSP row of the key's
        Kennung (8 digits) normalises alike, its first row with confidence at most medium (inferred)."""
        national = leika_key if leika_key.startswith("99") else "99" + leika_key[2:]
        entry = self.nrw_wsp.get(leika_key) or self.nrw_wsp.get(national)
        if entry is None:
            entry = self._wsp_kennung.get(national[:8])
            if entry is not None and entry.confidence == "high":
                entry = entry.model_copy(update={"confidence": "medium"})
        return entry

    def _wsp(self, entry: WspEntry, rules: list[Rule], service_name: str | None,
             place: Place, leika_key: str | None = None) -> list[ResponsibleOffice]:
        """Answers for a place in NRW whose key is in the WSP list.

        The rule paired with the WSP row is the first "zuständige Stelle" rule (further rules, e.g. an
        Ansprechpunkt, are answered after it unchanged). Outcomes: the WSP names the same level and area
        as the rule → the rule's answer, "bestätigt durch WSP.NRW", confidence one step up (unless the
        WSP text's normalisation is itself low, e.g. "186 Jugendämter"); the same class of level but more
        specific or nameable (Bezirksregierung for "Landesbehörde") → the WSP's answer with the rule's
        legal basis; another level → the WSP's answer with the WSP as legal basis,
        the rule named in ``why``; "Keine Zuständigkeit in NRW" → said plainly; a text without a level
        ("Verkehrsämter") → the rule's answer with the WSP text noted. ``evidence`` is the WSP throughout.
        """
        evidence = LegalBasis(source=WSP_SOURCE, date=WSP_DATE)
        label = service_name or entry.name
        quote = f"WSP.NRW ('Live WSP 11.11', Stand 11.11.2024): „{entry.raw}“"
        if leika_key and entry.leika_key[2:] != leika_key[2:]:  # inferred from the Kennung
            quote += f" für die Leistungen der Kennung {entry.leika_key[:8]}"
        paired = next((r for r in rules if r.role == "zuständige Stelle"), rules[0] if rules else None)
        rest = [self._rule(r, service_name, place) for r in rules if r is not paired]
        generic = self._rule(paired, service_name, place) if paired is not None else None
        if entry.level == "keine_zustaendigkeit":
            instead = f"; die allgemeine Regel („{paired.label}“: {generic.name}) gilt hier nicht" if generic else ""
            return [ResponsibleOffice(
                name="Keine zuständige Stelle in NRW", source="level_only", rule_id=f"nrw_wsp:{entry.leika_key}",
                level="keine_zustaendigkeit", ars="05", area_name="Nordrhein-Westfalen", legal_basis=evidence,
                evidence=evidence, confidence=entry.confidence,
                why=f"{describe_place(place, links(place))} → laut NRW Wirtschafts-Service-Portal (Liste 'Live WSP "
                    f"11.11', Stand 11.11.2024) gibt es für „{label}“ in Nordrhein-Westfalen keine zuständige Stelle "
                    f"(„{entry.raw}“){instead}.")]
        if entry.level == "unbestimmt":
            if generic is None:
                return [ResponsibleOffice(
                    name=entry.authority, source="level_only", rule_id=f"nrw_wsp:{entry.leika_key}", level="unknown",
                    legal_basis=evidence, evidence=evidence, confidence="low",
                    why=f"{describe_place(place, links(place))} → {quote}; die Ebene geht daraus nicht eindeutig "
                        "hervor und keine Zuständigkeitsregel ist hinterlegt – die zuständige Stelle ist nicht bekannt.")]
            generic.evidence = evidence
            generic.why = generic.why.rstrip(".") + f"; {quote} – die Ebene geht daraus nicht eindeutig hervor."
            return [generic, *rest]
        t: Target = wsp_target(entry, label, place, self.book, self._member)
        if (generic is not None and generic.level == t.level and generic.ars == t.ars
                and (generic.source == "rule" or not t.named)):
            generic.evidence = evidence
            generic.confidence = _up(generic.confidence) if entry.confidence != "low" else generic.confidence
            generic.why = generic.why.rstrip(".") + f" – bestätigt durch {quote}."
            return [generic, *rest]
        steps = list(t.steps)
        if not t.named:
            steps.append("für diese Stelle liegen keine Standort- oder Bezirksdaten vor – bekannt ist nur die Ebene")
        same_class = generic is not None and LEVEL_CLASS.get(generic.level) == LEVEL_CLASS.get(t.level)
        if generic is None:
            relation, legal = "", evidence
        elif same_class:
            relation, legal = f"; präzisiert die allgemeine Regel „{paired.label}“ ({generic.name})", generic.legal_basis
        else:
            relation, legal = f"; in NRW statt der allgemeinen Regel „{paired.label}“ ({generic.name})", evidence
        out = ResponsibleOffice(
            name=t.name, authority=t.authority, source="rule" if t.named else "level_only",
            rule_id=f"nrw_wsp:{entry.leika_key}", level=t.level, ars=t.ars, area_name=t.area_name, role=t.role,
            legal_basis=legal, evidence=evidence, confidence=t.confidence,
            why=" → ".join(steps) + f" (laut {quote}{relation}).")
        self._add_contact(out, t)
        return [out, *rest]

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

    def _no_place(self, rule: Rule, service_name: str | None, place: Place | None = None) -> ResponsibleOffice:
        who = _LEVEL_WORDS.get(rule.level, rule.level)
        status = place.status if place is not None else "none"
        hint = _UNRESOLVED_HINT.get(status, _UNRESOLVED_HINT["none"])
        return ResponsibleOffice(
            name=rule.behoerde, source="level_only", rule_id=rule.rule_id, level=rule.level, role=rule.role,
            legal_basis=LegalBasis(source=rule.legal_source, date=rule.legal_date), confidence=rule.confidence,
            why=f"{service_name or rule.label}: zuständig ist {who} ({rule.behoerde}, {_short(rule.legal_source)}); "
                f"{hint}")

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
        self._add_contact(out, t)
        return out

    def _add_contact(self, out: ResponsibleOffice, t: Target) -> None:
        """Town-hall contacts for named Gemeinde/Verband answers, when the data has them (BY, ST)."""
        hall = self.townhalls.get(t.contact_ags or "") if t.named and t.level in ("gemeinde", "gemeindeverband") else None
        if hall is not None:
            out.address, out.phone, out.email, out.url = hall.address, hall.phone, hall.email, hall.url
            out.lat, out.lon, out.contact_source = hall.lat, hall.lon, hall.source

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


def _unanimous_kennungen(wsp: dict[str, WspEntry]) -> dict[str, WspEntry]:
    """Kennung (8 digits) → a WSP entry, for Kennungen whose rows all normalise alike (level, authority,
    Land); "Keine Zuständigkeit" and level-less texts are not generalised."""
    groups: dict[str, list[WspEntry]] = {}
    for e in wsp.values():
        groups.setdefault(e.leika_key[:8], []).append(e)
    return {k: min(es, key=lambda e: e.leika_key) for k, es in groups.items()
            if len({(e.level, e.authority, e.land) for e in es}) == 1 and es[0].level not in ("keine_zustaendigkeit", "unbestimmt")}


def _up(confidence: str) -> str:
    """One step more confident (low → medium → high), for a rule confirmed by data."""
    return {"low": "medium", "medium": "high"}.get(confidence, confidence)


def _record_date(source: str | None) -> str | None:
    if source and "2017" in source:
        return "2017-06-08"
    if source and "2024" in source:
        return "2024-09"
    return None
