"""`zufi data fetch` without --mirror, against a loopback HTTP server (127.0.0.1 only) that serves the mirror's
files under the publishers' paths — VG5000 as a BKG GeoPackage zip in EPSG:25832 and the Gemeindeverzeichnis
as Destatis xlsx, written from the mirror by the helpers of test_formats."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path

import pytest
from loopback import served_path, server_fixtures
from test_formats import (
    LAYERS,
    OZG_CSV,
    write_d115_tsv,
    write_geonames_zip,
    write_gv_xlsx,
    write_ozg_sql_dump,
    write_vg5000,
    zip_tree,
)
from typer.testing import CliRunner

from indexer.areas import build_gazetteer
from indexer.build import build_index, check_inputs
from indexer.download import DownloadPolicy
from indexer.fetch import download_data, input_accepted, input_for, read_sums, sha256_file
from indexer.report import BuildReport
from indexer.sources import (
    BY_PATH,
    CHECKSUM_FILE,
    FORMAT_D115_TSV,
    FORMAT_MIRROR_ONLY,
    FORMAT_OZG_SQL,
    FORMAT_SAME,
    FORMAT_VG5000_GPKG_ZIP,
    PUBLISHER_BY_NAME,
    PUBLISHER_FILES,
    SERVICES_CSV,
    SOURCES,
    THESAURUS,
)
from zufi.catalog import Catalog
from zufi.errors import DataFileError
from zufi.settings import Settings

FAST = DownloadPolicy(timeout_s=5, retries=2, backoff_s=0.01)
PLZ = PUBLISHER_BY_NAME["plz-ort"]
GV = PUBLISHER_BY_NAME["destatis-gv"]
DOWNLOADED = ["vg5000", "destatis-gv", "plz-ort", "berlin-standorte", "geonames"]


@pytest.fixture(scope="module")
def publisher_root(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory laid out like the publishers' servers, its files made from the mirror."""
    root = tmp_path_factory.mktemp("publishers")
    work = tmp_path_factory.mktemp("publisher_work")

    def place(name: str) -> Path:
        p = root / served_path(PUBLISHER_BY_NAME[name].url).lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    gpkg = write_vg5000({lvl: mirror / rel for lvl, rel in LAYERS.items()}, work / "DE_VG5000.gpkg")
    zip_tree(gpkg, place("vg5000"), "vg5000_01-01.utm32s.gpkg.ebenen/vg5000_ebenen_0101")
    write_gv_xlsx(mirror / BY_PATH[GV.provides[0]].path, place("destatis-gv"))
    write_geonames_zip(mirror / "places/geonames_cities1000_de.csv", place("geonames"))
    write_d115_tsv(SERVICES_CSV.at(mirror), place("berlin-d115-leika"))
    write_ozg_sql_dump(mirror / OZG_CSV, place("ozg-katalog"))
    for name in ("plz-ort", "berlin-standorte", "townhalls", "townhalls-st"):
        shutil.copyfile(mirror / PUBLISHER_BY_NAME[name].provides[0], place(name))
    import gzip
    import zipfile

    with zipfile.ZipFile(place("openthesaurus"), "w") as zf:  # the openthesaurus.de text export's shape
        zf.writestr("openthesaurus.txt", gzip.decompress((mirror / THESAURUS.path).read_bytes()))
    return root


# a threaded HTTP server on 127.0.0.1 (random port) over ``publisher_root``, and its base URL per test
_server, _base_url = server_fixtures("publisher_root")


def _no_temp_files(d: Path) -> bool:
    return not [p for p in d.rglob("*") if ".part" in p.name]


# ------------------------------------------------------------------------------------------ the tables
def test_every_source_file_has_a_publisher_entry():
    provided = {p for pf in PUBLISHER_FILES for p in pf.provides}
    assert provided == {s.path for s in SOURCES}
    for pf in PUBLISHER_FILES:
        if pf.downloadable:
            assert pf.url.startswith("https://")
        if pf.format == FORMAT_SAME:
            assert pf.filename == pf.provides[0] and pf.pin() == BY_PATH[pf.filename].sha256
    d115 = PUBLISHER_BY_NAME["berlin-d115-leika"]  # required by the build: downloadable (issue 6)
    assert d115.default and d115.format == FORMAT_D115_TSV and d115.provides == (SERVICES_CSV.path,)
    assert d115.url == "https://raw.githubusercontent.com/shansmann/chatbot-egov-berlin/c612b891/data/data.tsv"
    assert not [s.path for s in SOURCES if s.required and all(
        pf.format == FORMAT_MIRROR_ONLY for pf in PUBLISHER_FILES if s.path in pf.provides)]


