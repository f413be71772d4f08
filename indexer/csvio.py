"""Reading the CSV inputs: UTF-8, a header row that must name the columns a reader needs."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from zufi.errors import DataFileError


def read_csv(path: Path, columns: Iterable[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """All rows of the CSV at ``path`` as ``(line number, row)`` pairs (line numbers as the file counts
    them, for error messages and rejected-record examples).

    Args:
        path: the file.
        columns: header names that must be present (others are allowed).
        what: what the file is, for the error message ("LeiKa table").

    Raises:
        DataFileError: naming ``path`` when it cannot be read, is not UTF-8 CSV, or lacks a column.
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise DataFileError(path, f"{what}: CSV header lacks columns {missing}")
            return [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(path, f"cannot read {what}: {exc}") from exc
