"""Load the responsibility rule tables of ``finder/data/rules`` (CSV, one row per rule; see its README).

A rule matches a LeiKa key exactly (14 digits), by Kennung (8 digits: "99" + Gruppierung + Kennung)
or by Leistungsobjekt group (5 digits: "99" + Gruppierung). Berlin's extension keys ("11…") share the
Gruppierung/Kennung codes of the national keys (e.g. 11107023… Wohngeld = 99107023…), so they are
matched as if they began with "99".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from zufi.errors import DataFileError

#: Where the rule tables live (in the repo, versioned with the code).
RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules"
LEVELS = {"gemeinde", "kreis", "land", "bund", "kammer"}
TASKS = {"uebertragen", "eigen", "kreis", ""}
CONDITIONS = {"always", "grosse_kreisstadt", "nrw_gross_mittel", "ni_gss"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of ``rules.csv``: ``match`` (5, 8 or 14 digits) → ``level`` with ``task`` (uebertragen:
    übertragener Wirkungskreis / Weisungsaufgabe; eigen: Selbstverwaltung; kreis: Kreisaufgabe),
    ``behoerde`` (the office type, e.g. "Meldebehörde"), ``role``, legal source and date, confidence."""

    rule_id: str
    match: str
    label: str
    level: str
    task: str
    behoerde: str
    role: str
    legal_source: str
    legal_date: str | None
    confidence: str
    note: str


@dataclass(frozen=True, slots=True)
class Override:
    """One row of ``land_overrides.csv``: for ``rule_id`` (or ``@gemeinde``/``@kreis`` = every rule of
    that level) in ``land`` under ``condition``, the level becomes ``level`` (gemeinde, kreis, land,
    stadtstaat …) with ``behoerde``/``authority`` names and its own legal source."""

    rule_id: str
    land: str
    condition: str
    level: str
    behoerde: str
    authority: str
    legal_source: str
    legal_date: str | None
    confidence: str
    note: str


@dataclass(frozen=True, slots=True)
class VerbandRule:
    """One row of ``verbaende.csv``: in ``land`` a member of a Gemeindeverband of ``gv_type`` has tasks
    of ``task`` (uebertragen, eigen or *) done by ``acts`` ∈ {verband, erfuellende, gemeinde,
    gemeinde_via, gemeinde_via_erfuellende}; names are patterns with ``{name}``."""

    land: str
    gv_type: str
    task: str
    acts: str
    body: str
    genitive: str
    authority: str
    legal_source: str
    legal_date: str | None
    confidence: str


@dataclass(frozen=True, slots=True)
class Naming:
    """A naming row of ``kreise.csv``/``gemeinden.csv``: patterns for the body ("Landkreis {name}"), its
    genitive ("des Landkreises {name}") and its administration ("Landratsamt {name}")."""

    land: str
    type: str
    body: str
    genitive: str
    authority: str
    source: str


