"""Indexer on the real data: services, offices, fetch with checksums, atomic builds that survive failures."""

from __future__ import annotations

import csv
import fcntl
import gzip
import hashlib
import os
import shutil
from pathlib import Path

import orjson
import pytest

import indexer.build as build_mod
from indexer.build import BuildLockedError, build_index
from indexer.fetch import fetch_data
from indexer.offices import read_offices
from indexer.report import BuildReport
from indexer.services import read_services
from indexer.sources import CHECKSUM_FILE, SERVICE_TEXTS_2024, SERVICES_CSV, SOURCES, TOPICS_2017
from zufi.backends import BackendQuery, TermClause, get_backend
from zufi.catalog import Catalog
from zufi.errors import DataFileError
from zufi.settings import Settings

WOHNUNG = "99115005104000"  # d115 120686, "Anmeldung einer Wohnung" on service.berlin.de (2024)


def _link_tree(src: Path, dst: Path, *, except_: tuple[str, ...] = ()) -> None:
    """A cheap copy of the data files: symlinks to ``src``, except the listed relative paths."""
    for s in SOURCES:
        if s.path in except_ or not s.at(src).exists():
            continue
        s.at(dst).parent.mkdir(parents=True, exist_ok=True)
        s.at(dst).symlink_to(s.at(src))


# --------------------------------------------------------------------------- services


@pytest.fixture(scope="module")
def services(mirror: Path):
    report = BuildReport()
    return read_services(mirror, report), report


def test_read_services_real(services):
    items, report = services
    assert len(items) == 615
    assert report.indexed["services"] == 615
    assert not report.rejected
    by_key = {s.leika_key: s for s in items}
    wohnung = by_key[WOHNUNG]
    assert wohnung.name == "Anmeldung einer Wohnung"
    assert (wohnung.leistungsobjekt, wohnung.verrichtung, wohnung.d115_id) == ("Wohnsitz", "Anmeldung", "120686")
    assert wohnung.url == "https://service.berlin.de/dienstleistung/120686/"
    assert wohnung.description.startswith("Melden Sie sich innerhalb von 14 Tagen")
    assert len(wohnung.description) <= 302
    assert "Wohnungsgeberbescheinigung" in wohnung.synonyms


def test_service_names_unique_and_variants_told_apart(services):
    items, report = services
    assert len({s.name.casefold() for s in items}) == 615
    by_key = {s.leika_key: s for s in items}
    # no 2024 page: the 2017 topic tree names the two Kinderreisepass keys apart
    assert by_key["99085003012001"].name == "Kinderreisepass beantragen / verlängern / aktualisieren"
    assert by_key["99085003012000"].name == (
        "Kinderreisepass für in Berlin nicht gemeldete Personen, Touristen und Deutsche mit Wohnsitz im Ausland")
    assert by_key["11123001103000"].name.startswith("Kartenverkauf (Landeskartenwerke")
    assert not report.repaired["services"]


def _write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_bad_rows_are_rejected_with_reasons(mirror: Path, tmp_path: Path):
    with SERVICES_CSV.at(mirror).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = dict(rows[0], leika_schluessel="9900101300600")          # 13 digits
    dup = dict(rows[1], d115_id="999999")                          # same key as rows[1]
    no_obj = dict(rows[2], leika_schluessel="99999999999999", leika_kennung=" ")
    no_key = dict(rows[3], leika_schluessel="")
    _write_csv(SERVICES_CSV.at(tmp_path), [bad, *rows[1:], dup, no_obj, no_key])
    _link_tree(mirror, tmp_path, except_=(SERVICES_CSV.path,))
    report = BuildReport()
    items = read_services(tmp_path, report)
    assert len(items) == 614
    assert rows[0]["leika_schluessel"] not in {s.leika_key for s in items}
    assert report.rejected["services"] == {
        "malformed LeiKa key (not 14 digits)": 1, "duplicate LeiKa key": 1,
        "missing Leistungsobjekt": 1, "missing LeiKa key": 1,
    }
    assert report.examples[("services", "malformed LeiKa key (not 14 digits)")] == ["9900101300600"]


