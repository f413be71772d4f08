"""XZuFi 2.2 exchange: write and read messages with Leistungen, Organisationseinheiten and Zuständigkeiten.

No XSD is available offline; element names follow the published XZuFi 2.2 information model
(Leistung with ``referenzLeiKa``, Organisationseinheit with ``anschrift``/``kommunikation``,
Zuständigkeit with ``leistungID``, ``gebietID`` (ARS), ``rolle`` and ``uebergeordnetesObjektID``).
The supported subset and the namespace are documented in ``finder/data/rules/README.md`` (section
"XZuFi"). zufi fields the standard has no element for travel in ``xzufi:zusatz`` elements
(name + JSON value) so that a round trip returns the same records.

Shared by the export (``zufi export xzufi``) and the import check (``zufi import-check xzufi``); imports
nothing from ``finder`` or ``indexer``.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from zufi.catalog import Catalog
from zufi.errors import DataFileError
from zufi.model import Address, Office, Service, Zustaendigkeit

NS = "http://xoev.de/schemata/xzufi/2_2_0"
X = f"{{{NS}}}"
ROOT = "xzufi.transfer.zufi"
VERSION = "2.2.0"
ROLE_CODES = {"zuständige Stelle": "01", "Ansprechpunkt": "02"}
ROLE_NAMES = {v: k for k, v in ROLE_CODES.items()}
#: Berlin's ARS (the Gebietsbezug of every Berlin record).
BERLIN_ARS = "110000000000"

_SERVICE_CORE = ("leika_key", "name", "leistungsobjekt", "verrichtung", "group", "synonyms", "url", "description")
_OFFICE_CORE = ("id", "name", "authority", "category", "address", "lat", "lon", "opening_hours", "phone", "email",
                "url", "appointment_url", "services", "source")


def zustaendigkeiten(catalog: Catalog, ars_of: dict[str, str] | None = None) -> list[Zustaendigkeit]:
    """The office → service links of a catalogue as Zuständigkeiten (role "zuständige Stelle").

    Args:
        ars_of: office id → ARS of its area; default Berlin (110000000000) for every office.
    """
    out = []
    for o in catalog.offices.values():
        for key, link in o.services.items():
            out.append(Zustaendigkeit(id=f"{o.id}:{key}", leika_key=key, ars=(ars_of or {}).get(o.id, BERLIN_ARS),
                                      office_id=o.id, appointment_url=link))
    return out


# --------------------------------------------------------------------------- writer


def write_xzufi(catalog: Catalog, path: Path, ars_of: dict[str, str] | None = None) -> dict[str, int]:
    """Write ``catalog`` as one XZuFi 2.2 message to ``path`` (UTF-8). Returns counts by element."""
    root = etree.Element(X + ROOT, nsmap={"xzufi": NS})
    root.set("version", VERSION)
    for s in catalog.services.values():
        root.append(_leistung(s))
    for o in catalog.offices.values():
        root.append(_organisationseinheit(o))
    zs = zustaendigkeiten(catalog, ars_of)
    for z in zs:
        root.append(_zustaendigkeit(z))
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return {"leistung": len(catalog.services), "organisationseinheit": len(catalog.offices), "zustaendigkeit": len(zs)}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, X + tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _extras(parent: etree._Element, data: dict, core: tuple[str, ...]) -> None:
    for k, v in data.items():
        if k not in core:
            _sub(parent, "zusatz", json.dumps(v, ensure_ascii=False), name=k)


def _leistung(s: Service) -> etree._Element:
    el = etree.Element(X + "leistung")
    _sub(el, "id", s.leika_key, schemeAgencyID="LeiKa")
    _sub(el, "referenzLeiKa", s.leika_key)
    _sub(el, "bezeichnung", s.name)
    _sub(el, "leistungsobjekt", s.leistungsobjekt)
    if s.verrichtung:
        _sub(el, "verrichtung", s.verrichtung)
    if s.group:
        _sub(el, "gruppierung", s.group)
    for syn in s.synonyms:
        _sub(el, "synonym", syn)
    if s.description is not None:
        _sub(el, "beschreibung", s.description)
    if s.url:
        _sub(el, "urlInfo", s.url)
    _extras(el, s.model_dump(), _SERVICE_CORE)
    return el


def _organisationseinheit(o: Office) -> etree._Element:
    el = etree.Element(X + "organisationseinheit")
    _sub(el, "id", o.id)
    _sub(_sub(el, "name"), "name", o.name)
    if o.authority:
        _sub(el, "behoerde", o.authority)
    if o.category:
        _sub(el, "kategorie", o.category)
    a = _sub(el, "anschrift")
    for tag, value in (("strasse", o.address.street), ("hausnummer", o.address.house_number),
                       ("postleitzahl", o.address.postal_code), ("ort", o.address.city)):
        _sub(a, tag, value)
    if o.lat is not None and o.lon is not None:
        g = _sub(a, "geokodierung")
        _sub(g, "lat", repr(o.lat))
        _sub(g, "lon", repr(o.lon))
    k = _sub(el, "kommunikation")
    for tag, value in (("telefon", o.phone), ("email", o.email), ("url", o.url), ("terminURL", o.appointment_url)):
        if value is not None:
            _sub(k, tag, value)
    for day, hours in o.opening_hours.items():
        _sub(el, "oeffnungszeiten", hours, wochentag=day)
    if o.source:
        _sub(el, "quelle", o.source)
    _extras(el, o.model_dump(), _OFFICE_CORE)
    return el


def _zustaendigkeit(z: Zustaendigkeit) -> etree._Element:
    el = etree.Element(X + "zustaendigkeit")
    _sub(el, "id", z.id)
    _sub(el, "leistungID", z.leika_key)
    _sub(el, "gebietID", z.ars, listURI="urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs")
    _sub(el, "rolle", code=ROLE_CODES.get(z.role, "01")).text = z.role
    _sub(el, "uebergeordnetesObjektID", z.office_id)
    if z.appointment_url is not None:
        _sub(el, "terminURL", z.appointment_url)
    return el


# --------------------------------------------------------------------------- reader


class XZuFiMessage:
    """A read message: ``catalog`` (services, offices with their links) and ``zustaendigkeiten``."""

    def __init__(self, catalog: Catalog, zustaendigkeiten: list[Zustaendigkeit]) -> None:
        self.catalog = catalog
        self.zustaendigkeiten = zustaendigkeiten


def read_xzufi(path: Path) -> XZuFiMessage:
    """Read an XZuFi 2.2 message written by :func:`write_xzufi` (or another writer using the same subset).

    Raises:
        DataFileError: ``"<file>:<line>: …"`` for a file that is not well-formed XML, has another root or
            namespace, lacks a required element, or links a Zuständigkeit to an unknown office/service.
    """
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except OSError as exc:
        raise DataFileError(path, f"unreadable: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else "?")
        raise DataFileError(f"{path}:{line}", f"not well-formed XML: {exc.msg}") from exc
    root = tree.getroot()
    if root.tag != X + ROOT:
        raise DataFileError(f"{path}:{root.sourceline}", f"root element must be xzufi:{ROOT} in namespace {NS}, "
                                                         f"got {root.tag}")
    services: dict[str, Service] = {}
    offices: dict[str, Office] = {}
    zs: list[Zustaendigkeit] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        kind = el.tag.removeprefix(X)
        if kind == "leistung":
            s = _read_leistung(el, path)
            services[s.leika_key] = s
        elif kind == "organisationseinheit":
            o = _read_oe(el, path)
            offices[o.id] = o
        elif kind == "zustaendigkeit":
            zs.append(_read_zustaendigkeit(el, path))
        else:
            raise DataFileError(f"{path}:{el.sourceline}", f"unsupported element {el.tag}")
    for z, el in zip(zs, root.iterfind(X + "zustaendigkeit"), strict=True):
        office = offices.get(z.office_id)
        if office is None:
            raise DataFileError(f"{path}:{el.sourceline}", f"Zuständigkeit {z.id} names unknown "
                                                          f"Organisationseinheit {z.office_id}")
        office.services[z.leika_key] = z.appointment_url
    return XZuFiMessage(Catalog(services, offices), zs)


def _req(el: etree._Element, tag: str, path: Path) -> str:
    child = el.find(X + tag)
    if child is None:
        raise DataFileError(f"{path}:{el.sourceline}", f"{el.tag.removeprefix(X)} without required {tag}")
    return child.text or ""


def _opt(el: etree._Element, tag: str) -> str | None:
    child = el.find(X + tag)
    return None if child is None else (child.text or "")


def _zusatz(el: etree._Element, path: Path) -> dict:
    out = {}
    for z in el.iterfind(X + "zusatz"):
        try:
            out[z.get("name")] = json.loads(z.text or "null")
        except ValueError as exc:
            raise DataFileError(f"{path}:{z.sourceline}", f"zusatz {z.get('name')!r} is not JSON: {exc}") from exc
    return out


def _validated(model, data: dict, el: etree._Element, path: Path):
    try:
        return model.model_validate(data)
    except ValueError as exc:
        raise DataFileError(f"{path}:{el.sourceline}", f"invalid {el.tag.removeprefix(X)}: {exc}") from exc


def _read_leistung(el: etree._Element, path: Path) -> Service:
    key = _req(el, "referenzLeiKa", path)
    data = {"leika_key": key, "name": _req(el, "bezeichnung", path), "leistungsobjekt": _req(el, "leistungsobjekt", path),
            "verrichtung": _opt(el, "verrichtung") or "", "group": _opt(el, "gruppierung") or "",
            "synonyms": [s.text or "" for s in el.iterfind(X + "synonym")],
            "description": _opt(el, "beschreibung"), "url": _opt(el, "urlInfo"), **_zusatz(el, path)}
    return _validated(Service, data, el, path)


def _read_oe(el: etree._Element, path: Path) -> Office:
    name_el = el.find(X + "name")
    if name_el is None or name_el.find(X + "name") is None:
        raise DataFileError(f"{path}:{el.sourceline}", "organisationseinheit without required name/name")
    a = el.find(X + "anschrift")
    address, lat, lon = Address(), None, None
    if a is not None:
        address = Address(street=_opt(a, "strasse") or "", house_number=_opt(a, "hausnummer") or "",
                          postal_code=_opt(a, "postleitzahl") or "", city=_opt(a, "ort") or "")
        g = a.find(X + "geokodierung")
        if g is not None:
            try:
                lat, lon = float(_req(g, "lat", path)), float(_req(g, "lon", path))
            except ValueError as exc:
                raise DataFileError(f"{path}:{g.sourceline}", f"geokodierung is not a number: {exc}") from exc
    k = el.find(X + "kommunikation")
    kom = {t: (_opt(k, t) if k is not None else None) for t in ("telefon", "email", "url", "terminURL")}
    data = {"id": _req(el, "id", path), "name": name_el.find(X + "name").text or "",
            "authority": _opt(el, "behoerde"), "category": _opt(el, "kategorie"), "address": address,
            "lat": lat, "lon": lon, "phone": kom["telefon"], "email": kom["email"], "url": kom["url"],
            "appointment_url": kom["terminURL"], "source": _opt(el, "quelle") or "",
            "opening_hours": {h.get("wochentag"): h.text or "" for h in el.iterfind(X + "oeffnungszeiten")},
            **_zusatz(el, path)}
    return _validated(Office, data, el, path)


def _read_zustaendigkeit(el: etree._Element, path: Path) -> Zustaendigkeit:
    rolle = el.find(X + "rolle")
    ars = _req(el, "gebietID", path)
    if not (ars.isdigit() and len(ars) in (2, 3, 5, 9, 12)):
        raise DataFileError(f"{path}:{el.sourceline}", f"gebietID must be an ARS (2, 3, 5, 9 or 12 digits), got {ars!r}")
    return _validated(Zustaendigkeit, {
        "id": _req(el, "id", path), "leika_key": _req(el, "leistungID", path), "ars": ars,
        "office_id": _req(el, "uebergeordnetesObjektID", path),
        "role": ROLE_NAMES.get(rolle.get("code", "01"), "zuständige Stelle") if rolle is not None else "zuständige Stelle",
        "appointment_url": _opt(el, "terminURL")}, el, path)
