"""`zufi index`: validate the fetched data, build a complete index aside, and swap it in atomically.

Layout under ``settings.index_root``::

    .lock                      flock held while a build runs
    builds/.tmp-<id>-<pid>/    a build in progress (removed on any failure)
    builds/<id>/               services/ (search index), catalog/, gazetteer/, manifest.json
    current -> builds/<id>     relative symlink, replaced with os.replace (readers never see a gap)

The serving ``current`` build is never modified: a failed or interrupted build leaves it as it was.
After a swap only the new and the previous build are kept (a running server may still use the previous).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from indexer.descriptions import read_descriptions, search_text
from indexer.fetch import input_accepted, read_sums, sha256_file
from indexer.hamburg import read_hamburg_offices, read_mapping
from indexer.lexicon import read_lexicon, write_lexicon
from indexer.offices import read_offices
from indexer.report import BuildReport
from indexer.services import read_catalogue
from indexer.sources import SOURCES
from zufi.analysis import stem, words
from zufi.backends import IndexDoc, get_backend
from zufi.backends.base import TEXT_FIELDS
from zufi.catalog import Catalog, catalogue_word_df, learning_services, splitter_lexicon
from zufi.compounds import CompoundSplitter, document_fields, load_lexicon
from zufi.errors import DataFileError, IndexUnavailableError, ZufiError
from zufi.model import Description, Service
from zufi.settings import Settings
from zufi.thesaurus import load_thesaurus, write_thesaurus

#: Reference generation of all area keys in a build (see SOURCES.md, "Known gaps").
GENERATION = "VG5000 2021-01-01"
BUILDS_DIR = "builds"
TMP_PREFIX = ".tmp-"


class BuildLockedError(ZufiError):
    """Another `zufi index` holds the lock on the same index root. CLI exit 1."""

    title = "Build already running"
    status = 409


@dataclass
class BuildResult:
    """A finished build: its directory (``builds/<id>``, now ``current``), the report, wall time in s."""

    path: Path
    report: BuildReport
    seconds: float


def build_index(settings: Settings, *, progress: bool = True, console: Console | None = None) -> BuildResult:
    """Build services index, catalogue and gazetteer from ``settings.data_dir`` and make it current.

    Steps: check inputs → read services → index services → read offices → save catalogue → gazetteer →
    manifest → rename into ``builds/<id>`` → swap the ``current`` symlink → prune old builds.

    Raises:
        DataFileError: naming the first missing/unreadable input file or a corrupt one.
        BuildLockedError: when another build is running on the same index root.
        KeyboardInterrupt and any other error propagate after the temporary build dir is removed;
        ``current`` is unchanged in every failure case.
    """
    started = time.perf_counter()
    out = console if console is not None else (Console(stderr=True) if progress else None)
    settings.index_root.mkdir(parents=True, exist_ok=True)
    builds = settings.index_root / BUILDS_DIR
    builds.mkdir(exist_ok=True)
    with _lock(settings.index_root):
        check_inputs(settings.data_dir)
        build_id = _new_build_id(builds)
        tmp = builds / f"{TMP_PREFIX}{build_id}-{os.getpid()}"
        final = builds / build_id
        report = BuildReport()
        try:
            tmp.mkdir()
            bar = Progress(console=out, transient=True) if progress else None
            with bar if bar is not None else nullcontext():
                durations = _build_into(tmp, settings, report, bar)
            _write_manifest(tmp, build_id, settings, report, durations)
            verify_build(tmp, settings)
            os.replace(tmp, final)
            previous = _swap_current(settings.current_index, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            if final.exists() and not _points_to(settings.current_index, final):
                shutil.rmtree(final, ignore_errors=True)
            raise
        _prune(builds, keep={build_id, previous})
    seconds = time.perf_counter() - started
    if out is not None:
        out.print(report_table(report))
    return BuildResult(path=final, report=report, seconds=seconds)


def check_inputs(data_dir: Path) -> None:
    """Check every required input file exists, is readable and still has its pinned checksum.

    A file that was truncated or edited after `zufi data fetch` would otherwise be indexed as valid but
    incomplete data (a half CSV parses fine), so every present pinned file is verified before the build.

    Raises:
        DataFileError: naming the first missing, unreadable or changed file (hint: run `zufi data fetch`).
    """
    for source in SOURCES:
        path = source.at(data_dir)
        if not source.required and not path.exists():
            continue
        if input_accepted(data_dir, source):  # a publisher-format file or a checksum accepted by fetch
            continue
        try:
            digest = sha256_file(path)
        except FileNotFoundError:
            raise DataFileError(path, "input file missing; run `zufi data fetch --mirror DIR`") from None
        except OSError as exc:
            raise DataFileError(path, f"input file unreadable: {exc}") from exc
        if source.sha256 is not None and digest != source.sha256:
            raise DataFileError(path, "file differs from its pinned checksum (changed or truncated since "
                                      "`zufi data fetch`); fetch it again")


def index_docs(services: list[Service], descriptions: dict[str, Description] | None = None,
               lexicon: frozenset[str] = frozenset()) -> Iterator[IndexDoc]:
    """Backend documents: for each of TEXT_FIELDS, ``f`` = stems and ``f_exact`` = folded words; ``parts``
    = stems of the compound parts (see :func:`zufi.compounds.document_fields`). The compound splitter
    is learned from :func:`zufi.catalog.learning_services` of ``services``, exactly as the finder learns
    it from the saved catalogue.
    ``description``/``description_exact`` = stems / folded words of the service's description text
    (:func:`indexer.descriptions.search_text`), when ``descriptions`` has one for the key.
    ``lexicon``: the compound lexicon nouns (:mod:`indexer.lexicon`), the same the finder loads; with the
    words of all services they are the splitter's second pass (:func:`zufi.catalog.splitter_lexicon`)."""
    splitter = CompoundSplitter.from_services(learning_services(services), splitter_lexicon(services, lexicon))
    descriptions = descriptions or {}
    for s in services:
        fields = document_fields(s, splitter, TEXT_FIELDS)
        d = descriptions.get(s.leika_key)
        if d is not None:
            exact = words(search_text(d))
            fields["description"] = [stem(w) for w in exact]
            fields["description_exact"] = exact
        yield IndexDoc(key=s.leika_key, fields=fields)


