"""Issue 4 — addresses through geopy: offline geocoder, a Nominatim-compatible server on loopback, fallback.

The only network used is 127.0.0.1: a tiny http.server thread started by the test answers
``/search?format=json`` and ``/reverse`` like Nominatim.
"""

from __future__ import annotations

import json
import socket
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer.geocode import OfflineGeocoder, make_geocoder, parse_address, resolve_address

# Goetheplatz 10, Weimar (the point of handed case CASE-32) and Unter den Linden 1, Berlin
_ANSWERS = {
    "goetheplatz 10, weimar": {"lat": "50.98188", "lon": "11.326006",
                               "display_name": "10, Goetheplatz, Weimar, Thüringen, 99423, Deutschland"},
    "unter den linden 1 berlin": {"lat": "52.51706", "lon": "13.39973",
                                  "display_name": "1, Unter den Linden, Mitte, Berlin, 10117, Deutschland"},
}


class _Nominatim(BaseHTTPRequestHandler):
    requests: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        qs = parse_qs(url.query)
        type(self).requests.append(self.path)
        if url.path == "/search":
            hit = _ANSWERS.get(qs.get("q", [""])[0].lower())
            body = [dict(hit, place_id=1, osm_type="node", boundingbox=[hit["lat"], hit["lat"], hit["lon"],
                                                                        hit["lon"]])] if hit else []
        elif url.path == "/reverse":
            body = {"lat": qs["lat"][0], "lon": qs["lon"][0], "display_name": "Weimar, Thüringen, Deutschland",
                    "place_id": 2}
        else:
            self.send_error(404)
            return
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def nominatim_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def closed_port_url():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}"


# ------------------------------------------------------------------------------------------ parsing
@pytest.mark.parametrize("text,street,number,rest", [
    ("Goetheplatz 10, Weimar", "Goetheplatz", "10", "Weimar"),
    ("Unter den Linden 1 Berlin", "Unter den Linden", "1", "Berlin"),
    ("Karl-Marx-Allee 31, 10178 Berlin", "Karl-Marx-Allee", "31", "10178 Berlin"),
    ("Hauptstr. 5a Erfurt", "Hauptstr.", "5a", "Erfurt"),
])
def test_parse_address(text, street, number, rest):
    a = parse_address(text)
    assert (a.street, a.number, a.rest) == (street, number, rest)


@pytest.mark.parametrize("text", ["15537 Erkner", "Erfurt", "Personalausweis 2024", "Hund anmelden Weimar", ""])
def test_not_an_address(text):
    assert parse_address(text) is None


# ------------------------------------------------------------------------------------------ offline
def test_offline_geocoder_is_a_geopy_geocoder(gazetteer):
    g = OfflineGeocoder(gazetteer)
    assert isinstance(g, Geocoder)
    loc = g.geocode("Goetheplatz 10, Weimar")
    assert isinstance(loc, Location)
    assert loc.raw["ags"] == "16055000" and loc.raw["precision"] == "gemeinde"
    assert (loc.latitude, loc.longitude) == pytest.approx((50.979495, 11.329778), abs=0.01)
    assert g.geocode("Prenzlauer Berg").raw["precision"] == "district"
    assert g.geocode("Buttelstedt").raw["ags"] == "16071102"
    assert g.geocode("10117").raw["precision"] == "plz"
    assert g.geocode("Xyzzyhausen") is None
    assert g.geocode("Neustadt") is None
    assert len(g.geocode("Neustadt", exactly_one=False)) >= 10
    rev = g.reverse((50.98188, 11.326006))
    assert rev.raw["ags"] == "16055000" and rev.address.startswith("Weimar")
    assert g.reverse("48.8566, 2.3522") is None  # Paris


def test_resolve_address_offline(gazetteer):
    p = gazetteer.resolve("Goetheplatz 10, Weimar")
    assert p.status == "resolved" and p.ags == "16055000" and "address_approximate" in p.warnings
    p = gazetteer.resolve("Unter den Linden 1, 10117 Berlin")
    assert p.ags == "11000000" and p.point_source == "plz"


# ------------------------------------------------------------------------------------------ online
def test_nominatim_on_loopback(gazetteer, nominatim_url):
    g = make_geocoder(gazetteer, "nominatim", nominatim_url, user_agent="zufi-test", min_delay_s=0)
    assert g.online and g.name == "nominatim"
    p = resolve_address(gazetteer, "Goetheplatz 10, Weimar", g)
    assert p.status == "resolved" and p.ags == "16055000" and p.point_source == "geocoder"
    assert (p.lat, p.lon) == (50.98188, 11.326006)
    assert "Goetheplatz" in p.message and "geocoder_fallback" not in p.warnings
    p = gazetteer.resolve("Unter den Linden 1 Berlin", geocoder=g)
    assert p.ags == "11000000" and p.point_source == "geocoder"
    assert any("format=json" in r and "/search" in r for r in _Nominatim.requests)
    nf = resolve_address(gazetteer, "Nirgendweg 99, Nirgendwo", g)
    assert nf.status == "not_found" and "nominatim" in nf.message
    # reverse through geopy's own Nominatim class against the same server
    loc = g.geocoder.reverse((50.98188, 11.326006))
    assert loc.address.startswith("Weimar")


def test_network_error_falls_back_to_offline(gazetteer, closed_port_url):
    g = make_geocoder(gazetteer, "nominatim", closed_port_url, user_agent="zufi-test", min_delay_s=0,
                      timeout_s=2)
    p = resolve_address(gazetteer, "Goetheplatz 10, Weimar", g)
    assert p.status == "resolved" and p.ags == "16055000"
    assert p.warnings[0] == "geocoder_fallback" and "offline" in p.message
    g = make_geocoder(gazetteer, "photon", closed_port_url, min_delay_s=0, timeout_s=2)
    assert "geocoder_fallback" in resolve_address(gazetteer, "Goetheplatz 10, Weimar", g).warnings


def test_make_geocoder_errors(gazetteer):
    with pytest.raises(ValueError):
        make_geocoder(gazetteer, "google")
    with pytest.raises(ValueError):
        make_geocoder(gazetteer, "nominatim", None)
