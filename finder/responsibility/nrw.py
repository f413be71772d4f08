"""Nordrhein-Westfalen: the responsible area for a service from the WSP.NRW evidence (``zufi.nrw_wsp``).

The Wirtschafts-Service-Portal.NRW list "Live WSP 11.11" (Stand 2024-11-11) names for 368 LeiKa keys
the authority type responsible in NRW; the build normalises it to a level (``nrw_wsp_levels.csv``).
This module turns such an entry into a :class:`~finder.responsibility.areas.Target` at a place in NRW,
naming the office from the place's areas: the Gemeinde or Kreis (as the rules do), the
Regierungsbezirk (chain level ``regierungsbezirk``, else ARS digit 3), the Landschaftsverband half
(Rheinland = Regierungsbezirke Düsseldorf and Köln; Westfalen-Lippe = Münster, Detmold, Arnsberg), the
Landrat as Kreispolizeibehörde. Kammern, Eichämter, Oberlandesgerichte and Polizeipräsidien: their
districts are not in the data → level only.
"""

from __future__ import annotations

from finder.responsibility.areas import KREISFREI, Target, _fmt, describe_place, links, resolve
from finder.responsibility.rules import Rule, RuleBook
from zufi.model import Place
from zufi.nrw_wsp import WSP_DATE, WSP_SOURCE, WspEntry

#: Regierungsbezirke of NRW by the third ARS digit (§ 7 Landesorganisationsgesetz NRW; the VG5000 key).
RB_NAMES = {"1": "Düsseldorf", "3": "Köln", "5": "Münster", "7": "Detmold", "9": "Arnsberg"}
#: Regierungsbezirke of the Rhineland half (LVR, KV Nordrhein); the others form Westfalen-Lippe.
RHEINLAND = frozenset({"1", "3"})
#: Kreise whose Kreispolizeibehörde is a Polizeipräsidium, not the Landrat: Städteregion Aachen
#: (PP Aachen) and Kreis Recklinghausen (PP Recklinghausen) — the 2 of 31 Kreise without a
#: Landratsbehörde (§ 2 Abs. 1 POG NRW with the Kreispolizeibehörden-Verordnung; from knowledge, not
#: re-verified offline; WSP text: "29 Landratsbehörden in 29 Kreisen").
PP_KREISE = frozenset({"05334", "05562"})
#: Coarse level classes: equal classes mean the WSP confirms or refines a rule, else it replaces it.
LEVEL_CLASS = {"gemeinde": "gemeinde", "gemeindeverband": "gemeinde", "kreis": "kreis",
               "kreisfreie_stadt": "kreis", "land": "land", "bezirksregierung": "land", "landesteil": "land",
               "bund": "bund", "kammer": "kammer", "polizei": "polizei"}


def is_nrw(place: Place) -> bool:
    """A resolved place in Nordrhein-Westfalen (ARS begins with 05)."""
    return place.status == "resolved" and bool(place.ars) and place.ars.startswith("05")


def wsp_legal() -> tuple[str, str]:
    """(source, date) of the WSP list as cited in answers."""
    return WSP_SOURCE, WSP_DATE


