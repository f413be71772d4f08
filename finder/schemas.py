"""JSON shapes of the answers (API v1). Field names documented in the README are stable."""

from __future__ import annotations

from pydantic import BaseModel, Field

from zufi.model import DescriptionSection, Place, PlaceCandidate, ResponsibleOffice


class ServiceOut(BaseModel):
    """A Leistung as answered: ``leika_key`` is the 14-digit LeiKa-Schlüssel, or null for an OZG
    catalogue row that has none (``in_leika`` false); ``id`` is always set (the LeiKa key, or
    ``ozg-row-<n>``) and is what ``/api/v1/services/{id}`` takes."""

    id: str
    leika_key: str | None
    in_leika: bool = True
    name: str
    legal_basis: str | None = Field(None, description="Rechtsgrundlage of the Leistung as listed in the "
                                    "LeiKa/OZG-Umsetzungskatalog 2019 (where the catalogue has it).")
    leistungsobjekt: str
    verrichtung: str
    group: str
    synonyms: list[str]
    url: str | None = None
    description: str | None = None


class OfficeOut(BaseModel):
    """An office (Organisationseinheit) offering a service; ``distance_m`` in metres from the place."""

    id: str
    name: str
    authority: str | None = None
    category: str | None = None
    address: str
    postal_code: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    distance_m: int | None = None
    opening_hours: dict[str, str] = Field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    appointment_url: str | None = None
    reason: str | None = None


class Coverage(BaseModel):
    """Whether office data covers this place: status ∈ {offices, no_office_data, no_offices_for_service,
    place_unresolved}; ``offices_total`` = offices offering the service in all office data (Berlin,
    Hamburg), whatever the place — only with status ``offices`` are they offices for this place."""

    status: str
    message: str
    offices_total: int = 0


#: Who is responsible for the service at the place (records first, then rules, then the level alone):
#: the API answers :class:`zufi.model.ResponsibleOffice` as it is.
ResponsibleOut = ResponsibleOffice


class ResponsibleResponse(BaseModel):
    """Answer of ``GET /api/v1/responsible`` and ``zufi responsible``: the key asked for, its name when
    the catalogue has it, the place, and the responsible offices."""

    leika_key: str
    service_name: str | None = None
    place: Place
    responsible: list[ResponsibleOut]


class Result(BaseModel):
    """One ranked service with its offices."""

    rank: int
    score: float
    service: ServiceOut
    offices: list[OfficeOut]
    coverage: Coverage
    responsible: list[ResponsibleOut] = Field(default_factory=list)


class QueryOut(BaseModel):
    """What was understood of the request: the need searched for and the place text, and their source."""

    text: str
    need: str
    place_text: str | None = None
    place_source: str | None = None
    lat: float | None = None
    lon: float | None = None


class SearchResponse(BaseModel):
    """Answer of ``GET /api/v1/search`` and ``zufi search --json``."""

    query: QueryOut
    place: Place
    results: list[Result]
    warnings: list[str] = Field(default_factory=list)
    explain: dict | None = None


class LocateResponse(BaseModel):
    """Answer of ``GET /api/v1/locate`` and ``zufi locate --json``."""

    place: Place
    warnings: list[str] = Field(default_factory=list)


class PlacesResponse(BaseModel):
    """Answer of ``GET /api/v1/places``: the reading of ``q`` and names that start with it."""

    query: str
    place: Place
    matches: list[PlaceCandidate]


#: One section of a service description, answered as stored (:class:`zufi.model.DescriptionSection`).
DescriptionSectionOut = DescriptionSection


class CatalogueOut(BaseModel):
    """What the national catalogue says about a service, with the source and date of every field
    (``sources``: field → source). ``in_leika`` is False for OZG rows without a LeiKa key (id
    ``ozg-row-<n>``); ``origin`` '99' = national key, else the Land code of a Land's own key;
    ``national_key`` = the national key a Land variant belongs to."""

    in_leika: bool = True
    origin: str | None = None
    national_key: str | None = None
    typisierung: str | None = None
    ozg_id: str | None = None
    ozg_leistung: str | None = None
    lebenslage: str | None = None
    themenfeld: str | None = None
    legal_basis: str | None = None
    sdg: list[str] = Field(default_factory=list)
    lands: list[str] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)


class VariantOut(BaseModel):
    """The place's own variant of a service (another LeiKa key of the same service), with its
    description and why it was chosen."""

    service: ServiceOut
    description: list[DescriptionSectionOut] = Field(default_factory=list)
    reason: str


class ServiceDetail(BaseModel):
    """Answer of ``GET /api/v1/services/{leika_key}``: the service, its offices, the catalogue fields,
    the structured description (sections, the place's Land first when a place is given) and, with
    ``?where=``/``?ars=``, the place's variant of the service (None when the key itself is it)."""

    service: ServiceOut
    offices: list[OfficeOut]
    catalogue: CatalogueOut | None = None
    description: list[DescriptionSectionOut] = Field(default_factory=list)
    land: str | None = Field(None, description="Land code the answer was tailored to (from where/ars).")
    variant: VariantOut | None = None


class OfficeDetail(BaseModel):
    """Answer of ``GET /api/v1/offices/{id}``: the office and the services it offers."""

    office: OfficeOut
    services: list[ServiceOut]


class SuggestionOut(BaseModel):
    """One autocomplete suggestion: ``kind`` "service" (with ``leika_key``) or "place" (with ``ags``, the
    Gemeinde's 8-digit key); ``text`` to show; ``score`` orders suggestions of one kind; ``match`` ∈
    {prefix, word_prefix, fuzzy}."""

    kind: str
    text: str
    leika_key: str | None = None
    ags: str | None = None
    score: float
    match: str


class SuggestResponse(BaseModel):
    """Answer of ``GET /api/v1/suggest``: completions for the text being typed, best first."""

    query: str
    suggestions: list[SuggestionOut]