def report_table(report: BuildReport) -> Table:
    """A rich table: per kind, indexed count, rejected and repaired counts with reasons."""
    table = Table(title="index build", show_lines=False)
    table.add_column("kind")
    table.add_column("indexed", justify="right")
    table.add_column("rejected (reason)")
    table.add_column("repaired (reason)")
    kinds = list(dict.fromkeys([*report.indexed, *report.rejected, *report.repaired]))
    for kind in kinds:
        rej = "\n".join(f"{n} {r}" for r, n in report.rejected.get(kind, {}).items()) or "-"
        rep = "\n".join(f"{n} {r}" for r, n in report.repaired.get(kind, {}).items()) or "-"
        table.add_row(kind, str(report.indexed.get(kind, 0)), rej, rep)
    return table


# --------------------------------------------------------------------------- steps


def _build_into(build: Path, settings: Settings, report: BuildReport, bar: Progress | None) -> dict[str, float]:
    steps = ("read services", "read descriptions", "index services", "read offices", "save catalogue", "gazetteer")
    task = bar.add_task("building index", total=len(steps)) if bar is not None else None
    durations: dict[str, float] = {}
    t = time.perf_counter()

    def done(step: str) -> None:
        nonlocal t
        now = time.perf_counter()
        durations[step] = round(now - t, 3)
        t = now
        if bar is not None:
            bar.advance(task)
            bar.update(task, description=step)

    services = read_catalogue(settings.data_dir, report)
    done("read services")
    by_d115 = {s.d115_id: s.leika_key for s in services if s.d115_id}
    hamburg_mapping = read_mapping()
    descriptions = read_descriptions(settings.data_dir, by_d115, hamburg_mapping, report)
    done("read descriptions")
    lexicon, partners = read_lexicon(settings.data_dir, report, catalogue_word_df(services))
    write_lexicon(build, sorted(lexicon))
    write_thesaurus(build, partners)
    writer = get_backend(settings.backend).create(build / "services")
    writer.add(index_docs(services, descriptions, lexicon))
    writer.commit()
    done("index services")
    offices = read_offices(settings.data_dir, by_d115, report)
    hamburg_offices = read_hamburg_offices(settings.data_dir, hamburg_mapping, report)
    offices += hamburg_offices
    by_key = {s.leika_key: s for s in services}
    for o in hamburg_offices:  # Land '02' offers these keys (lands is used by the variant preference)
        for key in o.services:
            if key in by_key and "02" not in by_key[key].lands:
                by_key[key].lands.append("02")
    done("read offices")
    catalog = Catalog(by_key, {o.id: o for o in offices})
    catalog.save(build / "catalog")
    Catalog.save_descriptions(build / "catalog", descriptions)
    done("save catalogue")
    from indexer.areas import build_gazetteer  # written alongside; imported lazily

    build_gazetteer(settings.data_dir, build / "gazetteer", report, bar)
    done("gazetteer")
    _townhalls(build, settings, report)  # issue 5: contacts for rule answers (BY, ST), matched to AGS
    durations["townhalls"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    _nrw_wsp(build, settings, report)  # issue 5: NRW evidence of the responsible level (WSP.NRW 2024-11)
    durations["nrw_wsp"] = round(time.perf_counter() - t, 3)
    return durations


def verify_build(build: Path, settings: Settings) -> None:
    """Open every part of a finished build the way the finder will (search index, catalogue, gazetteer,
    compound lexicon, thesaurus table) before it is swapped in, so an incomplete build never becomes the
    serving one.

    Raises:
        IndexUnavailableError: naming the part that does not open.
        DataFileError: naming a lexicon or thesaurus file that does not read.
    """
    from gazetteer import Gazetteer

    if get_backend(settings.backend).open(build / "services").count() == 0:
        raise IndexUnavailableError(f"new build {build.name}: the search index is empty")
    Catalog.load(build / "catalog")
    Gazetteer.load(build / "gazetteer")
    load_lexicon(build)
    load_thesaurus(build)


def _townhalls(build: Path, settings: Settings, report: BuildReport) -> None:
    """Match the Bavarian and Sachsen-Anhalt town halls to AGS and store them in ``catalog/townhalls.json``."""
    from gazetteer import Gazetteer
    from indexer.townhalls import read_townhalls
    from zufi.townhalls import save_townhalls

    halls = read_townhalls(settings.data_dir, Gazetteer.load(build / "gazetteer"), report)
    save_townhalls(build / "catalog", halls)


def _nrw_wsp(build: Path, settings: Settings, report: BuildReport) -> None:
    """Normalise the WSP.NRW list to levels and store it in ``catalog/nrw_wsp.json`` (see indexer.nrw_wsp)."""
    from indexer.nrw_wsp import read_nrw_wsp
    from zufi.nrw_wsp import save_nrw_wsp

    save_nrw_wsp(build / "catalog", read_nrw_wsp(settings.data_dir, report))


def _write_manifest(build: Path, build_id: str, settings: Settings, report: BuildReport,
                    durations: dict[str, float]) -> None:
    sums = read_sums(settings.data_dir)
    if not sums:
        report.notes.append("data dir has no SHA256SUMS; checksums computed from the files")
        sums = {s.path: sha256_file(s.at(settings.data_dir)) for s in SOURCES if s.at(settings.data_dir).is_file()}
    manifest = {
        "id": build_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "backend": settings.backend,
        "generation": GENERATION,
        "counts": report.to_dict(),
        "durations_s": durations,
        "sources": sums,
    }
    (build / "manifest.json").write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))


