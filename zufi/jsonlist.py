"""Lists of pydantic records stored as one JSON array beside the search index (catalogue side files)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import orjson
from pydantic import BaseModel

from zufi.errors import IndexUnavailableError

M = TypeVar("M", bound=BaseModel)


def save_records(path: Path, records: Iterable[BaseModel]) -> None:
    """Write ``records`` as one JSON array to ``path`` (its directory is created if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps([r.model_dump() for r in records]))


def load_records(path: Path, model: type[M], key: Callable[[M], str]) -> dict[str, M]:
    """The records of ``path`` by ``key``; an empty dict when the file does not exist (a build made
    before the file was introduced, or whose optional input was not fetched).

    Raises:
        IndexUnavailableError: when the file exists but is not a JSON array of ``model`` records.
    """
    if not path.exists():
        return {}
    try:
        return {key(r): r for r in (model.model_validate(d) for d in orjson.loads(path.read_bytes()))}
    except (OSError, ValueError) as exc:
        raise IndexUnavailableError(f"{path} is unreadable: {exc}") from exc
