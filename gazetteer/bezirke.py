"""The repository table of Berlin and Hamburg Bezirke (``gazetteer/data/bezirke.csv``).

Bezirke have no key and no polygon in the public data (VG5000 has Berlin and Hamburg as one
Gemeinde each), so a Bezirk is a name with spelling variants and one representative point: the seat
of its Bezirksamt. Sources per row in the ``source`` column.
"""

from __future__ import annotations

import csv
from pathlib import Path

BEZIRKE_CSV = Path(__file__).resolve().parent / "data" / "bezirke.csv"


def read_bezirke(path: Path = BEZIRKE_CSV) -> list[dict]:
    """Rows of the table: ``{city, bezirk, variants: [str], lat, lon (WGS84 degrees), source}``.

    Lines starting with ``#`` are comments. Raises OSError / ValueError / KeyError on a broken table.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    out = []
    for r in csv.DictReader(lines):
        variants = [v.strip() for v in r["variants"].split("|") if v.strip()]
        if r["bezirk"] not in variants:
            variants.insert(0, r["bezirk"])
        out.append({"city": r["city"].strip(), "bezirk": r["bezirk"].strip(), "variants": variants,
                    "lat": float(r["lat"]), "lon": float(r["lon"]), "source": r["source"].strip()})
    return out
