"""NRW responsibility evidence from the Wirtschafts-Service-Portal.NRW list "Live WSP 11.11" (issue 5):
normalisation table coverage, the build's catalog/nrw_wsp.json, and answers for places in NRW vs elsewhere
— on the real data."""

from __future__ import annotations

import csv

import pytest

from indexer.nrw_wsp import read_levels, read_nrw_wsp
from indexer.report import BuildReport
from indexer.sources import NRW_WSP
from zufi.nrw_wsp import WSP_DATE, WSP_SOURCE, load_nrw_wsp

APPROBATION_ARZT = "99018001001000"  # "Bezirksregierungen (alle) / Bezirksregierungen"
GEWERBE_ANMELDEN = "99050012104000"  # "kommunalen Ordnungsbehörden / Gemeinde (396 Städte und Gemeinden)"
HEBAMME = "99018049001000"  # "Untere Gesundheitsbehörden/ Kreise und kreisfreie Städte"
WAFFENHANDEL = "99089019001000"  # "Kreispolizeibehörde / 47 Kreispolizeibehörden, …"
VERSTEIGERER_IHK = "99050058108000"  # "IHK"
GASTSTAETTE_ANZEIGE = "99025002169000"  # "Keine Zuständigkeit in NRW"
ARZTREGISTER = "99018006060000"  # "Kassenärztliche Vereinigungen"


def first(finder, key: str, where: str):
    resp = finder.responsible(key, where=where)
    assert resp.place.status == "resolved", resp.place
    return resp.responsible[0]


def test_every_wsp_text_is_mapped(mirror):
    levels = read_levels()
    with NRW_WSP.at(mirror).open(encoding="utf-8", newline="") as fh:
        texts = {" ".join(r["zustaendige_stelle"].split()) for r in csv.DictReader(fh)}
    assert len(texts) == 58 and texts <= set(levels)


def test_reader_counts(mirror):
    report = BuildReport()
    entries = read_nrw_wsp(mirror, report)
    assert len(entries) == 368 and report.indexed["nrw_wsp"] == 368
    assert report.rejected["nrw_wsp"] == {"repeated key (first row kept)": 1}  # 99089090261000 twice
    by_key = {e.leika_key: e for e in entries}
    assert by_key[APPROBATION_ARZT].level == "bezirksregierung"
    assert by_key[VERSTEIGERER_IHK].level == "kammer_ihk" and not by_key[VERSTEIGERER_IHK].named
    assert by_key[GASTSTAETTE_ANZEIGE].level == "keine_zustaendigkeit"
    assert any("58 of 58 distinct" in n for n in report.notes)


def test_build_stores_the_evidence(settings, finder):
    wsp = load_nrw_wsp(settings.current_index.resolve() / "catalog")
    assert len(wsp) == 368 and wsp[HEBAMME].level == "kreis"
    for key in (APPROBATION_ARZT, GEWERBE_ANMELDEN, HEBAMME, WAFFENHANDEL, VERSTEIGERER_IHK, GASTSTAETTE_ANZEIGE,
                ARZTREGISTER):
        assert key in finder.catalog.services and key in wsp


@pytest.mark.parametrize(("where", "ars", "name"), [
    ("Havixbeck", "055", "Bezirksregierung Münster"),
    ("Köln", "053", "Bezirksregierung Köln"),
    ("Bielefeld", "057", "Bezirksregierung Detmold"),
])
def test_bezirksregierung_from_the_chain(finder, where, ars, name):
    r = first(finder, APPROBATION_ARZT, where)
    assert (r.source, r.level, r.ars, r.name) == ("rule", "bezirksregierung", ars, name)
    assert r.evidence.source == WSP_SOURCE and r.evidence.date == WSP_DATE
    assert "Bundesärzteordnung" in r.legal_basis.source  # the rule's legal basis, refined by the WSP
    assert "präzisiert die allgemeine Regel" in r.why and "Regierungsbezirk" in r.why


