"""Level resolution: which area (Gemeinde, Gemeindeverband, Kreis, kreisfreie Stadt, Land) carries a
rule's task at a place, driven by the area types in the place's chain (VG5000 BEZ, Destatis
textkennzeichen) and the Land tables of ``finder/data/rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from finder.responsibility.rules import Naming, Override, Rule, RuleBook
from zufi.model import ChainLink, Place

KREISFREI = {"Kreisfreie Stadt", "Stadtkreis"}


@dataclass
class Target:
    """The responsible area for one rule at one place.

    ``level`` ∈ {gemeinde, gemeindeverband, kreis, kreisfreie_stadt, land, bund, kammer}; ``ars`` the
    area's own key (None for bund/kammer); ``name``: the office ("Meldebehörde der Stadt Weimar");
    ``authority``: the administration ("Stadtverwaltung Weimar"); ``steps``: the chain of reasons in
    German; ``legal``: (source, date) pairs, the rule's first; ``named`` True when an office can be
    named (else the answer is level_only).
    """

    level: str
    ars: str | None
    area_name: str | None
    name: str
    authority: str | None
    role: str
    confidence: str
    steps: list[str] = field(default_factory=list)
    legal: list[tuple[str, str | None]] = field(default_factory=list)
    named: bool = True
    contact_ags: str | None = None


def links(place: Place) -> dict[str, ChainLink]:
    """The place's chain by level name."""
    return {str(c.level): c for c in place.chain}


def describe_place(place: Place, chain: dict[str, ChainLink]) -> str:
    """'Weimar (Gemeinde 160550000000) ist kreisfreie Stadt' or 'Havixbeck (Gemeinde 055580020020)
    gehört zum Kreis Coesfeld'."""
    gem = chain.get("gemeinde")
    kreis = chain.get("kreis")
    head = f"{place.name} (Gemeinde {place.ars})"
    if gem is None:
        return f"{place.name} ({place.ars}) ist gemeindefrei" + (f" im {kreis.type} {kreis.name}" if kreis else "")
    if kreis is not None and kreis.type in KREISFREI:
        return f"{head} ist kreisfreie Stadt"
    if kreis is not None:
        return f"{head} gehört zum {_kreis_label(kreis)}"
    return head


def _kreis_label(kreis: ChainLink) -> str:
    t = kreis.type or "Kreis"
    return kreis.name if kreis.name.lower().endswith("kreis") or kreis.name.startswith(t) else f"{t} {kreis.name}"


def condition_holds(o: Override, book: RuleBook, chain: dict[str, ChainLink]) -> bool:
    """Does a Land override's condition apply to this place's Gemeinde? (grosse_kreisstadt: Destatis
    type; nrw_gross_mittel: population ≥ the smallest § 4 GO NRW threshold; ni_gss: name table)."""
    gem, kreis = chain.get("gemeinde"), chain.get("kreis")
    if o.condition == "always":
        return True
    if gem is None or (kreis is not None and kreis.type in KREISFREI):
        return False
    if o.condition == "grosse_kreisstadt":
        return gem.type_destatis == "Große Kreisstadt"
    if o.condition == "nrw_gross_mittel":
        return (gem.population or 0) >= min(book.nrw_thresholds.values() or [20000])
    if o.condition == "ni_gss":
        return gem.name in book.ni_gss
    return False


def condition_text(o: Override, book: RuleBook, chain: dict[str, ChainLink]) -> str:
    """Why an override applied, in words."""
    gem = chain.get("gemeinde")
    if o.condition == "grosse_kreisstadt":
        return f"{gem.name} ist Große Kreisstadt" if gem else "Große Kreisstadt"
    if o.condition == "nrw_gross_mittel" and gem:
        pop = gem.population or 0
        status = "Große" if pop >= book.nrw_thresholds.get("Große kreisangehörige Stadt", 60000) else "Mittlere"
        return f"{gem.name} ist mit {pop:,} Einwohnern (2019) {status} kreisangehörige Stadt".replace(",", ".")
    if o.condition == "ni_gss" and gem:
        return f"{gem.name} ist große selbständige Stadt"
    return o.note or "Landesregel"


def _fmt(pattern: str, name: str) -> str:
    if name.lower().endswith("kreis"):  # "Wartburgkreis", "Erzgebirgskreis": the name is the body's name
        pattern = (pattern.replace("des Landkreises {name}", "des {name}es").replace("Landkreis {name}", "{name}")
                   .replace("des Kreises {name}", "des {name}es").replace("Kreis {name}", "{name}"))
    return pattern.replace("{name}", name)


