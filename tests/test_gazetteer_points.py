"""Issue 4 — points: projected input, swapped pairs, boundaries, enclaves/exclaves, gemeindefreie Gebiete."""

from __future__ import annotations

import pytest

from gazetteer.crs import check_degrees, likely_crs, to_wgs84
from zufi.errors import UsageError
from zufi.model import Point


# ------------------------------------------------------------------------------------------ CRS
def test_case32_utm32_goetheplatz_weimar(gazetteer):
    p = gazetteer.locate_projected(663269, 5650385, "EPSG:25832")
    assert p.status == "resolved" and p.ags == "16055000" and p.name == "Weimar"
    pt = to_wgs84(663269, 5650385, "EPSG:25832")
    assert pt.lon == pytest.approx(11.3260, abs=1e-4) and pt.lat == pytest.approx(50.98188, abs=1e-4)


@pytest.mark.parametrize("x,y,crs", [
    (3663269, 5650385, "EPSG:31467"),   # Gauß-Krüger zone 3 (DHDN), ~30 m from the ETRS89 reading
    (32663269, 5650385, "EPSG:4647"),   # UTM 32 with zone prefix
    (1260800, 6619500, "EPSG:3857"),    # web Mercator
    (11.3260, 50.9819, "EPSG:4326"),
    (663269, 5650385, "25832"),
])
def test_other_crs_weimar(gazetteer, x, y, crs):
    assert gazetteer.locate_projected(x, y, crs).ags == "16055000"


def test_crs_errors():
    with pytest.raises(UsageError, match="not supported"):
        to_wgs84(1, 2, "EPSG:2154")
    with pytest.raises(UsageError):
        to_wgs84(float("nan"), 2, "EPSG:25832")


def test_metres_as_degrees_name_the_crs():
    with pytest.raises(UsageError, match=r"EPSG:25832"):
        check_degrees(lat=5650385, lon=663269)
    with pytest.raises(UsageError, match=r"EPSG:31467"):
        check_degrees(lat=5650385, lon=3663269)
    with pytest.raises(UsageError, match=r"EPSG:25832"):
        check_degrees(lat=663269, lon=5650385)  # swapped metres too
    check_degrees(lat=50.98, lon=11.33)  # degrees pass
    assert likely_crs(663269, 5650385)[0] == "EPSG:25832"
    assert likely_crs(3663269, 5650385) == ["EPSG:31467"]


# ------------------------------------------------------------------------------------------ swapped
def test_case31_swapped(gazetteer):
    # declared lon,lat = [50.98188, 11.326006] but really lat,lon (Goetheplatz, Weimar)
    p = gazetteer.locate(Point(lon=50.98188, lat=11.326006))
    assert p.status == "outside_germany" and "probably_swapped" in p.warnings
    assert p.suggestion == {"lat": 50.98188, "lon": 11.326006}
    assert p.ags is None and not p.chain
    assert gazetteer.locate(Point(lon=p.suggestion["lon"], lat=p.suggestion["lat"])).ags == "16055000"


# ------------------------------------------------------------------------------------------ boundaries
def test_near_boundary_weimar_weimarer_land(gazetteer):
    # ~290 m inside Weimar (east) from Umpferstedt, Landkreis Weimarer Land
    pt = Point(lon=11.387, lat=50.9795)
    p = gazetteer.locate(pt)
    assert p.status == "resolved" and p.ags == "16055000"
    assert "near_boundary" in p.warnings
    assert [c.ags for c in p.candidates] == ["16055000", "16071089"]
    assert p.candidates[1].kreis == "Weimarer Land"
    umpferstedt = gazetteer.table.by_ags["16071089"]
    assert 250 < gazetteer.locator.distance_m(umpferstedt, pt.lon, pt.lat) < 330


def test_gemeindefreies_gebiet_by_point(gazetteer):
    rows = [i for i in range(len(gazetteer)) if gazetteer.table.is_gemeindefrei(i)]
    assert len(rows) == 207
    i = gazetteer.table.by_ags["09272459"]  # Sankt Oswald (gemeindefrei, Lkr Freyung-Grafenau)
    rp = gazetteer.locator.geoms[i].representative_point()
    p = gazetteer.locate(Point(rp.x, rp.y))
    assert p.ags == "09272459" and "gemeindefrei" in p.warnings
    assert p.chain[-1].level == "kreis" and p.chain[-1].ars == "09272"
    assert "Kreis" in p.message


def test_buesingen_exclave(gazetteer):
    # Büsingen am Hochrhein, German exclave surrounded by Switzerland (Kanton Schaffhausen)
    p = gazetteer.locate(Point(lon=8.6897, lat=47.6973))
    assert p.status == "resolved" and p.ags == "08335015" and p.name == "Büsingen am Hochrhein"
    assert [c.name for c in p.chain[:3]] == ["Baden-Württemberg", "Freiburg", "Konstanz"]
    # Schaffhausen old town (Switzerland), ~3.5 km west of Büsingen: not German
    assert gazetteer.locate(Point(lon=8.6340, lat=47.6960)).ags != "08335015"
    assert gazetteer.resolve("Büsingen").ags == "08335015"


@pytest.mark.parametrize("lon,lat,ags,kreis_type", [
    (11.3293, 50.9795, "16055000", "Kreisfreie Stadt"),  # Weimar, inside Landkreis Weimarer Land
    (9.9294, 49.7913, "09663000", "Kreisfreie Stadt"),   # Würzburg Marktplatz, inside Lkr Würzburg
    (9.8800, 49.7850, "09679147", "Landkreis"),          # Höchberg, Lkr Würzburg, just west of the city
])
def test_kreisfreie_stadt_inside_landkreis(gazetteer, lon, lat, ags, kreis_type):
    p = gazetteer.locate(Point(lon, lat))
    assert p.ags == ags
    assert next(c for c in p.chain if c.level == "kreis").type == kreis_type


def test_golden_points_still_pass_many(gazetteer, mirror):
    import json

    pts = json.loads((mirror / "testpoints" / "golden_points_ars.json").read_text(encoding="utf-8"))["points"]
    for pt in pts:
        p = gazetteer.locate(Point(pt["lon"], pt["lat"]))
        assert p.ars == pt["ars"] and p.generation == "VG5000 2021-01-01"