def test_without_2024_and_2017_names_the_leika_fields_name_services(mirror: Path, tmp_path: Path):
    _link_tree(mirror, tmp_path, except_=(SERVICE_TEXTS_2024.path, TOPICS_2017.path))
    report = BuildReport()
    items = {s.leika_key: s for s in read_services(tmp_path, report)}
    assert items[WOHNUNG].name == "Wohnsitz Anmeldung"
    assert items["99110009104001"].name == "Hundehaltung Anmeldung"
    assert len({s.name for s in items.values()}) == 615
    assert any(SERVICE_TEXTS_2024.path in n for n in report.notes)
    # variants that share Leistungsobjekt and Verrichtung are still told apart
    assert items["99085003012000"].name == "Kinderreisepass Ausstellung (Variante 000)"
    assert items["11123001103000"].name == "Geodaten und Geoinformationen Verkauf und Verwaltung (Bezirkskarte)"
    assert report.repaired["services"]["duplicate name disambiguated"] >= 17


def test_corrupt_files_raise_data_file_error(mirror: Path, tmp_path: Path):
    _link_tree(mirror, tmp_path, except_=(SERVICE_TEXTS_2024.path,))
    texts = SERVICE_TEXTS_2024.at(tmp_path)
    texts.parent.mkdir(parents=True, exist_ok=True)
    texts.write_bytes(gzip.compress(b"[{\"d115_id\": "))  # truncated JSON
    with pytest.raises(DataFileError, match="berlin_dienstleistungen_texte"):
        read_services(tmp_path, BuildReport())
    texts.write_bytes(b"not gzip at all")
    with pytest.raises(DataFileError, match="berlin_dienstleistungen_texte"):
        read_services(tmp_path, BuildReport())
    texts.unlink()
    SERVICES_CSV.at(tmp_path).unlink()
    SERVICES_CSV.at(tmp_path).write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DataFileError, match="berlin_d115_leika_synonyme"):
        read_services(tmp_path, BuildReport())


# --------------------------------------------------------------------------- offices


@pytest.fixture(scope="module")
def offices(mirror: Path, services):
    items, _ = services
    report = BuildReport()
    by_d115 = {s.d115_id: s.leika_key for s in items if s.d115_id}
    return {o.id: o for o in read_offices(mirror, by_d115, report)}, report


def test_read_offices_real(offices):
    by_id, report = offices
    assert len(by_id) == 506 == report.indexed["offices"]
    assert report.indexed["office_links"] == 6275
    assert report.rejected["office_links"] == {"service not in LeiKa table": 181}
    kfz = by_id["121362"]
    assert kfz.name == "Kfz-Zulassungsbehörde-Lichtenberg"
    assert kfz.address.postal_code == "13055"
    assert kfz.address.one_line() == "Ferdinand-Schultze-Str. 55, 13055 Berlin"
    assert (kfz.lat, kfz.lon) == (52.53981, 13.51049)
    assert kfz.authority == "Landesamt für Bürger- und Ordnungsangelegenheiten"
    assert kfz.url == "https://service.berlin.de/standort/121362/"
    # d115 120658 = LeiKa 11036008014900 (Kraftfahrzeug Meldung), bookable online at this office
    assert kfz.services["11036008014900"].endswith("dienstleister=121362&anliegen[]=120658")
    assert kfz.opening_hours["monday"].startswith("07:30-15:00 Uhr (für Terminkunden)\n")
    assert "saturday" not in kfz.opening_hours
    assert not any("<" in v for o in by_id.values() for v in o.opening_hours.values())


