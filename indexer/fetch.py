"""`zufi data fetch`: copy the pinned public data files from a local mirror into the data dir, or
download them from their publishers (:func:`download_data`, see ``docs/data.md``).

Each file is copied to a temp file beside its destination, checked against the SHA-256 pinned in
:mod:`indexer.sources`, and only then moved into place with :func:`os.replace`; a bad file never
replaces a good copy. Files already present with the right checksum are left alone.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.sources import (
    BY_PATH,
    CHECKSUM_FILE,
    FORMAT_MIRROR_ONLY,
    FORMAT_SAME,
    PUBLISHER_BY_NAME,
    PUBLISHER_FILES,
    SOURCES,
    PublisherFile,
    SourceFile,
)
from zufi.errors import DataFileError, UsageError

_CHUNK = 1 << 20


@dataclass
class FetchReport:
    """What :func:`fetch_data` / :func:`download_data` did: relative paths copied (or downloaded) and
    those already up to date; for downloads also the files whose new checksum was accepted
    (``--accept-new``) and the publisher files skipped ({name: reason})."""

    dest: Path
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    #: publisher files of optional inputs only that could not be fetched ({name: reason}); the index is
    #: then built without them (see :func:`download_data`)
    failed: dict[str, str] = field(default_factory=dict)
    mode: str = "mirror"  # or "download"

    def summary(self) -> str:
        """One line for the CLI, e.g. '14 files: 3 copied, 11 unchanged, checksums verified'."""
        if self.mode == "download":
            n = len(self.downloaded) + len(self.unchanged)
            line = (f"{n} files: {len(self.downloaded)} downloaded, {len(self.unchanged)} unchanged, "
                    "checksums and formats verified")
            if self.accepted:
                line += f"; new checksums accepted: {', '.join(self.accepted)}"
            if self.skipped:
                line += f"; {len(self.skipped)} not downloadable (use --mirror): {', '.join(self.skipped)}"
            if self.failed:
                line += "; optional, not fetched (the index goes without them): " + "; ".join(
                    f"{k}: {v}" for k, v in self.failed.items())
            return line
        n = len(self.copied) + len(self.unchanged)
        return f"{n} files: {len(self.copied)} copied, {len(self.unchanged)} unchanged, checksums verified"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at ``path`` (read in 1 MiB chunks).

    Raises:
        OSError: when the file cannot be read.
    """
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _copy_checked(src: Path, dst: Path, source: SourceFile) -> str:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".part", dir=dst.parent)
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                h.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if source.sha256 is not None and h.hexdigest() != source.sha256:
            raise DataFileError(src, f"checksum mismatch: expected sha256 {source.sha256}, got {h.hexdigest()}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
        return h.hexdigest()
    except OSError as exc:
        raise DataFileError(src, f"cannot copy to {dst}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def fetch_data(mirror: Path | None, dest: Path, *, progress: bool = False, **download: Any) -> FetchReport:
    """Copy every file of :data:`indexer.sources.SOURCES` from ``mirror`` to ``dest`` and verify it.

    Relative paths are kept (``dest/geo/vg5000_2021_gem.geojson.gz`` …); ``dest/SHA256SUMS`` is written
    at the end in ``sha256sum`` format. With ``mirror=None`` the files are downloaded from their
    publishers instead: :func:`download_data` with the keyword arguments in ``download``.

    Raises:
        DataFileError: naming the mirror dir or file when it is missing/unreadable, or the file whose
            checksum differs from the pin (``dest``'s existing copy of that file stays untouched).
    """
    if mirror is None:
        return download_data(dest, progress=progress, **download)
    mirror = Path(mirror)
    dest = Path(dest)
    if not mirror.is_dir():
        raise DataFileError(mirror, "data mirror directory not found")
    report = FetchReport(dest=dest)
    dest.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}

    bar = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("fetching data", total=len(SOURCES))
    try:
        for source in SOURCES:
            src, dst = source.at(mirror), source.at(dest)
            if not src.is_file():
                raise DataFileError(src, "file missing in the data mirror")
            if dst.is_file() and _matches(dst, src, source):
                report.unchanged.append(source.path)
                digests[source.path] = sha256_file(dst)
            else:
                digests[source.path] = _copy_checked(src, dst, source)
                report.copied.append(source.path)
            if bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()
    _write_sums(dest, digests)
    return report


def _matches(path: Path, src: Path, source: SourceFile) -> bool:
    """True when the fetched copy equals the pin (or, for an unpinned file, the mirror's file)."""
    try:
        return sha256_file(path) == (source.sha256 or sha256_file(src))
    except OSError:
        return False


def _write_sums(dest: Path, digests: dict[str, str]) -> None:
    text = "".join(f"{digests[s.path]}  {s.path}\n" for s in SOURCES)
    tmp = dest / f".{CHECKSUM_FILE}.part"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dest / CHECKSUM_FILE)


