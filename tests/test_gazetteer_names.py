"""Issue 4 — names, keys, Ortsteile, PLZ and types, over the real data (VG5000 2021, Destatis, GeoNames)."""

from __future__ import annotations

import csv
import gzip
import json

import pytest

from gazetteer.tables import read_changes, read_exonyms, read_ortsteile, read_plz_abroad


# ------------------------------------------------------------------------------------------ types
def test_types_population_generation(gazetteer):
    p = gazetteer.resolve("Weimar")
    assert p.generation == "VG5000 2021-01-01"
    assert p.population == 65228
    g = p.chain[-1]
    assert (g.type, g.type_destatis, g.population) == ("Stadt", "Kreisfreie Stadt", 65228)
    kreis = next(c for c in p.chain if c.level == "kreis")
    assert (kreis.type, kreis.type_destatis) == ("Kreisfreie Stadt", "Kreisfreie Stadt")


@pytest.mark.parametrize("text,level,type_destatis", [
    ("Böblingen", "gemeinde", "Große Kreisstadt"),
    ("Bautzen", "kreis", "Landkreis"),
    ("Buttelstedt", "gemeindeverband", "Erfüllende Gemeinde"),  # Am Ettersberg
    ("Erkner", "gemeindeverband", "Verbandsfreie Gemeinde"),
])
def test_destatis_types(gazetteer, text, level, type_destatis):
    p = gazetteer.resolve(text)
    link = next(c for c in p.chain if c.level == level)
    assert link.type_destatis == type_destatis


def test_gemeindeverband_types_present(gazetteer):
    types = {a[3] for a in gazetteer.table.areas.values() if a[0] == "gemeindeverband"}
    for t in ("Verwaltungsgemeinschaft", "Erfüllende Gemeinde", "Verbandsgemeinde", "Samtgemeinde", "Amt",
              "Verwaltungsverband"):
        assert t in types
    # VG5000 BEZ kept as well
    assert "Gemeinschaftsfreie Gemeinde" in {a[2] for a in gazetteer.table.areas.values()}


def test_kreis_population_is_sum(gazetteer):
    th = gazetteer.area("16")
    assert th.population == sum(r[5] or 0 for r in gazetteer.table.rows if r[0].startswith("16"))
    assert 2_100_000 < th.population < 2_200_000


# ------------------------------------------------------------------------------------------ changes
def test_change_table_covers_every_differing_key(mirror):
    """Every AGS that differs between VG5000 and Destatis, and every PLZ-table key not in VG5000, has a row."""
    with gzip.open(mirror / "geo" / "vg5000_2021_gem.geojson.gz") as fh:
        vg = {f["properties"]["AGS"] for f in json.load(fh)["features"]}
    with open(mirror / "gemeindeverzeichnis" / "destatis_AuszugGV4QAktuell.csv", encoding="utf-8-sig") as fh:
        ds = {r["land"] + r["rb"] + r["kreis"] + r["gemeinde"] for r in csv.DictReader(fh) if r["satzart"] == "60"}
    with open(mirror / "gemeindeverzeichnis" / "zuordnung_plz_ort.csv", encoding="utf-8") as fh:
        plz = {r["ags"].zfill(8) for r in csv.DictReader(fh)}
    differing = (vg ^ ds)
    assert len(differing) == 11
    rows = read_changes()
    keys = {r["old_ags"] for r in rows} | {r["new_ags"] for r in rows}
    assert differing <= keys
    assert plz - vg <= keys  # 16063105 Eisenach, 03153019 Langelsheim
    assert all(r["source"] for r in rows)


@pytest.mark.parametrize("text", ["16056000", "AGS 16056000", "16063105", "160560000000", "99817"])
def test_eisenach_keys(gazetteer, text):
    p = gazetteer.resolve(text)
    assert p.status == "resolved" and p.name == "Eisenach"
    assert p.ags == "16063105" and p.ars == "160630105105"
    assert "key_changed" in p.warnings and "2021-07-01" in p.message
    assert [c.name for c in p.chain[:2]] == ["Thüringen", "Wartburgkreis"]
    assert p.key_change["old_ags"] == "16056000"


def test_eisenach_name_is_ambiguous_with_new_key_first(gazetteer):
    p = gazetteer.resolve("Eisenach")  # also a Gemeinde in the Eifelkreis Bitburg-Prüm
    assert p.status == "ambiguous"
    assert (p.candidates[0].ags, p.candidates[0].kreis) == ("16063105", "Wartburgkreis")
    assert p.candidates[1].ags == "07232218"


def test_eisenach_point_carries_key_change(gazetteer):
    from zufi.model import Point

    p = gazetteer.locate(Point(lon=10.3193, lat=50.9807))  # Markt, Eisenach
    assert p.ags == "16063105" and "key_changed" in p.warnings


@pytest.mark.parametrize("text", ["03153007", "Lutter am Barenberge", "03153019"])
def test_langelsheim(gazetteer, text):
    p = gazetteer.resolve(text)
    assert p.status == "resolved" and p.ags == "03153019" and p.name == "Langelsheim"
    assert "key_changed" in p.warnings


