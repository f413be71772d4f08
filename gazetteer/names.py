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

from zufi.analysis import key_words

EXACT = 2
BASE = 1

# Qualifiers that separate a base name from what tells equal base names apart. Order does not matter:
# the earliest occurrence in the name is cut.
_QUALIFIERS = (
    " (", ", ", "/", " am ", " an der ", " an den ", " a.d. ", " a. d. ", " a.d.", " a. ", " b. ",
    " bei ", " in ", " im ", " ob ", " vor ", " v. d. ", " v.d. ", " ü. ", " über ", " auf ",
)

# Words a user may put before a Gemeinde name ("Stadt Erfurt", "Gemeinde Körner").
_PREFIX_WORDS = ("stadt", "gemeinde", "markt", "hansestadt", "landeshauptstadt", "kreisstadt")


#: Words of a qualifier that carry no information ("Frankfurt an der Oder", "Neustadt a.d. Aisch").
PARTICLES = frozenset(["a", "an", "am", "auf", "b", "bei", "d", "der", "den", "die", "dem", "i", "im", "in", "o", "ob", "v", "vor", "u", "uber", "ueber"])

_UMLAUT_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})


def name_key(text: str) -> str:
    """Matching key of a name: folded words joined by single spaces ("Halle (Saale)" → "halle saale").

    The abbreviation "St." is written out ("St. Ingbert" and "Sankt Ingbert" → "sankt ingbert").
    """
    return " ".join("sankt" if w == "st" else w for w in key_words(text))


def strip_umlauts(word: str) -> str:
    """How ASCII-folded sources (GeoNames) write a word: ä→a, ö→o, ü→u, ß→ss ("Köpenick" → "Kopenick")."""
    return word.translate(_UMLAUT_STRIP)


def restore_umlauts(name: str, known: dict[str, str | None], local: dict[str, str] | None = None) -> str:
    """Put umlauts back into an ASCII-folded name, word by word, where a known name shows them.

    Args:
        name: e.g. "Grosskochberg" or "Kopenick".
        known: {stripped word: spelled word or None when ambiguous} over all Gemeinde names.
        local: the same for the containing Gemeinde's name (preferred).
    """
    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if local and w in local:
            return local[w]
        return known.get(w) or w

    return _WORD_RE.sub(fix, name)


def umlaut_words(names: list[str]) -> dict[str, str | None]:
    """{stripped word: spelled word} for the words with ä/ö/ü/ß in ``names``; None where two spellings
    strip to the same word."""
    out: dict[str, str | None] = {}
    for n in names:
        for w in _WORD_RE.findall(n):
            s = strip_umlauts(w)
            if s != w:
                out[s] = w if out.get(s, w) == w else None
    return out


_WORD_RE = re.compile(r"[^\W\d_]+")


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