def _office(behoerde: str, genitive: str) -> str:
    text = f"{behoerde} {genitive}".strip()
    return text[:1].upper() + text[1:]


def resolve(rule: Rule, place: Place, book: RuleBook, find_member) -> Target:
    """The responsible area for ``rule`` at a resolved ``place``.

    Args:
        rule: the rule (level, task, Behörde, legal source).
        place: a resolved place with its chain (Land → … → Gemeinde).
        book: the rule tables.
        find_member: ``(gv_ars, name) -> ChainLink | None`` — the member Gemeinde of a Gemeindeverband
            with that name (the erfüllende Gemeinde), looked up in the gazetteer.
    """
    chain = links(place)
    land = (place.ars or "")[:2]
    steps = [describe_place(place, chain)]
    legal = [(rule.legal_source, rule.legal_date)]
    level, behoerde, authority, confidence = rule.level, rule.behoerde, None, rule.confidence
    direct = False
    for o in book.overrides_for(rule, land):
        if condition_holds(o, book, chain):
            if o.condition != "always" or (o.note and o.level != "stadtstaat"):
                steps.append(condition_text(o, book, chain))
            level, behoerde = o.level, o.behoerde or rule.behoerde
            authority, confidence = o.authority or None, o.confidence
            legal.insert(0, (o.legal_source, o.legal_date))
            direct = rule.level == "kreis" and o.level == "gemeinde"
            break
    if level == "stadtstaat":
        return _stadtstaat(place, chain, behoerde, authority or behoerde, rule, confidence, steps, legal)
    if level in ("land", "bund", "kammer"):
        return _named(level, land, chain, behoerde, authority, rule, confidence, steps, legal)
    if level == "kreis":
        return _kreis(place, chain, land, behoerde, rule, confidence, steps, legal, book)
    return _gemeinde(place, chain, land, behoerde, rule, confidence, steps, legal, book, find_member, direct)


def _named(level, land, chain, behoerde, authority, rule, confidence, steps, legal) -> Target:
    name = authority or behoerde
    area = chain.get("land")
    named = bool(authority) or level == "bund"
    what = {"land": "eine Landesbehörde", "bund": "eine Bundesbehörde", "kammer": "eine Kammer"}[level]
    steps.append(f"{rule.label}: zuständig ist {what} – {name}")
    return Target(level, land if level == "land" else None, area.name if (area and level == "land") else None,
                  name, authority, rule.role, confidence, steps, legal, named=named)


def _stadtstaat(place, chain, behoerde, authority, rule, confidence, steps, legal) -> Target:
    city = place.name or ""
    district = place.district.name if place.district else None
    where = f"Bezirk {district}" if district else city
    steps.append(f"{city} ist Stadtstaat (Land und Gemeinde zugleich); {rule.label} erledigt das Bezirksamt")
    name = authority if not district else authority.replace("Bezirksamt", f"Bezirksamt {district}", 1)
    return Target("gemeinde", place.ars, f"{city} ({where})", name, name, rule.role, confidence, steps, legal)


def _kreis(place, chain, land, behoerde, rule, confidence, steps, legal, book: RuleBook) -> Target:
    kreis = chain.get("kreis")
    if kreis is None:
        return Target("kreis", None, None, behoerde, None, rule.role, "low", steps, legal, named=False)
    naming = book.naming("kreis", land, kreis.type)
    if kreis.type in KREISFREI:
        steps.append(f"{rule.label}: Kreisaufgabe, die die kreisfreie Stadt selbst wahrnimmt ({behoerde})")
        return _named_target("kreisfreie_stadt", place.ars, kreis.name, naming, behoerde, rule, confidence,
                             steps, legal, contact_ags=place.ags)
    steps.append(f"{rule.label}: Aufgabe des Kreises ({behoerde})")
    return _named_target("kreis", kreis.ars, kreis.name, naming, behoerde, rule, confidence, steps, legal)


def _named_target(level, ars, name, naming: Naming | None, behoerde, rule, confidence, steps, legal,
                  contact_ags=None) -> Target:
    if naming is None:
        return Target(level, ars, name, behoerde, None, rule.role, "low", steps, legal, named=False)
    office = _office(behoerde, _fmt(naming.genitive, name))
    authority = _fmt(naming.authority, name)
    steps.append(authority)
    return Target(level, ars, _fmt(naming.body, name), office, authority, rule.role, confidence, steps, legal,
                  contact_ags=contact_ags)