@pytest.mark.parametrize("text", ["16065084", "Großenehrich", "Grossenehrich", "16065023"])
def test_kyffhaeuser_merger(gazetteer, text):
    p = gazetteer.resolve(text)
    assert p.status == "resolved" and p.ags == "16065089" and p.name == "Greußen"
    assert "key_changed" in p.warnings


def test_other_generation_keys(gazetteer):
    assert gazetteer.resolve("07132084").ags == "07132502"  # Obernau → Neitersen
    assert gazetteer.resolve("12073505").ags == "12073532"  # Schöneberg → Schwedt/Oder
    koelleda = gazetteer.resolve("160685006034")  # Destatis ARS, VG5000 has 160680034034
    assert koelleda.ags == "16068034" and "key_changed" in koelleda.warnings
    lux = gazetteer.resolve("07000999")
    assert lux.status == "not_found" and "condominium" in lux.message
    assert gazetteer.resolve("12345678").status == "not_found"


def test_hanau_kreisfrei_2026(gazetteer):
    p = gazetteer.resolve("Hanau")
    assert p.status == "resolved" and p.ags == "06435014"  # new key not verifiable offline
    assert "key_changed" in p.warnings and "2026-01-01" in p.message and "not be verified" in p.message
    assert p.key_change["status"] == "unverified"


# ------------------------------------------------------------------------------------------ names
@pytest.mark.parametrize("text,ags", [
    ("Frankfurt (Oder)", "12053000"), ("Frankfurt/Oder", "12053000"), ("Frankfurt an der Oder", "12053000"),
    ("Frankfurt Oder", "12053000"), ("Halle (Saale)", "15002000"), ("Halle Saale", "15002000"),
    ("Halle Westfalen", "05754012"), ("Halle (Westf.)", "05754012"), ("Halle Westf", "05754012"),
    ("Neustadt a.d. Aisch", "09575153"), ("Neustadt an der Aisch", "09575153"), ("Neustadt Aisch", "09575153"),
    ("Neustadt Holstein", "01055032"), ("Neustadt in Holstein", "01055032"),
    ("Neustadt Weinstraße", "07316000"), ("Neustadt Weinstrasse", "07316000"), ("Neustadt Sachsen", "14628260"),
    ("Muenchen", "09162000"), ("Nuernberg", "09564000"), ("Duesseldorf", "05111000"),
    ("St. Ingbert", "10045117"), ("Sankt Ingbert", "10045117"), ("St. Augustin", "05382056"),
    ("Munich", "09162000"), ("Cologne", "05315000"), ("Nuremberg", "09564000"), ("Brunswick", "03101000"),
    ("Hanover", "03241001"), ("Frankfurt Hessen", "06412000"), ("Frankfurt Brandenburg", "12053000"),
])
def test_name_variants(gazetteer, text, ags):
    p = gazetteer.resolve(text)
    assert p.status == "resolved", (text, p.message)
    assert p.ags == ags


def test_exonym_table_matches_vg5000(gazetteer):
    for r in read_exonyms():
        p = gazetteer.resolve(r["exonym"])
        assert p.ags == r["ags"] and p.name == r["gemeinde"], r["exonym"]


def test_qualifier_narrows_but_keeps_asking_when_needed(gazetteer):
    p = gazetteer.resolve("Neustadt Bayern")
    assert p.status == "ambiguous"
    assert {c.land for c in p.candidates} == {"Bayern"} and len(p.candidates) >= 5
    p = gazetteer.resolve("Erfurt Blah")
    assert p.ags == "16051000" and "qualifier_ignored" in p.warnings


def test_neustadt_candidates_case13(gazetteer):
    p = gazetteer.resolve("Neustadt")
    assert p.status == "ambiguous"
    names = {c.name for c in p.candidates}
    for n in ("Neustadt an der Weinstraße", "Neustadt am Rübenberge", "Neustadt in Holstein", "Neustadt a.d. Aisch",
              "Neustadt b. Coburg", "Neustadt (Dosse)", "Neustadt (Hessen)"):
        assert n in names
    gem = [c for c in p.candidates if c.ortsteil is None]
    assert gem[0].ags == "07316000"  # largest first
    # Ortsteile called Neustadt come after every Gemeinde and say so
    kinds = [c.ortsteil is not None for c in p.candidates]
    assert kinds == sorted(kinds)


# ------------------------------------------------------------------------------------------ Ortsteile
def test_buttelstedt_is_am_ettersberg(gazetteer):
    p = gazetteer.resolve("Buttelstedt")
    assert p.status == "resolved" and p.ags == "16071102" and p.name == "Am Ettersberg"
    assert p.ortsteil == "Buttelstedt" and p.point_source == "ortsteil"
    assert p.chain[1].name == "Weimarer Land"


