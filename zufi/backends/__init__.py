"""Search backends behind one interface; :func:`get_backend` picks one by name (setting ``ZUFI_BACKEND``)."""

from __future__ import annotations

from zufi.backends.base import (
    Backend,
    BackendQuery,
    Hit,
    IndexDoc,
    ServiceIndex,
    ServiceIndexWriter,
    TermClause,
)

__all__ = ["Backend", "BackendQuery", "Hit", "IndexDoc", "ServiceIndex", "ServiceIndexWriter", "TermClause",
           "get_backend"]


def get_backend(name: str = "tantivy") -> Backend:
    """Return the backend called ``name``; the engine module is imported only here, on demand.

    Raises:
        ValueError: for an unknown backend name.
    """
    if name == "tantivy":
        from zufi.backends.tantivy_backend import TantivyBackend

        return TantivyBackend()
    raise ValueError(f"unknown backend {name!r}")
