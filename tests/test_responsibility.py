"""Who is responsible: handed cases, Land specifics (VG, erfüllende Gemeinde, Verbandsgemeinde, Amt,
Große/Mittlere kreisangehörige Stadt), records before rules, level_only, API — on the real build."""

from __future__ import annotations

import pytest

from finder.responsibility import RuleBook

PERSO = "99008001012001"
FUEHRERSCHEIN = "99023001051000"
ZULASSUNG = "99036008007008"
HUNDESTEUER_BERLIN_KEY = "11102013002901"
WOHNGELD_BERLIN_KEY = "11107023017900"
BAU = "99012008015000"
WOHNSITZ = "99115005104000"


def first(finder, key: str, where: str):
    resp = finder.responsible(key, where=where)
    assert resp.place.status == "resolved", resp.place
    assert resp.responsible, "every answer names at least one responsible entry"
    return resp.responsible[0]


@pytest.mark.parametrize(("case", "key", "where", "level", "ars", "name"), [
    ("CASE-02", PERSO, "99423", "gemeinde", "160550000000", "Personalausweisbehörde der Stadt Weimar"),
    ("CASE-03", FUEHRERSCHEIN, "Halle (Saale)", "kreisfreie_stadt", "150020000000",
     "Fahrerlaubnisbehörde der Stadt Halle (Saale)"),
    ("CASE-23", ZULASSUNG, "Bremerhaven", "kreisfreie_stadt", "040120000000", "Zulassungsbehörde der Stadt Bremerhaven"),
    ("CASE-38", HUNDESTEUER_BERLIN_KEY, "Erfurt", "gemeinde", "160510000000", "Steueramt der Stadt Erfurt"),
    ("CASE-41", WOHNGELD_BERLIN_KEY, "Essen", "kreisfreie_stadt", "051130000000", "Wohngeldbehörde der Stadt Essen"),
    ("CASE-45", BAU, "Havixbeck", "kreis", "05558", "Untere Bauaufsichtsbehörde des Kreises Coesfeld"),
])
def test_handed_cases(finder, case, key, where, level, ars, name):
    r = first(finder, key, where)
    assert (r.source, r.level, r.ars, r.name) == ("rule", level, ars, name), case


def test_handed_case_authorities(finder):
    assert first(finder, HUNDESTEUER_BERLIN_KEY, "Erfurt").authority == "Stadtverwaltung Erfurt"
    assert first(finder, BAU, "Havixbeck").authority == "Kreisverwaltung Coesfeld"
    assert "Bremen" not in first(finder, ZULASSUNG, "Bremerhaven").name


def test_nrw_mittlere_kreisangehoerige_stadt_is_its_own_building_authority(finder):
    r = first(finder, BAU, "Dülmen")  # Kreis Coesfeld, 46,657 inhabitants (2019)
    assert (r.level, r.ars) == ("gemeinde", "055580016016")
    assert "Mittlere kreisangehörige Stadt" in r.why and "BauO NRW" in r.legal_basis.source


def test_bavarian_grosse_kreisstadt_is_building_authority(finder):
    r = first(finder, BAU, "Freising")
    assert (r.level, r.ars) == ("gemeinde", "091780124124") and "Große Kreisstadt" in r.why


@pytest.mark.parametrize(("where", "ars"), [("Erfurt", "160510000000"), ("Weimar", "160550000000")])
def test_wohnsitz_in_kreisfreie_stadt(finder, where, ars):
    r = first(finder, WOHNSITZ, where)
    assert (r.source, r.level, r.ars) == ("rule", "gemeinde", ars)
    assert "Bundesmeldegesetz" in r.legal_basis.source and r.legal_basis.date == "2013-05-03"


def test_wohnsitz_in_thueringen_verwaltungsgemeinschaft(finder):
    r = first(finder, WOHNSITZ, "Berlingerode")  # member of VG Lindenberg/Eichsfeld
    assert (r.level, r.ars) == ("gemeindeverband", "160615001")
    assert r.authority == "Verwaltungsgemeinschaft Lindenberg/Eichsfeld"
    assert "§ 47 Abs. 1 Thüringer Kommunalordnung (ThürKO)" in r.why


def test_wohnsitz_in_member_of_erfuellende_gemeinde(finder):
    r = first(finder, WOHNSITZ, "Ballstedt")  # beauftragende Gemeinde of Am Ettersberg
    assert (r.level, r.ars) == ("gemeinde", "160715053102")
    assert r.authority == "Gemeindeverwaltung Am Ettersberg" and "erfüllenden Gemeinde" in r.why