def wsp_target(entry: WspEntry, label: str, place: Place, book: RuleBook, find_member) -> Target:
    """The responsible area for a WSP entry at a resolved NRW ``place``.

    Args:
        entry: the normalised WSP row (level ∉ {unbestimmt, keine_zustaendigkeit}: the caller answers those).
        label: the service's name for the sentences.
        place: a resolved place in NRW with its chain.
        book: the rule tables (naming of Gemeinden and Kreise).
        find_member: as for :func:`finder.responsibility.areas.resolve`.

    Returns a Target whose ``legal`` is the WSP (source, date); ``named`` False when only the level is
    known. Levels: gemeinde, kreis, kreisfreie_stadt, polizei, bezirksregierung, landesteil, land,
    kammer, alternativ.
    """
    chain = links(place)
    steps = [describe_place(place, chain)]
    legal = [wsp_legal()]
    rb_digit = (place.ars or "   ")[2]
    if entry.level in ("gemeinde", "kreis"):
        rule = Rule(f"nrw_wsp:{entry.leika_key}", entry.leika_key, label, entry.level,
                    "uebertragen" if entry.level == "gemeinde" else "kreis", entry.authority, "zuständige Stelle",
                    WSP_SOURCE, WSP_DATE, entry.confidence, entry.note)
        return resolve(rule, place, book, find_member)
    if entry.level == "polizei":
        return _polizei(entry, label, chain, book, steps, legal)
    if entry.level == "bezirksregierung":
        rb = chain.get("regierungsbezirk")
        rb_name = rb.name if rb is not None else RB_NAMES.get(rb_digit, "")
        name = entry.authority.replace("{rb}", rb_name)
        steps.append(f"{place.name} liegt im Regierungsbezirk {rb_name}")
        steps.append(f"{label}: Aufgabe der Bezirksregierung")
        steps.append(name)
        return Target("bezirksregierung", (place.ars or "")[:3], f"Regierungsbezirk {rb_name}", name, name,
                      "zuständige Stelle", entry.confidence, steps, legal)
    if entry.level == "landesteil":
        rhein, west = entry.authority.split("|", 1)
        rheinland = rb_digit in RHEINLAND
        half = "Rheinland" if rheinland else "Westfalen-Lippe"
        name = rhein if rheinland else west
        steps.append(f"{place.name} liegt im Regierungsbezirk {RB_NAMES.get(rb_digit, '?')} und damit im Landesteil {half}")
        steps.append(f"{label}: zuständig ist die Stelle für {half}")
        steps.append(name)
        return Target("landesteil", None, half, name, name, "zuständige Stelle", entry.confidence, steps, legal)
    if entry.level == "land":
        land_link = chain.get("land")
        area = land_link.name if (land_link is not None and entry.land == land_link.ars) else None
        what = "eine landesweit zuständige Stelle" if entry.land == "05" else "eine bundesweit zentral zuständige Stelle"
        steps.append(f"{label}: zuständig ist {what} – {entry.authority}")
        return Target("land", entry.land, area, entry.authority, entry.authority if entry.named else None,
                      "zuständige Stelle", entry.confidence, steps, legal, named=entry.named)
    if entry.level in ("kammer", "kammer_ihk", "kammer_hwk"):
        what = f"die {entry.authority}" + ("" if entry.named else " des Bezirks, in dem der Betrieb liegt")
        steps.append(f"{label}: zuständig ist {what}")
        return Target("kammer", None, None, entry.authority, entry.authority if entry.named else None,
                      "zuständige Stelle", entry.confidence, steps, legal, named=entry.named)
    # alternativ: two offices depending on the case
    steps.append(f"{label}: je nach Fall {entry.authority}")
    return Target("alternativ", None, None, entry.authority, None, "zuständige Stelle", entry.confidence, steps,
                  legal, named=False)


def _polizei(entry: WspEntry, label: str, chain, book: RuleBook, steps: list[str], legal) -> Target:
    kreis = chain.get("kreis")
    if kreis is None or kreis.type in KREISFREI or kreis.ars in PP_KREISE:
        where = kreis.name if kreis is not None else "dem Ort"
        steps.append(f"{label}: Aufgabe der Kreispolizeibehörde; für {where} ist das ein Polizeipräsidium")
        return Target("polizei", None, None, "Polizeipräsidium (Kreispolizeibehörde)", None, "zuständige Stelle",
                      entry.confidence, steps, legal, named=False)
    naming = book.naming("kreis", "05", kreis.type)
    genitive = _fmt(naming.genitive, kreis.name) if naming else f"des Kreises {kreis.name}"
    body = _fmt(naming.body, kreis.name) if naming else kreis.name
    name = f"Landrat {genitive} als Kreispolizeibehörde"
    steps.append(f"{label}: Aufgabe der Kreispolizeibehörde; im {body} ist das der Landrat")
    steps.append(name)
    return Target("polizei", kreis.ars, body, name, f"Kreispolizeibehörde {kreis.name}", "zuständige Stelle",
                  entry.confidence, steps, legal)