# --------------------------------------------------------------------------------- download and build
def test_download_verifies_and_builds_the_same_gazetteer(base_url, server, mirror: Path, tmp_path: Path,
                                                         gazetteer_dir: Path):
    dest = tmp_path / "data"
    report = download_data(dest, sources=DOWNLOADED, base_url=base_url, policy=FAST)
    assert sorted(report.downloaded) == sorted(PUBLISHER_BY_NAME[n].filename for n in DOWNLOADED)
    assert report.accepted == [] and report.skipped == {}
    sums = read_sums(dest)
    assert set(sums) == set(report.downloaded)
    for rel, digest in sums.items():
        assert sha256_file(dest / rel) == digest
    assert sums[PLZ.filename] == BY_PATH[PLZ.filename].sha256  # byte-identical to the pinned mirror file
    assert _no_temp_files(dest)
    assert input_for(dest, "geo/vg5000_2021_gem.geojson.gz") == (dest / PUBLISHER_BY_NAME["vg5000"].filename,
                                                                 FORMAT_VG5000_GPKG_ZIP)
    hits = sum(server.hits.values())
    again = download_data(dest, sources=DOWNLOADED, base_url=base_url, policy=FAST)
    assert again.downloaded == [] and len(again.unchanged) == len(DOWNLOADED)
    assert sum(server.hits.values()) == hits  # nothing fetched again

    # the other inputs from the mirror, then the build reads the publisher formats
    provided = {p for n in DOWNLOADED for p in PUBLISHER_BY_NAME[n].provides}
    for s in SOURCES:
        if s.path not in provided and s.at(mirror).exists():
            s.at(dest).parent.mkdir(parents=True, exist_ok=True)
            s.at(dest).symlink_to(s.at(mirror))
    check_inputs(dest)  # VG5000 GeoJSON absent: accepted because the recorded GeoPackage stands for it
    out = tmp_path / "gaz"
    build_gazetteer(dest, out, BuildReport())
    ref = json.loads((gazetteer_dir / "gazetteer.json").read_bytes())
    got = json.loads((out / "gazetteer.json").read_bytes())
    assert got["areas"] == ref["areas"]
    assert len(got["gemeinden"]) == len(ref["gemeinden"]) == 10997
    for r, g in zip(ref["gemeinden"], got["gemeinden"]):
        assert g[:6] == r[:6] and g[8:] == r[8:]  # ars, ags, names, types, population, plz, type
        assert abs(g[6] - r[6]) < 1e-4 and abs(g[7] - r[7]) < 1e-4  # centre (Destatis, else rep. point)
    assert got["plz"] == ref["plz"] and got["bezirke"] == ref["bezirke"]
    assert set(got["ortsteile"]) == set(ref["ortsteile"])

    from gazetteer import Gazetteer
    from zufi.model import Point

    a, b = Gazetteer.load(gazetteer_dir), Gazetteer.load(out)
    points = json.loads((mirror / "testpoints/golden_points_ars.json").read_bytes())["points"]
    assert len(points) == 13
    for p in points:
        pt = Point(p["lon"], p["lat"])
        assert b.locate(pt).ars == a.locate(pt).ars == p["ars"]


def _link_inputs(mirror: Path, dest: Path, provided: set[str]) -> None:
    """Symlink every pinned input the download did not provide from the mirror into ``dest``."""
    for s in SOURCES:
        if s.path not in provided and s.at(mirror).exists() and not s.at(dest).exists():
            s.at(dest).parent.mkdir(parents=True, exist_ok=True)
            s.at(dest).symlink_to(s.at(mirror))


