"""The national catalogue (issue 6): Berlin's d115 table merged with the OZG/LeiKa catalogue 2019 by key,
national vs Land variants, and the variant preference in the ranking. Real data through the mirror."""

from __future__ import annotations

from pathlib import Path

import pytest

from finder.variants import is_related, prefer_variants, preference
from indexer.report import BuildReport
from indexer.services import read_catalogue, split_bezeichnung
from zufi.model import Service


@pytest.fixture(scope="module")
def catalogue(mirror: Path) -> dict[str, Service]:
    return {s.leika_key: s for s in read_catalogue(mirror, BuildReport())}


def test_one_service_per_key_with_sources(catalogue: dict[str, Service]):
    # 615 Berlin keys + 4,813 OZG keys (278 shared) + 436 OZG rows without LeiKa key
    assert len(catalogue) == 615 + 4813 - 278 + 436
    wohnung = catalogue["99115005104000"]
    assert wohnung.name == "Anmeldung einer Wohnung"           # Berlin 2024 name kept
    assert wohnung.typisierung == "2/3" and wohnung.ozg_leistung == "Wohnsitzmeldungen"
    assert "Bundesmeldegesetz" in (wohnung.legal_basis or "")
    assert wohnung.sources["name"].startswith("service.berlin.de pages, 2024-09")
    assert wohnung.sources["typisierung"].startswith("LeiKa/OZG-Umsetzungskatalog")
    assert wohnung.in_berlin and wohnung.lands[:1] == ["11"] and wohnung.sdg == ["I", "II"]


def test_ozg_only_keys_and_rows_without_leika_key(catalogue: dict[str, Service]):
    s = catalogue["99102013002000"]
    assert (s.name, s.leistungsobjekt, s.verrichtung) == ("Hundesteuer Festsetzung", "Hundesteuer", "Festsetzung")
    assert not s.in_berlin and s.sources["name"].startswith("LeiKa/OZG")
    row = catalogue["ozg-row-1"]
    assert not row.in_leika and row.origin is None
    assert row.name == "(Baumuster-) Prüfung von Gefahrengutverpackungen"
    assert (row.leistungsobjekt, row.verrichtung) == ("", "")     # never invented


def test_split_bezeichnung_only_where_the_data_shows_it():
    umbrella = {"99102013000000": "Hundesteuer"}
    assert split_bezeichnung("99102013000000", "Hundesteuer", umbrella, {}) == ("Hundesteuer", "")
    assert split_bezeichnung("99102013002000", "Hundesteuer Festsetzung", umbrella, {}) == ("Hundesteuer", "Festsetzung")
    assert split_bezeichnung("99999001002000", "Etwas ganz anderes", umbrella, {}) == ("", "")
    assert split_bezeichnung("99999001002000", "Etwas Festsetzung", {}, {"002": "Festsetzung"}) == ("Etwas", "Festsetzung")


def test_land_variants_know_their_national_key(catalogue: dict[str, Service]):
    for key in ("11102013002901", "11102013002902"):   # Berlin's Hundesteuer rows
        assert catalogue[key].national_key == "99102013002000"
        assert catalogue[key].origin == "11"
    assert catalogue["99102013002000"].national_key is None
    assert is_related(catalogue["11102013002901"], catalogue["99102013000000"])  # Leistungsobjekt-level key
    assert not is_related(catalogue["11102013002901"], catalogue["99102013010000"])  # Befreiung ≠ Festsetzung


def test_prefer_variants_moves_only_related_keys(catalogue: dict[str, Service]):
    ranked = ["99102013000000", "99115005104000", "11102013002901"]
    assert prefer_variants(ranked, catalogue, "11") == ["11102013002901", "99102013000000", "99115005104000"]
    assert prefer_variants(ranked, catalogue, "16") == ranked
    assert preference(catalogue["11102013002901"], "16") == 2 and preference(catalogue["99102013000000"], "16") == 1


