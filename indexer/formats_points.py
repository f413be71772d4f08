"""Read the geo-lookup golden test points as their origin ships them.

Origin: GitHub ``vizsim/wer-ist-zustaendig``, ``tests/golden-punkte.json`` at commit
5439299a6d04cfbb7f286c2beb0f91a9f97ac49a (the version with 13 points; an earlier one, 5f1b7bbe, had 9).
The file is a bare JSON list of ``{"name", "lat", "lon", "ars"[, "bezirk"]}``; the mirror's
``testpoints/golden_points_ars.json`` restates the same 13 points as an object ``{"source", "points"}``
(SOURCES.md §6), which is the shape zufi's tests read. :func:`read_golden_points` accepts both and gives
that object. Repository licence AGPL-3.0; the points are factual coordinates with their official ARS.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zufi.errors import DataFileError

GOLDEN_COMMIT = "5439299a6d04cfbb7f286c2beb0f91a9f97ac49a"
#: ``source`` of the object made from the repository's bare list.
GOLDEN_SOURCE = (f"vizsim/wer-ist-zustaendig tests/golden-punkte.json (commit {GOLDEN_COMMIT[:8]}; repository "
                 "licence AGPL-3.0; these landmark coordinates + ARS codes are factual reference values)")


def read_golden_points(path: Path) -> dict[str, Any]:
    """The golden points as ``{"source": str, "points": [{"name", "lat", "lon", "ars", "bezirk"?}]}``.

    Args:
        path: the repository's ``golden-punkte.json`` (a JSON list) or the mirror's restatement (an object
            with ``points``).
    Values: ``lat``/``lon`` WGS84 degrees (numbers), ``ars`` the 12-digit Regionalschlüssel (text),
    ``bezirk`` a Berlin district code where given; points are kept in file order, other keys kept as they are.

    Raises:
        DataFileError: naming ``path`` when it is missing, not JSON, not a list/object of points, or a point
            lacks a name, numeric lat/lon in range, or a 12-digit ``ars``.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise DataFileError(path, "file is missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise DataFileError(path, f"not a readable JSON file of golden points: {e}") from e
    if isinstance(data, list):
        out = {"source": GOLDEN_SOURCE, "points": data}
    elif isinstance(data, dict) and isinstance(data.get("points"), list):
        out = {"source": str(data.get("source") or ""), "points": data["points"]}
    else:
        raise DataFileError(path, "expected a JSON list of points or an object with 'points'")
    if not out["points"]:
        raise DataFileError(path, "no golden points")
    for i, p in enumerate(out["points"]):
        ok = (isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"]
              and all(isinstance(p.get(k), (int, float)) and not isinstance(p.get(k), bool) for k in ("lat", "lon"))
              and isinstance(p.get("ars"), str) and len(p["ars"]) == 12 and p["ars"].isdigit())
        if not ok or not (-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180):
            raise DataFileError(path, f"point {i + 1}: needs name, numeric lat/lon and a 12-digit ars: {p!r:.120}")
    return out


def load_golden_points(data_dir: Path) -> dict[str, Any]:
    """The golden points of a data dir: the file :func:`indexer.fetch.input_for` names for the mirror path
    ``testpoints/golden_points_ars.json`` (the mirror's object or the downloaded repository list), read by
    :func:`read_golden_points`.

    Raises:
        DataFileError: as :func:`read_golden_points` (also when neither file is present).
    """
    from indexer.fetch import input_for

    return read_golden_points(input_for(Path(data_dir), "testpoints/golden_points_ars.json")[0])


__all__ = ["GOLDEN_COMMIT", "GOLDEN_SOURCE", "load_golden_points", "read_golden_points"]
