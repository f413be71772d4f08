"""The shared data model: typed keys (LeiKa, ARS, AGS, PLZ), points, areas, services, offices, places.

Terms follow FIM/XZuFi: a *Leistung* (service) is identified by its 14-digit LeiKa-Schlüssel; an
*Organisationseinheit* (office) offers services; areas carry the Amtlicher Regionalschlüssel (ARS,
12 digits for a Gemeinde: Land 2 + Regierungsbezirk 1 + Kreis 2 + Gemeindeverband 4 + Gemeinde 3) and the
Amtlicher Gemeindeschlüssel (AGS, 8 digits: Land 2 + RB 1 + Kreis 2 + Gemeinde 3), as defined by
Destatis (Gemeindeverzeichnis GV-ISys).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from zufi.errors import UsageError

_LEIKA_RE = re.compile(r"^[0-9]{14}$")
_PLZ_RE = re.compile(r"^[0-9]{5}$")
_OZG_ROW_RE = re.compile(r"^ozg-row-[0-9]+$")

#: ARS length of each level's own key (Destatis): Land 2, RB 3, Kreis 5, Gemeindeverband 9, Gemeinde 12.
ARS_LENGTH = {"land": 2, "regierungsbezirk": 3, "kreis": 5, "gemeindeverband": 9, "gemeinde": 12}

#: Germany's bounding box in WGS84 degrees (lon_min, lat_min, lon_max, lat_max), a little generous;
#: used only as a fast pre-check before point-in-polygon.
GERMANY_BBOX = (5.5, 47.2, 15.5, 55.2)


class Level(StrEnum):
    """Administrative level of an area, from the top down."""

    LAND = "land"
    REGIERUNGSBEZIRK = "regierungsbezirk"
    KREIS = "kreis"
    GEMEINDEVERBAND = "gemeindeverband"
    GEMEINDE = "gemeinde"


def parse_leika_key(value: str) -> str:
    """Check a LeiKa-Schlüssel (14 digits, e.g. ``99115005104000``) and return it stripped.

    Raises:
        UsageError: when the value is not exactly 14 digits.
    """
    v = (value or "").strip()
    if not _LEIKA_RE.match(v):
        raise UsageError(f"LeiKa-Schlüssel must be 14 digits, got {value!r}")
    return v


def is_leika_key(value: str) -> bool:
    """True when ``value`` is a syntactically valid 14-digit LeiKa-Schlüssel."""
    return bool(_LEIKA_RE.match(value or ""))


def is_plz(value: str) -> bool:
    """True when ``value`` is a five-digit German Postleitzahl (syntax only)."""
    return bool(_PLZ_RE.match(value or ""))


def ags_from_ars(ars: str) -> str:
    """The 8-digit AGS of a 12-digit Gemeinde ARS: ARS[0:5] + ARS[9:12] (Destatis key structure)."""
    if len(ars) != 12 or not (ars.isascii() and ars.isdigit()):
        raise ValueError(f"not a 12-digit ARS: {ars!r}")
    return ars[:5] + ars[9:]


@dataclass(frozen=True, slots=True)
class Point:
    """A WGS84 point in degrees (EPSG:4326), longitude first as in GeoJSON.

    Build it with :meth:`checked` from user input to get a :class:`UsageError` on bad values.
    """

    lon: float
    lat: float

    @classmethod
    def checked(cls, lon: float, lat: float) -> Point:
        """Validate ranges (lon −180…180, lat −90…90, finite) and return the point.

        Raises:
            UsageError: for non-finite or out-of-range values.
        """
        for name, v, lim in (("lon", lon, 180.0), ("lat", lat, 90.0)):
            if v is None or not math.isfinite(v):
                raise UsageError(f"{name} must be a finite number")
            if not -lim <= v <= lim:
                raise UsageError(f"{name} must be between -{lim:g} and {lim:g} degrees, got {v}")
        return cls(float(lon), float(lat))

    def in_germany_bbox(self) -> bool:
        """Fast check against :data:`GERMANY_BBOX`; a True does not prove the point is in Germany."""
        x0, y0, x1, y1 = GERMANY_BBOX
        return x0 <= self.lon <= x1 and y0 <= self.lat <= y1


class ChainLink(BaseModel):
    """One level of a place's chain of areas, e.g. ``{level: kreis, ars: "16071", name: "Weimarer Land"}``.

    ``ars`` has the level's own length (2, 3, 5, 9 or 12 digits, see :data:`ARS_LENGTH`).
    """

    level: Level
    ars: str
    name: str
    type: str | None = Field(None, description="Official type from the data (BEZ), e.g. 'Landkreis'.")
    type_destatis: str | None = Field(
        None, description="Type from the Destatis Gemeindeverzeichnis (textkennzeichen), e.g. 'Große Kreisstadt', "
        "'erfüllende Gemeinde'.")
    population: int | None = Field(None, description="Destatis population 31.12.2019 (sum over the Gemeinden "
                                   "for Kreise and Gemeindeverbände).")


class PlaceCandidate(BaseModel):
    """One of several Gemeinden a name or PLZ may mean, with labels to tell them apart."""

    name: str
    ags: str
    ars: str
    land: str | None = None
    kreis: str | None = None
    population: int | None = None
    plz: str | None = None
    ortsteil: str | None = Field(None, description="Ortsteil/former Gemeinde/district typed, when the match "
                                 "is below the Gemeinde (the other fields describe its Gemeinde).")


class District(BaseModel):
    """A Bezirk of Berlin or Hamburg: a sub-area without its own key or polygon in the data."""

    name: str
    city: str
    lat: float
    lon: float
    source: str


class Place(BaseModel):
    """Where the user is, as understood by the gazetteer.

    ``status`` is one of resolved, ambiguous, not_found, outside_germany, none. For ``resolved``,
    ``ags``/``ars`` are the Gemeinde's keys and ``chain`` runs Land → … → Gemeinde. ``lat``/``lon``
    (WGS84 degrees) is the point used for distances: the given point, a PLZ area's or district's
    representative point, or the Gemeinde's centre from the Gemeindeverzeichnis.
    """

    status: str = "none"
    query: str | None = None
    name: str | None = None
    ags: str | None = None
    ars: str | None = None
    plz: str | None = None
    chain: list[ChainLink] = Field(default_factory=list)
    district: District | None = None
    candidates: list[PlaceCandidate] = Field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    point_source: str | None = Field(None, description="given | plz | district | gemeinde_centre")
    warnings: list[str] = Field(default_factory=list)
    message: str | None = None
    suggestion: dict | None = Field(None, description="e.g. the swapped reading {lat, lon} of a point")
    ortsteil: str | None = Field(None, description="Ortsteil, former Gemeinde or district the text named, "
                                 "below the Gemeinde of ``name``/``ags``.")
    population: int | None = Field(None, description="Destatis population 31.12.2019 of the Gemeinde.")
    generation: str | None = Field(None, description="Reference data of the answer, e.g. 'VG5000 2021-01-01'.")
    key_change: dict | None = Field(None, description="The change-table row when the key differs from the "
                                    "reference generation (warning key_changed).")


class Service(BaseModel):
    """A Leistung from the LeiKa catalogue (Berlin d115 extract), with its Berlin 2024 name if known."""

    leika_key: str
    name: str
    leistungsobjekt: str
    verrichtung: str = ""
    group: str = ""
    synonyms: list[str] = Field(default_factory=list)
    d115_id: str | None = None
    url: str | None = None
    description: str | None = None
    # --- national catalogue (issue 6): all optional, so catalogues of earlier builds still load
    in_leika: bool = Field(True, description="False for OZG rows 'nicht im LeiKa' (key 'ozg-row-<id>').")
    origin: str | None = Field(None, description="First two key digits: '99' national, '11' Berlin, …")
    national_key: str | None = Field(None, description="The national 99… key this Land variant belongs to.")
    variant_of: str | None = Field(None, description="Same as national_key for a Land variant, else None.")
    in_berlin: bool = Field(False, description="The key is in Berlin's d115 table (Berlin offers it).")
    lands: list[str] = Field(default_factory=list, description="Land codes whose data offers this key: "
                             "'11' Berlin's table, '02' Hamburg's pages (mapped).")
    typisierung: str | None = None
    ozg_id: str | None = None
    ozg_leistung: str | None = None
    lebenslage: str | None = None
    themenfeld: str | None = None
    legal_basis: str | None = Field(None, description="Rechtsgrundlage as in the OZG catalogue 2019.")
    sdg: list[str] = Field(default_factory=list, description="SDG annexes flagged: 'I', 'II'.")
    sources: dict[str, str] = Field(
        default_factory=dict, description="Field name → source and date it came from, e.g. "
        "'name': 'service.berlin.de 2024-09'.")


def parse_service_id(value: str) -> str:
    """Check a service id: a 14-digit LeiKa key or ``ozg-row-<digits>`` (an OZG catalogue row without
    a LeiKa key) and return it stripped.

    Raises:
        UsageError: for anything else.
    """
    v = (value or "").strip()
    if _LEIKA_RE.match(v) or _OZG_ROW_RE.match(v):
        return v
    raise UsageError(f"LeiKa-Schlüssel must be 14 digits (or 'ozg-row-<id>'), got {value!r}")


class DescriptionSection(BaseModel):
    """One section of a service description as published: ``kind`` ∈ :data:`SECTION_KINDS`, the text
    (repaired only where the repair is verifiable, see indexer.descriptions), optional items and links
    ``{titel, link, text}``, and where it comes from (``source``, ``date``; ``land`` = Land code of the
    publisher, '11' Berlin, '02' Hamburg)."""

    kind: str
    title: str
    text: str = ""
    items: list[dict[str, str]] = Field(default_factory=list)
    source: str
    date: str
    land: str | None = None
    url: str | None = None


#: Section kinds of a description, in display order (FIM Stammtext structure, simplified).
SECTION_KINDS = ("what", "who", "documents", "fees", "deadlines", "duration", "legal_basis", "forms",
                 "online_service", "process", "offices", "notes")


class Description(BaseModel):
    """The structured description of one service: sections from every publisher that describes it."""

    leika_key: str
    sections: list[DescriptionSection] = Field(default_factory=list)


class Address(BaseModel):
    """A postal address as given in the office data."""

    street: str = ""
    house_number: str = ""
    postal_code: str = ""
    city: str = ""

    def one_line(self) -> str:
        """'Street 1, 10115 Berlin'."""
        street = " ".join(p for p in (self.street, self.house_number) if p)
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (street, town) if p)


class Office(BaseModel):
    """An Organisationseinheit (office location) with contact data and the services it offers."""

    id: str
    name: str
    authority: str | None = None
    category: str | None = None
    address: Address = Field(default_factory=Address)
    lat: float | None = None
    lon: float | None = None
    opening_hours: dict[str, str] = Field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    appointment_url: str | None = Field(None, description="Generic appointment link of the office.")
    services: dict[str, str | None] = Field(
        default_factory=dict, description="LeiKa key → service-specific appointment link (or None)."
    )
    source: str = ""


# --------------------------------------------------------------------------- Zuständigkeit (issue 5)


class LegalBasis(BaseModel):
    """Where a responsibility comes from: ``source`` (a law with section, a data set, a record export)
    and ``date`` (ISO date of the law's Ausfertigung/Neubekanntmachung or of the data's Stand; may be
    None when unknown)."""

    source: str
    date: str | None = None


class Zustaendigkeit(BaseModel):
    """An XZuFi Zuständigkeit: the Leistung ``leika_key`` in the area ``ars`` (Gebietsbezug, 2–12
    digits) is handled by the Organisationseinheit ``office_id`` in ``role`` ("zuständige Stelle" or
    "Ansprechpunkt"); ``appointment_url`` is the service-specific link of the record, if any."""

    id: str
    leika_key: str
    ars: str
    office_id: str
    role: str = "zuständige Stelle"
    appointment_url: str | None = None


class ContactFields(BaseModel):
    """Contact data of an office or a Gemeinde's administration: ``address`` one line, ``lat``/``lon``
    WGS84 degrees (None when the source has no point)."""

    address: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    lat: float | None = None
    lon: float | None = None


class ResponsibleOffice(ContactFields):
    """Who is responsible for a service at a place, as answered (see ``finder.responsibility``).

    ``source`` ∈ {record, rule, level_only}: a record from office data, a rule of
    ``finder/data/rules`` applied to the place's areas, or a rule whose level is known but for which no
    office can be named. ``level`` ∈ {gemeinde, gemeindeverband, kreis, kreisfreie_stadt, land, bund,
    kammer}; ``ars`` is the responsible area's key (12 digits for a Gemeinde, 9 for a Gemeindeverband,
    5 for a Kreis, 2 for a Land; None for a federal authority or without a place); ``why`` is one German
    sentence a hotline agent can read out; ``distance_m`` in metres for records with a point.
    """

    name: str
    authority: str | None = None
    source: str
    rule_id: str | None = None
    record_id: str | None = None
    level: str
    ars: str | None = None
    area_name: str | None = None
    role: str = "zuständige Stelle"
    legal_basis: LegalBasis
    why: str
    confidence: str = Field("high", description="high | medium | low: how sure the rule is for this place")
    distance_m: int | None = None
    contact_source: str | None = Field(None, description="Data set the contact fields come from.")
    evidence: LegalBasis | None = Field(
        None, description="Data set that sets or confirms this answer's level, with its Stand (e.g. WSP.NRW).")