def test_hundesteuer_in_member_stays_with_the_gemeinde(finder):
    r = first(finder, HUNDESTEUER_BERLIN_KEY, "Ballstedt")
    assert (r.level, r.ars) == ("gemeinde", "160715053005")  # Satzung of Ballstedt itself
    assert r.authority == "Gemeindeverwaltung Am Ettersberg"  # administered by the erfüllende Gemeinde


def test_zulassung_landkreis_vs_kreisfreie_neighbour(finder):
    apolda = first(finder, ZULASSUNG, "Apolda")
    weimar = first(finder, ZULASSUNG, "Weimar")
    assert (apolda.level, apolda.ars, apolda.authority) == ("kreis", "16071", "Landratsamt Weimarer Land")
    assert (weimar.level, weimar.ars) == ("kreisfreie_stadt", "160550000000")


def test_personalausweis_in_verbandsgemeinde_rlp(finder):
    r = first(finder, PERSO, "Nieder-Olm")
    assert (r.level, r.ars, r.authority) == ("gemeindeverband", "073395006", "Verbandsgemeindeverwaltung Nieder-Olm")


def test_amt_in_brandenburg(finder):
    r = first(finder, WOHNSITZ, "Biesenthal")
    assert (r.level, r.ars, r.authority) == ("gemeindeverband", "120605003", "Amt Biesenthal-Barnim")
    assert "zum Amt Biesenthal-Barnim" in r.why


def test_berlin_records_beat_rules(finder):
    resp = finder.responsible("99085001012003", where="Neukölln")
    assert resp.responsible and all(r.source == "record" for r in resp.responsible)
    d = [r.distance_m for r in resp.responsible]
    assert d == sorted(d) and resp.responsible[0].record_id
    assert resp.responsible[0].ars == "110000000000"


def test_berlin_vehicle_registration_by_rule_is_labo(finder):
    r = finder.responsible(ZULASSUNG, where="Berlin").responsible[0]
    assert r.source in ("record", "rule")
    if r.source == "rule":
        assert "LABO" in r.name


def test_federal_service(finder):
    r = first(finder, "99041008000000", "Erfurt")  # Kindergeld (not in the Berlin catalogue: rule by key)
    assert (r.source, r.level, r.ars) == ("rule", "bund", None)
    assert r.name == "Familienkasse der Bundesagentur für Arbeit" and "BKGG" in r.legal_basis.source


def test_level_only_when_no_office_can_be_named(finder):
    r = first(finder, "99102008002000", "Erfurt")  # Einkommensteuer: Finanzamt, districts not in the data
    assert (r.source, r.level, r.ars) == ("level_only", "land", "16")
    assert "nur die Ebene" in r.why


def test_level_only_when_nothing_is_known(finder):
    # a catalogue service without any rule: said plainly
    r = first(finder, "99107027001000", "Erfurt")
    assert (r.source, r.level) == ("level_only", "unknown") and "nicht bekannt" in r.why


