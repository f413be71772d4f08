"""Opening the xlsx inputs (Destatis Gemeindeverzeichnis, WSP.NRW list, Berlin scrape export) with one
error mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zufi.errors import DataFileError


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """The openpyxl workbook at ``path``, read-only; ``data_only=False`` gives formula text instead of
    cached values (a cell whose text begins with "=" was stored as a formula).

    Raises:
        DataFileError: naming ``path`` when it is missing or not a readable xlsx workbook.
    """
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError as e:
        raise DataFileError(path, "file is missing") from e
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise DataFileError(path, f"not a readable xlsx workbook: {e or type(e).__name__}") from e
