"""What every benchmark script shares: arguments, one-core pinning, percentiles, an index to measure."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_BUILD = ("import sys; from pathlib import Path; from zufi.settings import Settings; "
          "from indexer.build import build_index; build_index(Settings(home=Path(sys.argv[1])), progress=False)")


def arguments(doc: str | None, rounds: int) -> argparse.ArgumentParser:
    """The common options: ``--mirror`` (default $ZUFI_MIRROR or ../shared/data), ``--home``, ``--rounds``."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--mirror", type=Path,
                    default=Path(os.environ.get("ZUFI_MIRROR", ROOT.parent / "shared" / "data")))
    ap.add_argument("--home", type=Path, default=None,
                    help="ZUFI_HOME to use (default: fetch and build into a temp dir)")
    ap.add_argument("--rounds", type=int, default=rounds, help="passes over the query set")
    return ap


def one_core() -> None:
    """Pin this process to one CPU core, as the targets are stated for one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def percentiles(samples_ms: list[float]) -> str:
    """'p50 … p95 … p99 … max …' of samples in milliseconds (nearest-rank percentiles)."""
    s = sorted(samples_ms)

    def q(p: float) -> float:
        return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]

    return f"p50 {statistics.median(s):.3f} ms  p95 {q(95):.3f} ms  p99 {q(99):.3f} ms  max {s[-1]:.3f} ms"


def prepared_home(mirror: Path, home: Path | None, *, rebuild: bool) -> tuple[Path, float | None]:
    """A ZUFI_HOME with a built index and the build time in seconds (None when an existing home is used
    without ``rebuild``). The build runs in a child process, so the caller's RSS is that of serving."""
    from indexer.fetch import fetch_data
    from zufi.settings import Settings

    if home is not None and not rebuild:
        return home, None
    home = home or Path(tempfile.mkdtemp(prefix="zufi-bench-"))
    fetch_data(mirror, Settings(home=home, mirror=mirror).data_dir)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BUILD, str(home)], check=True, cwd=ROOT)
    return home, time.perf_counter() - t0
