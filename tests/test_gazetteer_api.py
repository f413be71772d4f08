"""Issue 4 — the place interfaces: /api/v1/locate (lat/lon, x/y/crs, q), /api/v1/places, Finder, search."""

from __future__ import annotations

import pytest

from zufi.errors import UsageError

PLACE_KEYS = {"status", "chain", "candidates", "warnings", "message", "generation", "ortsteil", "key_change"}


def test_locate_projected_case32(client):
    r = client.get("/api/v1/locate", params={"x": 663269, "y": 5650385, "crs": "EPSG:25832"})
    assert r.status_code == 200
    place = r.json()["place"]
    assert place["ags"] == "16055000" and place["name"] == "Weimar" and place["status"] == "resolved"
    assert PLACE_KEYS <= set(place)
    r = client.get("/api/v1/locate", params={"x": 3663269, "y": 5650385, "crs": "EPSG:31467"})
    assert r.json()["place"]["ags"] == "16055000"


def test_locate_metres_without_crs_is_400_naming_crs(client):
    r = client.get("/api/v1/locate", params={"lat": 5650385, "lon": 663269})
    assert r.status_code == 400
    assert "EPSG:25832" in r.json()["detail"]
    r = client.get("/api/v1/locate", params={"x": 663269, "y": 5650385})
    assert r.status_code == 400 and "crs" in r.json()["detail"] and "EPSG:25832" in r.json()["detail"]
    r = client.get("/api/v1/locate", params={"x": 1, "y": 2, "crs": "EPSG:9999"})
    assert r.status_code == 400


def test_locate_swapped_case31(client):
    r = client.get("/api/v1/locate", params={"lat": 11.326006, "lon": 50.98188})
    assert r.status_code == 200
    body = r.json()
    assert body["place"]["status"] == "outside_germany" and "probably_swapped" in body["warnings"]
    assert body["place"]["suggestion"] == {"lat": 50.98188, "lon": 11.326006}


def test_locate_text_key_changed(client):
    r = client.get("/api/v1/locate", params={"q": "16056000"})
    place = r.json()["place"]
    assert place["ags"] == "16063105" and "key_changed" in place["warnings"]
    assert place["key_change"]["date"] == "2021-07-01"


def test_places_same_structure(client):
    r = client.get("/api/v1/places", params={"q": "Buttelstedt"})
    assert r.status_code == 200
    place = r.json()["place"]
    assert PLACE_KEYS <= set(place)
    assert place["ags"] == "16071102" and place["ortsteil"] == "Buttelstedt"
    amb = client.get("/api/v1/places", params={"q": "15537"}).json()["place"]
    assert amb["status"] == "ambiguous" and len(amb["candidates"]) == 3
    assert {c["land"] for c in amb["candidates"]} == {"Brandenburg"}
    abroad = client.get("/api/v1/places", params={"q": "87491"}).json()["place"]
    assert abroad["status"] == "outside_germany"


def test_finder_locate_and_resolve(finder):
    assert finder.locate(None, None, x=663269, y=5650385, crs="EPSG:25832").place.ags == "16055000"
    with pytest.raises(UsageError, match="EPSG:25832"):
        finder.locate(5650385, 663269)
    with pytest.raises(UsageError):
        finder.locate(50.9, 11.3, x=1, y=2, crs="EPSG:25832")
    p = finder.resolve_place("Goetheplatz 10, Weimar").place
    assert p.ags == "16055000" and "address_approximate" in p.warnings  # default: offline geocoder


@pytest.mark.parametrize("q", ["Ummeldung Frankfurt/Oder", "Ummeldung Frankfurt (Oder)", "Ummeldung Frankfurt Oder"])
def test_search_case14_frankfurt_oder(client, q):
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200
    place = r.json()["place"]
    assert place["ags"] == "12053000"


def test_search_reisepass_neukoelln(finder):
    resp = finder.search("Reisepass Neukölln")
    assert resp.place.status == "resolved" and resp.place.ags == "11000000"
    assert resp.place.district.name == "Neukölln"


def test_search_case13_and_case20_ask(finder):
    assert finder.search("Personalausweis beantragen Neustadt").place.status == "ambiguous"
    p = finder.search("Gewerbe anmelden 15537").place
    assert p.status == "ambiguous" and {c.name for c in p.candidates} == {"Erkner", "Grünheide (Mark)",
                                                                          "Gosen-Neu Zittau"}


def test_search_case23_bremerhaven(finder):
    p = finder.search("Auto zulassen Bremerhaven").place
    assert p.ags == "04012000" and p.ars == "040120000000" and p.chain[0].name == "Bremen"
