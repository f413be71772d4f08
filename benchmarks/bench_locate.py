"""Benchmark of Gazetteer.load and Gazetteer.locate over all of Germany (not a test).

Usage: ``python benchmarks/bench_locate.py [--index DIR] [--points N] [--seed S]``

Without ``--index`` the gazetteer is built from ``$ZUFI_MIRROR`` (default ``../shared/data``) into a
temporary directory first. Then ``N`` (default 50,000) uniformly random points in Germany's bounding
box (fixed seed) are located one by one with ``locate`` (p50/p99 per call, points/s) and once more with
the vectorised ``locate_many``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer
from zufi.model import GERMANY_BBOX, Point


def _build(tmp: Path) -> Path:
    from indexer.areas import build_gazetteer
    from indexer.report import BuildReport

    mirror = Path(os.environ.get("ZUFI_MIRROR", ROOT.parent / "shared" / "data"))
    t0 = time.perf_counter()
    build_gazetteer(mirror, tmp, BuildReport())
    print(f"build      {time.perf_counter() - t0:8.2f} s   (from {mirror})")
    return tmp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="existing gazetteer directory (skip the build)")
    ap.add_argument("--points", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=20210101)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="zufi-bench-") as tmp:
        directory = args.index or _build(Path(tmp))
        t0 = time.perf_counter()
        gaz = Gazetteer.load(directory)
        print(f"load       {time.perf_counter() - t0:8.3f} s   ({len(gaz)} Gemeinden)")

        rnd = random.Random(args.seed)
        x0, y0, x1, y1 = GERMANY_BBOX
        pts = [Point(rnd.uniform(x0, x1), rnd.uniform(y0, y1)) for _ in range(args.points)]

        gaz.locate(pts[0])  # warm-up
        times = []
        statuses: Counter[str] = Counter()
        near = 0
        t_all = time.perf_counter()
        for p in pts:
            t = time.perf_counter()
            place = gaz.locate(p)
            times.append(time.perf_counter() - t)
            statuses[place.status] += 1
            near += "near_boundary" in place.warnings
        total = time.perf_counter() - t_all
        times.sort()
        p50 = times[len(times) // 2] * 1e6
        p99 = times[int(len(times) * 0.99)] * 1e6
        print(f"locate     {len(pts) / total:8.0f} points/s   p50 {p50:.1f} µs   p99 {p99:.1f} µs   "
              f"(n={len(pts)}, {dict(statuses)}, near_boundary {near})")

        t = time.perf_counter()
        many = gaz.locate_many(pts)
        dt = time.perf_counter() - t
        print(f"locate_many{len(pts) / dt:8.0f} points/s")
        agree = sum(a.model_dump() == b.model_dump() for a, b in zip(many, (gaz.locate(p) for p in pts)))
        print(f"identical results locate_many vs locate: {agree}/{len(pts)}")

        # projected input (EPSG:25832 metres → WGS84 with a cached pyproj Transformer, then locate)
        from pyproj import Transformer

        fwd = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
        xy = [fwd.transform(p.lon, p.lat) for p in pts[:10_000]]
        gaz.locate_projected(*xy[0], "EPSG:25832")  # warm-up (builds the transformer)
        times = []
        for x, y in xy:
            t = time.perf_counter()
            gaz.locate_projected(x, y, "EPSG:25832")
            times.append(time.perf_counter() - t)
        times.sort()
        print(f"locate_projected {len(xy) / sum(times):8.0f} points/s   p50 {times[len(times) // 2] * 1e6:.1f} µs   "
              f"p99 {times[int(len(times) * 0.99)] * 1e6:.1f} µs   (n={len(xy)}, EPSG:25832)")


if __name__ == "__main__":
    main()
