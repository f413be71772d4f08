"""The few error types zufi raises on purpose; the web layer and the CLI each map them once."""

from __future__ import annotations


class ZufiError(Exception):
    """Base class of every deliberate zufi error. ``title`` is a short human label for problem+json."""

    title = "zufi error"
    status = 500


class UsageError(ZufiError):
    """Bad input from the user: malformed query, out-of-range coordinates, unknown parameter value.

    Mapped to HTTP 400 (problem+json) and to CLI exit code 2 with one readable line.
    """

    title = "Invalid request"
    status = 400


class NotFoundError(ZufiError):
    """A well-formed key that does not exist (LeiKa-Schlüssel, office id). HTTP 404, CLI exit 1."""

    title = "Not found"
    status = 404


class IndexUnavailableError(ZufiError):
    """No index has been built yet or it cannot be opened. HTTP 503, CLI exit 1."""

    title = "Index unavailable"
    status = 503


class DataFileError(ZufiError):
    """An input data file is missing, unreadable or corrupt. Names the file. CLI exit 1.

    Args:
        path: the offending file.
        reason: one line saying what is wrong.
    """

    title = "Data file error"
    status = 500

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
