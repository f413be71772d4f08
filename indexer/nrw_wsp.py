"""Read the NRW Wirtschafts-Service-Portal list "Live WSP 11.11" (Stand 2024-11-11) at build time.

Each row names a LeiKa key and, in free text (``zustaendige_stelle``, 58 distinct values), the authority
type responsible in NRW. The text is normalised through the sourced table
``finder/data/rules/nrw_wsp_levels.csv`` (raw text → level, authority, named, Land, confidence, note);
rows whose text is not in the table, malformed keys and repeated keys are counted in the build report
(kind ``nrw_wsp``). The result is stored with :func:`zufi.nrw_wsp.save_nrw_wsp`. The list is read from the
mirror's CSV or, after a download, from the publisher's ``Live-11.11-1.xlsx`` (:mod:`indexer.formats_wsp`).
"""

from __future__ import annotations

import contextlib
import csv
from collections import Counter
from pathlib import Path

from indexer.fetch import input_for
from indexer.report import BuildReport
from indexer.sources import FORMAT_WSP_XLSX, NRW_WSP
from zufi.errors import DataFileError
from zufi.nrw_wsp import WSP_LEVELS, WspEntry

#: The normalisation table (versioned with the rules it feeds).
LEVELS_CSV = Path(__file__).resolve().parent.parent / "finder" / "data" / "rules" / "nrw_wsp_levels.csv"
_COLUMNS = {"leika_schluessel", "bezeichnung", "onlinedienst", "landingpage", "zustaendige_stelle"}


def read_levels(path: Path = LEVELS_CSV) -> dict[str, dict[str, str]]:
    """The normalisation table: whitespace-collapsed raw text → its row (level, authority, named, …).

    Raises:
        DataFileError: file missing/unreadable, or a row with an unknown level, a ``named`` other than
            yes/no, a non-2-digit ``land`` or a repeated raw text (file and line named).
    """
    out: dict[str, dict[str, str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                row = {k: (v or "").strip() for k, v in row.items()}
                raw = _collapse(row.get("raw", ""))
                if (row.get("level") not in WSP_LEVELS or row.get("named") not in ("yes", "no")
                        or not (row.get("land", "").isdigit() and len(row["land"]) == 2) or not raw or raw in out):
                    raise DataFileError(f"{path}:{n}", f"bad WSP level row {raw!r} (level in {sorted(WSP_LEVELS)}, "
                                        "named yes/no, land 2 digits, unique raw text)")
                out[raw] = row
    except FileNotFoundError:
        raise DataFileError(path, "WSP level table missing") from None
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"unreadable WSP level table: {exc}") from exc
    return out


def read_nrw_wsp(data_dir: Path, report: BuildReport, levels_path: Path = LEVELS_CSV) -> list[WspEntry]:
    """The WSP rows of ``data_dir`` normalised to levels, one per LeiKa key (first row kept).

    Counts: ``indexed['nrw_wsp']`` mapped keys; rejected reasons "zustaendige_stelle not in
    nrw_wsp_levels.csv", "malformed LeiKa key", "repeated key (first row kept)"; a note with the
    counts per level. A missing file (it is optional) gives a note and an empty list.

    Raises:
        DataFileError: the file is unreadable or lacks a column; the level table is bad (:func:`read_levels`).
    """
    path, fmt = input_for(data_dir, NRW_WSP.path)  # the mirror CSV or the publisher's xlsx (issue 6)
    levels = read_levels(levels_path)
    if not path.is_file():
        report.notes.append(f"{NRW_WSP.path} missing: no NRW responsibility evidence (WSP.NRW)")
        return []
    out: dict[str, WspEntry] = {}
    raws_seen: set[str] = set()
    try:
        with contextlib.ExitStack() as stack:
            if fmt == FORMAT_WSP_XLSX:
                from indexer.formats_wsp import read_wsp_xlsx

                reader = read_wsp_xlsx(path)
            else:
                reader = csv.DictReader(stack.enter_context(path.open(encoding="utf-8", newline="")))
                missing = _COLUMNS - set(reader.fieldnames or ())
                if missing:
                    raise DataFileError(path, f"missing columns {sorted(missing)}")
            for row in reader:
                key = (row["leika_schluessel"] or "").strip()
                raw = _collapse(row["zustaendige_stelle"] or "")
                raws_seen.add(raw)
                if len(key) != 14 or not key.isdigit():
                    report.reject("nrw_wsp", "malformed LeiKa key", key)
                    continue
                if key in out:
                    report.reject("nrw_wsp", "repeated key (first row kept)", key)
                    continue
                lv = levels.get(raw)
                if lv is None:
                    report.reject("nrw_wsp", "zustaendige_stelle not in nrw_wsp_levels.csv", raw[:60])
                    continue
                out[key] = WspEntry(
                    leika_key=key, name=(row["bezeichnung"] or "").strip(),
                    online_service=(row["onlinedienst"] or "").strip() or None,
                    landingpage=(row["landingpage"] or "").strip() or None, raw=raw, level=lv["level"],
                    authority=lv["authority"], named=lv["named"] == "yes", land=lv["land"],
                    confidence=lv["confidence"] or "medium", note=lv.get("note", ""))
                report.ok("nrw_wsp")
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"unreadable WSP list: {exc}") from exc
    by_level = Counter(e.level for e in out.values())
    mapped_texts = len(raws_seen & set(levels))
    report.notes.append(
        f"nrw_wsp: {len(out)} keys mapped; {mapped_texts} of {len(raws_seen)} distinct zustaendige_stelle texts in "
        "nrw_wsp_levels.csv; by level: " + ", ".join(f"{lv} {n}" for lv, n in by_level.most_common()))
    return list(out.values())


def _collapse(text: str) -> str:
    return " ".join(text.split())
