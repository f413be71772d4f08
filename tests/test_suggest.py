"""Autocomplete (`GET /api/v1/suggest`, `Finder.suggest`) on the real catalogue and gazetteer."""

from __future__ import annotations

import pytest


def _texts(resp, kind=None):
    return [s.text for s in resp.suggestions if kind is None or s.kind == kind]


def test_prefix_of_service_name(finder):
    resp = finder.suggest("pers")
    assert resp.query == "pers"
    top = resp.suggestions[:5]
    assert all(s.kind == "service" and s.text.startswith("Personalausweis") and s.match == "prefix" for s in top)
    assert all(len(s.leika_key) == 14 and s.ags is None for s in top)
    assert "99008001012001" in {s.leika_key for s in top}  # Personalausweis beantragen


@pytest.mark.parametrize("text", ["fuehrersch", "fuhrersch", "Führersch"])
def test_folded_word_prefix(finder, text):
    resp = finder.suggest(text)
    assert resp.suggestions[0].kind == "service"
    assert "Führerschein" in resp.suggestions[0].text
    assert resp.suggestions[0].match in {"prefix", "word_prefix"}  # national names start with it


@pytest.mark.parametrize("text", ["Persoanlausweis", "Persoanl"])
def test_typo_is_fuzzy(finder, text):
    resp = finder.suggest(text)
    assert resp.suggestions[0].text.startswith("Personalausweis")
    assert resp.suggestions[0].match == "fuzzy"


def test_need_words_narrow_services(finder):
    resp = finder.suggest("hund anm")
    assert resp.suggestions
    assert all(s.kind == "service" and "Hund" in s.text and "nmeld" in s.text for s in resp.suggestions)


def test_places_marked_as_places(finder):
    resp = finder.suggest("Neust")
    places = [s for s in resp.suggestions if s.kind == "place"]
    assert places and resp.suggestions[0].kind == "place"
    assert all(len(s.ags) == 8 and s.leika_key is None for s in places)
    assert "Neustadt an der Weinstraße (Rheinland-Pfalz)" in _texts(resp, "place")
    assert sum(t.startswith("Neustadt") for t in _texts(resp, "place")) >= 3


def test_place_after_need(finder):
    resp = finder.suggest("reisepass berl")
    assert resp.suggestions[0].kind == "place" and resp.suggestions[0].text == "Berlin"
    assert "Reisepass beantragen" in _texts(resp, "service")


def test_whole_place_name_first(finder):
    resp = finder.suggest("erfurt")
    assert resp.suggestions[0].text == "Erfurt (Thüringen)"
    assert resp.suggestions[0].ags == "16051000"


@pytest.mark.parametrize("text", ["100", "1011", "99423"])
def test_digits_give_plz_or_nothing(finder, text):
    resp = finder.suggest(text)
    assert all(s.kind == "place" and s.text.startswith(text) for s in resp.suggestions)


def test_plz_prefix(finder):
    assert _texts(finder.suggest("1011"))[:3] == ["10115 Berlin", "10117 Berlin", "10119 Berlin"]


def test_limit(finder):
    for limit in (1, 3, 20):
        assert len(finder.suggest("a", limit=limit).suggestions) == limit


def test_api_shape(client):
    r = client.get("/api/v1/suggest", params={"q": "Neust", "limit": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "Neust" and len(body["suggestions"]) == 3
    assert set(body["suggestions"][0]) == {"kind", "text", "leika_key", "ags", "score", "match"}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "pass", "limit": "0"},
                                    {"q": "pass", "limit": "21"}, {"q": "pass", "limit": "viele"}])
def test_bad_input_is_400_problem_json(client, params):
    r = client.get("/api/v1/suggest", params=params)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 400


def test_punctuation_only_is_empty_not_an_error(client):
    r = client.get("/api/v1/suggest", params={"q": "?!"})
    assert r.status_code == 200 and r.json()["suggestions"] == []


@pytest.mark.parametrize(("text", "first"), [("erfrut", "Erfurt (Thüringen)"), ("stuttgrat", "Stuttgart"),
                                             ("munchne", "München (Bayern)"), ("hambrg", "Hamburg"),
                                             ("lepzig", "Leipzig"), ("pass lepzig", "Leipzig")])
def test_a_misspelt_place_is_suggested_fuzzy(finder, text, first):
    top = finder.suggest(text).suggestions[0]
    assert (top.kind, top.match) == ("place", "fuzzy") and top.text.startswith(first)


def test_a_misspelt_place_after_a_need_comes_first_then_the_need(finder):
    got = finder.suggest("hund anmelden erfrut").suggestions
    assert (got[0].kind, got[0].text) == ("place", "Erfurt (Thüringen)")
    assert got[1].kind == "service" and "Hund" in got[1].text


@pytest.mark.parametrize("text", ["reisepass kosten", "wohngeld rechner", "wohnung anmelden frist"])
def test_no_small_fuzzy_town_after_a_need(finder, text):
    """"kosten" is no misspelt "Kottenheim": after a need only towns of BIG_PLACE inhabitants count."""
    assert not [s for s in finder.suggest(text).suggestions if s.kind == "place"]


def test_no_fuzzy_place_when_a_prefix_matches(finder):
    assert all(s.match == "prefix" for s in finder.suggest("erfu").suggestions if s.kind == "place")
    assert finder.suggest("bxyz").suggestions == []