def test_rule_confirmed_by_wsp(finder):
    r = first(finder, GEWERBE_ANMELDEN, "Havixbeck")
    assert (r.source, r.level, r.ars, r.authority) == ("rule", "gemeinde", "055580020020", "Gemeindeverwaltung Havixbeck")
    assert "bestätigt durch WSP.NRW" in r.why and "GewO" in r.legal_basis.source
    assert r.evidence.source == WSP_SOURCE


def test_wsp_overrides_rule_level(finder):
    r = first(finder, HEBAMME, "Havixbeck")  # generic rule: Land authority; WSP: Kreis health office
    assert (r.source, r.level, r.ars) == ("rule", "kreis", "05558")
    assert r.name == "Untere Gesundheitsbehörde des Kreises Coesfeld"
    assert r.legal_basis.source == WSP_SOURCE and "statt der allgemeinen Regel" in r.why
    koeln = first(finder, HEBAMME, "Köln")
    assert (koeln.level, koeln.ars) == ("kreisfreie_stadt", "053150000000")


def test_police_authority(finder):
    r = first(finder, WAFFENHANDEL, "Havixbeck")
    assert (r.source, r.level, r.ars, r.name) == ("rule", "polizei", "05558",
                                                   "Landrat des Kreises Coesfeld als Kreispolizeibehörde")
    koeln = first(finder, WAFFENHANDEL, "Köln")  # Polizeipräsidium: its district is not in the data
    assert (koeln.source, koeln.level) == ("level_only", "polizei") and "nur die Ebene" in koeln.why


def test_chamber_is_level_only(finder):
    r = first(finder, VERSTEIGERER_IHK, "Köln")
    assert (r.source, r.level, r.name) == ("level_only", "kammer", "Industrie- und Handelskammer (IHK)")
    assert "nur die Ebene" in r.why and r.evidence.source == WSP_SOURCE


def test_no_responsibility_in_nrw_is_said_plainly(finder):
    resp = finder.responsible(GASTSTAETTE_ANZEIGE, where="Köln")
    assert len(resp.responsible) == 1
    r = resp.responsible[0]
    assert (r.source, r.level, r.name) == ("level_only", "keine_zustaendigkeit", "Keine zuständige Stelle in NRW")
    assert "keine zuständige Stelle" in r.why and "Nordrhein-Westfalen" in r.why


@pytest.mark.parametrize(("where", "name"), [("Köln", "Kassenärztliche Vereinigung Nordrhein"),
                                             ("48143", "Kassenärztliche Vereinigung Westfalen-Lippe")])
def test_landesteil_from_the_regierungsbezirk(finder, where, name):
    r = first(finder, ARZTREGISTER, where)  # 48143: Münster (Westf.)
    assert (r.level, r.name) == ("landesteil", name)


def test_sibling_key_of_a_unanimous_kennung(finder):
    r = first(finder, "99018001000000", "Havixbeck")  # Approbation als Arzt (no WSP row; Kennung 99018001 has one)
    assert (r.level, r.name, r.confidence) == ("bezirksregierung", "Bezirksregierung Münster", "medium")
    assert "Kennung 99018001" in r.why


@pytest.mark.parametrize("key", [APPROBATION_ARZT, GEWERBE_ANMELDEN, HEBAMME, GASTSTAETTE_ANZEIGE])
def test_places_outside_nrw_are_unaffected(finder, key):
    r = first(finder, key, "Erfurt")
    assert r.evidence is None and "WSP" not in r.why and not (r.rule_id or "").startswith("nrw_wsp")
    assert r.level in ("gemeinde", "kreisfreie_stadt", "land")


def test_search_results_and_api_carry_the_evidence(finder, client):
    resp = finder.search("Approbation Arzt", where="Havixbeck", limit=5)
    hit = next(res for res in resp.results if res.service.leika_key == APPROBATION_ARZT)
    assert hit.responsible[0].name == "Bezirksregierung Münster"
    body = client.get("/api/v1/responsible", params={"leika_key": HEBAMME, "where": "Havixbeck"}).json()
    assert body["responsible"][0]["evidence"] == {"source": WSP_SOURCE, "date": WSP_DATE}
