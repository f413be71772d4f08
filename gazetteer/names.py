"""Name keys and name variants of Gemeinden and Bezirke (pure functions, no data).

A *key* is the folded form of a name (see :func:`zufi.analysis.fold`) reduced to its words, so
"Köln", "Koeln" and "KOLN" meet, and "Halle (Saale)", "Halle/Saale" and "halle saale" meet.

Variants of one Gemeinde come in two strengths:

* :data:`EXACT` – the official name (VG5000 ``GEN``, e.g. "Halle (Saale)"), the Destatis name
  ("Halle (Saale), Stadt") and the Destatis name without its suffix after the last ", ".
* :data:`BASE` – the name before a qualifier: " (", ", ", "/", " am ", " an der ", " a.d. ", " in ",
  " b. " … ("Frankfurt am Main" → "Frankfurt", "Neustadt a.d. Aisch" → "Neustadt"). Base names are
  weak: they never win alone when several Gemeinden share them.
"""

from __future__ import annotations

import re

from zufi.analysis import fold

EXACT = 2
BASE = 1

_KEY_WORD_RE = re.compile(r"[a-z0-9]+")

# Qualifiers that separate a base name from what tells equal base names apart. Order does not matter:
# the earliest occurrence in the name is cut.
_QUALIFIERS = (
    " (", ", ", "/", " am ", " an der ", " an den ", " a.d. ", " a. d. ", " a.d.", " a. ", " b. ",
    " bei ", " in ", " im ", " ob ", " vor ", " v. d. ", " v.d. ", " ü. ", " über ", " auf ",
)

# Words a user may put before a Gemeinde name ("Stadt Erfurt", "Gemeinde Körner").
_PREFIX_WORDS = ("stadt", "gemeinde", "markt", "hansestadt", "landeshauptstadt", "kreisstadt")


def name_key(text: str) -> str:
    """Matching key of a name: folded words joined by single spaces ("Halle (Saale)" → "halle saale")."""
    return " ".join(_KEY_WORD_RE.findall(fold(text)))


def base_name(name: str) -> str:
    """The name before its first qualifier ("Neustadt an der Weinstraße" → "Neustadt"); else ``name``."""
    cut = len(name)
    for q in _QUALIFIERS:
        i = name.find(q)
        if 0 < i < cut:
            cut = i
    return name[:cut].strip()


def strip_destatis_suffix(name: str) -> str:
    """Destatis name without the type suffix after the last ", " ("Erfurt, Stadt" → "Erfurt")."""
    head, sep, _tail = name.partition(", ")
    return head.strip() if sep else name


def gemeinde_variants(official: str, destatis: str | None = None) -> dict[str, int]:
    """All keys under which a Gemeinde can be found, with their strength (:data:`EXACT`/:data:`BASE`).

    Args:
        official: VG5000 ``GEN`` (e.g. "Frankfurt am Main").
        destatis: Gemeindeverzeichnis name (e.g. "Frankfurt am Main, Stadt"), if known.
    Returns:
        ``{key: strength}``; the stronger strength wins when a key occurs twice.
    """
    out: dict[str, int] = {}
    exact = [official]
    if destatis:
        exact += [destatis, strip_destatis_suffix(destatis)]
    for n in exact:
        k = name_key(n)
        if k:
            out[k] = EXACT
    for n in exact:
        k = name_key(base_name(strip_destatis_suffix(n)))
        if k and k not in out:
            out[k] = BASE
    return out


def query_keys(text: str) -> list[str]:
    """Keys to try for user text: the key itself, then without a leading "Stadt"/"Gemeinde" word."""
    key = name_key(text)
    keys = [key] if key else []
    first, _, rest = key.partition(" ")
    if rest and first in _PREFIX_WORDS:
        keys.append(rest)
    return keys