def test_a_land_key_of_another_detail_moves_up_only_with_a_close_score(catalogue: dict[str, Service]):
    """Berlin's "Aufenthaltserlaubnis zur Studienvorbereitung" (11010001001902) shares Leistungsobjekt and
    Verrichtung with the national "… Erteilung zum vorübergehenden Schutz" (99010001001014) but is
    another detail: it moves above only with DETAIL_MOVE_RATIO of the score, not from a tenth."""
    from finder.variants import DETAIL_MOVE_RATIO

    ranked = ["99010001001014", "11010001001902"]
    assert prefer_variants(ranked, catalogue, None, {"99010001001014": 30.0, "11010001001902": 3.0}) == ranked
    assert prefer_variants(ranked, catalogue, None, {"99010001001014": 30.0,
                                                     "11010001001902": 30.0 * DETAIL_MOVE_RATIO}) == ranked[::-1]
    # a national_key link (Berlin's "Hund steuerlich anmelden" and "Hundesteuer Festsetzung") moves with
    # half the score, not from a thirtieth; for a place elsewhere the Berlin key then goes last anyway
    hund = ["99102013002000", "11102013002901"]
    assert prefer_variants(hund, catalogue, None, {"99102013002000": 30.0, "11102013002901": 1.0}) == hund
    assert prefer_variants(hund, catalogue, None, {"99102013002000": 30.0, "11102013002901": 15.0}) == hund[::-1]
    weak = ["11036008007900", "99036008071000", "99036008007000"]  # Kfz ummelden nach Umzug / Ummeldung / Zulassung
    assert prefer_variants(weak, catalogue, "16", {"11036008007900": 80.0, "99036008071000": 71.5,
                                                   "99036008007000": 4.9}) == [weak[1], weak[2], weak[0]]
    # the general key (Verrichtung 000) only with half the score: the national "Aufenthaltserlaubnis" does
    # not jump over the exact match for a place in Thüringen
    general = ["99010001001027", "99010001000000"]
    assert prefer_variants(general, catalogue, "16", {"99010001001027": 99.0, "99010001000000": 5.0}) == general


def test_aufenthaltserlaubnis_vorubergehender_schutz(finder):
    keys = [r.service.leika_key for r in finder.search("aufenthaltserlaubnis vorübergehender schutz").results]
    assert keys[0] == "99010001001014"


def test_ozg_key_berlin_lacks_is_found_by_name(finder):
    res = finder.search("Spätaussiedlerbescheinigung")
    assert res.results[0].service.leika_key == "99097003000000"
    assert res.results[0].coverage.status == "no_offices_for_service"


def test_row_without_leika_key_is_searchable_and_marked(finder, client):
    res = finder.search("Gefahrengutverpackungen")
    top = res.results[0].service
    assert (top.id, top.leika_key, top.in_leika) == ("ozg-row-1", None, False)
    body = client.get("/api/v1/services/ozg-row-1").json()
    assert body["catalogue"]["in_leika"] is False and body["service"]["name"].startswith("(Baumuster-)")
    assert client.get("/api/v1/services/ozg-row-x").status_code == 400


@pytest.mark.parametrize(("where", "first"), [("Berlin", "11102013002901"), ("10115", "11102013002901"),
                                              ("Erfurt", "99102013000000"), (None, "11102013002901")])
def test_hundesteuer_variant_by_place(finder, where, first):
    keys = [r.service.leika_key for r in finder.search("Hundesteuer", where=where).results]
    assert keys[0] == first
    if where == "Erfurt":  # the national keys before Berlin's own rows (which go to the end, if shown)
        berlin = keys.index("11102013002901") if "11102013002901" in keys else len(keys)
        assert keys.index("99102013002000") < berlin


def test_service_route_gives_the_place_variant(client):
    body = client.get("/api/v1/services/99102013000000", params={"where": "Berlin"}).json()
    assert body["land"] == "11"
    assert body["variant"]["service"]["leika_key"] == "11102013002901"
    assert body["variant"]["description"][0]["source"].startswith("service.berlin.de")
    erfurt = client.get("/api/v1/services/99102013000000", params={"ars": "160510000000"}).json()
    assert erfurt["land"] == "16" and erfurt["variant"] is None
    assert client.get("/api/v1/services/99102013000000", params={"ars": "1x"}).status_code == 400
    assert client.get("/api/v1/services/99102013000000", params={"ars": "16051000"}).json()["land"] == "16"  # AGS
    unknown = client.get("/api/v1/services/99102013000000", params={"ars": "999999999999"})
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
    assert "999999999999" in unknown.json()["detail"]
