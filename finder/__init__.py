"""Query time: what do I need, and who near me is responsible.

Public surface: :class:`Finder` (open once, ask many times) and the convenience :func:`search` /
:func:`locate`, which use the index of the default settings (``ZUFI_HOME``). Never imports ``indexer``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from finder.core import Finder
    from finder.schemas import LocateResponse, SearchResponse
    from zufi.model import Point

__all__ = ["Finder", "locate", "search"]


@lru_cache(maxsize=1)
def _default() -> Finder:
    from finder.core import Finder
    from zufi.settings import Settings

    return Finder.open(Settings())


def search(text: str, where: str | None = None, point: Point | tuple[float, float] | None = None,
           limit: int = 10) -> SearchResponse:
    """Rank services for ``text`` at ``where`` (place name or PLZ) or ``point`` ((lon, lat) WGS84 degrees).

    Uses the index at ``$ZUFI_HOME/index/current``. See :meth:`finder.core.Finder.search`.
    """
    return _default().search(text, where=where, point=point, limit=limit)


def locate(lat: float, lon: float) -> LocateResponse:
    """The chain of areas containing the WGS84 point (degrees). See :meth:`finder.core.Finder.locate`."""
    return _default().locate(lat, lon)


def __getattr__(name: str):  # lazy re-export, no work at import time
    if name == "Finder":
        from finder.core import Finder

        return Finder
    raise AttributeError(name)
