"""The command line: ``zufi data fetch``, ``zufi index``, ``zufi search``, ``zufi locate``, ``zufi serve``.

Errors print one readable line on stderr and exit non-zero: 2 for bad input (UsageError), 1 for other
deliberate errors (missing index, unreadable data file), 130 when interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zufi.errors import UsageError, ZufiError
from zufi.settings import Settings

app = typer.Typer(help="zufi — Zuständigkeitsfinder: which service do I need, and who near me is responsible.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
data_app = typer.Typer(help="Get the public data sets.", no_args_is_help=True)
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
        except UsageError as exc:
            _fail(str(exc), 2)
        except ZufiError as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # a bug: still one readable line, not a traceback
            if os.environ.get("ZUFI_DEBUG"):
                raise
            _fail(f"internal error ({type(exc).__name__}: {exc}); set ZUFI_DEBUG=1 for a traceback", 70)

    return wrapper


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError on a bad ZUFI_* value
        _fail(f"invalid ZUFI_* setting: {exc}".splitlines()[0], 2)
        raise  # unreachable


@data_app.command("fetch")
@handled
def data_fetch(
    mirror: Annotated[Path | None, typer.Option(help="Local mirror of the public data, e.g. ../shared/data")] = None,
) -> None:
    """Copy and checksum the public data sets into $ZUFI_HOME/data."""
    from indexer.fetch import fetch_data

    s = _settings()
    source = mirror or s.mirror
    if source is None:
        raise UsageError("give --mirror DIR (or set ZUFI_MIRROR); downloading from the publishers comes later")
    report = fetch_data(source, s.data_dir, progress=sys.stderr.isatty())
    out.print(f"data in {s.data_dir}: {report.summary()}")


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
    limit: Annotated[int, typer.Option(help="Number of services")] = 10,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
    explain: Annotated[bool, typer.Option(help="Add the ranking trace")] = False,
) -> None:
    """Find services and the offices for a place."""
    from finder.core import Finder
    from finder.params import make_point

    f = Finder.open(_settings())
    resp = f.search(text, where=where, point=make_point(lat, lon), limit=limit, explain=explain)
    if json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    _print_place(resp.place)
    table = Table("#", "LeiKa", "Leistung", "Standorte", show_lines=False)
    for r in resp.results:
        table.add_row(str(r.rank), r.service.leika_key, r.service.name, str(r.coverage.offices_total))
    out.print(table)
    if resp.results:
        top = resp.results[0]
        out.print(f"[bold]{top.service.name}[/]: {top.coverage.message}")
        for o in top.offices:
            dist = f"{o.distance_m / 1000:.1f} km  " if o.distance_m is not None else ""
            out.print(f"  • {dist}{o.name}, {o.address}")


@app.command("locate")
@handled
def locate(
    place: Annotated[str | None, typer.Argument(help="Place name or PLZ")] = None,
    lat: Annotated[float | None, typer.Option(help="WGS84 latitude (degrees)")] = None,
    lon: Annotated[float | None, typer.Option(help="WGS84 longitude (degrees)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the API's JSON")] = False,
) -> None:
    """Resolve a place name, a PLZ or a point to its chain of areas (Land → … → Gemeinde)."""
    from finder.core import Finder

    if place is not None and (lat is not None or lon is not None):
        raise UsageError("give either a place or --lat/--lon, not both")
    f = Finder.open(_settings())
    resp = f.resolve_place(place) if place is not None else f.locate(lat, lon)
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
    out.print(line, highlight=False)
    if place.chain:
        out.print("  " + " → ".join(f"{c.name} [{c.level}]" for c in place.chain), highlight=False)
    if place.district:
        out.print(f"  Bezirk: {place.district.name}", highlight=False)
    for c in place.candidates[:10]:
        out.print(f"  ? {c.name} ({c.kreis or '-'}, {c.land or '-'}) AGS {c.ags}", highlight=False)
    if place.message:
        out.print(f"  {place.message}", highlight=False)
    if place.warnings:
        out.print(f"  Hinweise: {', '.join(place.warnings)}", highlight=False)


@app.command("serve")
@handled
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default ZUFI_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ZUFI_PORT)")] = None,
) -> None:
    """Serve the HTTP API (and page) with uvicorn."""
    import uvicorn

    from finder.api import create_app

    s = _settings()
    uvicorn.run(create_app(s), host=host or s.host, port=port or s.port, log_level="info")


def main() -> None:
    """Console entry point."""
    app()