def test_offices_bad_coordinates_dropped_but_kept(offices):
    by_id, report = offices
    # 0/0 coordinates and the centre of Germany for a Berlin address
    for oid in ("327389", "327795", "327805", "325509"):
        assert by_id[oid].lat is None and by_id[oid].lon is None
    assert report.repaired["offices"]["coordinates outside Germany dropped"] == 3
    assert report.repaired["offices"]["coordinates outside Berlin dropped"] == 1
    assert by_id["325509"].address.postal_code == "10115"  # was "10115 Berl"


# --------------------------------------------------------------------------- fetch


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fetch_copies_and_writes_checksums(mirror: Path, tmp_path: Path):
    dest = tmp_path / "data"
    report = fetch_data(mirror, dest)
    assert sorted(report.copied) == sorted(s.path for s in SOURCES) and report.unchanged == []
    sums = (dest / CHECKSUM_FILE).read_text().splitlines()
    assert len(sums) == len(SOURCES)
    assert f"{_sha(SERVICES_CSV.at(dest))}  {SERVICES_CSV.path}" in sums
    again = fetch_data(mirror, dest)
    assert again.copied == [] and len(again.unchanged) == len(SOURCES)
    assert "0 copied" in again.summary()


def test_fetch_rejects_tampered_file_and_keeps_old_copy(mirror: Path, tmp_path: Path):
    bad_mirror, dest = tmp_path / "mirror", tmp_path / "data"
    _link_tree(mirror, bad_mirror, except_=(SERVICES_CSV.path,))
    tampered = SERVICES_CSV.at(bad_mirror)
    tampered.write_bytes(SERVICES_CSV.at(mirror).read_bytes().replace(b"99115005104000", b"99115005104001"))
    old = SERVICES_CSV.at(dest)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an older copy\n")
    with pytest.raises(DataFileError, match="berlin_d115_leika_synonyme.csv.*checksum mismatch"):
        fetch_data(bad_mirror, dest)
    assert old.read_bytes() == b"an older copy\n"
    assert [p.name for p in old.parent.iterdir()] == [old.name]  # no temp file left behind


def test_fetch_missing_mirror_or_file(mirror: Path, tmp_path: Path):
    with pytest.raises(DataFileError, match="nowhere"):
        fetch_data(tmp_path / "nowhere", tmp_path / "data")
    partial = tmp_path / "mirror"
    _link_tree(mirror, partial, except_=("geo/berlin_plz.geojson",))
    with pytest.raises(DataFileError, match="berlin_plz.geojson"):
        fetch_data(partial, tmp_path / "data")


# --------------------------------------------------------------------------- build


def test_build_happy_path(settings: Settings):
    current = settings.current_index
    assert current.is_symlink() and not os.path.isabs(os.readlink(current))
    build = current.resolve()
    assert build.parent == settings.index_root / "builds"
    manifest = orjson.loads((build / "manifest.json").read_bytes())
    assert manifest["counts"]["indexed"]["services"] == 615
    assert manifest["counts"]["indexed"]["offices"] == 506
    assert manifest["backend"] == "tantivy" and manifest["generation"] == "VG5000 2021-01-01"
    assert manifest["sources"][SERVICES_CSV.path] == SERVICES_CSV.sha256
    index = get_backend(settings.backend).open(build / "services")
    assert index.count() == 615 + 4813 - 278 + 436  # Berlin ∪ OZG catalogue (issue 6)
    hits = index.search(BackendQuery(should=(TermClause("name", "wohnung"), TermClause("synonyms", "anmeld"))))
    assert hits[0].key == WOHNUNG
    catalog = Catalog.load(build / "catalog")
    assert len([i for i in catalog.offices_by_service[WOHNUNG] if not i.startswith("hh-")]) == 53  # + Hamburg's
    assert not [p for p in build.parent.iterdir() if p.name.startswith(".tmp-")]


@pytest.fixture
def home_copy(settings: Settings, tmp_path: Path) -> Settings:
    """A private copy of the built home (symlinks kept), so failing builds cannot harm the session's."""
    home = tmp_path / "home"
    shutil.copytree(settings.home, home, symlinks=True)
    return Settings(home=home, mirror=settings.mirror)


