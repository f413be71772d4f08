"""The compound lexicon: general German nouns that may stand as parts of a compound.

Source: OpenThesaurus (Daniel Naber et al., LGPL 2.1+), text export of 2016-04-24 as shipped in the
Debian package ``openthesaurus-de-text`` 20160424-4 (mirror ``synonyms/openthesaurus_de_2016-04-24.txt.gz``,
SOURCES.md §5): ``#`` header lines, then one synset per line, terms separated by ``;``, usage labels in
parentheses ("Perso (ugs.)").

Only the nouns are kept — German writes nouns with a capital letter, so a term of one capitalised word
that is not all capitals ("Baum", not "ADAC", not "baumeln", not "grüner Pfeil") and carries no label
of :data:`EXCLUDED_LABELS` ("Date (engl.)") — folded by
:func:`zufi.analysis.fold` and with letters only. The catalogue splitter (:class:`zufi.compounds.CompoundSplitter`)
uses them only where a word has no split into catalogue words ("Baumfällgenehmigung" → baum | fall |
genehmigung), so the synonyms themselves are not used here.

The build writes the list to ``lexicon.txt`` in the build directory; the finder reads it from there, so
index and query side split alike.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from indexer.fetch import input_for
from indexer.report import BuildReport
from indexer.sources import THESAURUS
from zufi.analysis import fold
from zufi.compounds import LEXICON_FILE, MIN_PART
from zufi.errors import DataFileError
from zufi.thesaurus import MAX_PARTNERS

_LABEL_RE = re.compile(r"\([^)]*\)")


def _lines(path: Path) -> list[str]:
    """The text lines of the thesaurus: plain, gzip (mirror) or the publisher's zip (one ``.txt`` inside)."""
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        elif raw[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if n.endswith(".txt")]
                if not names:
                    raise DataFileError(path, "zip holds no .txt thesaurus file")
                raw = zf.read(names[0])
        return raw.decode("utf-8").splitlines()
    except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the thesaurus: {exc}") from exc


#: Usage labels whose terms are not general German (foreign, technical, regional, colloquial, dated,
#: vulgar): such a term is neither a compound part nor a thesaurus partner ("Date (engl.)", "Lichen
#: (fachspr.)", "Ische (ugs.)" would split "datenbank", "fachlichen" wrongly).
EXCLUDED_LABELS = ("engl", "fachspr", "ugs", "vulg", "derb", "regional", "österr", "süddt", "norddt",
                   "schweiz", "veraltet", "lat", "abwertend", "scherzhaft", "Jargon", "bairisch", "rheinisch")


def _synsets(path: Path) -> list[list[str]]:
    """The synsets of the thesaurus at ``path``: each a list of its terms without usage labels, terms with
    an :data:`EXCLUDED_LABELS` label left out (an empty list for a synset of such terms only)."""
    out = []
    for line in _lines(path):
        if not line or line.startswith("#"):
            continue
        terms = []
        for term in line.split(";"):
            labels = " ".join(_LABEL_RE.findall(term))
            if any(x in labels for x in EXCLUDED_LABELS):
                continue
            term = _LABEL_RE.sub("", term).strip()
            if term:
                terms.append(term)
        out.append(terms)
    return out


def read_nouns(path: Path) -> list[str]:
    """The folded nouns of the OpenThesaurus text file at ``path`` (sorted, unique, ≥ ``MIN_PART`` letters).

    Raises:
        DataFileError: naming ``path`` when it cannot be read or holds no synsets.
    """
    nouns: set[str] = set()
    synsets = _synsets(path)
    for terms in synsets:
        for term in terms:
            if " " in term or not term[0].isupper() or term.isupper():
                continue
            word = fold(term)
            if word.isalpha() and word.isascii() and len(word) >= MIN_PART:
                nouns.add(word)
    if not synsets:
        raise DataFileError(path, "no synsets (expected ';'-separated lines after the '#' header)")
    return sorted(nouns)


def read_partners(path: Path, catalogue_df: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """For every one-word term of the thesaurus at ``path`` (folded), its one-word synset partners that
    are catalogue words (``catalogue_df``: folded word → services holding it), most services first, at
    most :data:`zufi.thesaurus.MAX_PARTNERS`; words without such partners, and folded words that two
    spellings share ("fällen"/"fallen"), are left out.

    Raises:
        DataFileError: naming ``path`` when it cannot be read or holds no synsets.
    """
    partners: dict[str, set[str]] = {}
    spellings: dict[str, set[str]] = {}  # folded word → the spellings it comes from
    synsets = _synsets(path)
    if not synsets:
        raise DataFileError(path, "no synsets (expected ';'-separated lines after the '#' header)")
    for terms in synsets:
        ws = set()
        for t in terms:
            w = fold(t)
            if " " not in t and w.isalpha() and len(w) >= MIN_PART:
                ws.add(w)
                spellings.setdefault(w, set()).add(t.lower())
        for w in ws:
            partners.setdefault(w, set()).update(x for x in ws if x != w and x in catalogue_df)
    # a folded word from two spellings ("fällen" and "fallen") would mix their meanings: left out
    return {w: tuple(sorted(p, key=lambda x: (-catalogue_df[x], x))[:MAX_PARTNERS])
            for w, p in partners.items() if p and len(spellings[w]) == 1}


def write_lexicon(build: Path, nouns: list[str]) -> Path:
    """Write ``nouns`` to ``build/lexicon.txt``; returns the path."""
    target = build / LEXICON_FILE
    target.write_text("".join(f"{n}\n" for n in nouns), encoding="utf-8")
    return target


def read_lexicon(data_dir: Path, report: BuildReport,
                 catalogue_df: Mapping[str, int]) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The compound lexicon (nouns) and the thesaurus partners (:func:`read_partners`) from the data
    dir's thesaurus (mirror file or publisher zip, see :func:`indexer.fetch.input_for`); both empty, with
    a note in ``report``, when the optional file is absent.

    Raises:
        DataFileError: naming the file when it exists but cannot be read.
    """
    path, _fmt = input_for(data_dir, THESAURUS.path)
    if not path.exists():
        report.notes.append(f"{path.name} missing: compounds split into catalogue words only, no thesaurus")
        return frozenset(), {}
    nouns = read_nouns(path)
    partners = read_partners(path, catalogue_df)
    report.ok("lexicon nouns", len(nouns))
    report.ok("thesaurus words", len(partners))
    return frozenset(nouns), partners
