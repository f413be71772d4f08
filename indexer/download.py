"""HTTP downloads for `zufi data fetch` without ``--mirror``: stream a URL into a temp file beside its target.

:func:`download_to_temp` never touches the target itself: the caller verifies the temp file (checksum or
format) and moves it in with :func:`os.replace`, or deletes it. Network failures, timeouts and HTTP 5xx/429
are retried with exponential backoff; other HTTP errors (404 …) fail at once. Every failure is a
:class:`zufi.errors.DataFileError` naming the URL.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from zufi.errors import DataFileError

_CHUNK = 1 << 16
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    """Limits of one download. Times in seconds, sizes in bytes.

    ``timeout_s`` applies to connecting and to each read (not the whole transfer); ``retries`` is the
    number of further attempts after the first; attempt n waits ``backoff_s * 2**(n-1)`` before it.
    """

    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = 1.0
    max_bytes: int = 512 * 1024 * 1024
    user_agent: str = "zufi-data-fetch/0.1 (Zustaendigkeitsfinder)"  # ASCII: an HTTP header


class _Retryable(Exception):
    """A failure worth another attempt (network error, timeout, 5xx/429, truncated body)."""


def _attempt(client: httpx.Client, url: str, out, policy: DownloadPolicy,
             progress: Callable[[int, int | None], None] | None) -> str:
    """One GET streamed into the open file ``out`` (truncated first); returns the hex SHA-256."""
    out.seek(0)
    out.truncate()
    h = hashlib.sha256()
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code in _RETRY_STATUS:
                raise _Retryable(f"HTTP {resp.status_code} {resp.reason_phrase}")
            if resp.status_code != 200:
                raise DataFileError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
            length = resp.headers.get("content-length")
            expected = int(length) if length and length.isdigit() else None
            if expected is not None and expected > policy.max_bytes:
                raise DataFileError(url, f"file is {expected} bytes, more than the limit {policy.max_bytes}")
            got = 0
            for chunk in resp.iter_bytes(_CHUNK):
                got += len(chunk)
                if got > policy.max_bytes:
                    raise DataFileError(url, f"more than the limit of {policy.max_bytes} bytes")
                h.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(got, expected)
            if expected is not None and got != expected and not resp.headers.get("content-encoding"):
                raise _Retryable(f"truncated: got {got} of {expected} bytes")
    except (httpx.TimeoutException, httpx.TransportError) as e:  # incl. RemoteProtocolError, ConnectError
        raise _Retryable(f"{type(e).__name__}: {e or 'connection failed'}") from e
    return h.hexdigest()


def download_to_temp(url: str, target: Path, *, policy: DownloadPolicy | None = None,
                     client: httpx.Client | None = None,
                     progress: Callable[[int, int | None], None] | None = None) -> tuple[Path, str]:
    """Download ``url`` into a new temp file in ``target``'s directory (created if needed).

    Args:
        url: http(s) URL.
        target: the file the download is meant for; it is not touched. The temp file is named
            ``.<target name>.<random>.part<target suffix>`` so format readers still see the suffix.
        policy: timeouts, retries, backoff and size limit (defaults: :class:`DownloadPolicy`).
        client: an ``httpx.Client`` to reuse (else one is made for this call).
        progress: called with (bytes so far, Content-Length or None) after each chunk.
    Returns:
        (temp file path, hex SHA-256 of its content). The caller must move or delete it.
    Raises:
        DataFileError: naming ``url`` after an HTTP error status, a body larger than the limit, or when
            every attempt failed on the network / timed out / was cut short (the last reason is given).
    """
    policy = policy or DownloadPolicy()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + "".join(target.suffixes[-1:]),
                                dir=target.parent)
    tmp = Path(name)
    own = client is None
    if own:
        client = httpx.Client(timeout=httpx.Timeout(policy.timeout_s), follow_redirects=True,
                              headers={"User-Agent": policy.user_agent})
    try:
        with os.fdopen(fd, "w+b") as out:
            last = "no attempt"
            for attempt in range(policy.retries + 1):
                if attempt:
                    time.sleep(policy.backoff_s * 2 ** (attempt - 1))
                try:
                    digest = _attempt(client, url, out, policy, progress)
                except _Retryable as e:
                    last = str(e)
                    continue
                out.flush()
                os.fsync(out.fileno())
                break
            else:
                raise DataFileError(url, f"download failed after {policy.retries + 1} attempts: {last}")
        os.chmod(tmp, 0o644)
        return tmp, digest
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if own:
            client.close()


__all__ = ["DownloadPolicy", "download_to_temp"]
