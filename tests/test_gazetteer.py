"""Gazetteer over the real data: VG5000 01.01.2021, Destatis 31.12.2020, OSM PLZ table, Bezirke table."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zufi.errors import DataFileError, IndexUnavailableError
from zufi.model import ARS_LENGTH, Point

_MIRROR = Path(os.environ.get("ZUFI_MIRROR", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
_GOLDEN_FILE = _MIRROR / "testpoints" / "golden_points_ars.json"
# read at collection time for parametrisation (same mirror rule as tests/conftest.py)
GOLDEN = json.loads(_GOLDEN_FILE.read_text(encoding="utf-8"))["points"] if _GOLDEN_FILE.is_file() else []


def _golden(mirror: Path) -> list[dict]:
    return json.loads((mirror / "testpoints" / "golden_points_ars.json").read_text(encoding="utf-8"))["points"]


# ------------------------------------------------------------------------------------------ locate
@pytest.mark.parametrize("pt", GOLDEN, ids=[p["name"] for p in GOLDEN])
def test_golden_points(gazetteer, pt):
    place = gazetteer.locate(Point(pt["lon"], pt["lat"]))
    assert place.status == "resolved"
    assert place.ars == pt["ars"]


def test_golden_points_all_present(mirror):
    assert len(_golden(mirror)) == 13


def test_golden_points_vectorised(gazetteer, mirror):
    pts = _golden(mirror)
    places = gazetteer.locate_many([Point(p["lon"], p["lat"]) for p in pts])
    assert [p.ars for p in places] == [p["ars"] for p in pts]


def test_locate_many_equals_locate(gazetteer):
    import random

    rnd = random.Random(7)
    pts = [Point(rnd.uniform(5.5, 15.5), rnd.uniform(47.2, 55.2)) for _ in range(3000)]
    pts.append(Point(lon=50.9771, lat=11.0272))  # swapped Erfurt
    many = gazetteer.locate_many(pts)
    assert [m.model_dump() for m in many] == [gazetteer.locate(p).model_dump() for p in pts]
    assert {m.status for m in many} == {"resolved", "outside_germany"}


def test_erfurt_centre_chain(gazetteer):
    place = gazetteer.locate(Point(lon=11.0272, lat=50.9771))
    assert place.status == "resolved"
    assert place.ags == "16051000"
    assert place.name == "Erfurt"
    assert (place.lat, place.lon, place.point_source) == (50.9771, 11.0272, "given")
    assert place.chain[0].level == "land" and place.chain[0].ars == "16" and place.chain[0].name == "Thüringen"
    assert place.chain[-1].level == "gemeinde" and place.chain[-1].ars == "160510000000"
    assert place.chain[-1].name == "Erfurt" and place.chain[-1].type == "Stadt"
    assert [c.level for c in place.chain] == ["land", "kreis", "gemeindeverband", "gemeinde"]
    assert place.chain[1].type == "Kreisfreie Stadt"
    for link in place.chain:
        assert len(link.ars) == ARS_LENGTH[link.level]
        assert place.ars.startswith(link.ars)
    assert "near_boundary" not in place.warnings


def test_marienplatz_has_regierungsbezirk(gazetteer):
    place = gazetteer.locate(Point(lon=11.5755, lat=48.1374))
    rb = [c for c in place.chain if c.level == "regierungsbezirk"]
    assert len(rb) == 1 and rb[0].ars == "091" and rb[0].name == "Oberbayern"
    assert [len(c.ars) for c in place.chain] == [2, 3, 5, 9, 12]


def test_swapped_point(gazetteer):
    place = gazetteer.locate(Point(lon=50.9771, lat=11.0272))
    assert place.status == "outside_germany"
    assert "probably_swapped" in place.warnings
    assert place.suggestion == {"lat": 50.9771, "lon": 11.0272}
    assert place.ags is None  # never swapped silently


def test_paris_outside_without_swap_hint(gazetteer):
    place = gazetteer.locate(Point(lon=2.3522, lat=48.8566))
    assert place.status == "outside_germany"
    assert "probably_swapped" not in place.warnings
    assert place.suggestion is None
    assert "outside Germany" in place.message


def test_north_sea_is_outside(gazetteer):
    # German Bight, ~40 km off Helgoland: inside the bbox, far from any Gemeinde
    place = gazetteer.locate(Point(lon=7.3, lat=54.5))
    assert place.status == "outside_germany"


def test_just_off_the_coast_resolves_to_nearest(gazetteer):
    # Baltic Sea off Warnemünde, ~770 m outside the generalised Rostock polygon
    place = gazetteer.locate(Point(lon=12.08, lat=54.19))
    assert place.status == "resolved" and place.ags == "13003000"
    assert "near_boundary" in place.warnings
    assert place.candidates[0].ags == "13003000"


def test_near_boundary_two_candidates(gazetteer):
    # ~150 m inside Erfurt from its boundary with Witterda (Landkreis Sömmerda)
    place = gazetteer.locate(Point(lon=10.9273, lat=51.0145))
    assert place.status == "resolved" and place.ags == "16051000"
    assert "near_boundary" in place.warnings
    assert [c.ars for c in place.candidates] == ["160510000000", "160685050061"]
    # a smaller tolerance removes the warning
    assert "near_boundary" not in gazetteer.locate(Point(lon=10.9273, lat=51.0145), near_boundary_m=20).warnings


def test_gemeindefreies_gebiet_ends_at_kreis(gazetteer):
    # Sachsenwald (Forstgutsbezirk), gemeindefrei, Kreis Herzogtum Lauenburg
    cand = gazetteer.resolve("Sachsenwald")
    assert cand.status == "resolved" and "gemeindefrei" in cand.warnings
    place = gazetteer.locate(Point(lon=cand.lon, lat=cand.lat))
    assert "gemeindefrei" in place.warnings
    assert place.chain[-1].level == "kreis" and place.chain[-1].ars == "01053"


# ------------------------------------------------------------------------------------------ resolve
@pytest.mark.parametrize("text", ["Erfurt", "erfurt", "ERFURT", "Erfurt, Stadt", "Stadt Erfurt"])
def test_erfurt_by_name(gazetteer, text):
    place = gazetteer.resolve(text)
    assert place.status == "resolved"
    assert place.ags == "16051000"
    assert place.point_source == "gemeinde_centre"
    assert place.lat == pytest.approx(50.977122) and place.lon == pytest.approx(11.027236)
    assert place.chain[-1].ars == "160510000000"


@pytest.mark.parametrize("text", ["Koeln", "Köln", "Koln", "KÖLN"])
def test_koeln_spellings(gazetteer, text):
    place = gazetteer.resolve(text)
    assert place.status == "resolved" and place.ags == "05315000"


def test_neustadt_is_ambiguous_across_laender(gazetteer):
    place = gazetteer.resolve("Neustadt")
    assert place.status == "ambiguous"
    assert place.ags is None
    assert len({c.land for c in place.candidates}) >= 3
    pops = [c.population or 0 for c in place.candidates]
    assert pops == sorted(pops, reverse=True)


def test_frankfurt(gazetteer):
    assert gazetteer.resolve("Frankfurt am Main").ags == "06412000"
    assert gazetteer.resolve("Frankfurt (Oder)").ags == "12053000"
    plain = gazetteer.resolve("Frankfurt")
    assert plain.status == "ambiguous"
    assert {c.ags for c in plain.candidates} == {"06412000", "12053000"}


@pytest.mark.parametrize("text", ["Halle (Saale)", "Halle/Saale", "Halle (Saale), Stadt"])
def test_halle_saale(gazetteer, text):
    assert gazetteer.resolve(text).ags == "15002000"


def test_exact_name_wins_over_base_names(gazetteer):
    assert gazetteer.resolve("Weimar").ags == "16055000"  # not Weimar (Lahn)
    assert gazetteer.resolve("Weimar (Lahn)").ags == "06534020"
    harburg = gazetteer.resolve("Harburg")  # the Bezirk's own name vs. base name of Harburg (Schwaben)
    assert harburg.ags == "02000000" and harburg.district.name == "Harburg"
    assert gazetteer.resolve("Harburg (Schwaben)").ags == "09779155"


def test_bezirk_ortsteil_variant(gazetteer):
    place = gazetteer.resolve("Kreuzberg")
    assert place.status == "resolved" and place.district.name == "Friedrichshain-Kreuzberg"
    # "Schöneberg": two Gemeinden of that exact name in Rheinland-Pfalz + a Berlin Ortsteil
    amb = gazetteer.resolve("Schöneberg")
    assert amb.status == "ambiguous" and "Berlin" in {c.land for c in amb.candidates}


def test_plain_halle_is_ambiguous(gazetteer):
    place = gazetteer.resolve("Halle")
    assert place.status == "ambiguous"
    assert place.candidates[0].ags == "15002000"  # ranked by population


def test_plz_several_gemeinden(gazetteer):
    place = gazetteer.resolve("15537")
    assert place.status == "ambiguous" and place.plz == "15537"
    assert {c.ags for c in place.candidates} >= {"12067124", "12067173", "12067201"}
    assert all(c.plz == "15537" for c in place.candidates)


def test_plz_with_name_picks_one(gazetteer):
    place = gazetteer.resolve("15537 Erkner")
    assert place.status == "resolved" and place.ags == "12067124" and place.plz == "15537"


def test_plz_erfurt(gazetteer):
    place = gazetteer.resolve("99084")
    assert place.status == "resolved" and place.ags == "16051000" and place.plz == "99084"


def test_plz_leading_zero(gazetteer):
    assert gazetteer.resolve("01067").ags == "14612000"  # Dresden; the file stores "1067"
    assert gazetteer.is_plz_known("01067")


def test_plz_of_newer_key_resolved_by_name(gazetteer):
    # 99817 → AGS 16063105 (Eisenach in the Wartburgkreis since 2021), not in VG5000 01.01.2021
    place = gazetteer.resolve("99817")
    assert place.status == "resolved" and place.ags == "16063105"  # the new key, from the change table
    assert "key_changed" in place.warnings and place.key_change["old_ags"] == "16056000"


def test_berlin_plz_point(gazetteer):
    place = gazetteer.resolve("12043")
    assert place.status == "resolved" and place.ags == "11000000" and place.point_source == "plz"
    assert gazetteer.locate(Point(place.lon, place.lat)).ags == "11000000"


def test_unknown_plz_and_name(gazetteer):
    assert gazetteer.resolve("00000").status == "not_found"
    nf = gazetteer.resolve("Xyzzyhausen")
    assert nf.status == "not_found" and nf.message


@pytest.mark.parametrize("text", ["Neukölln", "Berlin-Neukölln", "Neukoelln", "berlin neukölln", "Bezirk Neukölln"])
def test_berlin_bezirk(gazetteer, text):
    place = gazetteer.resolve(text)
    assert place.status == "resolved"
    assert place.ags == "11000000"
    assert place.district is not None and place.district.name == "Neukölln" and place.district.city == "Berlin"
    assert place.point_source == "district"
    assert (place.lat, place.lon) == (place.district.lat, place.district.lon)
    assert "122285" in place.district.source


@pytest.mark.parametrize("text", ["Altona", "Hamburg-Altona"])
def test_hamburg_bezirk(gazetteer, text):
    place = gazetteer.resolve(text)
    assert place.status == "resolved" and place.ags == "02000000"
    assert place.district.name == "Altona" and place.district.city == "Hamburg"


def test_all_bezirke_located_in_their_city(gazetteer):
    bez = gazetteer.text.bezirke
    assert len([b for b in bez if b["city"] == "Berlin"]) == 12
    assert len([b for b in bez if b["city"] == "Hamburg"]) == 7
    for b in bez:
        ags = gazetteer.locate(Point(b["lon"], b["lat"])).ags
        assert ags == ("11000000" if b["city"] == "Berlin" else "02000000"), b["bezirk"]


def test_is_place_name(gazetteer):
    for t in ("Erfurt", "koeln", "Neukölln", "Halle", "Frankfurt am Main", "Hamburg-Altona"):
        assert gazetteer.is_place_name(t), t
    for t in ("Hund anmelden", "Personalausweis", ""):
        assert not gazetteer.is_place_name(t), t


def test_search_places(gazetteer):
    res = gazetteer.search_places("Erf", limit=5)
    assert res and res[0].ags == "16051000"
    res = gazetteer.search_places("halle", limit=10)
    # the four Gemeinden called "Halle" (incl. base names) first, by population; then "Hallenberg" …
    assert [c.ags for c in res[:2]] == ["15002000", "05754012"]
    assert {c.name for c in res[:4]} == {"Halle (Saale)", "Halle (Westf.)", "Halle"}
    assert "Hallenberg" in [c.name for c in res[4:]]
    assert len(gazetteer.search_places("Neu", limit=7)) == 7


def test_area_accessor(gazetteer):
    assert gazetteer.area("16").name == "Thüringen"
    assert gazetteer.area("091").name == "Oberbayern"
    assert gazetteer.area("160510000000").name == "Erfurt"
    assert gazetteer.area("99") is None


# ------------------------------------------------------------------------------------------ build/load
def _mirror_copy(mirror: Path, tmp: Path) -> Path:
    """A data dir in ``tmp`` with symlinks to the mirror's files (no data copied into the repo)."""
    for rel in ("geo", "gemeindeverzeichnis"):
        (tmp / rel).mkdir(parents=True)
        for f in (mirror / rel).iterdir():
            (tmp / rel / f.name).symlink_to(f)
    return tmp


