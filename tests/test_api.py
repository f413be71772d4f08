"""HTTP API: shapes, problem+json errors, and agreement with the CLI's JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def test_search_shape(client):
    r = client.get("/api/v1/search", params={"q": "Personalausweis beantragen", "where": "10115"})
    assert r.status_code == 200
    body = r.json()
    res = body["results"][0]
    assert len(res["service"]["leika_key"]) == 14 and res["service"]["leika_key"].isdigit()
    assert res["service"]["name"]
    o = res["offices"][0]
    assert {"name", "address", "lat", "lon", "distance_m"} <= o.keys()
    p = body["place"]
    assert p["status"] == "resolved" and p["ags"] == "11000000" and len(p["ars"]) == 12
    assert [c["level"] for c in p["chain"]][0] == "land"
    assert isinstance(body["warnings"], list)


def test_locate_erfurt_centre(client):
    r = client.get("/api/v1/locate", params={"lat": 50.9771, "lon": 11.0272})
    assert r.status_code == 200
    place = r.json()["place"]
    assert place["ags"] == "16051000"
    lengths = {c["level"]: len(c["ars"]) for c in place["chain"]}
    assert lengths["land"] == 2 and lengths["gemeinde"] == 12 and lengths["kreis"] == 5


def test_locate_outside_germany_is_200(client):
    r = client.get("/api/v1/locate", params={"lat": 48.8566, "lon": 2.3522})
    assert r.status_code == 200 and r.json()["place"]["status"] == "outside_germany"


@pytest.mark.parametrize("path,params", [
    ("/api/v1/search", {}),
    ("/api/v1/search", {"q": ""}),
    ("/api/v1/search", {"q": "x" * 5000}),
    ("/api/v1/search", {"q": "Pass", "lat": "abc", "lon": "13"}),
    ("/api/v1/search", {"q": "Pass", "lat": "95", "lon": "13"}),
    ("/api/v1/search", {"q": "Pass", "lat": "52.5"}),
    ("/api/v1/search", {"q": "Pass", "limit": "0"}),
    ("/api/v1/search", {"q": "Pass", "limit": "zehn"}),
    ("/api/v1/locate", {"lat": "52.5", "lon": "200"}),
    ("/api/v1/locate", {"lat": "nan", "lon": "13"}),
    ("/api/v1/locate", {}),
    ("/api/v1/services/abc", {}),
])
def test_bad_input_is_400_problem_json(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 400 and body["title"] and body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/services/99999999999999", "/api/v1/offices/0", "/nope"])
def test_unknown_is_404_problem_json(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_service_and_office_endpoints(client):
    s = client.get("/api/v1/services/99115005104000").json()
    assert s["service"]["leika_key"] == "99115005104000" and s["offices"]
    o = client.get("/api/v1/offices/121362").json()
    assert o["office"]["name"] == "Kfz-Zulassungsbehörde-Lichtenberg"


def test_places_and_health_and_openapi(client):
    p = client.get("/api/v1/places", params={"q": "Neustadt"}).json()
    assert p["place"]["status"] == "ambiguous" and p["matches"]
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["services"] == 5586  # Berlin ∪ OZG catalogue (issue 6)
    spec = client.get("/openapi.json").json()
    assert "/api/v1/search" in spec["paths"]


def _cli(settings, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {"ZUFI_HOME": str(settings.home), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path),
           **extra_env}
    return subprocess.run([sys.executable, "-m", "zufi", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_names_a_list_setting_that_is_not_json(settings):
    r = _cli(settings, "search", "perso", ZUFI_SYNONYM_FILES="notjson")
    assert r.returncode == 2
    assert r.stderr.strip().startswith("zufi: error: invalid setting ZUFI_SYNONYM_FILES: not a JSON value")
    assert "Traceback" not in r.stderr


def test_cli_search_json_equals_api(client, settings):
    api = client.get("/api/v1/search", params={"q": "Reisepass Neukölln", "limit": 3}).json()
    cli = _cli(settings, "search", "Reisepass Neukölln", "--limit", "3", "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == api


def test_cli_locate_json_equals_api(client, settings):
    api = client.get("/api/v1/locate", params={"lat": 50.9771, "lon": 11.0272}).json()
    cli = _cli(settings, "locate", "--lat", "50.9771", "--lon", "11.0272", "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == api


@pytest.mark.parametrize("args,code", [
    (("search", ""), 2),
    (("search", "Pass", "--lat", "95", "--lon", "13"), 2),
    (("locate", "--lat", "52"), 2),
    (("search", "Pass", "--lat", "abc", "--lon", "1"), 2),
])
def test_cli_bad_input_is_one_line_and_nonzero(settings, args, code):
    r = _cli(settings, *args)
    assert r.returncode == code
    assert "Traceback" not in r.stderr
    assert r.stderr.strip() and len(r.stderr.strip().splitlines()) <= 12


def test_search_with_projected_point_and_metres_as_degrees(client):
    ok = client.get("/api/v1/search", params={"q": "Wohnsitz anmelden", "x": 663269, "y": 5650385,
                                              "crs": "EPSG:25832"})
    assert ok.status_code == 200 and ok.json()["place"]["ags"] == "16055000"
    bad = client.get("/api/v1/search", params={"q": "Wohnsitz anmelden", "lat": 5650385, "lon": 663269})
    assert bad.status_code == 400 and "EPSG:25832" in bad.json()["detail"]
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_locate_with_both_place_text_and_point_is_400(client):
    r = client.get("/api/v1/locate", params={"q": "Erfurt", "lat": 50, "lon": 10})
    assert r.status_code == 400


def test_page_is_served_at_root(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'role="search"' in r.text and "/api/v1/search" in r.text and "/api/v1/suggest" in r.text