@dataclass
class RuleBook:
    """All rule tables, loaded once. Look-ups are dictionary hits (no work per request beyond that)."""

    rules: dict[str, list[Rule]] = field(default_factory=dict)  # match → rules
    by_id: dict[str, Rule] = field(default_factory=dict)
    overrides: dict[tuple[str, str], list[Override]] = field(default_factory=dict)  # (rule_id, land)
    verbaende: dict[tuple[str, str], list[VerbandRule]] = field(default_factory=dict)  # (land, gv_type)
    kreise: dict[tuple[str, str], Naming] = field(default_factory=dict)  # (land | *, type)
    gemeinden: dict[tuple[str, str], Naming] = field(default_factory=dict)
    ni_gss: frozenset[str] = frozenset()
    nrw_thresholds: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path = RULES_DIR) -> RuleBook:
        """Read every table in ``directory``.

        Raises:
            DataFileError: a missing file, or a row with a bad level/condition/key (file and line named).
        """
        book = cls()
        for n, row in _rows(directory / "rules.csv"):
            rule = Rule(row["rule_id"], row["match"], row["label"], row["level"], row["task"], row["behoerde"],
                        row["role"], row["legal_source"], row["legal_date"] or None, row["confidence"], row["note"])
            if rule.level not in LEVELS or rule.task not in TASKS or len(rule.match) not in (5, 8, 14) \
                    or not rule.match.isdigit() or rule.rule_id in book.by_id:
                raise DataFileError(f"{directory / 'rules.csv'}:{n}", f"bad rule {rule.rule_id!r} (level, task, "
                                    "match of 5/8/14 digits, unique id)")
            book.rules.setdefault(rule.match, []).append(rule)
            book.by_id[rule.rule_id] = rule
        for n, row in _rows(directory / "land_overrides.csv"):
            o = Override(row["rule_id"], row["land"], row["condition"], row["level"], row["behoerde"],
                         row["authority"], row["legal_source"], row["legal_date"] or None, row["confidence"],
                         row["note"])
            if o.condition not in CONDITIONS or (o.rule_id not in book.by_id and o.rule_id not in ("@gemeinde", "@kreis")):
                raise DataFileError(f"{directory / 'land_overrides.csv'}:{n}",
                                    f"unknown rule {o.rule_id!r} or condition {o.condition!r}")
            book.overrides.setdefault((o.rule_id, o.land), []).append(o)
        for _n, row in _rows(directory / "verbaende.csv"):
            v = VerbandRule(row["land"], row["gv_type"], row["task"], row["acts"], row["body"], row["genitive"],
                            row["authority"], row["legal_source"], row["legal_date"] or None, row["confidence"])
            book.verbaende.setdefault((v.land, v.gv_type), []).append(v)
        for fname, target in (("kreise.csv", book.kreise), ("gemeinden.csv", book.gemeinden)):
            for _n, row in _rows(directory / fname):
                t = row.get("kreis_type") or row.get("gemeinde_type") or ""
                target[(row["land"], t)] = Naming(row["land"], t, row["body"], row["genitive"], row["authority"],
                                                  row["source"])
        book.ni_gss = frozenset(r["name"] for _n, r in _rows(directory / "ni_grosse_selbstaendige_staedte.csv"))
        book.nrw_thresholds = {r["status"]: int(r["min_population"]) for _n, r in _rows(directory / "nrw_staedte.csv")}
        return book

    def rules_for(self, leika_key: str) -> list[Rule]:
        """The most specific rules for a key: exact key, else its Kennung (8 digits), else its group
        (5 digits); "11…" Berlin keys are looked up as "99…". Empty when no rule covers the key."""
        keys = [leika_key] if leika_key.startswith("99") else [leika_key, "99" + leika_key[2:]]
        for length in (14, 8, 5):
            for k in keys:
                found = self.rules.get(k[:length])
                if found:
                    return found
        return []

    def overrides_for(self, rule: Rule, land: str) -> list[Override]:
        """Land overrides of ``rule`` in ``land`` (2-digit code): specific ones first, then the
        ``@level`` wildcard ones."""
        return [*self.overrides.get((rule.rule_id, land), []), *self.overrides.get((f"@{rule.level}", land), [])]

    def verband(self, land: str, gv_type: str | None, task: str) -> VerbandRule | None:
        """How a member of a Gemeindeverband of ``gv_type`` in ``land`` has a ``task`` done, or None."""
        for v in self.verbaende.get((land, gv_type or ""), []):
            if v.task in (task, "*"):
                return v
        return None

    def naming(self, table: str, land: str, type_: str | None) -> Naming | None:
        """The naming row for an area type in a Land (Land-specific first, then ``*``)."""
        t = self.kreise if table == "kreis" else self.gemeinden
        return t.get((land, type_ or "")) or t.get(("*", type_ or ""))

    def group_count(self) -> dict[str, int]:
        """Rule counts by match length: {"group": n5, "kennung": n8, "key": n14}."""
        out = {"group": 0, "kennung": 0, "key": 0}
        for m in self.rules:
            out[{5: "group", 8: "kennung", 14: "key"}[len(m)]] += 1
        return out


def _rows(path: Path):
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                yield n, {k: (v or "").strip() for k, v in row.items()}
    except FileNotFoundError:
        raise DataFileError(path, "rule table missing") from None
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"unreadable rule table: {exc}") from exc
