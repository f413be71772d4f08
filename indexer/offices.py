"""Read and validate Berlin's office locations (Standorte) and their links to LeiKa services.

Source: ``leika_berlin/berlin_standorte_2017-06.json`` (service.berlin.de export, Land Berlin,
Stand 2017-06-08: 506 locations, 6,461 service links by d115 id), with
``leika_berlin/berlin_behoerden_2017-06.json`` as fallback for a location's authority name. In the
export the string ``"false"`` means "no value".
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from indexer.report import BuildReport
from indexer.sources import AUTHORITIES_JSON, OFFICES_JSON
from zufi.errors import DataFileError
from zufi.model import GERMANY_BBOX, Address, Office

#: Generous box around Berlin (lon_min, lat_min, lon_max, lat_max); the Land spans 13.09–13.76 E,
#: 52.34–52.68 N (Amt für Statistik Berlin-Brandenburg).
BERLIN_BBOX = (13.0, 52.3, 13.9, 52.75)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "special")
_TAG_RE = re.compile(r"<[^>]+>")
_BR_RE = re.compile(r"<br\s*/?>|</li>|</p>", re.IGNORECASE)
_PLZ_RE = re.compile(r"^\s*(\d{5})\b")


def read_offices(data_dir: Path, services_by_d115: dict[str, str], report: BuildReport) -> list[Office]:
    """All Berlin locations as :class:`Office`, with ``services`` = {LeiKa key: appointment link or None}.

    ``services_by_d115`` maps d115 ids to LeiKa keys (from :func:`indexer.services.read_services`).
    Counts: ``offices`` and ``office_links`` indexed; links to d115 ids outside the LeiKa table are
    rejected as ``office_links`` "service not in LeiKa table"; locations without id or name are rejected;
    unusable coordinates (unparseable, outside Germany, or outside Berlin for a Berlin address) are
    dropped (lat/lon None) and counted as ``repaired["offices"]``, the office is kept.

    Raises:
        DataFileError: when the Standorte file is missing, not JSON, or lacks its ``data`` list.
    """
    path = OFFICES_JSON.at(data_dir)
    records = _load_list(path)
    authorities: dict[str, str] | None = None
    offices: list[Office] = []
    seen: set[str] = set()
    for rec in records:
        if not isinstance(rec, dict):
            report.reject("offices", "not an object")
            continue
        oid, name = _clean(rec.get("id")), _clean(rec.get("name"))
        if not oid or not name:
            report.reject("offices", "missing id or name", oid or name)
            continue
        if oid in seen:
            report.reject("offices", "duplicate id", oid)
            continue
        seen.add(oid)
        address = _address(rec.get("address") or {}, oid, report)
        lat, lon = _coordinates(rec.get("geo") or {}, address, oid, report)
        authority = _clean(_get(rec, "authority", "name"))
        if authority is None:
            if authorities is None:
                authorities = _authorities(data_dir, report)
            authority = authorities.get(oid)
        contact = rec.get("contact") or {}
        offices.append(Office(
            id=oid,
            name=name,
            authority=authority,
            category=_clean(_get(rec, "category", "name")),
            address=address,
            lat=lat,
            lon=lon,
            opening_hours=_opening_hours(rec.get("opening_times") or {}),
            phone=_clean(contact.get("phone")),
            email=_clean(contact.get("email")),
            url=_url(_get(rec, "meta", "url")) or _url(contact.get("webinfo")),
            appointment_url=None,
            services=_links(rec.get("services") or [], oid, services_by_d115, report),
            source=f"{OFFICES_JSON.path} (service.berlin.de, 2017-06-08)",
        ))
    report.ok("offices", len(offices))
    return offices


def _load_list(path: Path) -> list:
    try:
        data = json.loads(path.read_bytes())
        records = data["data"]
        if not isinstance(records, list):
            raise TypeError("'data' is not a list")
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, f"not a service.berlin.de export ({exc!r})") from exc
    return records


def _authorities(data_dir: Path, report: BuildReport) -> dict[str, str]:
    """Location id → authority name from the Behörden file; {} (with a note) when it is absent."""
    path = AUTHORITIES_JSON.at(data_dir)
    if not path.exists():
        report.notes.append(f"{AUTHORITIES_JSON.path} missing: some offices lack an authority name")
        return {}
    out: dict[str, str] = {}
    for auth in _load_list(path):
        name = _clean(auth.get("name")) if isinstance(auth, dict) else None
        for loc in (auth.get("locations") or []) if name else []:
            if isinstance(loc, dict) and _clean(loc.get("id")):
                out[str(loc["id"]).strip()] = name
    return out


def _clean(value: object) -> str | None:
    """Trimmed string, or None for missing, empty and the export's ``"false"``."""
    if value is None or value is False:
        return None
    text = " ".join(str(value).split())
    return None if text in ("", "false") else text


