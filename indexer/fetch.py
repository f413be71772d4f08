"""`zufi data fetch`: copy the pinned public data files from a local mirror into the data dir.

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

from indexer.sources import CHECKSUM_FILE, SOURCES, SourceFile
from zufi.errors import DataFileError

_CHUNK = 1 << 20


@dataclass
class FetchReport:
    """What :func:`fetch_data` did: relative paths copied and those already up to date."""

    dest: Path
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI, e.g. '14 files: 3 copied, 11 unchanged, checksums verified'."""
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


def fetch_data(mirror: Path, dest: Path, *, progress: bool = False) -> FetchReport:
    """Copy every file of :data:`indexer.sources.SOURCES` from ``mirror`` to ``dest`` and verify it.

    Relative paths are kept (``dest/geo/vg5000_2021_gem.geojson.gz`` …); ``dest/SHA256SUMS`` is written
    at the end in ``sha256sum`` format.

    Raises:
        DataFileError: naming the mirror dir or file when it is missing/unreadable, or the file whose
            checksum differs from the pin (``dest``'s existing copy of that file stays untouched).
    """
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
