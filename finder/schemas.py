"""JSON shapes of the answers (API v1). Field names documented in the README are stable."""

from __future__ import annotations

from pydantic import BaseModel, Field

from zufi.model import Place, PlaceCandidate


class ServiceOut(BaseModel):
    """A Leistung as answered: ``leika_key`` is the 14-digit LeiKa-Schlüssel."""

    leika_key: str
    name: str
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
    place_unresolved}."""

    status: str
    message: str
    offices_total: int = 0


class Result(BaseModel):
    """One ranked service with its offices."""

    rank: int
    score: float
    service: ServiceOut
    offices: list[OfficeOut]
    coverage: Coverage


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


class ServiceDetail(BaseModel):
    """Answer of ``GET /api/v1/services/{leika_key}``."""

    service: ServiceOut
    offices: list[OfficeOut]


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
