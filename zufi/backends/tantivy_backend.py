"""Embedded search backend on tantivy (Rust BM25 engine, Python bindings 0.27) — the only tantivy importer.

Schema: ``key`` (raw tokenizer, stored) and, for each field ``f`` of :data:`TEXT_FIELDS`, ``f`` (stems)
and ``f_exact`` (folded words) — including ``parts``/``parts_exact``, the compound parts — all with
tantivy's whitespace tokenizer, positions and frequencies,
not stored. Tokens arrive analysed by :mod:`zufi.analysis` and are joined with spaces, so the
whitespace tokenizer gives back exactly the analysed tokens (no lower-casing or stemming here).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import tantivy

from zufi.backends.base import (
    TEXT_FIELDS,
    Backend,
    BackendQuery,
    Hit,
    IndexDoc,
    ServiceIndex,
    ServiceIndexWriter,
)
from zufi.errors import IndexUnavailableError

#: Every indexed text field: ``name``, ``name_exact``, ``leistungsobjekt``, …
ALL_FIELDS = tuple(f for base in TEXT_FIELDS for f in (base, f"{base}_exact"))
_WRITER_HEAP = 32_000_000


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ALL_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="position")
    return sb.build()


class TantivyWriter(ServiceIndexWriter):
    """One tantivy IndexWriter over a fresh directory (single thread: 615 docs need no parallelism)."""

    def __init__(self, path: Path) -> None:
        self._index = tantivy.Index(_schema(), path=str(path), reuse=False)
        self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)

    def add(self, docs: Iterable[IndexDoc]) -> int:
        """Add documents; unknown field names are ignored, missing ones stay empty. Returns the count."""
        n = 0
        for doc in docs:
            values = {"key": doc.key}
            for name in ALL_FIELDS:
                tokens = doc.fields.get(name)
                if tokens:
                    values[name] = " ".join(tokens)
            self._writer.add_document(tantivy.Document(**values))
            n += 1
        return n

    def commit(self) -> None:
        """Commit and wait for merges, so the directory is complete and final on return."""
        self._writer.commit()
        self._writer.wait_merging_threads()


class TantivyIndex(ServiceIndex):
    """An opened, read-only tantivy index. One searcher is kept: build directories never change."""

    def __init__(self, index: tantivy.Index) -> None:
        self._index = index
        self._schema = index.schema
        self._searcher = index.searcher()
        self._keys: dict[tuple[int, int], str] = {}

    def _key(self, address: tantivy.DocAddress) -> str:
        ident = (address.segment_ord, address.doc)
        key = self._keys.get(ident)
        if key is None:
            key = self._searcher.doc(address)["key"][0]
            self._keys[ident] = key
        return key

    def search(self, query: BackendQuery) -> list[Hit]:
        """BM25 over a disjunction of boosted term clauses; up to ``query.limit`` hits, best first.

        Clauses on fields outside the schema are ignored; an empty query returns ``[]``.
        """
        if not query.should or query.limit <= 0:
            return []
        subqueries = []
        for clause in query.should:
            if clause.field not in ALL_FIELDS or not clause.term:
                continue
            q = tantivy.Query.term_query(self._schema, clause.field, clause.term)
            if clause.boost != 1.0:
                q = tantivy.Query.boost_query(q, float(clause.boost))
            subqueries.append((tantivy.Occur.Should, q))
        if not subqueries:
            return []
        result = self._searcher.search(tantivy.Query.boolean_query(subqueries), query.limit, count=False)
        return [Hit(key=self._key(addr), score=float(score)) for score, addr in result.hits]

    def count(self) -> int:
        """Number of documents in the index."""
        return int(self._searcher.num_docs)


class TantivyBackend(Backend):
    """Factory for tantivy indexes in a directory (``<build>/services``)."""

    name = "tantivy"

    def create(self, path: Path) -> TantivyWriter:
        """Create ``path`` if missing and start a new index there.

        Raises:
            ValueError: when ``path`` already holds files.
        """
        path.mkdir(parents=True, exist_ok=True)
        if any(path.iterdir()):
            raise ValueError(f"index directory {path} is not empty")
        return TantivyWriter(path)

    def open(self, path: Path) -> TantivyIndex:
        """Open the index at ``path``.

        Raises:
            IndexUnavailableError: when ``path`` is missing, empty, or holds a corrupt/foreign index.
        """
        try:
            if not path.is_dir() or not tantivy.Index.exists(str(path)):
                raise IndexUnavailableError(f"no search index at {path}")
            index = tantivy.Index.open(str(path))
            missing = [f for f in ("key", *ALL_FIELDS) if not _has_field(index.schema, f)]
            if missing:
                raise IndexUnavailableError(f"search index at {path} lacks fields {missing}")
            return TantivyIndex(index)
        except IndexUnavailableError:
            raise
        except Exception as exc:
            raise IndexUnavailableError(f"search index at {path} cannot be opened: {exc}") from exc


def _has_field(schema: tantivy.Schema, name: str) -> bool:
    try:
        tantivy.Query.term_query(schema, name, "x")
    except ValueError:
        return False
    return True
