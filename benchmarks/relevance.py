"""Relevance of the service ranking against a labelled query set (prints numbers, asserts nothing).

    python benchmarks/relevance.py [--split dev|test|all] [--file F] [--home DIR] [--worst N] [--json]

Runs ``Finder.search(query, where=where, limit=10)`` for every case of a JSONL file (default
``tests/relevance/queries.jsonl``; the format is described in ``tests/relevance/README.md``) and prints
MRR@10, recall@1, recall@5, recall@10 and nDCG@10 overall and per kind, plus the N worst queries.

Metric definitions (all over the top 10 leika keys the engine returns, duplicates counted once):

* **MRR@10** — mean of 1/rank of the first relevant key, 0 when none is in the top 10.
* **recall@k** — here the *share of queries with at least one relevant key in the top k* (a hit rate,
  also called success@k), not the share of relevant keys retrieved: most needs are met by any one of
  their acceptable LeiKa variants.
* **nDCG@10** — binary gains, DCG = Σ 1/log2(rank+1) over relevant keys; the ideal DCG places
  min(|relevant|, 10) relevant keys at ranks 1…n.

Index: ``--home DIR`` (or ``$ZUFI_HOME``) when it holds a build; otherwise one is built with
:func:`indexer.fetch.fetch_data` and :func:`indexer.build.build_index` from ``$ZUFI_MIRROR`` or
``../shared/data`` — into ``--home`` when given, else into a temporary directory.

The metric functions and :func:`evaluate` are pure and importable (``tests/test_relevance.py`` loads this
file with importlib); nothing runs at import time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "tests" / "relevance" / "queries.jsonl"
K = 10
SPLITS = ("dev", "test")


# ---------------------------------------------------------------------------------------- cases
@dataclass(frozen=True)
class Case:
    """One labelled query: text, optional place, the acceptable 14-digit LeiKa keys and its group.

    ``split`` is ``"dev"``, ``"test"`` or ``None`` (files without a split, e.g. the shared examples).
    """

    id: str
    query: str
    relevant: tuple[str, ...]
    kind: str
    split: str | None = None
    where: str | None = None
    note: str = ""


def load_cases(path: Path) -> list[Case]:
    """Read a JSONL file of cases, one JSON object per non-empty line.

    Required keys: ``id``, ``query``, ``relevant`` (non-empty list), ``kind``; optional ``split``,
    ``where``, ``note`` (others are ignored).

    Raises:
        OSError: the file cannot be read.
        ValueError: a line is not JSON or lacks a required key (message names file and line).
    """
    cases = []
    with path.open(encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                relevant = tuple(d["relevant"])
                if not relevant:
                    raise ValueError("empty 'relevant'")
                cases.append(Case(id=str(d["id"]), query=str(d["query"]), relevant=relevant, kind=str(d["kind"]),
                                  split=d.get("split"), where=d.get("where") or None, note=d.get("note", "")))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{no}: bad case: {exc}") from exc
    return cases


def select(cases: Iterable[Case], split: str) -> list[Case]:
    """Cases of one split (``"dev"``/``"test"``), or all for ``"all"``; cases without a split are always kept."""
    return [c for c in cases if split == "all" or c.split is None or c.split == split]


# ---------------------------------------------------------------------------------------- metrics
def _dedup(ranked: Sequence[str], k: int) -> list[str]:
    seen: set[str] = set()
    out = []
    for key in ranked:
        if key not in seen:
            seen.add(key)
            out.append(key)
        if len(out) == k:
            break
    return out


def first_relevant_rank(ranked: Sequence[str], relevant: Iterable[str], k: int = K) -> int | None:
    """1-based rank of the first relevant key within the top ``k`` (duplicates counted once), else None."""
    rel = set(relevant)
    for i, key in enumerate(_dedup(ranked, k), 1):
        if key in rel:
            return i
    return None


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str], k: int = K) -> float:
    """1/rank of the first relevant key in the top ``k``; 0.0 when there is none."""
    r = first_relevant_rank(ranked, relevant, k)
    return 1.0 / r if r else 0.0


def hit_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """1.0 when at least one relevant key is in the top ``k``, else 0.0 (averaged: 'recall@k' here)."""
    return 1.0 if first_relevant_rank(ranked, relevant, k) else 0.0


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = K) -> float:
    """Binary-gain nDCG@k: Σ_rel 1/log2(rank+1) divided by the ideal over min(|relevant|, k) hits.

    Returns 0.0 for an empty ``relevant``.
    """
    rel = set(relevant)
    if not rel:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, key in enumerate(_dedup(ranked, k), 1) if key in rel)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(rel), k) + 1))
    return dcg / ideal


@dataclass(frozen=True)
class Scores:
    """Mean metrics over ``n`` queries (each in 0…1)."""

    n: int
    mrr: float
    r1: float
    r5: float
    r10: float
    ndcg: float


@dataclass(frozen=True)
class CaseResult:
    """One case with the keys the engine ranked (top first) and the names of the first few."""

    case: Case
    ranked: tuple[str, ...]
    names: tuple[str, ...] = ()
    error: str | None = None

    @property
    def rank(self) -> int | None:
        """Rank of the first relevant key in the top 10, or None."""
        return first_relevant_rank(self.ranked, self.case.relevant)

    @property
    def rr(self) -> float:
        """Reciprocal rank @10."""
        return reciprocal_rank(self.ranked, self.case.relevant)

    @property
    def ndcg(self) -> float:
        """nDCG@10 with binary gains."""
        return ndcg_at(self.ranked, self.case.relevant)


def aggregate(results: Sequence[CaseResult]) -> Scores:
    """Mean MRR@10, recall@1/5/10 (hit rates) and nDCG@10 over ``results``; all zero when empty."""
    n = len(results)
    if not n:
        return Scores(0, 0.0, 0.0, 0.0, 0.0, 0.0)

    def mean(f: Callable[[CaseResult], float]) -> float:
        return sum(f(r) for r in results) / n

    return Scores(
        n=n,
        mrr=mean(lambda r: r.rr),
        r1=mean(lambda r: hit_at(r.ranked, r.case.relevant, 1)),
        r5=mean(lambda r: hit_at(r.ranked, r.case.relevant, 5)),
        r10=mean(lambda r: hit_at(r.ranked, r.case.relevant, 10)),
        ndcg=mean(lambda r: r.ndcg),
    )


@dataclass
class Report:
    """Scores overall and per kind, and every case's result (in input order)."""

    overall: Scores
    by_kind: dict[str, Scores]
    results: list[CaseResult] = field(default_factory=list)

    def worst(self, n: int) -> list[CaseResult]:
        """The ``n`` weakest cases: lowest reciprocal rank, then lowest nDCG, then id."""
        return sorted(self.results, key=lambda r: (r.rr, r.ndcg, r.case.id))[:n]