def _gemeinde(place, chain, land, behoerde, rule, confidence, steps, legal, book: RuleBook, find_member,
              direct: bool) -> Target:
    gem, gv, kreis = chain.get("gemeinde"), chain.get("gemeindeverband"), chain.get("kreis")
    if gem is None:  # gemeindefreies Gebiet: the Kreis acts
        return _kreis(place, chain, land, behoerde, rule, "low", steps, legal, book)
    own = book.naming("gemeinde", land, gem.type)
    kreisfrei = kreis is not None and kreis.type in KREISFREI
    v = None if (direct or kreisfrei or gv is None) else book.verband(land, gv.type, rule.task or "uebertragen")
    label = f"{rule.label}: Aufgabe der Gemeinde ({behoerde})"
    if v is None or v.acts == "gemeinde":
        steps.append(label)
        if v is not None:
            legal.append((v.legal_source, v.legal_date))
        return _named_target("gemeinde", gem.ars, gem.name, own, behoerde, rule, confidence, steps, legal,
                             contact_ags=place.ags)
    legal.append((v.legal_source, v.legal_date))
    conf = _min_conf(confidence, v.confidence)
    if v.acts in ("erfuellende", "gemeinde_via_erfuellende"):
        member = gem if gem.name == gv.name else find_member(gv.ars, gv.name)
        if member is None:
            steps.append(f"{gem.name} gehört {_dative(gv.type)} {gv.type} {gv.name}; die erfüllende Gemeinde ist nicht "
                         "bestimmbar")
            return Target("gemeindeverband", gv.ars, gv.name, behoerde, None, rule.role, "low", steps, legal, named=False)
        m_naming = book.naming("gemeinde", land, member.type)
        if v.acts == "erfuellende":
            if member.ars != gem.ars:
                steps.append(f"{gem.name} lässt ihre Aufgaben von der erfüllenden Gemeinde {member.name} wahrnehmen")
            steps.append(label.replace("der Gemeinde", "der erfüllenden Gemeinde"))
            return _named_target("gemeinde", member.ars, member.name, m_naming, behoerde, rule, conf, steps, legal,
                                 contact_ags=_ags(member.ars))
        steps.append(f"{label}; die Verwaltungsgeschäfte führt die erfüllende Gemeinde {member.name}")
        t = _named_target("gemeinde", gem.ars, gem.name, own, behoerde, rule, conf, steps, legal,
                          contact_ags=place.ags)
        t.authority = _fmt(m_naming.authority, member.name) if m_naming else member.name
        t.steps[-1] = t.authority
        return t
    if v.acts == "verband":
        steps.append(f"{gem.name} gehört {_dative(gv.type)} {gv.type} {gv.name}; {rule.label} erledigt "
                     f"{_article(gv.type)} {gv.type} ({behoerde})")
        office = _office(behoerde, _fmt(v.genitive, gv.name))
        authority = _fmt(v.authority, gv.name)
        steps.append(authority)
        return Target("gemeindeverband", gv.ars, _fmt(v.body, gv.name), office, authority, rule.role, conf,
                      steps, legal, contact_ags=place.ags)
    # gemeinde_via: the Gemeinde is responsible, its Verband's administration does the work
    steps.append(f"{label}; die Verwaltungsgeschäfte führt {_article(gv.type)} {gv.type} {gv.name}")
    t = _named_target("gemeinde", gem.ars, gem.name, own, behoerde, rule, conf, steps, legal, contact_ags=place.ags)
    t.authority = _fmt(v.authority, gv.name)
    t.steps[-1] = f"{t.authority} (für {_fmt(own.body, gem.name) if own else gem.name})"
    return t


def _dative(gv_type: str | None) -> str:
    return "zum" if gv_type in ("Amt", "Verwaltungsverband") else "zur"


def _article(gv_type: str | None) -> str:
    return "das" if gv_type == "Amt" else ("der" if gv_type == "Verwaltungsverband" else "die")


def _ags(ars: str) -> str:
    return ars[:5] + ars[9:]


_ORDER = {"high": 2, "medium": 1, "low": 0}


def _min_conf(a: str, b: str) -> str:
    return a if _ORDER.get(a, 0) <= _ORDER.get(b, 0) else b