def test_truncated_gzip_names_file(mirror, tmp_path):
    from indexer.areas import build_gazetteer
    from indexer.report import BuildReport

    data = _mirror_copy(mirror, tmp_path / "data")
    bad = data / "geo" / "vg5000_2021_gem.geojson.gz"
    raw = (mirror / "geo" / "vg5000_2021_gem.geojson.gz").read_bytes()
    bad.unlink()
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataFileError) as ei:
        build_gazetteer(data, tmp_path / "out", BuildReport())
    assert "vg5000_2021_gem.geojson.gz" in str(ei.value)
    assert not (tmp_path / "out" / "gazetteer.json").exists()


def test_missing_and_bad_json_files(mirror, tmp_path):
    from indexer.areas import build_gazetteer
    from indexer.report import BuildReport

    data = _mirror_copy(mirror, tmp_path / "data")
    (data / "geo" / "vg5000_2021_krs.geojson").unlink()
    with pytest.raises(DataFileError, match="vg5000_2021_krs.geojson"):
        build_gazetteer(data, tmp_path / "out", BuildReport())
    (data / "geo" / "vg5000_2021_krs.geojson").write_text('{"type": "FeatureCollection", "feat', encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid JSON"):
        build_gazetteer(data, tmp_path / "out", BuildReport())


def test_report_counts(mirror, tmp_path):
    from indexer.areas import build_gazetteer
    from indexer.report import BuildReport

    report = BuildReport()
    build_gazetteer(mirror, tmp_path / "g", report)
    assert report.indexed["laender"] == 16  # GF=9 only
    assert report.indexed["kreise"] == 401
    assert report.indexed["gemeinden"] == 10997
    assert report.indexed["bezirke"] == 19
    assert report.repaired["gemeinden"]["invalid geometry fixed with make_valid"] == 3


def test_load_missing_or_corrupt(gazetteer_dir, tmp_path):
    from gazetteer import Gazetteer

    with pytest.raises(IndexUnavailableError):
        Gazetteer.load(tmp_path / "nothing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "gazetteer.json").write_bytes((gazetteer_dir / "gazetteer.json").read_bytes())
    (broken / "gemeinden.wkb").write_bytes((gazetteer_dir / "gemeinden.wkb").read_bytes()[:1000])
    with pytest.raises(IndexUnavailableError):
        Gazetteer.load(broken)