def read_sums(data_dir: Path) -> dict[str, str]:
    """The ``SHA256SUMS`` of a fetched data dir as ``{relative path: sha256}``; ``{}`` when absent."""
    try:
        lines = (data_dir / CHECKSUM_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        digest, _, rel = line.partition("  ")
        if digest and rel:
            out[rel] = digest
    return out


# ---------------------------------------------------------------------------------- publisher downloads
def publisher_url(pf: PublisherFile, base_url: str | None = None) -> str:
    """``pf.url``, or with ``base_url`` its path and query on that base (a test server, a proxy mirror):
    ``http://127.0.0.1:8123`` + ``/v2/public/zuordnung_plz_ort.csv``."""
    if not base_url:
        return pf.url
    parts = urlsplit(pf.url)
    return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


def _select(sources: list[str] | tuple[str, ...] | None) -> list[PublisherFile]:
    if not sources:
        return [p for p in PUBLISHER_FILES if p.default]
    unknown = [n for n in sources if n not in PUBLISHER_BY_NAME]
    if unknown:
        raise UsageError(f"unknown data source {', '.join(unknown)}; known: {', '.join(PUBLISHER_BY_NAME)}")
    return [PUBLISHER_BY_NAME[n] for n in dict.fromkeys(sources)]


def download_data(dest: Path, *, sources: list[str] | tuple[str, ...] | None = None, base_url: str | None = None,
                  accept_new: bool = False, policy: Any = None, progress: bool = False) -> FetchReport:
    """Download the data sets from their publishers (:data:`indexer.sources.PUBLISHER_FILES`) into ``dest``.

    Each file is streamed to a temp file beside its target (:func:`indexer.download.download_to_temp`)
    and moved in only after verification: a ``same``-format file must have its pinned SHA-256 (else the
    publisher's file changed: error, or with ``accept_new`` the new checksum is recorded in
    ``SHA256SUMS``); a converted format (VG5000 GeoPackage/shapefile zip, Destatis xlsx, GeoNames zip)
    must parse (:func:`indexer.formats.verify`). A file already present with its recorded checksum is
    left alone. ``SHA256SUMS`` is updated for what arrived (also when a later file fails); for a
    converted file, the mirror-format paths it stands for are dropped from it, so the readers take the
    publisher's file (:func:`input_for`). ``mirror-only`` files are kept if present, else listed in
    ``report.skipped``.

    Args:
        dest: the data dir (``Settings.data_dir``).
        sources: publisher file names (``--source``); default: every ``default`` one.
        base_url: fetch every URL's path from this base instead of the publisher's host (tests, proxies).
        accept_new: record a changed publisher checksum instead of failing.
        policy: an :class:`indexer.download.DownloadPolicy` (timeouts, retries, backoff, size limit).
        progress: show a rich progress bar on stderr.
    Raises:
        UsageError: for an unknown source name.
        DataFileError: naming the URL (HTTP error, network failure, changed checksum) or the file that
            does not parse; the existing copy in ``dest`` stays untouched. Without ``sources``, a file
            that stands only for optional inputs (``SourceFile.required`` False: descriptions, Hamburg,
            NRW WSP, the compound lexicon …) does not stop the others: it is listed in
            ``report.failed`` and the index is built without it.
    """
    import httpx

    from indexer.download import DownloadPolicy

    dest = Path(dest)
    chosen = _select(sources)
    policy = policy or DownloadPolicy()
    report = FetchReport(dest=dest, mode="download")
    dest.mkdir(parents=True, exist_ok=True)
    sums = read_sums(dest)
    bar = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
    client = httpx.Client(timeout=httpx.Timeout(policy.timeout_s), follow_redirects=True,
                          headers={"User-Agent": policy.user_agent})
    try:
        for pf in chosen:
            target = dest / pf.filename
            if pf.format == FORMAT_MIRROR_ONLY:
                present = [p for p in pf.provides if (dest / p).is_file()]
                if present:
                    report.unchanged.extend(present)
                else:
                    report.skipped[pf.name] = f"no publisher download ({pf.note})"
                continue
            if target.is_file() and _current(target, pf, sums):
                report.unchanged.append(pf.filename)
                continue
            url = publisher_url(pf, base_url)
            task = bar.add_task(pf.name, total=None) if bar is not None else None
            try:
                digest = _download_verified(pf, url, target, client, policy, accept_new, report,
                                            (lambda got, total, t=task: bar.update(t, completed=got, total=total))
                                            if bar else None)
            except DataFileError as exc:
                if sources or _required(pf):
                    raise
                report.failed[pf.name] = str(exc)
                continue
            sums[pf.filename] = digest
            if pf.format != FORMAT_SAME:
                for p in pf.provides:
                    sums.pop(p, None)
                for other in PUBLISHER_FILES:  # an earlier download in another format of the same data
                    if other is not pf and other.format != FORMAT_SAME and set(other.provides) & set(pf.provides):
                        sums.pop(other.filename, None)
            report.downloaded.append(pf.filename)
        if not sources:  # a pinned file nobody has described in PUBLISHER_FILES yet: as mirror-only
            described = {p for pf in PUBLISHER_FILES for p in pf.provides}
            for s in SOURCES:
                if s.path not in described:
                    if s.at(dest).is_file():
                        report.unchanged.append(s.path)
                    else:
                        report.skipped[s.path] = "no publisher download described in indexer/sources.py"
    finally:
        client.close()
        if bar is not None:
            bar.stop()
        _write_sum_table(dest, sums)
    return report


def _required(pf: PublisherFile) -> bool:
    """True when ``pf`` stands for an input `zufi index` needs (:attr:`SourceFile.required`)."""
    return any(BY_PATH[p].required for p in pf.provides if p in BY_PATH)


def _download_verified(pf: PublisherFile, url: str, target: Path, client: Any, policy: Any, accept_new: bool,
                       report: FetchReport, progress: Any) -> str:
    """Download ``pf`` from ``url`` to a temp file, verify it (pin or format) and move it to ``target``;
    returns its SHA-256. Raises DataFileError naming the URL or file; ``target`` is untouched then."""
    from indexer import formats
    from indexer.download import download_to_temp

    tmp, digest = download_to_temp(url, target, policy=policy, client=client, progress=progress)
    try:
        if pf.format == FORMAT_SAME:
            pin = pf.pin()
            if pin is not None and digest != pin:
                if not accept_new:
                    raise DataFileError(url, f"the publisher's file changed: sha256 {digest}, pinned "
                                             f"{pin}; check it, then run again with --accept-new to "
                                             "record the new checksum in SHA256SUMS")
                report.accepted.append(pf.filename)
            formats.verify(tmp, FORMAT_SAME)
        else:
            formats.verify(tmp, pf.format)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


def _current(target: Path, pf: PublisherFile, sums: dict[str, str]) -> bool:
    """True when ``target`` needs no download: it has the pin (``same``) or the checksum SHA256SUMS records."""
    try:
        digest = sha256_file(target)
    except OSError:
        return False
    return digest == pf.pin() or digest == sums.get(pf.filename)


def _write_sum_table(dest: Path, sums: dict[str, str]) -> None:
    """SHA256SUMS from ``{relative path: digest}`` (entries whose file is gone are dropped)."""
    text = "".join(f"{d}  {rel}\n" for rel, d in sorted(sums.items()) if (dest / rel).is_file())
    tmp = dest / f".{CHECKSUM_FILE}.part"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dest / CHECKSUM_FILE)