def test_downloaded_d115_tsv_builds_the_same_services(base_url, mirror: Path, settings: Settings, tmp_path: Path):
    d115 = PUBLISHER_BY_NAME["berlin-d115-leika"]
    home = Settings(home=tmp_path / "home")
    dest = home.data_dir
    report = download_data(dest, sources=["berlin-d115-leika"], base_url=base_url, policy=FAST)
    assert report.downloaded == ["leika_berlin/data.tsv"] == [d115.filename] and report.skipped == {}
    assert set(read_sums(dest)) == {"leika_berlin/data.tsv"} and _no_temp_files(dest)
    assert input_for(dest, SERVICES_CSV.path) == (dest / "leika_berlin/data.tsv", FORMAT_D115_TSV)
    assert not SERVICES_CSV.at(dest).exists()

    _link_inputs(mirror, dest, {SERVICES_CSV.path})
    check_inputs(dest)  # the d115 CSV is absent: the recorded data.tsv stands for it
    build = build_index(home, progress=False).path
    manifest = json.loads((build / "manifest.json").read_bytes())
    ref_manifest = json.loads((settings.current_index.resolve() / "manifest.json").read_bytes())
    assert manifest["counts"]["indexed"]["services"] == ref_manifest["counts"]["indexed"]["services"] == 615
    got, ref = Catalog.load(build / "catalog"), Catalog.load(settings.current_index.resolve() / "catalog")
    assert got.services == ref.services  # keys, names, Kennung/Verrichtung, synonyms, d115 ids
    assert got.offices_by_service == ref.offices_by_service

    (dest / d115.filename).write_bytes(b"edited after the fetch\r")  # no longer the recorded checksum
    with pytest.raises(DataFileError, match="berlin_d115_leika_synonyme.csv: input file missing"):
        check_inputs(dest)


def test_downloaded_ozg_sql_dump_builds_the_same_catalogue(base_url, mirror: Path, settings: Settings,
                                                           tmp_path: Path):
    ozg = PUBLISHER_BY_NAME["ozg-katalog"]
    assert ozg.default and ozg.format == FORMAT_OZG_SQL and ozg.provides == (OZG_CSV,)
    assert ozg.url == ("https://raw.githubusercontent.com/kdn-nrw/OZG-Datenbank-NRW/"
                       "4edb4b27868ddeb44bb04edac5d07994726e02cd/doc-dev/databases/symfony.data.sql")
    home = Settings(home=tmp_path / "home")
    dest = home.data_dir
    report = download_data(dest, sources=["ozg-katalog"], base_url=base_url, policy=FAST)
    assert report.downloaded == [ozg.filename] == ["ozg_katalog_2019/symfony.data.sql"] and report.skipped == {}
    assert set(read_sums(dest)) == {ozg.filename} and _no_temp_files(dest)
    assert input_for(dest, OZG_CSV) == (dest / ozg.filename, FORMAT_OZG_SQL)
    assert not (dest / OZG_CSV).exists()

    _link_inputs(mirror, dest, {OZG_CSV})
    check_inputs(dest)
    build = build_index(home, progress=False).path
    manifest = json.loads((build / "manifest.json").read_bytes())
    ref_manifest = json.loads((settings.current_index.resolve() / "manifest.json").read_bytes())
    assert manifest["counts"]["indexed"]["services"] == ref_manifest["counts"]["indexed"]["services"]
    got, ref = Catalog.load(build / "catalog"), Catalog.load(settings.current_index.resolve() / "catalog")
    assert len(got.services) == len(ref.services) > 5000  # Berlin's 615 keys plus the national catalogue
    assert got.services == ref.services  # every field of every service, OZG fields and their sources included


def test_townhall_files_download_as_pinned_copies(base_url, mirror: Path, gazetteer, tmp_path: Path):
    names = ["townhalls", "townhalls-st"]
    for n in names:
        pf = PUBLISHER_BY_NAME[n]
        assert pf.url.startswith("https://raw.githubusercontent.com/okfde/staedte-gemeinden-verwaltungen/aa125dfb")
    report = download_data(tmp_path, sources=names, base_url=base_url, policy=FAST)
    assert report.downloaded == [PUBLISHER_BY_NAME[n].filename for n in names] and report.accepted == []
    for n in names:
        assert sha256_file(tmp_path / PUBLISHER_BY_NAME[n].filename) == PUBLISHER_BY_NAME[n].pin()
    from indexer.townhalls import read_townhalls

    got = read_townhalls(tmp_path, gazetteer, BuildReport())
    assert len(got) > 2000 and got == read_townhalls(mirror, gazetteer, BuildReport())


