"""The HTTP layer (FastAPI): parse parameters, call :class:`finder.core.Finder`, map errors once.

Every error answers with an RFC 9457 problem+json body: usage errors 400, unknown keys 404, a missing
index 503; an unexpected exception is a bug and answers 500 without a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from finder.core import FinderHolder
from finder.schemas import (
    LocateResponse,
    OfficeDetail,
    PlacesResponse,
    ResponsibleResponse,
    SearchResponse,
    ServiceDetail,
    SuggestResponse,
)
from zufi.errors import UsageError, ZufiError
from zufi.settings import Settings

log = logging.getLogger("zufi.api")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, instance: str | None = None, **extra: object) -> JSONResponse:
    """An RFC 9457 problem details response."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The index is opened on first use (no work at import or creation time)."""
    settings = settings or Settings()
    holder = FinderHolder(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Open the index and build the spaCy place parser before the first request, so no user pays
        # for it; without an index the server still starts and answers 503 until one is built.
        try:
            holder.get().place_parser.warm()
        except ZufiError as exc:
            log.warning("index not opened at start-up: %s", exc)
        yield

    app = FastAPI(title="zufi — Zuständigkeitsfinder", version="1", lifespan=lifespan,
                  description="Which service (Leistung, LeiKa) do I need, and who near me is responsible?")

    @app.exception_handler(ZufiError)
    async def _zufi_error(request: Request, exc: ZufiError) -> JSONResponse:
        return problem(exc.status, exc.title, str(exc), str(request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or None, "message": e.get("msg")}
                  for e in exc.errors()]
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        return problem(400, "Invalid request", detail, str(request.url.path), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, "Not found" if exc.status_code == 404 else "HTTP error",
                       str(exc.detail), str(request.url.path))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "unexpected error; it has been logged", str(request.url.path))

    @app.get("/api/v1/search", response_model=SearchResponse, response_model_exclude_none=False)
    def search(
        q: Annotated[str | None, Query(description="Free text: need, optionally with place")] = None,
        where: Annotated[str | None, Query(description="Place name or PLZ")] = None,
        lat: Annotated[float | None, Query(description="WGS84 latitude in degrees")] = None,
        lon: Annotated[float | None, Query(description="WGS84 longitude in degrees")] = None,
        x: Annotated[float | None, Query(description="Easting in metres (with crs)")] = None,
        y: Annotated[float | None, Query(description="Northing in metres (with crs)")] = None,
        crs: Annotated[str | None, Query(description="CRS of x/y, e.g. EPSG:25832, EPSG:31467")] = None,
        limit: Annotated[int | None, Query(ge=1, description="1 … ZUFI_MAX_LIMIT (default 10)")] = None,
        explain: bool = False,
    ) -> SearchResponse:
        """Services for the need in ``q``, with the offices for the place (``where``, a point as
        ``lat``/``lon`` or ``x``/``y``/``crs``, or a place named in ``q``)."""
        from finder.params import make_point

        finder = holder.get()
        point = make_point(lat, lon, x, y, crs)
        return finder.search(q, where=where, point=point, limit=limit, explain=explain)  # type: ignore[arg-type]

    @app.get("/api/v1/locate", response_model=LocateResponse)
    def locate(
        lat: Annotated[float | None, Query(description="WGS84 latitude in degrees")] = None,
        lon: Annotated[float | None, Query(description="WGS84 longitude in degrees")] = None,
        q: Annotated[str | None, Query(description="Place name, PLZ, AGS/ARS or street address")] = None,
        x: Annotated[float | None, Query(description="Easting in metres (with crs)")] = None,
        y: Annotated[float | None, Query(description="Northing in metres (with crs)")] = None,
        crs: Annotated[str | None, Query(description="CRS of x/y, e.g. EPSG:25832, EPSG:31467")] = None,
    ) -> LocateResponse:
        """The chain of areas containing a point — WGS84 ``lat``/``lon``, or ``x``/``y`` with ``crs`` —
        or, with ``q``, the reading of a place text. Metres passed as lat/lon answer 400 naming the
        likely CRS."""
        finder = holder.get()
        if q is not None:
            if any(v is not None for v in (lat, lon, x, y)):
                raise UsageError("give either q or coordinates, not both")
            return finder.resolve_place(q)
        return finder.locate(lat, lon, x=x, y=y, crs=crs)

    @app.get("/api/v1/places", response_model=PlacesResponse)
    def places(q: str | None = None, limit: Annotated[int, Query(ge=1, le=50)] = 10) -> PlacesResponse:
        """How a place text is understood, and place names starting with it."""
        return holder.get().places(q or "", limit=limit)

    @app.get("/api/v1/suggest", response_model=SuggestResponse)
    def suggest(
        q: Annotated[str | None, Query(description="The text being typed (1 … 100 characters)")] = None,
        limit: Annotated[int, Query(ge=1, le=20, description="Number of suggestions, 1 … 20")] = 8,
    ) -> SuggestResponse:
        """Autocomplete: service names and places (marked ``kind`` "place") for the text typed so far."""
        return holder.get().suggest(q, limit=limit)

    @app.get("/api/v1/services/{leika_key}", response_model=ServiceDetail)
    def service(
        leika_key: str,
        where: Annotated[str | None, Query(description="Place name or PLZ: adds the place's variant")] = None,
        ars: Annotated[str | None, Query(description="ARS/AGS (2–12 digits) instead of where")] = None,
    ) -> ServiceDetail:
        """One service by 14-digit LeiKa-Schlüssel (or ``ozg-row-<n>``), with all offices offering it,
        its catalogue fields and structured description; with ``where``/``ars`` the place's variant."""
        return holder.get().service(leika_key, where=where, ars=ars)

    @app.get("/api/v1/responsible", response_model=ResponsibleResponse)
    def responsible(
        leika_key: Annotated[str | None, Query(description="14-digit LeiKa-Schlüssel (any key)")] = None,
        leika: Annotated[str | None, Query(description="Alias of leika_key")] = None,
        where: Annotated[str | None, Query(description="Place name, PLZ, AGS or ARS")] = None,
        ars: Annotated[str | None, Query(description="12-digit ARS or 8-digit AGS of the Gemeinde")] = None,
        lat: Annotated[float | None, Query(description="WGS84 latitude in degrees")] = None,
        lon: Annotated[float | None, Query(description="WGS84 longitude in degrees")] = None,
    ) -> ResponsibleResponse:
        """Who is responsible for a service at a place: ``source`` record, rule or level_only, with
        level, the responsible area's ARS, legal basis and a sentence (``why``) to read out."""
        from finder.params import make_point

        key = leika_key or leika
        if not key:
            raise UsageError("give leika_key (14 digits)")
        if where is not None and ars is not None:
            raise UsageError("give either where or ars, not both")
        return holder.get().responsible(key, where=where, point=make_point(lat, lon), ars=ars)

    @app.get("/api/v1/offices/{office_id}", response_model=OfficeDetail)
    def office(office_id: str) -> OfficeDetail:
        """One office by id, with the services it offers."""
        return holder.get().office(office_id)

    page = Path(__file__).resolve().parent.parent / "frontend" / "index.html"

    @app.get("/", include_in_schema=False)
    def index_page() -> FileResponse:
        """The search page for citizens and hotline agents."""
        if not page.is_file():
            raise StarletteHTTPException(404, "frontend/index.html is not installed")
        return FileResponse(page, media_type="text/html; charset=utf-8")

    @app.get("/healthz")
    def healthz() -> dict:
        """Liveness and the serving build: ``{"status": "ok", "build": …, "services": n}`` (503 without index)."""
        finder = holder.get()
        return {"status": "ok", "build": finder.build_dir.name, "services": finder.index.count(),
                "offices": len(finder.catalog.offices)}

    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory finder.api:app_factory``."""
    return create_app()
