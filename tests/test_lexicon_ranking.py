"""The compound lexicon (OpenThesaurus nouns + national catalogue words), joined query words, the
Verrichtung weight in coverage and the score guard of the variant preference — on the real data."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

from finder.ranking import VERRICHTUNG_FACTOR, is_verrichtung, token_importance
from finder.tokens import QueryToken, Reading
from finder.variants import prefer_variants
from indexer.lexicon import read_nouns
from zufi.catalog import Catalog, learning_services, splitter_lexicon
from zufi.compounds import LEXICON_FILE, CompoundSplitter, load_lexicon
from zufi.errors import DataFileError

THESAURUS = "synonyms/openthesaurus_de_2016-04-24.txt.gz"


@pytest.fixture(scope="module")
def nouns(mirror: Path) -> list[str]:
    return read_nouns(mirror / THESAURUS)


@pytest.fixture(scope="module")
def catalog(settings) -> Catalog:
    return Catalog.load(settings.current_index.resolve() / "catalog")


@pytest.fixture(scope="module")
def splitter(catalog, settings) -> CompoundSplitter:
    services = catalog.services.values()
    lexicon = splitter_lexicon(services, load_lexicon(settings.current_index.resolve()))
    return CompoundSplitter.from_services(learning_services(services), lexicon)


def keys(finder, text, n=5, **kw):
    return [r.service.leika_key for r in finder.search(text, limit=n, **kw).results]


# --------------------------------------------------------------------------- lexicon file
def test_nouns_are_the_capitalised_single_words(nouns):
    assert len(nouns) > 40_000
    assert {"baum", "gerust", "waffe", "fuhrerschein"} <= set(nouns)  # folded like every other word
    assert "baumeln" not in nouns and "abfliegen" not in nouns        # verbs are lower case
    assert nouns == sorted(set(nouns))


def test_the_build_holds_the_lexicon_the_finder_loads(settings, nouns):
    build = settings.current_index.resolve()
    assert (build / LEXICON_FILE).is_file()
    assert load_lexicon(build) == frozenset(nouns)


def test_a_build_dir_without_lexicon_loads_empty(tmp_path):
    assert load_lexicon(tmp_path) == frozenset()


def test_corrupt_lexicon_or_thesaurus_in_a_build_names_the_file(tmp_path):
    from zufi.thesaurus import THESAURUS_FILE, load_thesaurus

    (tmp_path / LEXICON_FILE).write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(DataFileError, match=LEXICON_FILE):
        load_lexicon(tmp_path)
    (tmp_path / THESAURUS_FILE).write_text("pleite\n", encoding="utf-8")  # no partners
    with pytest.raises(DataFileError, match=r"thesaurus.tsv: line 1"):
        load_thesaurus(tmp_path)


def test_publisher_zip_reads_like_the_mirror_file(tmp_path, mirror, nouns):
    import zipfile

    z = tmp_path / "OpenThesaurus-Textversion.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("openthesaurus.txt", gzip.decompress((mirror / THESAURUS).read_bytes()))
    assert read_nouns(z) == nouns


@pytest.mark.parametrize("content", [b"", b"# only a header\n", b"\x1f\x8b not gzip"])
def test_corrupt_thesaurus_names_the_file(tmp_path, content):
    bad = tmp_path / "openthesaurus.txt.gz"
    bad.write_bytes(content)
    with pytest.raises(DataFileError, match="openthesaurus.txt.gz"):
        read_nouns(bad)


# --------------------------------------------------------------------------- splitting
@pytest.mark.parametrize("word,parts", [
    ("Baumfällgenehmigung", ["baum", "fall", "genehmigung"]),  # "Baum" occurs only inside compounds
    ("Sozialversicherungsausweis", ["sozialversicherung", "ausweis"]),
    ("Personalausweisantrag", ["personalausweis", "antrag"]),  # catalogue split still wins
])
def test_second_pass_splits_with_lexicon_nouns(splitter, word, parts):
    assert splitter.split(word) == parts


def test_catalogue_only_split_leaves_lexicon_compounds_whole(splitter):
    assert splitter.split("Baumfällgenehmigung", lexicon=False) == ["baumfallgenehmigung"]


def test_lexicon_split_has_at_most_three_parts():
    small = CompoundSplitter.from_texts([["Antrag"]], lexicon=["haus", "garten", "tor"])
    assert small.split("gartenhausantrag") == ["garten", "haus", "antrag"]
    assert small.split("gartenhaustorantrag") == ["gartenhaustorantrag"]  # four parts: no split


def test_labelled_and_foreign_terms_are_not_compound_parts(nouns, splitter):
    assert not {"date", "lichen", "ische"} & set(nouns)  # "Date (engl.)", "Lichen (fachspr.)", "Ische (ugs.)"
    assert splitter.split("fachlichen") == ["fachlichen"]


def test_first_pass_base_forms_use_catalogue_words_only(splitter):
    # "akten" stays "akten": "akt" is a lexicon noun but no catalogue word
    assert splitter.split("akteneinsicht", lexicon=False) == ["akten", "einsicht"]


# --------------------------------------------------------------------------- queries
def test_split_compound_finds_the_joined_service(finder):
    assert keys(finder, "baum fällen genehmigung", 1) == ["99093003000000"]


def test_typo_in_compound_is_still_a_typo_not_a_lexicon_split(finder):
    assert "99050012104000" in keys(finder, "gewebeanmeldung", 3)


def test_neighbouring_words_join_into_a_catalogue_word(finder):
    from finder.tokens import analyse_query

    for t in analyse_query("kinder geld", finder.analysis):
        assert "kindergeld" in {r.term for r in t.readings}
    assert keys(finder, "kinder geld beantragen", 3)[0].startswith("99041008")


def test_typo_in_a_national_word_is_corrected(finder):
    from finder.tokens import analyse_query

    # "Jagdschein" and "Kurzarbeitergeld" are words of the national catalogue only
    assert not finder.analysis.splitter.is_known("jagdschein")
    fuzzy = {r.term for t in analyse_query("jagdschien", finder.analysis) for r in t.readings if r.source == "fuzzy"}
    assert "jagdschein" in fuzzy
    assert keys(finder, "jagdschien", 1)[0].startswith("99067004")
    assert keys(finder, "kurzarbeitegeld", 1) == ["99038003000000"]


# --------------------------------------------------------------------------- coverage weights
def test_object_outweighs_verrichtung(finder):
    # Jagdschein is the Leistungsobjekt; "verlängern" alone must not put "Fahrerlaubnis verlängern" first
    assert keys(finder, "jagdschein verlängern", 1)[0].startswith("99067004")


def test_verrichtung_tokens(finder):
    from finder.tokens import analyse_query

    df, vdf = finder._term_df, finder._verrichtung_df
    toks = {t.text: t for t in analyse_query("beantragen verlängern hund zameldowanie", finder.analysis)}
    assert is_verrichtung(toks["beantragen"], df, vdf)      # its synonyms are Erteilung, Ausstellung …
    assert is_verrichtung(toks["verlangern"], df, vdf)      # -ung noun Verlängerung is a Verrichtung
    assert not is_verrichtung(toks["hund"], df, vdf)
    assert not is_verrichtung(toks["zameldowanie"], df, vdf)  # translated to Wohnsitz + Anmeldung


def test_verrichtung_factor_halves_importance():
    tok = QueryToken("verlangern", [Reading("verlanger", "stem", 1.0, "morphology")])
    df = {"verlanger": 100}
    plain = token_importance(tok, df, 5000)
    assert token_importance(tok, df, 5000, {"verlanger": 100}) == pytest.approx(plain * VERRICHTUNG_FACTOR)


def test_broadest_meaning_decides_importance():
    # "auto" is rare as a word but means Fahrzeug, which many services hold
    tok = QueryToken("auto", [Reading("auto", "exact", 1.0, "word"), Reading("fahrzeug", "exact", 0.9, "synonym")])
    assert token_importance(tok, {"auto": 9, "fahrzeug": 97}, 5000) == pytest.approx(
        token_importance(QueryToken("x", [Reading("fahrzeug", "exact", 1.0, "word")]), {"fahrzeug": 97}, 5000))


# --------------------------------------------------------------------------- variant preference
def test_preferred_variant_does_not_jump_a_much_better_match(catalog):
    express, berlin = "99085001012002", "99085001012003"  # national express vs the Berlin-offered one
    assert {express, berlin} <= set(catalog.services)
    ranked = [express, berlin]
    assert prefer_variants(ranked, catalog.services, "11", {express: 40.0, berlin: 8.0}) == ranked
    assert prefer_variants(ranked, catalog.services, "11", {express: 10.0, berlin: 8.0}) == [berlin, express]


def test_a_berlin_offered_national_key_of_another_detail_needs_a_close_score(catalog):
    """Both national: Berlin offers "Aufenthaltserlaubnis zum Studium" (…008), not "… zum
    vorübergehenden Schutz" (…014); another detail is another service, so it moves up only with
    DETAIL_MOVE_RATIO (0.75) of the score, not with 17 of 30."""
    from finder.variants import DETAIL_MOVE_RATIO

    schutz, studium = "99010001001014", "99010001001008"
    assert "11" in catalog.services[studium].lands and "11" not in catalog.services[schutz].lands
    ranked = [schutz, studium]
    assert prefer_variants(ranked, catalog.services, None, {schutz: 30.0, studium: 17.0}) == ranked
    assert prefer_variants(ranked, catalog.services, None,
                           {schutz: 30.0, studium: 30.0 * DETAIL_MOVE_RATIO}) == [studium, schutz]


def test_reisepass_express_ranks_the_express_service_first(finder):
    assert keys(finder, "reisepas express", 1) == ["99085001012002"]


# --------------------------------------------------------------------------- thesaurus partners
def test_thesaurus_partners_are_catalogue_words(mirror, catalog):
    from indexer.lexicon import read_partners
    from zufi.catalog import catalogue_word_df

    df = catalogue_word_df(catalog.services.values())
    partners = read_partners(mirror / THESAURUS, df)
    assert {"unternehmen", "betrieb"} <= set(partners["firma"])
    assert partners["kita"] == ("kindertagesstatte",)
    assert all(p in df for ps in partners.values() for p in ps)
    assert all(len(ps) <= 6 for ps in partners.values())
    assert "fallen" not in partners  # "fällen" and "fallen" fold alike: their meanings are not mixed


def test_the_build_holds_the_thesaurus_the_finder_uses(settings, finder):
    from zufi.thesaurus import load_thesaurus

    table = load_thesaurus(settings.current_index.resolve())
    assert "unternehmen" in table["firma"]
    assert finder.analysis.thesaurus == table


def test_thesaurus_readings_are_weak_and_yield_to_curated_synonyms(finder):
    from finder.tokens import THESAURUS_WEIGHT, analyse_query

    toks = {t.text: t for t in analyse_query("firma verkaufen pleite perso", finder.analysis)}
    firma = {r.term: r for r in toks["firma"].readings if r.source == "thesaurus"}
    assert firma["unternehmen"].weight == THESAURUS_WEIGHT
    for word in ("pleite", "perso"):  # synonyms.tsv has a rule for these
        assert not [r for r in toks[word].readings if r.source == "thesaurus"]
    assert keys(finder, "arbeitgeber pleite", 1) == ["99038002000000"]  # the phrase rule: Insolvenzgeld


# --------------------------------------------------------------------------- English function words
def test_english_phrase_rules_match_a_question_without_its_function_words(finder):
    assert keys(finder, "how can I get a power of attorney", 2) == keys(finder, "power of attorney", 2)


def test_english_function_words_are_dropped_from_an_english_query(finder):
    from finder.tokens import analyse_query

    texts = [t.text for t in analyse_query("how do i get a certificate of german citizenship", finder.analysis)]
    assert "i" not in texts and "of" not in texts and "certificate" in texts
    # a German query keeps its "I" (Zulassungsbescheinigung Teil I, not Teil II)
    assert "i" in [t.text for t in analyse_query("zulassungsbescheinigung teil i verloren", finder.analysis)]
    assert keys(finder, "zulassungsbescheinigung teil i verloren", 1) == ["99036011036002"]
    assert keys(finder, "I am unemployed", 3)[0].startswith("99038")  # not "Teil I"


def test_aspect_words_weigh_less_than_service_words():
    from finder.ranking import ASPECT_FACTOR

    df = {"unterlagen": 30, "eheschliessung": 30}
    aspect = QueryToken("unterlagen", [Reading("unterlagen", "exact", 1.0, "word")])
    service = QueryToken("eheschliessung", [Reading("eheschliessung", "exact", 1.0, "word")])
    assert token_importance(aspect, df, 5000) == pytest.approx(ASPECT_FACTOR * token_importance(service, df, 5000))


@pytest.mark.parametrize(("text", "part_of"), [
    ("nicht", None), ("keine", None),              # negation words describe the situation
    ("sozialamt", None), ("amt", "sozialamt"),     # an office word, whole or as a part of one
    ("sozial", "sozialamt"), ("agentur", "arbeitsagentur"),
])
def test_negation_and_office_words_weigh_less(text, part_of):
    from finder.ranking import ASPECT_FACTOR

    df = {text: 30, "bestattungskosten": 30}
    word = QueryToken(text, [Reading(text, "exact", 1.0, "word")], part_of=part_of)
    service = QueryToken("bestattungskosten", [Reading("bestattungskosten", "exact", 1.0, "word")])
    assert token_importance(word, df, 5000) == pytest.approx(ASPECT_FACTOR * token_importance(service, df, 5000))


def test_importance_is_plain_idf():
    """ln(1 + N / (1 + df)): a word 10 services hold counts ln(1 + 5000/11) / ln(1 + 5000/101) ≈ 1.56×
    one that 100 hold."""
    rare = QueryToken("a", [Reading("a", "exact", 1.0, "word")])
    common = QueryToken("b", [Reading("b", "exact", 1.0, "word")])
    ratio = token_importance(rare, {"a": 10}, 5000) / token_importance(common, {"b": 100}, 5000)
    assert ratio == pytest.approx(math.log(1 + 5000 / 11) / math.log(1 + 5000 / 101))


@pytest.mark.parametrize(("text", "first"), [
    ("bestatungskosten sozialamt", "99107010018000"),     # typo too: not "Hilfe zum Lebensunterhalt"
    ("gründungszuschuss arbeitsagentur", "99007005000000"),
])
def test_the_office_named_in_a_query_does_not_decide_the_service(finder, text, first):
    assert keys(finder, text, 1) == [first]


def test_office_words_and_services_named_like_offices():
    from finder.ranking import is_office_word

    assert all(map(is_office_word, ["sozialamt", "auslanderbehorde", "arbeitsagentur", "burgerburo", "rathaus"]))
    assert not any(map(is_office_word, ["ehrenamt", "fundburo", "hausverwaltung", "gesamtbetrag"]))


def test_a_question_about_fees_finds_the_service(finder):
    assert keys(finder, "was kostet ein führungszeugnis", 1)[0].startswith("99049")


def test_a_land_key_never_stays_above_the_national_one_elsewhere(finder):
    # the README's first example: Berlin's "Hund steuerlich anmelden" scores higher, but Erfurt is in
    # Thüringen, so the national Hundesteuer comes first; in Berlin, Berlin's own key does
    # the national Hundesteuer: its Festsetzung (the Anmeldung of a dog) or the Leistungsobjekt-level key
    assert keys(finder, "Hund anmelden Erfurt", 1)[0] in {"99102013002000", "99102013000000"}
    assert keys(finder, "Hund anmelden Berlin", 1) == ["11102013002901"]


def test_a_situation_the_query_does_not_name_costs_a_variant_its_lead(finder):
    # "nach Verlust" is a situation the user must say: without it the card itself, with it the replacement
    assert "11015007036000" not in keys(finder, "schwerbehindertenausweis beantragen", 1)
    assert keys(finder, "schwerbehindertenausweis verloren", 1) == ["11015007036000"]
    # the online procedure is one way among others, not the default reading of "auto abmelden"
    assert "99036008070003" not in keys(finder, "auto abmelden", 1)


def test_the_verrichtung_the_user_says_beats_the_one_a_rule_implies(finder):
    # "lkw führerschein" → "fahrerlaubnis erweiterung" (rule); "verlängern" asks for the Verlängerung
    top = keys(finder, "lkw führerschein ce verlängern", 2)
    assert "99023002049000" not in top  # Fahrerlaubnis - Erweiterung beantragen
    assert "99023002020003" in top  # Verlängerung der Klassen C und CE


def test_a_word_joined_with_the_one_before_drops_its_bare_word_rules(finder):
    # "ausweis" → Personalausweis does not hold once "sozialversicherungs ausweis" is one compound
    assert keys(finder, "sozialversicherungs ausweis verloren", 1) == ["99114018000000"]
    assert keys(finder, "bau vorbescheid", 1)[0] in {"99012010000000", "99012010001000"}


def test_a_compound_read_as_a_phrase_needs_the_whole_phrase(finder):
    # "grundsteuererklärung" → "grundsteuer erklärung": a "Namensrechtliche Erklärung" does not cover it
    assert keys(finder, "grundsteuererklärung abgeben", 1) == ["99102012002000"]


def test_a_kita_place_is_the_voucher_in_berlin_and_the_national_service_elsewhere(finder):
    assert keys(finder, "kitaplatz", 1) == ["11041900000000"]  # Berlin (the default place): Kita-Gutschein
    assert keys(finder, "kita platz erfurt", 1) == ["99041004034000"]  # Kindertagesstätte Aufnahme


def test_a_finite_verb_and_the_other_word_order_still_match_a_rule(finder):
    # "ich ziehe ins ausland": "ziehe" → "ziehen", matched against "ausland ziehen" in the other order
    assert keys(finder, "ich ziehe ins ausland", 1) == ["99115005070000"]  # Abmeldung einer Wohnung


def test_words_between_a_rule_keep_their_own_readings(finder):
    from finder.tokens import analyse_query

    toks = {t.text: t for t in analyse_query("mein kind kommt nächstes jahr in die schule", finder.analysis)}
    assert any(r.term == "grundschule" for r in toks["schule"].readings)  # "kind kommt … schule"
    assert not any(r.term == "grundschule" for r in toks["jahr"].readings)  # a gap word: not the rule's


def test_an_object_noun_is_no_verrichtung_a_rule_implies(finder):
    # "anerkennen" is said; the object "Eheschließung" of the rule "im ausland verheiratet" stays
    assert keys(finder, "im ausland verheiratet anerkennen", 1)[0] in {"11059001026900", "11059001026901"}


def test_a_name_that_negates_a_qualifier_is_the_ordinary_case(finder):
    from finder.ranking import name_qualifiers

    assert name_qualifiers("Eheschließung (ohne Auslandsbeteiligung) anmelden", frozenset({"auslandsbeteiligung"})) \
        == frozenset()
    # without foreign involvement named, the ordinary registration comes first
    assert keys(finder, "eheschließung anmelden", 1) == ["11059001104900"]


def test_a_bare_document_name_is_the_application_not_a_follow_up(finder):
    # collecting, extending, loss: situations the user must say; "perso" alone asks for the ID card
    assert keys(finder, "perso", 1) == ["99008001012001"]
    assert keys(finder, "perso abholen", 1) == ["11008001013900"]
    assert keys(finder, "aufenthaltserlaubnis vorübergehender schutz", 1) == ["99010001001014"]  # not the extension