def test_ortsteil_with_qualifier_and_plz(gazetteer):
    assert gazetteer.resolve("Buttelstedt Weimarer Land").ags == "16071102"
    assert gazetteer.resolve("Halle Neustadt").ortsteil == "Halle Neustadt"


def test_ortsteil_ranked_below_gemeinde(gazetteer):
    # "Schöneberg": two Gemeinden, a Berlin Ortsteil and a GeoNames place in Schwedt/Oder
    p = gazetteer.resolve("Schöneberg")
    assert p.status == "ambiguous"
    assert [c.ortsteil for c in p.candidates[:2]] == [None, None]
    assert "Schwedt/Oder" in [c.name for c in p.candidates if c.ortsteil == "Schöneberg"]


def test_umlauts_restored_in_ortsteile(gazetteer):
    names = {e[1] for e in gazetteer.text.ortsteil_list}
    assert not any(n.endswith(" Bezirk") for n in names)
    # GeoNames writes "Grossenehrich"-style ASCII; a word spelt with an umlaut in a Gemeinde name is restored
    restored = [n for n in names if any(ch in n for ch in "äöüß")]
    assert len(restored) > 20


@pytest.mark.parametrize("text,bezirk,ortsteil", [
    ("Tempelhof", "Tempelhof-Schöneberg", "Tempelhof"), ("Wedding", "Mitte", "Wedding"),
    ("Prenzlauer Berg", "Pankow", "Prenzlauer Berg"), ("Kreuzberg", "Friedrichshain-Kreuzberg", "Kreuzberg"),
    ("Marzahn", "Marzahn-Hellersdorf", "Marzahn"), ("Hellersdorf", "Marzahn-Hellersdorf", "Hellersdorf"),
    ("Köpenick", "Treptow-Köpenick", "Köpenick"), ("Koepenick", "Treptow-Köpenick", "Köpenick"),
    ("Spandau", "Spandau", None), ("Berlin-Friedenau", "Tempelhof-Schöneberg", "Friedenau"),
    ("Blankenese", "Altona", "Blankenese"), ("Ottensen", "Altona", "Ottensen"), ("Harburg", "Harburg", None),
    ("Bergedorf", "Bergedorf", None), ("Wandsbek", "Wandsbek", None), ("Eimsbüttel", "Eimsbüttel", None),
    ("St. Pauli", "Hamburg-Mitte", "St. Pauli"),
])
def test_stadtstaat_ortsteile(gazetteer, text, bezirk, ortsteil):
    p = gazetteer.resolve(text)
    assert p.status == "resolved", (text, p.message, [c.name for c in p.candidates])
    assert p.district.name == bezirk and p.ortsteil == ortsteil


def test_ortsteil_table_complete():
    rows = read_ortsteile()
    assert len([r for r in rows if r["city"] == "Berlin"]) == 96
    assert len([r for r in rows if r["city"] == "Hamburg"]) == 104


def test_gemeinde_ranked_above_stadtstaat_ortsteil(gazetteer):
    assert gazetteer.resolve("Malchow").ags == "13071093"  # the Gemeinde, not Berlin-Malchow (Ortsteil)
    p = gazetteer.resolve("Hamm")  # two Gemeinden called exactly "Hamm" + Hamburg's Stadtteil
    assert p.status == "ambiguous" and p.candidates[0].ags == "05915000"
    assert (p.candidates[-1].name, p.candidates[-1].ortsteil) == ("Hamburg-Mitte", "Hamm")


# ------------------------------------------------------------------------------------------ PLZ
def test_plz_15537(gazetteer):
    p = gazetteer.resolve("15537")
    assert p.status == "ambiguous" and {c.name for c in p.candidates} == {"Erkner", "Grünheide (Mark)",
                                                                          "Gosen-Neu Zittau"}
    assert {c.kreis for c in p.candidates} == {"Oder-Spree"} and {c.land for c in p.candidates} == {"Brandenburg"}
    assert gazetteer.resolve("15537 Erkner").ags == "12067124"
    assert gazetteer.resolve("15537 Grünheide").ags == "12067201"


def test_plz_across_land_border(gazetteer):
    p = gazetteer.resolve("07919")
    assert p.status == "ambiguous" and "plz_crosses_land_border" in p.warnings
    assert {c.land for c in p.candidates} == {"Sachsen", "Thüringen"}
    assert "Sachsen" in p.message and "Thüringen" in p.message
    assert gazetteer.resolve("07919 Kirschkau").ags[:2] == "16"


@pytest.mark.parametrize("text", ["87491", "87567", "87568", "87569", "Jungholz", "Kleinwalsertal", "87491 Jungholz"])
def test_plz_abroad(gazetteer, text):
    p = gazetteer.resolve(text)
    assert p.status == "outside_germany" and "plz_abroad" in p.warnings
    assert "Österreich" in p.message and p.ags is None


def test_plz_abroad_table_not_in_german_table(gazetteer):
    for r in read_plz_abroad():
        assert not gazetteer.is_plz_known(r["plz"])
