"""Shared fixtures: real data from the mirror (../shared/data or $ZUFI_MIRROR), built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The local mirror of the public data; tests fail loudly when it is missing."""
    path = Path(os.environ.get("ZUFI_MIRROR", ROOT.parent / "shared" / "data")).resolve()
    assert (path / "SOURCES.md").is_file(), f"data mirror not found at {path}; set ZUFI_MIRROR"
    return path


@pytest.fixture(scope="session")
def gazetteer_dir(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Path:
    """Gazetteer files built straight from the mirror (same layout as a fetched data dir)."""
    from indexer.areas import build_gazetteer
    from indexer.report import BuildReport

    out = tmp_path_factory.mktemp("gazetteer")
    build_gazetteer(mirror, out, BuildReport())
    return out


@pytest.fixture(scope="session")
def gazetteer(gazetteer_dir: Path):
    """A loaded :class:`gazetteer.Gazetteer` over all of Germany."""
    from gazetteer import Gazetteer

    return Gazetteer.load(gazetteer_dir)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, mirror: Path):
    """Settings with a fresh ZUFI_HOME holding fetched data and one complete index build."""
    from indexer.build import build_index
    from indexer.fetch import fetch_data
    from zufi.settings import Settings

    s = Settings(home=tmp_path_factory.mktemp("zufi_home"), mirror=mirror)
    fetch_data(mirror, s.data_dir)
    build_index(s, progress=False)
    return s


@pytest.fixture(scope="session")
def finder(settings):
    """A :class:`finder.core.Finder` over the session's index build."""
    from finder.core import Finder

    return Finder.open(settings)


@pytest.fixture(scope="session")
def client(settings):
    """A FastAPI test client over the session's index build."""
    from fastapi.testclient import TestClient

    from finder.api import create_app

    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
