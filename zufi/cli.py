"""The command line: ``zufi data fetch``, ``zufi index``, ``zufi search``, ``zufi locate``, ``zufi suggest``,
``zufi serve``.

Errors print one readable line on stderr and exit non-zero: 2 for bad input (UsageError), 1 for other
deliberate errors (missing index, unreadable data file), 130 when interrupted.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zufi.errors import UsageError, ZufiError
from zufi.settings import Settings

app = typer.Typer(help="zufi — Zuständigkeitsfinder: which service do I need, and who near me is responsible.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  rich_markup_mode=None)
data_app = typer.Typer(help="Get the public data sets.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(data_app, name="data")
err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int) -> None:
    err.print(f"zufi: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map zufi's errors to one line on stderr and an exit code (2 usage, 1 other, 130 interrupt)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except UsageError as exc:
            _fail(str(exc), 2)
        except ZufiError as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except OSError as exc:  # a file the user named (output path …) cannot be read or written
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), 1)
        except Exception as exc:  # a bug: still one readable line, not a traceback
            if _debug():
                raise
            _fail(f"internal error ({type(exc).__name__}: {exc}); set ZUFI_DEBUG=1 for a traceback", 70)

    return wrapper


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:  # a bad ZUFI_* value
        first = exc.errors()[0]
        loc = first.get("loc", ())
        msg = str(first.get("msg", "")).removeprefix("Value error, ")
        if loc:  # ("synonym_files", 0): the setting, and the item of a list that is wrong
            item = f" (item {loc[1]}: {first.get('input')!r})" if len(loc) > 1 else f"={first.get('input')!r}"
            _fail(f"invalid setting ZUFI_{str(loc[0]).upper()}{item}: {msg}", 2)
        _fail(f"invalid ZUFI_* settings: {msg}", 2)
        raise  # unreachable
    except SettingsError as exc:  # a value pydantic-settings cannot even parse (e.g. a list that is not JSON)
        field = re.search(r'field "(\w+)"', str(exc))
        if field:
            name = f"ZUFI_{field.group(1).upper()}"
            _fail(f"invalid setting {name}: not a JSON value; a list is written as JSON, "
                  f"e.g. {name}='[\"/etc/zufi/extra.tsv\"]'", 2)
        _fail(f"invalid ZUFI_* setting: {exc}", 2)
        raise  # unreachable


def _debug() -> bool:
    try:
        return Settings().debug
    except Exception:  # noqa: BLE001 - settings broken: no traceback either
        return False


@data_app.command("fetch")
@handled
def data_fetch(
    mirror: Annotated[Path | None, typer.Option(help="Local mirror of the public data, e.g. ../shared/data")] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Download only this data set (repeatable; names in docs/data.md)")] = None,
    accept_new: Annotated[bool, typer.Option(
        "--accept-new", help="Record a publisher file's new checksum in SHA256SUMS instead of failing")] = False,
    base_url: Annotated[str | None, typer.Option(
        help="Fetch each publisher URL's path from this base instead (a proxy or a local server)")] = None,
    download: Annotated[bool, typer.Option(
        "--download", help="Download from the publishers even when ZUFI_MIRROR is set")] = False,
) -> None:
    """Copy (--mirror DIR, or ZUFI_MIRROR) or download (from the publishers) and verify the public data
    sets into $ZUFI_HOME/data."""
    from indexer.fetch import download_data, fetch_data

    s = _settings()
    if mirror is not None and (download or source or accept_new or base_url):
        raise UsageError("--mirror copies the pinned files; --source/--accept-new/--base-url/--download "
                         "are for downloads from the publishers")
    use_mirror = mirror or (None if (download or source or accept_new or base_url) else s.mirror)
    if use_mirror is not None:
        report = fetch_data(use_mirror, s.data_dir, progress=sys.stderr.isatty())
    else:
        report = download_data(s.data_dir, sources=source or None, base_url=base_url, accept_new=accept_new,
                               progress=sys.stderr.isatty())
    out.print(f"data in {s.data_dir}: {report.summary()}")
    for name, reason in report.skipped.items():
        err.print(f"zufi: note: {name}: {reason}; get it with --mirror DIR", markup=False, highlight=False)


@app.command("index")
@handled
def index(quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars")] = False) -> None:
    """Validate the data, build a new index aside and swap it in atomically."""
    from indexer.build import build_index

    s = _settings()
    result = build_index(s, progress=not quiet, console=out)
    out.print(f"index built in {result.seconds:.1f} s → {result.path}")


@app.command("search")
@handled
def search(
    text: Annotated[str, typer.Argument(help="What you need, optionally with a place: 'Hund anmelden Erfurt'")],
    where: Annotated[str | None, typer.Option(help="Place name or PLZ")] = None,
    lat: Annotated[float | None, typer.Option(help="WGS84 latitude (degrees)")] = None,
    lon: Annotated[float | None, typer.Option(help="WGS84 longitude (degrees)")] = None,
    x: Annotated[float | None, typer.Option(help="Easting in metres (with --crs)")] = None,
    y: Annotated[float | None, typer.Option(help="Northing in metres (with --crs)")] = None,
    crs: Annotated[str | None, typer.Option(help="CRS of --x/--y, e.g. EPSG:25832")] = None,
    limit: Annotated[int | None, typer.Option(help="Number of services (default 10)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
    explain: Annotated[bool, typer.Option(help="Add the ranking trace")] = False,
) -> None:
    """Find services and the offices for a place."""
    from finder.core import Finder
    from finder.params import make_point

    f = Finder.open(_settings())
    resp = f.search(text, where=where, point=make_point(lat, lon, x, y, crs), limit=limit, explain=explain)
    if json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    _print_place(resp.place)
    table = Table("#", "LeiKa", "Leistung", "Standorte", show_lines=False)
    for r in resp.results:
        here = str(r.coverage.offices_total) if r.coverage.status == "offices" else "–"  # none for this place
        table.add_row(str(r.rank), r.service.id, escape(r.service.name), here)
    out.print(table)
    if resp.results:
        top = resp.results[0]
        out.print(f"[bold]{escape(top.service.name)}[/]: {escape(top.coverage.message)}", highlight=False)
        for o in top.offices:
            dist = f"{o.distance_m / 1000:.1f} km  " if o.distance_m is not None else ""
            out.print(f"  • {dist}{o.name}, {o.address}", markup=False, highlight=False)
        for z in top.responsible:
            if z.source == "record":
                continue
            out.print(f"  Zuständig ({z.source}, {z.level}): {z.name}", markup=False, highlight=False)
            out.print(f"    {z.why}", markup=False, highlight=False)
    if "empty_need" in resp.warnings:
        out.print("Hinweis: kein Anliegen erkannt – bitte beschreiben, was Sie brauchen.", markup=False)


@app.command("locate")
@handled
def locate(
    place: Annotated[str | None, typer.Argument(help="Place name, PLZ, AGS/ARS or street address")] = None,
    lat: Annotated[float | None, typer.Option(help="WGS84 latitude (degrees)")] = None,
    lon: Annotated[float | None, typer.Option(help="WGS84 longitude (degrees)")] = None,
    x: Annotated[float | None, typer.Option("--x", help="Easting in metres (with --crs)")] = None,
    y: Annotated[float | None, typer.Option("--y", help="Northing in metres (with --crs)")] = None,
    crs: Annotated[str | None, typer.Option(help="CRS of --x/--y, e.g. EPSG:25832, EPSG:31467")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
) -> None:
    """Resolve a place name, a PLZ, a key, an address or a point (--lat/--lon or --x/--y/--crs) to its
    chain of areas (Land → … → Gemeinde)."""
    from finder.core import Finder

    if place is not None and any(v is not None for v in (lat, lon, x, y)):
        raise UsageError("give either a place or a point (--lat/--lon or --x/--y/--crs), not both")
    f = Finder.open(_settings())
    resp = f.resolve_place(place) if place is not None else f.locate(lat, lon, x=x, y=y, crs=crs)
    if json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    _print_place(resp.place)


def _print_place(place: Any) -> None:
    if place.status == "none":
        return
    line = f"Ort: {place.status}"
    if place.name:
        line += f" — {place.name} (AGS {place.ags}, ARS {place.ars})"
    plain = {"highlight": False, "markup": False}
    out.print(line, **plain)
    if place.chain:
        out.print("  " + " → ".join(f"{c.name} [{c.level}]" for c in place.chain), **plain)
    if place.district:
        out.print(f"  Bezirk: {place.district.name}", **plain)
    for c in place.candidates[:10]:
        out.print(f"  ? {c.name} ({c.kreis or '-'}, {c.land or '-'}) AGS {c.ags}", **plain)
    if place.message:
        out.print(f"  {place.message}", **plain)
    if place.warnings:
        out.print(f"  Hinweise: {', '.join(place.warnings)}", **plain)


@app.command("suggest")
@handled
def suggest(
    text: Annotated[str, typer.Argument(help="The text typed so far: 'pers', 'reisepass berl', '1011'")],
    limit: Annotated[int, typer.Option(help="Number of suggestions, 1 … 20")] = 8,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
) -> None:
    """Autocomplete: service names and places for the text typed so far."""
    from finder.core import Finder

    resp = Finder.open(_settings()).suggest(text, limit=limit)
    if json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    for s in resp.suggestions:
        key = s.leika_key if s.kind == "service" else f"AGS {s.ags}"
        out.print(f"{s.kind:7}  {s.match:11}  {s.score:6.3f}  {s.text}  [{key}]", markup=False, highlight=False)


@app.command("service")
@handled
def service(
    leika_key: Annotated[str, typer.Argument(help="LeiKa-Schlüssel (14 digits) or ozg-row-<n>")],
    where: Annotated[str | None, typer.Option(help="Place name or PLZ: show the place's variant")] = None,
    ars: Annotated[str | None, typer.Option(help="ARS/AGS instead of --where")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
) -> None:
    """One service: catalogue fields, structured description (what, who, documents, fees, …), offices."""
    from finder.core import Finder

    d = Finder.open(_settings()).service(leika_key, where=where, ars=ars)
    if json:
        sys.stdout.write(d.model_dump_json(indent=2) + "\n")
        return
    plain = {"markup": False, "highlight": False}
    out.print(f"{d.service.id}  {d.service.name}", style="bold", **plain)
    if d.catalogue is not None:
        c = d.catalogue
        facts = [f"Typisierung {c.typisierung}" if c.typisierung else "", f"OZG: {c.ozg_leistung}" if c.ozg_leistung else "",
                 f"national: {c.national_key}" if c.national_key else "", "" if c.in_leika else "nicht im LeiKa"]
        if any(facts):
            out.print("  " + " · ".join(f for f in facts if f), **plain)
    if d.variant is not None:
        out.print(f"Variante für Land {d.land}: {d.variant.service.id}  {d.variant.service.name}", **plain)
    sections = d.variant.description if d.variant is not None and d.variant.description else d.description
    if not sections:
        out.print("(keine Beschreibung in den Daten)", **plain)
    for s in sections:
        out.print(f"\n{s.title}  [{s.source}, {s.date}]", style="bold", **plain)
        if s.text:
            out.print(s.text, **plain)
        for i in s.items:
            line = " – ".join(p for p in (i.get("titel"), i.get("text")) if p)
            out.print(f"  • {line}" + (f"  <{i['link']}>" if i.get("link") else ""), **plain)
    if d.offices:
        out.print(f"\n{len(d.offices)} Standorte, z. B.: " + "; ".join(o.name for o in d.offices[:5]), **plain)


@app.command("serve")
@handled
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default ZUFI_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ZUFI_PORT)", min=1, max=65535)] = None,
) -> None:
    """Serve the HTTP API (and page) with uvicorn."""
    import uvicorn

    from finder.api import create_app

    s = _settings()
    uvicorn.run(create_app(s), host=host or s.host, port=port or s.port, log_level="info")


export_app = typer.Typer(help="Export the current build in exchange formats.", no_args_is_help=True,
                         rich_markup_mode=None)
check_app = typer.Typer(help="Read an exchange file and report what it holds (nothing is changed).",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export")
app.add_typer(check_app, name="import-check")


@export_app.command("xzufi")
@handled
def export_xzufi(file: Annotated[Path, typer.Argument(help="XML file to write")]) -> None:
    """Write the current build's services, offices and office→service links as an XZuFi 2.2 message
    (Zuständigkeiten with the Berlin ARS 110000000000)."""
    from zufi.catalog import Catalog
    from zufi.errors import IndexUnavailableError
    from zufi.xzufi import write_xzufi

    s = _settings()
    if not s.current_index.exists():
        raise IndexUnavailableError(f"no index at {s.current_index}; run `zufi index` first")
    counts = write_xzufi(Catalog.load(s.current_index.resolve() / "catalog"), file)
    out.print(f"{file}: " + ", ".join(f"{n} {k}" for k, n in counts.items()), markup=False, highlight=False)


@check_app.command("xzufi")
@handled
def import_check_xzufi(file: Annotated[Path, typer.Argument(help="XZuFi 2.2 XML file to read")]) -> None:
    """Read an XZuFi 2.2 message and print how many Leistungen, Organisationseinheiten and
    Zuständigkeiten it holds; a malformed file exits 1 naming file and line."""
    from zufi.xzufi import read_xzufi

    msg = read_xzufi(file)
    out.print(f"{file}: {len(msg.catalog.services)} leistung, {len(msg.catalog.offices)} organisationseinheit, "
              f"{len(msg.zustaendigkeiten)} zustaendigkeit", markup=False, highlight=False)


@app.command("responsible")
@handled
def responsible(
    leika: Annotated[str, typer.Argument(help="14-digit LeiKa-Schlüssel, e.g. 99115005104000")],
    place: Annotated[str | None, typer.Argument(help="Place name, PLZ, AGS or ARS")] = None,
    lat: Annotated[float | None, typer.Option(help="WGS84 latitude (degrees)")] = None,
    lon: Annotated[float | None, typer.Option(help="WGS84 longitude (degrees)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
) -> None:
    """Who is responsible for a service at a place: records, rules or the level, each with a reason."""
    from finder.core import Finder
    from finder.params import make_point

    resp = Finder.open(_settings()).responsible(leika, where=place, point=make_point(lat, lon))
    if json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    _print_place(resp.place)
    for r in resp.responsible:
        out.print(f"[{r.source}] {r.name} — {r.level} {r.ars or ''}", markup=False, highlight=False)
        out.print(f"  {r.why}", markup=False, highlight=False)


def main() -> None:
    """Console entry point."""
    app()
