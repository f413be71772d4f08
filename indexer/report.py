"""What a build did: counts of indexed and rejected records per kind, with reasons."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class BuildReport:
    """Counts collected while reading and indexing.

    ``indexed[kind]`` counts accepted records (kind: services, offices, office_links, gemeinden, …);
    ``rejected[kind][reason]`` counts rejected ones; ``repaired[kind][reason]`` counts records kept
    after a repair (e.g. an invalid polygon fixed with ``make_valid``); ``examples`` keeps the first few
    rejected record ids per (kind, reason) so a reader can look them up.
    """

    indexed: Counter[str] = field(default_factory=Counter)
    rejected: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    repaired: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def ok(self, kind: str, n: int = 1) -> None:
        """Count ``n`` accepted records of ``kind``."""
        self.indexed[kind] += n

    def reject(self, kind: str, reason: str, record_id: object = None) -> None:
        """Count one rejected record of ``kind`` with a short ``reason`` (e.g. 'malformed LeiKa key')."""
        self.rejected[kind][reason] += 1
        if record_id is not None:
            ex = self.examples.setdefault((kind, reason), [])
            if len(ex) < 3:
                ex.append(str(record_id))

    def repair(self, kind: str, reason: str, record_id: object = None) -> None:
        """Count one record of ``kind`` that was kept after a repair."""
        self.repaired[kind][reason] += 1
        if record_id is not None:
            ex = self.examples.setdefault((kind, "repaired: " + reason), [])
            if len(ex) < 3:
                ex.append(str(record_id))

    def to_dict(self) -> dict:
        """JSON-ready form, stored in the build's manifest.json."""
        return {
            "indexed": dict(self.indexed),
            "rejected": {k: dict(v) for k, v in self.rejected.items()},
            "repaired": {k: dict(v) for k, v in self.repaired.items()},
            "examples": {f"{k}: {r}": v for (k, r), v in self.examples.items()},
            "notes": list(self.notes),
        }