# ------------------------------------------------------------------------------------------- failures
def test_404_names_the_url(base_url, tmp_path: Path):
    with pytest.raises(DataFileError, match=r"HTTP 404") as exc:
        download_data(tmp_path, sources=["berlin-behoerden"], base_url=base_url, policy=FAST)
    assert exc.value.path == f"{base_url}/export/behoerden/json/"
    assert _no_temp_files(tmp_path)


def test_changed_publisher_file_is_refused_unless_accepted(base_url, publisher_root: Path, tmp_path: Path):
    served = publisher_root / served_path(PLZ.url).lstrip("/")
    original = served.read_bytes()
    (tmp_path / PLZ.filename).parent.mkdir(parents=True)
    (tmp_path / PLZ.filename).write_bytes(b"osm_id,ags,ort,plz,landkreis,bundesland\n")  # an older copy
    served.write_bytes(original + b"999999,16051000,Erfurt,99099,,Th\xc3\xbcringen\n")
    try:
        with pytest.raises(DataFileError, match="the publisher's file changed.*--accept-new") as exc:
            download_data(tmp_path, sources=["plz-ort"], base_url=base_url, policy=FAST)
        assert exc.value.path.endswith("/v2/public/zuordnung_plz_ort.csv")
        assert (tmp_path / PLZ.filename).read_bytes() == b"osm_id,ags,ort,plz,landkreis,bundesland\n"
        assert _no_temp_files(tmp_path)

        report = download_data(tmp_path, sources=["plz-ort"], base_url=base_url, policy=FAST, accept_new=True)
        assert report.accepted == [PLZ.filename]
        new = hashlib.sha256(served.read_bytes()).hexdigest()
        assert read_sums(tmp_path)[PLZ.filename] == new == sha256_file(tmp_path / PLZ.filename)
        assert input_accepted(tmp_path, BY_PATH[PLZ.filename])  # the build takes the accepted checksum
        (tmp_path / PLZ.filename).write_bytes(b"edited after the fetch\n")
        assert not input_accepted(tmp_path, BY_PATH[PLZ.filename])
    finally:
        served.write_bytes(original)


def test_truncated_download_is_retried_then_refused(base_url, server, tmp_path: Path):
    old = tmp_path / GV.filename
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old copy")
    server.behaviour[served_path(GV.url)] = "truncate"
    with pytest.raises(DataFileError, match=r"failed after 3 attempts: .*") as exc:
        download_data(tmp_path, sources=["destatis-gv"], base_url=base_url, policy=FAST)
    assert "AuszugGV4QAktuell.xlsx" in exc.value.path
    assert server.hits[served_path(GV.url)] == 3
    assert old.read_bytes() == b"old copy" and _no_temp_files(tmp_path)


def test_server_closing_the_connection_is_a_clear_error(base_url, server, tmp_path: Path):
    server.behaviour[served_path(PLZ.url)] = "close"
    with pytest.raises(DataFileError, match=r"zuordnung_plz_ort.csv: download failed after 3 attempts: "
                                            r"RemoteProtocolError: Server disconnected"):
        download_data(tmp_path, sources=["plz-ort"], base_url=base_url, policy=FAST)
    assert not (tmp_path / PLZ.filename).exists() and _no_temp_files(tmp_path)


def test_refused_connection_names_the_url(tmp_path: Path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DataFileError, match=rf"127.0.0.1:{port}/v2/public/zuordnung_plz_ort.csv: .*ConnectError"):
        download_data(tmp_path, sources=["plz-ort"], base_url=f"http://127.0.0.1:{port}",
                      policy=DownloadPolicy(timeout_s=2, retries=1, backoff_s=0))


def test_transient_503_is_retried(base_url, server, tmp_path: Path):
    server.behaviour[served_path(PLZ.url)] = "503-once"
    report = download_data(tmp_path, sources=["plz-ort"], base_url=base_url, policy=FAST)
    assert report.downloaded == [PLZ.filename] and server.hits[served_path(PLZ.url)] == 2
    assert sha256_file(tmp_path / PLZ.filename) == PLZ.pin()


def test_converted_format_that_does_not_parse_is_refused(base_url, server, tmp_path: Path):
    server.behaviour[served_path(GV.url)] = "junk"
    with pytest.raises(DataFileError, match=r"not a readable xlsx"):
        download_data(tmp_path, sources=["destatis-gv"], base_url=base_url, policy=FAST)
    assert not (tmp_path / GV.filename).exists() and _no_temp_files(tmp_path)


