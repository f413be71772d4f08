"""Service-search backends: ranking, exact-field boost, empty queries, unusable directories.

Parametrized over backend names so another engine (Elasticsearch) can join the same contract.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zufi.backends import BackendQuery, IndexDoc, ServiceIndex, TermClause, get_backend
from zufi.backends.base import TEXT_FIELDS
from zufi.errors import IndexUnavailableError

BACKENDS = ["tantivy"]


def _doc(key: str, **fields: list[str]) -> IndexDoc:
    full = {f: [] for base in TEXT_FIELDS for f in (base, f"{base}_exact")}
    full.update(fields)
    return IndexDoc(key=key, fields=full)


DOCS = [
    # stems in f, folded words in f_exact, as zufi.analysis.analyse_field makes them
    _doc("99115005104000", name=["anmeld", "wohnung"], name_exact=["anmeldung", "wohnung"],
         synonyms=["umzug", "wohnsitz"], synonyms_exact=["umzug", "wohnsitz"]),
    _doc("99110009104001", name=["hund", "anmeld"], name_exact=["hunde", "anmelden"],
         synonyms=["hund", "kampfhund"], synonyms_exact=["hunde", "kampfhunde"]),
    _doc("99085003012000", name=["kinderreisepass", "ausstell"], name_exact=["kinderreisepass", "ausstellung"]),
]


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def index(backend_name: str, tmp_path: Path) -> ServiceIndex:
    backend = get_backend(backend_name)
    writer = backend.create(tmp_path / "services")
    assert writer.add(DOCS) == 3
    writer.commit()
    return backend.open(tmp_path / "services")


def _keys(index: ServiceIndex, *clauses: TermClause, limit: int = 10) -> list[str]:
    return [h.key for h in index.search(BackendQuery(should=clauses, limit=limit))]


def test_count(index: ServiceIndex):
    assert index.count() == 3


def test_more_matches_rank_first(index: ServiceIndex):
    hits = index.search(BackendQuery(should=(TermClause("name", "hund"), TermClause("name", "anmeld"),
                                             TermClause("synonyms", "hund"))))
    assert [h.key for h in hits] == ["99110009104001", "99115005104000"]
    assert hits[0].score > hits[1].score > 0


def test_boost_changes_order(index: ServiceIndex):
    plain = (TermClause("name", "wohnung"), TermClause("name", "hund"))
    assert len(_keys(index, *plain)) == 2
    assert _keys(index, TermClause("name", "wohnung"), TermClause("name", "hund", boost=5.0))[0] == "99110009104001"
    assert _keys(index, TermClause("name", "wohnung", boost=5.0), TermClause("name", "hund"))[0] == "99115005104000"


def test_exact_field_boost(index: ServiceIndex):
    # Both docs share the stem "anmeld"; only doc 1 has the exact word "anmeldung".
    clauses = (TermClause("name", "anmeld"), TermClause("name_exact", "anmeldung", boost=2.0))
    hits = index.search(BackendQuery(should=clauses))
    assert [h.key for h in hits] == ["99115005104000", "99110009104001"]
    assert hits[0].score > hits[1].score


def test_limit_and_no_match(index: ServiceIndex):
    assert len(_keys(index, TermClause("name", "anmeld"), limit=1)) == 1
    assert _keys(index, TermClause("name", "personalausweis")) == []


def test_empty_query_returns_nothing(index: ServiceIndex):
    assert index.search(BackendQuery(should=())) == []


def test_open_empty_dir_fails(backend_name: str, tmp_path: Path):
    with pytest.raises(IndexUnavailableError):
        get_backend(backend_name).open(tmp_path)


def test_open_missing_dir_fails(backend_name: str, tmp_path: Path):
    with pytest.raises(IndexUnavailableError):
        get_backend(backend_name).open(tmp_path / "nope")


@pytest.mark.parametrize("files", [{"meta.json": b"{not json"}, {"garbage.bin": b"\x00\x01garbage"}])
def test_open_garbage_dir_fails(backend_name: str, tmp_path: Path, files: dict[str, bytes]):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    with pytest.raises(IndexUnavailableError):
        get_backend(backend_name).open(tmp_path)


def test_unknown_backend():
    with pytest.raises(ValueError):
        get_backend("solr")