def test_unknown_key_without_rule_is_not_found(finder, client):
    from zufi.errors import NotFoundError

    with pytest.raises(NotFoundError):
        finder.responsible("99999999999000", where="Erfurt")
    r = client.get("/api/v1/responsible", params={"leika_key": "99999999999000", "where": "Erfurt"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_without_place_the_level_is_said(finder):
    resp = finder.search("Personalausweis beantragen", limit=1)
    r = resp.results[0].responsible[0]
    assert r.source == "level_only" and r.level == "gemeinde" and "Ort" in r.why


def test_search_results_carry_responsible(finder):
    resp = finder.search("Personalausweis beantragen", where="Weimar", limit=3)
    for res in resp.results:
        assert res.responsible, res.service.leika_key
        for r in res.responsible:
            assert r.why and r.legal_basis.source and r.source in {"record", "rule", "level_only"}
    assert resp.results[0].responsible[0].ars == "160550000000"


@pytest.mark.parametrize("key", [WOHNSITZ, PERSO, ZULASSUNG, BAU, "99041008000000", "99102008002000",
                                 "99022001000000", "99059001110000", "99050012104000"])
@pytest.mark.parametrize("where", ["Erfurt", "Havixbeck", "Nieder-Olm", "Ballstedt", "Biesenthal", "Hamburg"])
def test_every_answer_explains_itself(finder, key, where):
    for r in finder.responsible(key, where=where).responsible:
        assert r.why.strip() and r.legal_basis.source
        assert r.source in {"record", "rule", "level_only"}
        assert r.role in {"zuständige Stelle", "Ansprechpunkt"}


def test_bavarian_town_hall_contact(finder):
    r = first(finder, WOHNSITZ, "Abtswind")  # member of VG Wiesentheid; okfde gives the VG seat
    assert r.level == "gemeindeverband" and r.authority == "Verwaltungsgemeinschaft Wiesentheid"
    assert r.contact_source and "okfde" in r.contact_source and "Wiesentheid" in (r.address or "")


def test_rule_book_coverage():
    book = RuleBook.load()
    counts = book.group_count()
    assert counts["group"] + counts["kennung"] + counts["key"] >= 60
    assert book.rules_for("11107023017900")[0].rule_id == "wohngeld"  # Berlin key → national Kennung
    assert book.rules_for("99050012104000")[0].rule_id == "gewerbe_anz"  # Kennung beats group
    assert book.rules_for("99050099000000")[0].rule_id == "gewerbe"
    assert {r.rule_id for r in book.rules_for("99049001000000")} == {"fuehrungszeugnis", "fuehrungszeugnis_bfj"}


def test_berlins_fuehrungszeugnis_key_has_the_meldebehoerde_rule_elsewhere(finder):
    """Berlin files "Führungszeugnis beantragen" under 99049003101000; in Erfurt it ranks first too, so it
    must not answer "Zuständigkeit unbekannt" (§ 30 Abs. 2 BZRG: the application goes to the Meldebehörde)."""
    top = finder.responsible("99049003101000", where="Erfurt").responsible[0]
    assert (top.source, top.level, top.name) == ("rule", "gemeinde", "Meldebehörde der Stadt Erfurt")


def test_every_sterbefall_service_goes_to_the_standesamt(finder):
    """Berlin's "Sterbefall melden" (11101004012900) had no rule; the group rule 99101 (§§ 28–36 PStG)
    covers it, the more specific Bestattung rule (99101002) still wins for burials."""
    top = finder.responsible("11101004012900", where="Erfurt").responsible[0]
    assert (top.source, top.name) == ("rule", "Standesamt der Stadt Erfurt")
    assert finder.responsibility.book.rules_for("99101002058005")[0].rule_id == "bestattung"


def test_personenstand_abroad_goes_to_standesamt_i_in_berlin(finder):
    """Berlin's 11901… keys (births, marriages, deaths abroad without a residence in Germany): § 36 PStG
    makes the Standesamt I in Berlin responsible nationwide, also for a caller in Erfurt."""
    top = finder.responsible("11901900000000", where="Erfurt").responsible[0]
    assert (top.source, top.level, top.name) == ("rule", "bund", "Standesamt I in Berlin")


@pytest.mark.parametrize(("key", "name"), [
    ("99107010018000", "Sozialamt der Stadt Erfurt"),        # Bestattungskosten, § 74 SGB XII
    ("99107047080000", "Sozialamt der Stadt Erfurt"),        # Blindenhilfe, § 72 SGB XII
    ("11066004001000", "Amtsgericht (Insolvenzgericht)"),    # Restschuldbefreiung, § 287 InsO
])
def test_social_assistance_and_insolvency_rules(finder, key, name):
    assert finder.responsible(key, where="Erfurt").responsible[0].name == name


def test_api_responsible(client):
    r = client.get("/api/v1/responsible", params={"leika_key": BAU, "where": "Havixbeck"})
    assert r.status_code == 200
    body = r.json()
    assert body["responsible"][0]["ars"] == "05558" and body["responsible"][0]["source"] == "rule"
    assert client.get("/api/v1/responsible", params={"leika_key": "123", "where": "Erfurt"}).status_code == 400
    assert client.get("/api/v1/responsible", params={"leika_key": BAU}).status_code == 400


@pytest.mark.parametrize(("ars", "status"), [("160510000000", 200), ("16051000", 200),  # Erfurt, ARS and AGS
                                             ("16051", 400), ("12", 400), ("abc", 400),  # no Gemeinde key
                                             ("999999999999", 404)])                     # no such Gemeinde
def test_api_responsible_by_the_gemeindes_key(client, ars, status):
    r = client.get("/api/v1/responsible", params={"leika_key": "99102013000000", "ars": ars})
    assert r.status_code == status and (status != 200 or r.json()["place"]["name"] == "Erfurt")
    assert status == 200 or r.headers["content-type"].startswith("application/problem+json")


def test_kita_place_and_wbs_have_a_rule_outside_berlin(finder):
    for need, office in (("Kindertagesstätte Aufnahme", "Jugendamt"), ("Wohnberechtigungsschein", "Wohnungsamt")):
        r = finder.search(need, where="Leipzig", limit=1).results[0]
        assert r.responsible[0].source == "rule" and r.responsible[0].name.startswith(office), need
