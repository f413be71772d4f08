"""Compound splitting learned from the catalogue: the same splits on the index and the query side."""

from __future__ import annotations

import pytest

from zufi.analysis import fold
from zufi.backends.base import TEXT_FIELDS
from zufi.catalog import Catalog
from zufi.compounds import CompoundSplitter, document_fields


@pytest.fixture(scope="module")
def catalog(settings) -> Catalog:
    return Catalog.load(settings.current_index.resolve() / "catalog")


@pytest.fixture(scope="module")
def splitter(catalog) -> CompoundSplitter:
    from zufi.catalog import learning_services  # as indexer and finder learn it (issue 6)

    return CompoundSplitter.from_services(learning_services(catalog.services.values()))


# Expected parts are folded like everything else (see zufi.analysis.fold).
@pytest.mark.parametrize("word,parts", [
    ("Personalausweisantrag", ["personalausweis", "antrag"]),  # fewest parts, not personal|ausweis|antrag
    ("Hundeanmeldung", ["hund", "anmeldung"]),                # Fugen-e, base form of the first part
    ("Wohnsitzanmeldung", ["wohnsitz", "anmeldung"]),
    ("Meisterbafög", ["meister", "bafog"]),
    ("Umsatzsteuervoranmeldung", ["umsatzsteuer", "voranmeldung"]),
    ("Hundesteuer", ["hund", "steuer"]),
    ("Hundeanmeldungen", ["hund", "anmeldungen"]),            # inflected last part
    ("Katzenhaltung", ["katze", "haltung"]),                  # Fugen-n
    ("Wohnungsabmeldung", ["wohnung", "abmeldung"]),          # Fugen-s
])
def test_catalogue_compounds_split_into_catalogue_words(splitter, word, parts):
    assert splitter.split(word) == [fold(p) for p in parts]


@pytest.mark.parametrize("word", ["Anmeldung", "Ummeldung", "Führerschein", "gewebeanmeldung", "xyz", "",
                                  "2024", "a-b"])
def test_words_without_a_good_split_come_back_whole(splitter, word):
    assert splitter.split(word) == [fold(word)]


def test_frequent_catalogue_words_are_read_whole_on_the_query_side(splitter):
    assert splitter.is_frequent("personalausweis") and splitter.split("personalausweis") == ["personal", "ausweis"]
    assert not splitter.is_frequent("personalausweisantrag")
    assert splitter.is_known("anmelden") and not splitter.is_known("gewebeanmeldung")


def test_split_is_deterministic_across_builds(catalog, splitter):
    again = CompoundSplitter.from_services(reversed(list(catalog.services.values())))
    for w in ["personalausweisantrag", "umsatzsteuervoranmeldung", "kinderreisepass", "hundesteuer"]:
        assert again.split(w) == splitter.split(w)


def test_head_and_first_part_for_elliptical_hyphens(splitter):
    assert splitter.head("Katzenhaltung") == "haltung"
    assert splitter.head("Ummeldung") == "meldung"  # no split ("um" is too short): longest known suffix
    assert splitter.first("Steuerberatung") == fold("steuer")
    assert splitter.head("xyz") is None


def test_toy_vocabulary_without_catalogue():
    s = CompoundSplitter.from_texts([["Hund", "Anmeldung"], ["Steuer"], ["Hunde"]])
    assert s.split("Hundeanmeldung") == ["hund", "anmeldung"]
    assert s.split("Hundsteuer") == ["hund", "steuer"]
    assert s.split("Hundxsteuer") == ["hundxsteuer"]


def test_index_document_holds_compound_parts(catalog, splitter):
    svc = catalog.services["11102013002901"]  # Hundehaltung - Hund steuerlich anmelden (Hundesteuer)
    fields = document_fields(svc, splitter, TEXT_FIELDS)
    assert {"hund", "steuer"} <= set(fields["parts_exact"])
    assert "hund" in fields["parts"] and "haltung" in fields["parts"]
    assert fields["name_exact"][:2] == ["hundehaltung", "hund"]  # the unsplit words stay


def test_a_prefixed_word_yields_its_head_as_a_part():
    """"Erstbeurkundung" does not split into two catalogue words ("erst" is none), but it is a
    Beurkundung: its head (≥ MIN_HEAD_PART letters behind a prefix of ≤ MAX_HEAD_PREFIX) is a part."""
    s = CompoundSplitter.from_texts([["Beurkundung", "Sterbefall"], ["Beurkundung"], ["Erstbeurkundung"],
                                     ["Kind"], ["Kindergeld"]])
    assert s.parts_of("Sterbefall Erstbeurkundung") == ["beurkundung"]
    assert s.parts_of("Beurkundung") == []           # the head of nothing but itself
    assert s.parts_of("Kindergeld") == []            # no catalogue word ends it
