"""Read the NRW Wirtschafts-Service-Portal list "Live WSP 11.11" as its publisher ships it (xlsx).

Publisher file: ``https://wsp-veroeffentlichungen.nrw/wp-content/uploads/Live-11.11-1.xlsx`` (Stand
11.11.2024; a copy was committed to GitHub ``DestinyBirdy/OZG-Serviceportal-Crawler`` at commit
0d9fa9fc3d0c357ae149e99a9c1e030488f8c74b, 2025-02-12, later removed). The mirror's
``nrw_wsp_2024/wsp_nrw_leistungen_zustaendigkeit_2024-11.csv`` is that file's sheet "Live WSP 11.11"
converted to CSV by the data staging (SOURCES.md §11). :func:`read_wsp_xlsx` gives the same rows.

What is known of the header: the crawler repo's ``wspcheck.js`` (versions of 2024-11/12) reads the file's
first sheet with SheetJS ``sheet_to_json`` (first row = header) and uses the columns ``Nummer`` (the
LeiKa key, read as a number: it converts it with ``toString()`` "to prevent scientific notation"),
``Name``, ``Landingpage``, ``Direktlink`` and ``Stelle``. The two other mirror columns (``onlinedienst``,
``live``) are not named by any code that was seen; their header is guessed as ``Onlinedienst`` and
``Live`` (see :data:`WSP_HEADER_ALIASES`), and they are optional: a sheet without them gives ``""``.

No work at import time: openpyxl is imported by the function that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.xlsxio import open_workbook
from zufi.errors import DataFileError

#: The sheet the staging converted (SOURCES.md §11).
WSP_SHEET = "Live WSP 11.11"
#: Mirror CSV columns, in order.
WSP_COLUMNS = ("leika_schluessel", "bezeichnung", "onlinedienst", "live", "landingpage", "direktlink",
               "zustaendige_stelle")
#: Mirror column → accepted header names, normalised by :func:`header_key` (case-folded, umlauts folded,
#: everything but letters and digits dropped). The first name of each is the one the publisher's file is
#: believed to use: ``Nummer``, ``Name``, ``Landingpage``, ``Direktlink``, ``Stelle`` are named by the
#: crawler repo's wspcheck.js; ``Onlinedienst`` and ``Live`` are guesses from the mirror's column names.
WSP_HEADER_ALIASES = {
    "leika_schluessel": ("nummer", "leikaschluessel", "leikaschlussel", "leikanummer", "leikaschluesselnummer",
                         "leistungsschluessel", "schluessel"),
    "bezeichnung": ("name", "bezeichnung", "leistung", "leistungsname", "leistungsbezeichnung"),
    "onlinedienst": ("onlinedienst", "onlineservice", "onlineantrag"),
    "live": ("live", "livestatus", "istlive"),
    "landingpage": ("landingpage",),
    "direktlink": ("direktlink",),
    "zustaendige_stelle": ("stelle", "zustaendigestelle", "zustaendigkeit", "zustaendigebehoerde"),
}
#: Columns a header row must have (the five wspcheck.js names); the others may be absent.
WSP_REQUIRED = ("leika_schluessel", "bezeichnung", "landingpage", "direktlink", "zustaendige_stelle")
_HEADER_ROWS = 30  # a header further down than this is not looked for
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def header_key(cell: Any) -> str:
    """A header cell normalised for matching: ``" Zuständige  Stelle\\n"`` → ``"zustaendigestelle"``."""
    return re.sub(r"[^a-z0-9]", "", str(cell or "").casefold().translate(_FOLD))


def _match_header(row: Iterable[Any]) -> dict[str, int] | None:
    """Column index of each mirror column named in ``row`` when the row has all :data:`WSP_REQUIRED`."""
    keys = [header_key(c) for c in row]
    found: dict[str, int] = {}
    for col, aliases in WSP_HEADER_ALIASES.items():
        for alias in aliases:  # the first alias present wins
            if alias in keys:
                found[col] = keys.index(alias)
                break
    return found if all(c in found for c in WSP_REQUIRED) else None


def _cell(col: str, v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Ja" if v else "Nein"
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # a LeiKa key stored as a number (14 digits fit a double exactly)
    s = str(v)
    return " ".join(s.split()) if col == "zustaendige_stelle" else s.strip()


def read_wsp_xlsx(path: Path) -> list[dict[str, str]]:
    """The rows of the WSP.NRW list "Live WSP 11.11" as the mirror CSV has them.

    Args:
        path: the publisher's ``Live-11.11-1.xlsx`` (any file name; read by content).
    Layout accepted: the sheet named "Live WSP 11.11" (case and blanks ignored), else the first sheet that
    has a header row; the header row is the first of the sheet's first 30 rows that names the columns of
    :data:`WSP_REQUIRED` (``Nummer``, ``Name``, ``Landingpage``, ``Direktlink``, ``Stelle`` or an alias in
    :data:`WSP_HEADER_ALIASES`; any case, blanks and punctuation ignored), in any order and position.
    Rows below it up to the sheet's end are data; fully empty rows are skipped.
    Values: text as in the cell, trimmed; ``zustaendige_stelle`` with all whitespace (line breaks inside
    the cell) collapsed to single blanks, as the staging did; a numeric LeiKa key becomes its digits
    (``99050036005000.0`` → ``"99050036005000"``); booleans become "Ja"/"Nein"; empty cells and columns
    the sheet lacks (``onlinedienst``, ``live``) become ``""``. Keys are not checked here (the indexer
    counts malformed and repeated keys).

    Returns:
        ``[{column: text}]`` with the columns :data:`WSP_COLUMNS`, in sheet order (369 rows, 368 distinct
        keys for the file of 11.11.2024).
    Raises:
        DataFileError: naming ``path`` when it is missing, not a readable xlsx workbook, or no sheet has
            a header row with the required columns.
    """
    path = Path(path)
    wb = open_workbook(path, data_only=True)
    try:
        want = header_key(WSP_SHEET)
        sheets = sorted(wb.worksheets, key=lambda ws: header_key(ws.title) != want)
        for ws in sheets:
            rows = ws.iter_rows(values_only=True)
            columns = None
            for n, row in enumerate(rows):
                if n >= _HEADER_ROWS:
                    break
                columns = _match_header(row)
                if columns:
                    break
            if not columns:
                continue
            out = []
            for row in rows:
                if not any(c is not None and str(c).strip() for c in row):
                    continue
                out.append({col: _cell(col, row[columns[col]] if col in columns and columns[col] < len(row)
                                       else None) for col in WSP_COLUMNS})
            return out
    except DataFileError:
        raise
    except Exception as e:  # a corrupt sheet part inside a valid zip
        raise DataFileError(path, f"cannot read the xlsx sheets: {e or type(e).__name__}") from e
    finally:
        wb.close()
    names = ", ".join(WSP_HEADER_ALIASES[c][0].capitalize() for c in WSP_REQUIRED)
    raise DataFileError(path, f"no sheet has a header row naming {names} (the WSP.NRW list 'Live WSP 11.11')")


__all__ = ["WSP_COLUMNS", "WSP_HEADER_ALIASES", "WSP_REQUIRED", "WSP_SHEET", "header_key", "read_wsp_xlsx"]
