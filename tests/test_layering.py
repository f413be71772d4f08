"""Imports flow one way: finder → gazetteer and zufi; finder never imports indexer; only the backend
module imports its engine; importing a package does no work."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update((str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


def test_finder_never_imports_indexer():
    assert not [f for f, m in _imports("finder") if m == "indexer"]


def test_gazetteer_imports_neither_finder_nor_indexer():
    assert not [f for f, m in _imports("gazetteer") if m in {"finder", "indexer"}]


def test_only_the_backend_module_imports_tantivy():
    users = {f for pkg in ("zufi", "finder", "indexer", "gazetteer") for f, m in _imports(pkg) if m == "tantivy"}
    assert users == {"zufi/backends/tantivy_backend.py"}


def test_shared_core_does_not_import_query_or_import_time_packages():
    bad = [(f, m) for f, m in _imports("zufi") if m in {"finder", "indexer"} and not f.endswith("cli.py")]
    assert not bad