def score(results: Sequence[CaseResult]) -> Report:
    """Build a :class:`Report` from per-case results (kinds in first-seen order)."""
    kinds: dict[str, list[CaseResult]] = {}
    for r in results:
        kinds.setdefault(r.case.kind, []).append(r)
    return Report(overall=aggregate(results), by_kind={k: aggregate(v) for k, v in kinds.items()},
                  results=list(results))


def evaluate(finder, cases: Sequence[Case], limit: int = K) -> Report:
    """Search every case with ``finder.search(query, where=where, limit=limit)`` and score the rankings.

    ``finder`` is a :class:`finder.core.Finder` (or anything with that ``search`` returning
    ``.results[].service.leika_key``/``.name``). A search that raises a ``ZufiError`` (e.g. a rejected
    query) counts as an empty ranking with the error kept in :attr:`CaseResult.error`.
    """
    from zufi.errors import ZufiError

    out = []
    for c in cases:
        try:
            resp = finder.search(c.query, where=c.where, limit=limit)
        except ZufiError as exc:
            out.append(CaseResult(c, (), (), f"{type(exc).__name__}: {exc}"))
            continue
        out.append(CaseResult(c, tuple(r.service.leika_key for r in resp.results),
                              tuple(r.service.name for r in resp.results[:3])))
    return score(out)