def _new_build_id(builds: Path) -> str:
    base = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    build_id, n = base, 1
    while (builds / build_id).exists():
        build_id, n = f"{base}-{n}", n + 1
    return build_id


def _swap_current(current: Path, final: Path) -> str | None:
    """Point ``current`` at ``final`` (relative target) atomically; return the previous build's name."""
    previous = None
    if current.is_symlink():
        previous = Path(os.readlink(current)).name
    elif current.exists():
        raise ZufiError(f"{current} exists and is not a symlink; move it away")
    tmp_link = current.with_name(f".{current.name}.{os.getpid()}.tmp")
    tmp_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(final, current.parent), tmp_link)
    try:
        os.replace(tmp_link, current)
    except BaseException:
        tmp_link.unlink(missing_ok=True)
        raise
    return previous


def _points_to(link: Path, target: Path) -> bool:
    try:
        return link.is_symlink() and link.resolve() == target.resolve()
    except OSError:
        return False


def _prune(builds: Path, keep: set[str | None]) -> None:
    """Remove every build dir except ``keep``, including stale ``.tmp-*`` dirs (the lock is held)."""
    for entry in builds.iterdir():
        if entry.name not in keep and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _lock(index_root: Path) -> Iterator[None]:
    fh = (index_root / ".lock").open("a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(
                f"another build is running on {index_root} (lock {index_root / '.lock'}); try again later"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()
