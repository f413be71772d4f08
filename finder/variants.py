"""Variant preference: among related LeiKa keys in a ranking, the place's own variant comes first.

A LeiKa key is origin (2: ``99`` national, ``11`` Berlin, ``02`` Hamburg, … the Land code) +
Gruppierung (3) + Kennung (3) + Verrichtung (3) + Verrichtungsdetail (3). Two keys are *related* (one
service, or a service and the Leistungsobjekt it belongs to) when

- digits 2…10 agree (same Gruppierung, Kennung, Verrichtung under another origin or detail), or
- digits 2…7 agree, the keys have different origins and one has Verrichtung ``000`` (the national
  Leistungsobjekt-level key, e.g. 99102013000000 "Hundesteuer" for 11102013002901 "Hund steuerlich
  anmelden"), or
- one is the other's ``national_key`` (set by the indexer, also by same Leistungsobjekt + Verrichtung).

Preference for a place in Land ``L``: 0 = a key of origin ``L`` or one that Land ``L``'s own data
offers (``Service.lands``: Berlin's table, Hamburg's mapped pages); 1 = a national (99) key; 2 = another
Land's key. With no place, ``L`` is :data:`HOME_LAND` (Berlin: the Land whose data the catalogue's
synonyms, descriptions and offices come from). When a less preferred key ranks above related, more
preferred ones, the most preferred (then best ranked) of them moves up to just above it — one only, so
of ten national variants of Berlin's "Kraftfahrzeug Zulassung" one takes its place and the others keep
theirs. For a given place, another Land's own key that has a more preferred variant in the list goes
to the end of it (for Eisenach, Berlin's "Kraftfahrzeug ummelden - nach einem Umzug nach Berlin"
adds nothing to the national "Kraftfahrzeug Ummeldung"); one without a national counterpart keeps its
rank, and without a place nothing moves. How far a key may move (:func:`_may_move_above`): the same
key under two origins always; a ``national_key`` link, or a general key (Verrichtung or detail ``000``)
and its specific form, with at least :data:`MOVE_SCORE_RATIO` of the other's score; two details of one Leistungsobjekt and Verrichtung with :data:`DETAIL_MOVE_RATIO` — so
"reisepass express" keeps "Reisepass Ausstellung express" above Berlin's "Reisepass beantragen", and
Berlin's "Aufenthaltserlaubnis zur Studienvorbereitung" stays below a much better national "… zum
vorübergehenden Schutz". A Land's key never stays above the national one for a place in another Land
("Hund anmelden Erfurt": the national Hundesteuer, not Berlin's "Hund steuerlich anmelden").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from zufi.model import Service

#: Land used when no place is given (see module docstring).
HOME_LAND = "11"
#: Score factor for a service that the place's Land's own data does not offer, applied only where that
#: Land has service data (Berlin, Hamburg): near-duplicates from the national catalogue (e.g. OZG
#: "Führungszeugnis" 99049001000000 next to Berlin's "Führungszeugnis beantragen" 99049003101000, whose
#: keys share no digits) then rank below the service the place actually offers.
OTHER_LAND_FACTOR = 0.4

#: A preferred variant moves above a related key only with at least this share of that key's score.
MOVE_SCORE_RATIO = 0.5
#: The same for a key of another Verrichtungsdetail (a different service of the same Leistungsobjekt and
#: Verrichtung): it must score nearly as well.
DETAIL_MOVE_RATIO = 0.75


def land_factor(s: Service, land: str | None, lands_with_data: frozenset[str]) -> float:
    """:data:`OTHER_LAND_FACTOR` when ``s`` is another Land's own service without a national
    counterpart (its origin is neither ``99`` nor ``land``, no ``national_key``, and ``land``'s data does
    not offer it: Berlin's "Telefonische Fachauskunft in KFZ-Angelegenheiten" for Eisenach — one with a
    counterpart gives way to it in :func:`prefer_variants`), or when ``land`` (None: :data:`HOME_LAND`)
    has service data and ``s`` is not among it; else 1.0."""
    land = land or HOME_LAND
    if land in s.lands or s.leika_key[:2] == land:
        return 1.0
    if s.leika_key[:2] != "99" and s.leika_key[:2].isdigit() and s.national_key is None:
        return OTHER_LAND_FACTOR  # another Land's own service (Berlin's "Telefonische Fachauskunft" in Eisenach)
    return OTHER_LAND_FACTOR if land in lands_with_data else 1.0


def is_related(a: Service, b: Service) -> bool:
    """True when ``a`` and ``b`` are variants of one service (rules in the module docstring)."""
    ka, kb = a.leika_key, b.leika_key
    if ka == kb or len(ka) != 14 or len(kb) != 14 or not ka.isdigit() or not kb.isdigit():
        return False
    if ka[2:11] == kb[2:11]:
        return True
    # a Land's own key and the national Leistungsobjekt-level key (Verrichtung 000) of the same
    # Leistungsobjekt; two national keys of one Leistungsobjekt are different services ("Baugenehmigung"
    # vs "Baugenehmigung Statusabfrage"), not variants
    if ka[2:8] == kb[2:8] and "000" in (ka[8:11], kb[8:11]) and ka[:2] != kb[:2]:
        return True
    return a.national_key == kb or b.national_key == ka


def preference(s: Service, land: str) -> int:
    """0 own Land's variant, 1 national, 2 another Land's (lower is preferred)."""
    if s.leika_key[:2] == land or land in s.lands:
        return 0
    if s.leika_key.startswith("99"):
        return 1
    return 2


def prefer_variants(keys: Sequence[str], services: Mapping[str, Service], land: str | None,
                    scores: Mapping[str, float] | None = None) -> list[str]:
    """``keys`` (best first) reordered so that a key ranked above related, more preferred keys gets the
    most preferred (then best ranked) of them just above it — one per key; for a given place, another
    Land's own key with such a variant above it then goes to the end; all other keys keep their order.

    Args:
        keys: LeiKa keys (or ``ozg-row-…`` ids, which are never moved), best first.
        services: the catalogue by key.
        land: two-digit Land code of the place (first two digits of its ARS), or None for no place.
        scores: ranking score per key (None: every preferred variant moves); a key moves above another
            of the same origin only with at least :data:`MOVE_SCORE_RATIO` of its score.
    Returns a new list with the same keys. Cost: linear in ``keys`` plus the related pairs among them
    (keys are bucketed by Gruppierung + Kennung first).
    """
    place_given = land is not None
    land = land or HOME_LAND
    out = list(keys)
    pref: dict[str, int] = {}
    buckets: dict[str, list[str]] = {}
    for k in out:
        s = services.get(k)
        if s is None or len(k) != 14:
            continue
        pref[k] = preference(s, land)
        for b in {k[2:8], (s.national_key or k)[2:8]}:
            buckets.setdefault(b, []).append(k)
    related: dict[str, set[str]] = {}  # a → the more preferred variants that may move above it
    variants: dict[str, set[str]] = {}  # a → all more preferred variants in the list
    for members in buckets.values():
        if len(members) < 2 or len({pref[m] for m in members}) < 2:
            continue
        for a in members:
            for b in members:
                if a != b and pref[b] < pref[a] and is_related(services[a], services[b]):
                    variants.setdefault(a, set()).add(b)
                    if _may_move_above(services[a], services[b], scores):
                        related.setdefault(a, set()).add(b)
    if not variants:
        return out
    pos = {k: i for i, k in enumerate(out)}
    passed: set[str] = set()  # keys one preferred variant has already moved above
    i = 0
    while i < len(out):
        a = out[i]
        better = [b for b in related.get(a, ()) if pos[b] > i] if a not in passed else []
        if better:
            best = min(better, key=lambda b: (pref[b], pos[b]))
            out.insert(i, out.pop(pos[best]))
            passed.add(a)  # one variant takes a's place; the others keep their order by score
            pos = {k: n for n, k in enumerate(out)}
            continue  # re-check the moved key against the ones below it
        i += 1
    return _redundant_last(out, pref, variants, place_given)


def _may_move_above(a: Service, b: Service, scores: Mapping[str, float] | None) -> bool:
    """Whether the preferred ``b`` may move above the related ``a`` (without scores: always):

    * the same key under two origins (all digits but the origin agree): always;
    * otherwise ``b`` must score at least a share of ``a``'s score: :data:`MOVE_SCORE_RATIO` for a
      ``national_key`` link (Berlin's "Hund steuerlich anmelden" and the national "Hundesteuer
      Festsetzung"; a weak "Kraftfahrzeug Zulassung" does not take the place of Berlin's "Kraftfahrzeug
      ummelden - nach einem Umzug nach Berlin" — that key still goes last for a place elsewhere, see
      :func:`_redundant_last`) or when one is the general key of the other
      (:func:`_general_and_specific`: the national "Aufenthaltserlaubnis" must not jump from 5 to the
      top over "… zur Studienvorbereitung" at 99); :data:`DETAIL_MOVE_RATIO`
      when they name different details of one Leistungsobjekt and Verrichtung ("Reisepass beantragen"
      above a slightly better "Reisepass Ausstellung express", not "Aufenthaltserlaubnis zum Studium"
      above a much better "… zum vorübergehenden Schutz").
    """
    ka, kb = a.leika_key, b.leika_key
    if scores is None or (ka[:2] != kb[:2] and ka[2:] == kb[2:]):
        return True
    close = _one_service(a, b) or _general_and_specific(a, b)
    ratio = MOVE_SCORE_RATIO if close else DETAIL_MOVE_RATIO
    return scores.get(kb, 0.0) >= ratio * scores.get(ka, 0.0)


def _one_service(a: Service, b: Service) -> bool:
    """The same service under two origins: the keys agree but for the origin, or one is the other's
    ``national_key`` (set by the indexer)."""
    ka, kb = a.leika_key, b.leika_key
    return ka[:2] != kb[:2] and (ka[2:] == kb[2:] or a.national_key == kb or b.national_key == ka)


def _general_and_specific(a: Service, b: Service) -> bool:
    """One key is the general form of the other: Verrichtung ``000`` over the same Leistungsobjekt
    (99102013000000 "Hundesteuer"), or Verrichtungsdetail ``000`` over the same Leistungsobjekt and
    Verrichtung (99085001012000 for 99085001012003)."""
    ka, kb = a.leika_key, b.leika_key
    if ka[2:8] == kb[2:8] and "000" in (ka[8:11], kb[8:11]):
        return True
    return ka[2:11] == kb[2:11] and "000" in (ka[11:14], kb[11:14])


def _redundant_last(out: list[str], pref: Mapping[str, int], variants: Mapping[str, set[str]],
                    place_given: bool) -> list[str]:
    """For a given place, another Land's own key (preference 2) that has a more preferred variant
    anywhere in the list goes to the end (Berlin's "Kraftfahrzeug ummelden - nach einem Umzug nach
    Berlin" for Eisenach, when the national "Kraftfahrzeug Zulassung" is listed, whether or not it scored
    well enough to move up); one without such a variant keeps its rank (Berlin's "Kita-Gutschein" has no
    national counterpart). Without a place the order stays."""
    if not place_given:
        return out
    late = {k for k in out if pref.get(k, 1) == 2 and variants.get(k)}
    return [k for k in out if k not in late] + [k for k in out if k in late]