# ---------------------------------------------------------------------------------------- output
HEADER = f"{'':<16}{'n':>5}{'MRR@10':>9}{'R@1':>8}{'R@5':>8}{'R@10':>8}{'nDCG@10':>9}"


def format_scores(label: str, s: Scores) -> str:
    """One aligned table row: label, n and the five metrics with three decimals."""
    return f"{label:<16}{s.n:>5}{s.mrr:>9.3f}{s.r1:>8.3f}{s.r5:>8.3f}{s.r10:>8.3f}{s.ndcg:>9.3f}"


def format_report(report: Report, title: str, names: dict[str, str], worst: int) -> str:
    """The printed table (overall + per kind) and the ``worst`` weakest cases with expected/first names."""
    lines = [title, HEADER, format_scores("all", report.overall)]
    lines += [format_scores(k, s) for k, s in sorted(report.by_kind.items())]
    lines.append("recall@k = share of queries with at least one relevant key in the top k")
    if worst:
        lines.append(f"\nworst {min(worst, len(report.results))}:")
        for r in report.worst(worst):
            c = r.case
            where = f"  [where={c.where}]" if c.where else ""
            lines.append(f"{c.id} ({c.kind}) {c.query!r}{where}  rank={r.rank or '–'}")
            for key in c.relevant[:4]:
                lines.append(f"    want {key} {names.get(key, '?')}")
            if len(c.relevant) > 4:
                lines.append(f"    … and {len(c.relevant) - 4} more")
            first = f"{r.ranked[0]} {r.names[0] if r.names else ''}" if r.ranked else (r.error or "nothing")
            lines.append(f"    got  {first}")
    return "\n".join(lines)


def report_json(report: Report, worst: int) -> dict:
    """The report as a JSON-ready dict: overall, by_kind and the worst cases."""
    return {
        "overall": asdict(report.overall),
        "by_kind": {k: asdict(s) for k, s in sorted(report.by_kind.items())},
        "worst": [{"id": r.case.id, "kind": r.case.kind, "query": r.case.query, "where": r.case.where,
                   "relevant": list(r.case.relevant), "rank": r.rank, "top": list(r.ranked[:3]),
                   "error": r.error} for r in report.worst(worst)],
    }


# ---------------------------------------------------------------------------------------- index
def open_finder(home: Path | None):
    """Open the index of ``home`` (or ``$ZUFI_HOME``); build one first when there is none.

    Raises:
        IndexUnavailableError, DataFileError: when building or opening fails.
    """
    from finder.core import Finder
    from zufi.settings import Settings

    settings = Settings(home=home) if home else Settings()
    if not settings.current_index.exists():
        from indexer.build import build_index
        from indexer.fetch import fetch_data

        mirror = Path(os.environ.get("ZUFI_MIRROR") or ROOT.parent / "shared" / "data").resolve()
        target = home or Path(tempfile.mkdtemp(prefix="zufi-relevance-"))
        settings = Settings(home=target, mirror=mirror)
        print(f"no index found; building one in {target} from {mirror}", file=sys.stderr)
        fetch_data(mirror, settings.data_dir)
        build_index(settings, progress=False)
    return Finder.open(settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="JSONL cases (default: %(default)s)")
    ap.add_argument("--home", type=Path, default=None, help="ZUFI_HOME holding (or to receive) an index")
    ap.add_argument("--worst", type=int, default=15, help="how many of the weakest queries to list")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = ap.parse_args(argv)

    cases = select(load_cases(args.file), args.split)
    if not cases:
        print(f"no cases for split {args.split!r} in {args.file}", file=sys.stderr)
        return 2
    finder = open_finder(args.home)
    report = evaluate(finder, cases)
    if args.json:
        print(json.dumps(report_json(report, args.worst), ensure_ascii=False, indent=2))
    else:
        names = {k: s.name for k, s in finder.catalog.services.items()}
        split = args.split if any(c.split for c in cases) else "none (file has no split)"
        print(format_report(report, f"relevance — {args.file.name}, split {split}, build "
                                    f"{finder.build_dir.name}", names, args.worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