def test_size_limit(base_url, tmp_path: Path):
    with pytest.raises(DataFileError, match=r"zuordnung_plz_ort.csv: .*more than the limit"):
        download_data(tmp_path, sources=["plz-ort"], base_url=base_url,
                      policy=DownloadPolicy(timeout_s=5, retries=0, max_bytes=1000))
    assert _no_temp_files(tmp_path)


def test_mirror_only_files_are_listed_not_downloaded(base_url, tmp_path: Path):
    report = download_data(tmp_path, sources=["sources-md"], base_url=base_url, policy=FAST)
    assert list(report.skipped) == ["sources-md"] and report.downloaded == []
    assert "use --mirror" in report.summary()


# ------------------------------------------------------------------------------------------------ CLI
def test_optional_file_that_fails_does_not_stop_a_default_download(base_url, publisher_root: Path, mirror: Path,
                                                                   tmp_path: Path):
    # every required file is served; the Hamburg archive, Berlin 2024 files, WSP list and golden points are
    # not (404), nor is the Berlin topic tree
    added = []
    for pf in PUBLISHER_FILES:  # the required same-format files the fixture does not serve
        served = publisher_root / served_path(pf.url).lstrip("/")
        if pf.default and pf.format == FORMAT_SAME and BY_PATH[pf.provides[0]].required and not served.exists():
            served.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / pf.provides[0], served)
            added.append(served)
    try:
        report = download_data(tmp_path, base_url=base_url, policy=FAST)
    finally:  # leave the server as it was (an empty folder would be served as a listing)
        for p in added:
            p.unlink()
            d = p.parent
            while d != publisher_root and not any(d.iterdir()):
                d.rmdir()
                d = d.parent
    assert "HTTP 404" in report.failed["hamburg-leistungen"]
    assert {"berlin-2024-texte", "nrw-wsp", "golden-points"} <= set(report.failed)
    assert not {"vg5000", "plz-ort", "destatis-gv", "ozg-katalog", "openthesaurus", "berlin-behoerden"} & set(
        report.failed)
    assert "optional, not fetched" in report.summary()
    # the lexicon came as the publisher's zip and reads as the mirror's file
    from indexer.lexicon import read_nouns

    path, fmt = input_for(tmp_path, THESAURUS.path)
    assert path.name == "OpenThesaurus-Textversion.zip" and fmt == "openthesaurus-zip"
    assert read_nouns(path) == read_nouns(mirror / THESAURUS.path)


def test_required_file_that_fails_stops_a_default_download(base_url, tmp_path: Path):
    # the Berlin authorities export (a required input) is not on the loopback server
    with pytest.raises(DataFileError, match="HTTP 404") as exc:
        download_data(tmp_path, base_url=base_url, policy=FAST)
    assert exc.value.path.endswith("/export/behoerden/json/")


def test_cli_fetch_downloads_without_mirror(base_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from zufi.cli import app

    monkeypatch.setenv("ZUFI_HOME", str(tmp_path))
    monkeypatch.delenv("ZUFI_MIRROR", raising=False)
    runner = CliRunner()
    ok = runner.invoke(app, ["data", "fetch", "--source", "plz-ort", "--base-url", base_url])
    assert ok.exit_code == 0, ok.output
    assert "1 files: 1 downloaded, 0 unchanged" in " ".join(ok.output.split())
    assert sha256_file(tmp_path / "data" / PLZ.filename) == PLZ.pin()
    assert (tmp_path / "data" / CHECKSUM_FILE).is_file()
    missing = runner.invoke(app, ["data", "fetch", "--source", "berlin-behoerden", "--base-url", base_url])
    assert missing.exit_code == 1
    assert f"{base_url}/export/behoerden/json/: HTTP 404" in "".join(missing.output.split("\n"))
    both = runner.invoke(app, ["data", "fetch", "--mirror", str(tmp_path), "--source", "plz-ort"])
    assert both.exit_code == 2
    unknown = runner.invoke(app, ["data", "fetch", "--source", "nope", "--base-url", base_url])
    assert unknown.exit_code == 2 and "unknown data source nope" in unknown.output