def _assert_untouched(s: Settings, target: str) -> None:
    assert os.readlink(s.current_index) == target
    assert get_backend(s.backend).open(s.current_index.resolve() / "services").count() == 5586
    assert not [p for p in (s.index_root / "builds").iterdir() if p.name.startswith(".tmp-")]
    assert sorted(p.name for p in (s.index_root / "builds").iterdir()) == [Path(target).name]


def test_interrupted_build_keeps_current(home_copy: Settings, monkeypatch: pytest.MonkeyPatch):
    target = os.readlink(home_copy.current_index)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_mod, "read_offices", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_index(home_copy, progress=False)
    _assert_untouched(home_copy, target)


def test_failing_gazetteer_keeps_current(home_copy: Settings, monkeypatch: pytest.MonkeyPatch):
    import indexer.areas

    target = os.readlink(home_copy.current_index)

    def boom(*args, **kwargs):
        raise RuntimeError("gazetteer exploded")

    monkeypatch.setattr(indexer.areas, "build_gazetteer", boom)
    with pytest.raises(RuntimeError, match="exploded"):
        build_index(home_copy, progress=False)
    _assert_untouched(home_copy, target)


def test_missing_input_fails_up_front(home_copy: Settings):
    target = os.readlink(home_copy.current_index)
    (home_copy.data_dir / "geo" / "vg5000_2021_krs.geojson").unlink()
    with pytest.raises(DataFileError, match="vg5000_2021_krs.geojson"):
        build_index(home_copy, progress=False)
    _assert_untouched(home_copy, target)


@pytest.mark.parametrize("relpath", ["leika_berlin/berlin_d115_leika_synonyme.csv",
                                     "gemeindeverzeichnis/zuordnung_plz_ort.csv"])
def test_truncated_input_after_fetch_fails_and_keeps_current(home_copy: Settings, relpath: str):
    """A half CSV still parses; only the pinned checksum tells it is incomplete."""
    target = os.readlink(home_copy.current_index)
    path = home_copy.data_dir / relpath
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=Path(relpath).name) as info:
        build_index(home_copy, progress=False)
    assert "checksum" in str(info.value)
    _assert_untouched(home_copy, target)


def test_incomplete_build_is_never_swapped_in(home_copy: Settings, monkeypatch: pytest.MonkeyPatch):
    import indexer.areas
    from zufi.errors import IndexUnavailableError

    def empty_gazetteer(data_dir, out_dir, report, progress=None):
        out_dir.mkdir(parents=True)

    target = os.readlink(home_copy.current_index)
    monkeypatch.setattr(indexer.areas, "build_gazetteer", empty_gazetteer)
    with pytest.raises(IndexUnavailableError):
        build_index(home_copy, progress=False)
    _assert_untouched(home_copy, target)


def test_second_build_is_locked_out(home_copy: Settings):
    target = os.readlink(home_copy.current_index)
    with (home_copy.index_root / ".lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildLockedError, match="another build is running"):
            build_index(home_copy, progress=False)
    _assert_untouched(home_copy, target)


def test_rebuilds_swap_and_keep_two(home_copy: Settings, monkeypatch: pytest.MonkeyPatch):
    import indexer.areas

    served = home_copy.current_index.resolve() / "gazetteer"

    def copied_gazetteer(data_dir, out_dir, report, progress=None):  # the real one, without rebuilding it
        shutil.copytree(served, out_dir)

    monkeypatch.setattr(indexer.areas, "build_gazetteer", copied_gazetteer)
    first = os.readlink(home_copy.current_index)
    second = build_index(home_copy, progress=False)
    third = build_index(home_copy, progress=False)
    assert home_copy.current_index.resolve() == third.path.resolve()
    kept = sorted(p.name for p in (home_copy.index_root / "builds").iterdir())
    assert kept == sorted([second.path.name, third.path.name])
    assert Path(first).name not in kept
    assert third.report.indexed["services"] == 615 and third.seconds > 0
