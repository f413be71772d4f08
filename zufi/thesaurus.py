"""General-language synonyms for query words, from OpenThesaurus, restricted to catalogue words.

The indexer (:mod:`indexer.lexicon`) reads the OpenThesaurus synsets (LGPL 2.1+, text export of
2016-04-24; SOURCES.md §5) and keeps, for every one-word term, its one-word synset partners that are
words of the catalogue ("pleite" → insolvenz, konkurs, bankrott; "kita" → kindertagesstatte). It writes
them to ``thesaurus.tsv`` in the build (``word<TAB>partner partner …``, folded, at most
:data:`MAX_PARTNERS` per word, the partners held by most services first); the finder reads that file, so
the table always matches the catalogue it was built with. Query analysis (:mod:`finder.tokens`) adds the
partners as weak readings: the curated tables (``finder/data/synonyms.tsv``) win where they have a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: File name of the table inside a build directory.
THESAURUS_FILE = "thesaurus.tsv"

#: Most partners kept per word.
MAX_PARTNERS = 6


def load_thesaurus(build: Path) -> dict[str, tuple[str, ...]]:
    """``{folded word: catalogue words}`` from ``build/thesaurus.tsv``; empty when the build has none.

    Raises:
        OSError: the file exists but cannot be read.
    """
    path = build / THESAURUS_FILE
    if not path.exists():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, partners = line.partition("\t")
        if word and partners:
            out[word] = tuple(partners.split())
    return out


def write_thesaurus(build: Path, table: Mapping[str, tuple[str, ...]]) -> Path:
    """Write ``table`` to ``build/thesaurus.tsv`` (sorted by word); returns the path."""
    path = build / THESAURUS_FILE
    path.write_text("".join(f"{w}\t{' '.join(p)}\n" for w, p in sorted(table.items()) if p), encoding="utf-8")
    return path