def input_for(data_dir: Path, rel: str) -> tuple[Path, str]:
    """The file to read for mirror path ``rel`` and its format (``same`` = the mirror's format).

    Candidates: the mirror-format file and every publisher file in another format that stands for
    ``rel`` (:data:`indexer.sources.PUBLISHER_FILES`). The first one listed in ``SHA256SUMS`` and present
    wins (the last fetch decides), else the first present, else the mirror path (whose reader then
    reports it missing).
    """
    data_dir = Path(data_dir)
    cands = [(rel, FORMAT_SAME)] + [(pf.filename, pf.format) for pf in PUBLISHER_FILES
                                    if rel in pf.provides and pf.format not in (FORMAT_SAME, FORMAT_MIRROR_ONLY)]
    sums = read_sums(data_dir)
    for name, fmt in cands:
        if name in sums and (data_dir / name).is_file():
            return data_dir / name, fmt
    for name, fmt in cands:
        if (data_dir / name).is_file():
            return data_dir / name, fmt
    return data_dir / rel, FORMAT_SAME


def input_accepted(data_dir: Path, source: SourceFile) -> bool:
    """True when ``source`` is provided other than by its pinned file, as `zufi data fetch` recorded it.

    That is: its file has a checksum accepted with ``--accept-new`` (the SHA256SUMS entry differs from the
    pin and matches the file), or it is absent from SHA256SUMS and a publisher file in another format
    that stands for it is present with the checksum SHA256SUMS records. Used by the build's input check.
    """
    data_dir = Path(data_dir)
    sums = read_sums(data_dir)
    path = source.at(data_dir)
    recorded = sums.get(source.path)
    try:
        if recorded is not None and path.is_file():
            return recorded != source.sha256 and sha256_file(path) == recorded
        alt, fmt = input_for(data_dir, source.path)
        if fmt == FORMAT_SAME:
            return False
        rel = alt.relative_to(data_dir).as_posix()
        return rel in sums and sha256_file(alt) == sums[rel]
    except OSError:
        return False