def _get(rec: dict, *keys: str) -> object:
    for k in keys:
        rec = rec.get(k) if isinstance(rec, dict) else None
    return rec


def _url(value: object) -> str | None:
    url = _clean(value)
    if url is None:
        return None
    if url.startswith("//"):
        return "https:" + url
    if not url.startswith(("http://", "https://")):
        return "https://" + url
    return url


def _plain(text: str) -> str:
    text = _BR_RE.sub("\n", text)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _opening_hours(times: dict) -> dict[str, str]:
    out = {}
    for day in DAYS:
        raw = _clean(times.get(day))
        if raw:
            text = _plain(str(times[day]))
            if text and text != "false":
                out[day] = text
    return out


def _address(raw: dict, oid: str, report: BuildReport) -> Address:
    plz = _clean(raw.get("postal_code")) or ""
    m = _PLZ_RE.match(plz)
    if plz and (not m or m.group(1) != plz):
        if m:
            report.repair("offices", "postal code trimmed to 5 digits", oid)
            plz = m.group(1)
        else:
            report.repair("offices", "invalid postal code dropped", oid)
            plz = ""
    return Address(
        street=_clean(raw.get("street")) or "",
        house_number=_clean(raw.get("house_number")) or "",
        postal_code=plz,
        city=_clean(raw.get("city")) or "",
    )


def _coordinates(geo: dict, address: Address, oid: str, report: BuildReport) -> tuple[float | None, float | None]:
    try:
        lat, lon = float(str(geo.get("lat")).strip()), float(str(geo.get("lon")).strip())
    except (TypeError, ValueError):
        report.repair("offices", "unparseable coordinates dropped", oid)
        return None, None
    if not _inside(lon, lat, GERMANY_BBOX):
        report.repair("offices", "coordinates outside Germany dropped", oid)
        return None, None
    if address.city.casefold() == "berlin" and not _inside(lon, lat, BERLIN_BBOX):
        report.repair("offices", "coordinates outside Berlin dropped", oid)
        return None, None
    return lat, lon


def _inside(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def _links(raw: list, oid: str, services_by_d115: dict[str, str], report: BuildReport) -> dict[str, str | None]:
    links: dict[str, str | None] = {}
    for link in raw:
        d115 = _clean(link.get("service")) if isinstance(link, dict) else None
        if d115 is None:
            report.reject("office_links", "link without service id", oid)
            continue
        key = services_by_d115.get(d115)
        if key is None:
            report.reject("office_links", "service not in LeiKa table", f"{oid}:{d115}")
            continue
        appointment = link.get("appointment") if isinstance(link.get("appointment"), dict) else {}
        allowed = appointment.get("allowed") in (True, "true", "1", 1)
        href = _url(appointment.get("link")) if allowed else None
        if key in links:
            links[key] = links[key] or href
            continue
        links[key] = href
    report.ok("office_links", len(links))
    return links
