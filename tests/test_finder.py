"""The search pipeline on the real index: ranking, place resolution, offices by distance."""

from __future__ import annotations

import pytest

from finder.offices import distance_m
from finder.parse import split_need_place
from zufi.errors import NotFoundError, UsageError


def test_personalausweis_in_10115_ranks_issuing_service_first_with_offices_by_distance(finder):
    resp = finder.search("Personalausweis beantragen", where="10115")
    top = resp.results[0]
    assert top.service.leika_key.startswith("99008001012")
    assert resp.place.status == "resolved"
    assert resp.place.ags == "11000000"
    assert top.coverage.status == "offices"
    dists = [o.distance_m for o in top.offices]
    assert len(dists) >= 3 and all(d is not None for d in dists)
    assert dists == sorted(dists)
    # 10115 (Mitte) — the nearest Bürgeramt lies within a few km
    assert dists[0] < 5000
    assert "10115" in top.offices[0].reason or "km" in top.offices[0].reason or " m " in top.offices[0].reason


def test_wohnsitz_anmelden_finds_the_registration_service(finder):
    resp = finder.search("Wohnsitz anmelden")
    assert resp.results[0].service.leika_key == "99115005104000"
    assert resp.place.status == "none"


def test_need_and_place_in_one_line_erfurt_is_outside_office_data(finder):
    resp = finder.search("Hund anmelden Erfurt")
    assert resp.query.need == "Hund anmelden"
    assert resp.query.place_text == "Erfurt"
    assert resp.place.status == "resolved" and resp.place.ags == "16051000"
    assert resp.place.chain[0].name == "Thüringen" and resp.place.chain[-1].ars == "160510000000"
    assert resp.results, "the need still finds services"
    assert resp.results[0].service.leistungsobjekt.startswith("Hund")
    # no office data outside Berlin: said explicitly, no Berlin offices listed
    assert resp.results[0].offices == []
    assert resp.results[0].coverage.status in {"no_office_data", "no_offices_for_service"}


def test_plz_in_line_is_split_off(finder):
    resp = finder.search("Ummeldung 10115")
    assert resp.query.place_text == "10115"
    assert resp.query.need == "Ummeldung"
    assert resp.place.ags == "11000000"


def test_reisepass_neukoelln_resolves_district_and_ranks_by_distance_from_it(finder):
    resp = finder.search("Reisepass Neukölln")
    assert resp.query.need == "Reisepass"
    assert resp.place.status == "resolved" and resp.place.ags == "11000000"
    assert resp.place.district is not None and resp.place.district.name.startswith("Neuk")
    top = resp.results[0]
    assert "Reisepass" in top.service.name or top.service.leistungsobjekt == "Reisepass"
    nearest = top.offices[0]
    assert nearest.distance_m is not None and nearest.distance_m < 4000
    assert "Neukölln" in (nearest.reason or "")


def test_umlaut_spellings_give_the_same_ranking(finder):
    keys = [tuple(r.service.leika_key for r in finder.search(q, limit=5).results)
            for q in ("Führerschein umtauschen", "Fuehrerschein umtauschen", "FÜHRERSCHEIN UMTAUSCHEN")]
    assert keys[0] and keys[0] == keys[1] == keys[2]


def test_ambiguous_place_is_not_picked_silently(finder):
    resp = finder.search("Hund anmelden", where="Neustadt")
    assert resp.place.status == "ambiguous"
    assert len({c.land for c in resp.place.candidates}) >= 3
    assert resp.place.ags is None


def test_point_outside_germany_is_ok_with_status_and_lists_no_offices(finder):
    resp = finder.search("Reisepass", point=(2.3522, 48.8566))  # Paris
    assert resp.place.status == "outside_germany"
    assert resp.results
    assert all(r.offices == [] and r.coverage.status in {"place_unresolved", "no_offices_for_service"}
               for r in resp.results)  # national-catalogue services have no offices at all


def test_ambiguous_place_lists_no_offices(finder):
    resp = finder.search("Personalausweis beantragen", where="Neustadt")
    assert resp.results[0].offices == []
    assert resp.results[0].coverage.status == "place_unresolved"


def test_without_place_berlin_offices_are_listed_unsorted_and_said_so(finder):
    top = finder.search("Wohnsitz anmelden").results[0]
    assert top.coverage.status == "offices" and top.offices
    assert all(o.distance_m is None for o in top.offices)
    assert "Berlin" in top.coverage.message


def test_default_limit_is_capped_by_max_limit(settings):
    from finder.core import Finder

    small = Finder.open(settings.model_copy(update={"max_limit": 3}))
    assert len(small.search("Anmeldung").results) == 3


def test_near_boundary_setting_reaches_the_gazetteer(settings):
    from finder.core import Finder

    far = Finder.open(settings.model_copy(update={"near_boundary_m": 20_000}))
    off = Finder.open(settings.model_copy(update={"near_boundary_m": 0}))
    weimar = (11.3298, 50.9795)
    assert "near_boundary" in far.locate(lat=weimar[1], lon=weimar[0]).place.warnings
    assert "near_boundary" not in off.locate(lat=weimar[1], lon=weimar[0]).place.warnings


@pytest.mark.parametrize("kwargs", [
    {"text": ""}, {"text": "   "}, {"text": "x" * 1000}, {"text": "Pass", "limit": 0},
    {"text": "Pass", "limit": 10_000}, {"text": "Pass", "where": "Berlin", "point": (13.4, 52.5)},
    {"text": "Pass", "point": (200.0, 52.0)},
])
def test_bad_parameters_raise_usage_error(finder, kwargs):
    with pytest.raises(UsageError):
        finder.search(**kwargs)


