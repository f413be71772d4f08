"""General-language synonyms for query words, from OpenThesaurus, restricted to catalogue words.

The indexer (:mod:`indexer.lexicon`) reads the OpenThesaurus synsets (LGPL 2.1+, text export of
2016-04-24; SOURCES.md §5) and keeps, for every one-word term, its one-word synset partners that are
words of the catalogue ("firma" → unternehmen, betrieb; "kita" → kindertagesstatte; spellings that fold alike, "fällen"/"fallen", and labelled terms such as "(ugs.)" are left out). It writes
them to ``thesaurus.tsv`` in the build (``word<TAB>partner partner …``, folded, at most
:data:`MAX_PARTNERS` per word, the partners held by most services first); the finder reads that file, so
the table always matches the catalogue it was built with. Query analysis (:mod:`finder.tokens`) adds the
partners as weak readings: the curated tables (``finder/data/synonyms.tsv``) win where they have a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from zufi.errors import DataFileError

#: File name of the table inside a build directory.
THESAURUS_FILE = "thesaurus.tsv"

#: Most partners kept per word.
MAX_PARTNERS = 6


def load_thesaurus(build: Path) -> dict[str, tuple[str, ...]]:
    """``{folded word: catalogue words}`` from ``build/thesaurus.tsv``; empty when the build has none.

    Raises:
        DataFileError: naming the file when it exists but cannot be read, or a line is not
            ``word<TAB>partners``.
    """
    path = build / THESAURUS_FILE
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"unreadable thesaurus table: {exc}") from exc
    out: dict[str, tuple[str, ...]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        word, tab, partners = line.partition("\t")
        if not (word and tab and partners.strip()):
            raise DataFileError(path, f"line {n}: expected 'word<TAB>partner …'")
        out[word] = tuple(partners.split())
    return out


def write_thesaurus(build: Path, table: Mapping[str, tuple[str, ...]]) -> Path:
    """Write ``table`` to ``build/thesaurus.tsv`` (sorted by word); returns the path."""
    path = build / THESAURUS_FILE
    path.write_text("".join(f"{w}\t{' '.join(p)}\n" for w, p in sorted(table.items()) if p), encoding="utf-8")
    return path
