"""The need side of the handed cases (../shared/cases/handed.jsonl), end to end through Finder.search:
the expected values are written out here (the case file is not read), each with its case id."""

from __future__ import annotations

import pytest


def keys(finder, text, n=3, **kw):
    return [r.service.leika_key for r in finder.search(text, limit=n, **kw).results]


def test_case_02_personalausweisantrag_in_99423(finder):
    r = finder.search("Personalausweisantrag", where="99423", limit=3)
    assert r.results[0].service.leika_key == "99008001012001" and r.place.ags == "16055000"


@pytest.mark.parametrize("text", ["Fuehrerschein umtauschen", "Fuhrerschein umtauschen", "FÜHRERSCHEIN UMTAUSCHEN",
                                  "führerschein umtauschen"])
def test_case_03_four_spellings_one_answer(finder, text):
    assert keys(finder, text, 1) == ["99023001051000"]


@pytest.mark.parametrize("text", ["Perso verloren", "perso weg was tun", "perso weg"])
def test_case_06_lost_id_card(finder, text):
    r = finder.search(text, where="Berlin-Neukölln", limit=3)
    assert r.results[0].service.leika_key == "99008001014002" and r.place.ags == "11000000"


@pytest.mark.parametrize("text", ["An-/Ummeldung Wohnsitz", "An- und Ummeldung"])
def test_case_12_elliptical_hyphens(finder, text):
    assert keys(finder, text, 1, where="Gera")[0].startswith("9911500510400")  # Wohnsitz Anmeldung (variant)


def test_case_23_auto_zulassen_bremerhaven_is_a_vehicle_registration(finder):
    r = finder.search("Auto zulassen Bremerhaven", limit=3)
    assert r.place.ags == "04012000"
    top = r.results[0].service
    assert top.leika_key.startswith("99036") and "Zulassung" in top.name  # not "Auto abgeschleppt"


def test_case_28_kfz_ummelden_eisenach_answers_national_services(finder):
    ks = keys(finder, "Kfz ummelden Eisenach", 5)
    assert "99036008071000" in ks[:2]  # Kraftfahrzeug Ummeldung
    assert not [k for k in ks if k.startswith("11")]  # Berlin's own rows have nothing for Thüringen


def test_case_38_hund_anmelden_erfurt_is_the_dog_tax(finder):
    # the national Hundesteuer: its Festsetzung (the Anmeldung of a dog) or the Leistungsobjekt-level key
    assert keys(finder, "Hund anmelden Erfurt", 1)[0] in {"99102013002000", "99102013000000"}


def test_case_41_wohngeld_essen(finder):
    r = finder.search("Wohngeld Essen", limit=3)
    assert r.place.ags == "05113000" and "Wohngeld" in r.results[0].service.name


def test_case_45_bauantrag_havixbeck(finder):
    assert keys(finder, "Bauantrag einreichen Havixbeck", 1)[0].startswith("99012008")  # Baugenehmigung