def test_service_lookup_and_unknown_key(finder):
    detail = finder.service("99115005104000")
    assert detail.service.leika_key == "99115005104000"
    assert len(detail.offices) > 20
    with pytest.raises(NotFoundError):
        finder.service("99999999999999")
    with pytest.raises(UsageError):
        finder.service("123")


def test_office_lookup(finder):
    detail = finder.office("121362")
    assert detail.office.name == "Kfz-Zulassungsbehörde-Lichtenberg"
    assert detail.office.postal_code == "13055"
    assert detail.services
    with pytest.raises(NotFoundError):
        finder.office("nope")


def test_split_need_place_rules():
    places = {"erfurt", "weimar", "jena", "essen", "bad berka"}

    def is_place(t: str) -> bool:
        return t.lower() in places

    p = split_need_place("Ummeldung 99423 Weimar", is_place)
    assert (p.need, p.place_text, p.place_source) == ("Ummeldung", "99423 Weimar", "plz")
    p = split_need_place("Bauantrag in der Nähe von Jena", is_place)
    assert (p.need, p.place_text) == ("Bauantrag", "Jena")
    p = split_need_place("Kita Bad Berka", is_place)
    assert (p.need, p.place_text) == ("Kita", "Bad Berka")
    p = split_need_place("Essen auf Rädern", is_place, vocabulary={"essen"})
    assert p.place_text is None and p.need == "Essen auf Rädern"
    p = split_need_place("Erfurt", is_place)
    assert p.place_text is None  # nothing left as need: not split


def test_distance_berlin_to_erfurt():
    # Brandenburger Tor → Erfurt Domplatz ≈ 240 km (great circle)
    d = distance_m(13.3777, 52.5163, 11.0237, 50.9756)
    assert 230_000 < d < 250_000


def test_a_line_that_is_only_a_place_resolves_the_place_with_empty_need(finder):
    resp = finder.search("Erfurt")
    assert resp.query.need == "" and resp.query.place_text == "Erfurt"
    assert resp.place.ags == "16051000"
    assert resp.results == [] and "empty_need" in resp.warnings


def test_projected_point_in_search(finder):
    from finder.params import make_point

    # handed CASE-32: Goetheplatz 10, Weimar in ETRS89 / UTM 32N
    resp = finder.search("Wohnsitz anmelden", point=make_point(None, None, 663269, 5650385, "EPSG:25832"))
    assert resp.place.ags == "16055000"
    with pytest.raises(UsageError, match="EPSG:25832"):
        make_point(5650385, 663269)  # metres passed as lat/lon
    with pytest.raises(UsageError, match="EPSG:25832"):
        make_point(None, None, 663269, 5650385)  # x/y without crs


def test_server_holder_follows_a_new_build_without_blocking(settings, tmp_path):
    import shutil

    from finder.core import FinderHolder
    from indexer.build import build_index

    home = tmp_path / "home"
    shutil.copytree(settings.home, home, symlinks=True)
    s = settings.model_copy(update={"home": home})
    holder = FinderHolder(s)
    first = holder.get()
    build_index(s, progress=False)
    assert holder.get() is first  # answered from the previous build while the new one opens
    holder.wait_reloaded()
    second = holder.get()
    assert second is not first and second.build_dir != first.build_dir
    assert second.search("Wohnsitz anmelden").results[0].service.leika_key == "99115005104000"


def test_digits_of_other_scripts_read_as_ascii(finder):
    resp = finder.search("Reisepass １０１１５")  # fullwidth digits
    assert resp.query.place_text == "10115" and resp.place.ags == "11000000"
    with pytest.raises(UsageError):
        finder.service("٩٩١١٥٠٠٥١٠٤٠٠٠")  # Arabic-Indic digits are not a LeiKa key in a path


def test_blank_where_is_a_usage_error(finder):
    with pytest.raises(UsageError):
        finder.search("Reisepass", where="   ")


def test_a_dominant_namesake_is_assumed_openly_a_close_one_asks(finder):
    eisenach = finder.search("Kfz ummelden Eisenach").place
    assert eisenach.status == "resolved" and eisenach.ags == "16063105"  # the Wartburgkreis town, new key
    assert "assumed_most_populous" in eisenach.warnings and len(eisenach.candidates) >= 2
    frankfurt = finder.search("Reisepass Frankfurt").place  # 763,380 against 57,751: still asks
    assert frankfurt.status == "ambiguous" and {c.ags for c in frankfurt.candidates} >= {"06412000", "12053000"}


def test_offices_of_another_gemeinde_are_never_listed_for_a_place(finder):
    # Berlin's Bürgerämter offer the passport services; a Hamburg resident is not sent 240 km away
    r = finder.search("Reisepass verloren", where="Hamburg", limit=1).results[0]
    assert r.service.leika_key.startswith("99085001")
    assert r.offices == [] and r.coverage.status == "no_office_data"
    assert r.responsible[0].source == "rule" and "Bezirksamt" in r.responsible[0].name
    # in Berlin the same service lists Berlin offices, nearest first
    b = finder.search("Reisepass verloren", where="Neukölln", limit=1).results[0]
    assert b.offices and all("Berlin" in o.address for o in b.offices)
