"""Query tokens with readings: compounds, synonyms, typos — and what they do to the ranking."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from finder import ranking
from finder.fuzzy import FuzzyIndex
from finder.tokens import AnalysisContext, Expansion, QueryToken, Reading, analyse_query
from zufi.compounds import CompoundSplitter


# ---------------------------------------------------------------- builders
@dataclass
class TinySynonyms:
    """An in-test synonym table with the interface of finder.synonyms.SynonymTable."""

    rules: dict[tuple[str, ...], tuple[str, ...]]
    weight: float = 0.9

    def expand(self, words: list[str], may_skip=None, known=None) -> list[Expansion]:
        out = []
        for (left, terms) in self.rules.items():
            n = len(left)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == left:
                    out.append(Expansion(i, i + n, terms, self.weight, "test"))
        return out

    def reload_if_changed(self) -> bool:
        return False

    def has_word(self, word: str) -> bool:
        return any(word in left for left in self.rules)


def toy_context(synonyms=None) -> AnalysisContext:
    splitter = CompoundSplitter.from_texts([
        ["Personalausweis beantragen", "Antrag"], ["Hund anmelden", "Hundesteuer", "Anmeldung"],
        ["Gewerbe anmelden", "Gewerbeanmeldung"], ["Grundbuch Auszug"], ["Wohnsitz Anmeldung Ummeldung Meldung"],
    ])
    return AnalysisContext(splitter=splitter, fuzzy=FuzzyIndex.from_splitter(splitter),
                           vocabulary=frozenset(splitter.word_df), synonyms=synonyms)


def by_text(tokens: list[QueryToken]) -> dict[str, QueryToken]:
    return {t.text: t for t in tokens}


def terms(token: QueryToken, source: str | None = None) -> set[tuple[str, str]]:
    return {(r.term, r.kind) for r in token.readings if source is None or r.source == source}


# ---------------------------------------------------------------- pure pipeline
def test_known_words_get_exact_and_stem_readings_weight_one():
    [tok] = analyse_query("Wo bekomme ich eine Anmeldung?", toy_context())
    assert tok.text == "anmeldung"
    assert tok.readings == [Reading("anmeldung", "exact", 1.0, "word"), Reading("anmeld", "stem", 1.0, "word")]


def test_unknown_compound_becomes_one_token_per_part_keeping_the_whole_word():
    toks = analyse_query("Personalausweisantrag", toy_context())
    assert [t.text for t in toks] == ["personalausweis", "antrag"]
    for t in toks:
        assert t.part_of == "personalausweisantrag"
        assert ("personalausweisantrag", "exact") in terms(t)
    assert ("antrag", "exact") in terms(toks[1], "compound")


def test_elliptical_hyphen_reads_as_two_words():
    toks = analyse_query("An- und Ummeldung Wohnsitz", toy_context())
    assert [t.text for t in toks] == ["anmeldung", "ummeldung", "wohnsitz"]


def test_typo_gets_fuzzy_readings_weighted_below_exact():
    [tok] = analyse_query("Grundbuh", toy_context())
    fuzzy = [r for r in tok.readings if r.source == "fuzzy"]
    assert fuzzy and all(r.weight == 0.6 for r in fuzzy)
    assert ("grundbuch", "exact") in terms(tok, "fuzzy")


def test_known_words_never_get_fuzzy_readings_and_short_words_never():
    ctx = toy_context()
    assert not [r for t in analyse_query("Anmeldung Hund", ctx) for r in t.readings if r.source == "fuzzy"]
    assert not [r for t in analyse_query("Hux", ctx) for r in t.readings if r.source == "fuzzy"]


def test_distance_two_only_for_long_words():
    ctx = toy_context()
    assert ctx.fuzzy.lookup("grndbuk") == []  # 7 letters: one edit only
    assert [m.term for m in ctx.fuzzy.lookup("grundbuxx")][:1] == ["grundbuch"]
    assert ctx.fuzzy.lookup("grundbuxx")[0].weight == 0.4


def test_misspelt_compound_is_split_around_the_typo():
    toks = by_text(analyse_query("grundbuchauzug", toy_context()))
    assert set(toks) == {"grundbuch", "auszug"}
    assert ("auszug", "exact") in terms(toks["auszug"], "fuzzy")
    assert ("grundbuch", "exact") in terms(toks["grundbuch"], "compound")


def test_synonym_expansion_reads_on_every_token_of_its_span():
    ctx = toy_context(TinySynonyms({("perso",): ("personalausweis",), ("hund", "melden"): ("hund", "anmelden")}))
    toks = by_text(analyse_query("Perso Hund melden", ctx))
    assert ("personalausweis", "exact") in terms(toks["perso"], "synonym")
    assert {r.weight for r in toks["perso"].readings if r.source == "synonym"} == {0.9}
    for w in ("hund", "melden"):
        assert {("anmelden", "exact"), ("anmeld", "stem")} <= terms(toks[w], "synonym")
    # a word the synonym table knows is not also read as a typo
    assert not [r for r in toks["perso"].readings if r.source == "fuzzy"]


@pytest.mark.parametrize("text", ["Hund AND (", "'; DROP TABLE leistung;--", "<script>", "", "!!!", "ä" * 300])
def test_any_text_is_analysed_without_error(text):
    assert isinstance(analyse_query(text, toy_context()), list)


# ---------------------------------------------------------------- ranking arithmetic
def test_clauses_per_reading_and_field_keep_the_highest_boost():
    tok = QueryToken("hund", [Reading("hund", "exact", 1.0, "word"), Reading("hund", "stem", 1.0, "word"),
                              Reading("hund", "stem", 0.6, "fuzzy")])
    q = ranking.backend_query([tok], limit=10)
    boosts = {(c.field, c.term): c.boost for c in q.should}
    assert boosts[("name", "hund")] == ranking.FIELD_BOOSTS["name"]
    assert boosts[("parts", "hund")] == ranking.FIELD_BOOSTS["parts"]
    assert boosts[("name_exact", "hund")] == ranking.FIELD_BOOSTS["name_exact"]
    assert len(q.should) == len(boosts)


def test_coverage_weights_a_token_by_its_best_matching_reading():
    exact = QueryToken("a", [Reading("anmeld", "stem", 1.0, "word")])
    typo = QueryToken("b", [Reading("gewerbx", "stem", 1.0, "word"), Reading("gewerb", "stem", 0.6, "fuzzy")])
    assert ranking.coverage([exact, typo], frozenset({"anmeld", "gewerb"})) == pytest.approx(0.8)
    assert ranking.coverage([exact, typo], frozenset({"anmeld"})) == pytest.approx(0.5)
    assert ranking.coverage([], frozenset()) == 1.0


# ---------------------------------------------------------------- on the real index
def keys(finder, text, n=5, **kw):
    return [r.service.leika_key for r in finder.search(text, limit=n, **kw).results]


def test_personalausweisantrag_in_10115(finder):
    assert keys(finder, "Personalausweisantrag", where="10115")[0].startswith("99008001012")


def test_hund_anmelden_finds_dog_registration(finder):
    assert {"11102013002901", "99110009104001"} & set(keys(finder, "Hund anmelden", 3))


def test_hundeanmeldung_reads_as_hund_plus_anmeldung(finder):
    assert {"11102013002901", "99110009104001"} <= set(keys(finder, "Hundeanmeldung", 3))


def test_typo_in_compound_gewebeanmeldung(finder):
    assert "99050012104000" in keys(finder, "gewebeanmeldung", 3)


def test_typo_in_compound_grundbuchauzug(finder):
    assert {"99043006085000", "99043008000000"} & set(keys(finder, "grundbuchauzug", 3))


def test_spelling_variants_give_identical_top5(finder):
    runs = {tuple(keys(finder, q)) for q in ("Fuehrerschein umtauschen", "Fuhrerschein umtauschen",
                                              "FÜHRERSCHEIN UMTAUSCHEN", "führerschein umtauschen")}
    assert len(runs) == 1 and len(next(iter(runs))) == 5


@pytest.mark.parametrize("text", ["An-/Ummeldung Wohnsitz", "An- und Ummeldung"])
def test_elliptical_registration_finds_wohnsitz_anmeldung(finder, text):
    assert "99115005104000" in keys(finder, text, 3)


def test_exact_match_beats_fuzzy_neighbour(finder):
    """'abmeldung' and 'anmeldung' are one edit apart and both catalogue words: the typed one wins."""
    ctx = finder.analysis
    assert "abmeldung" in ctx.vocabulary and "anmeldung" in ctx.vocabulary
    toks = finder._analyse_need("Wohnung Abmeldung")
    assert all(r.source != "fuzzy" for t in toks for r in t.readings)
    top = finder.catalog.services[keys(finder, "Wohnung Abmeldung", 1)[0]]
    assert top.leika_key == "99115005070000"  # Abmeldung einer Wohnung, not the Anmeldung
    # and a typo one edit from both reads both, each below an exact reading
    [tok] = finder._analyse_need("Axmeldung")
    fuzzy = {r.term: r.weight for r in tok.readings if r.source == "fuzzy" and r.kind == "exact"}
    assert {"abmeldung", "anmeldung"} <= set(fuzzy) and max(fuzzy.values()) < 1.0


def test_reserved_characters_in_real_search(finder):
    assert any("Hund" in r.service.name for r in finder.search("Hund AND (", limit=5).results)
    resp = finder.search("'; DROP TABLE leistung;--", limit=5)
    assert resp.query.need  # answered normally, whatever it finds
    assert finder.search("<script>", limit=5).results == []


def test_explain_shows_tokens_readings_and_coverage(finder):
    resp = finder.search("gewebeanmeldung", limit=3, explain=True)
    toks = resp.explain["tokens"]
    assert {t["text"] for t in toks} == {"gewerbe", "anmeldung"}
    sources = {r["source"] for t in toks for r in t["readings"]}
    assert {"fuzzy", "word"} <= sources
    cand = resp.explain["candidates"][0]
    assert 0 < cand["coverage"] <= 0.6 and set(cand["covered"]) == {"gewerbe", "anmeldung"}


@pytest.mark.parametrize("q", ["'; DROP TABLE leistung;--", "Hund AND (", "<script>alert(1)</script>", "An-/-"])
def test_syntax_characters_are_a_normal_200_over_http(client, q):
    resp = client.get("/api/v1/search", params={"q": q})
    assert resp.status_code == 200 and isinstance(resp.json()["results"], list)


def test_verb_and_ung_noun_read_as_each_other():
    from finder.tokens import nominalisation

    assert nominalisation("erweiterung") == "erweitern"
    assert nominalisation("andern") == "anderung"
    assert nominalisation("anmelden") == "anmeldung"
    assert nominalisation("pass") is None


def test_kita_gutschein_extension_finds_the_kita_service(finder):
    keys = [r.service.leika_key for r in finder.search("Kita-Gutschein erweitern", limit=3).results]
    assert "11041900900000" in keys  # Kita-Gutschein - Betreuungsumfang erweitern


# ---------------------------------------------------------------- verb forms (separable verbs, participles)
def verb_context() -> AnalysisContext:
    splitter = CompoundSplitter.from_texts([
        ["Kraftfahrzeug Abmeldung", "abmelden"], ["Hund anmelden", "Anmeldung"], ["Führerschein umtauschen"],
        ["Fahrzeug zulassen", "Zulassung"], ["Personalausweis abholen"], ["Name ändern", "Änderung"],
        ["Auto abgeschleppt"], ["Kita Platz"], ["Antrag beantragen"],
    ])
    return AnalysisContext(splitter=splitter, fuzzy=FuzzyIndex.from_splitter(splitter),
                           vocabulary=frozenset(splitter.word_df))


@pytest.mark.parametrize(("text", "expected"), [
    # the infinitive stands where the particle stood, so phrase rules ("auto abmelden") match
    ("wie melde ich mein auto ab", "wie ich mein auto abmelden"),
    ("wo tausche ich meinen fuhrerschein um?", "wo ich meinen fuhrerschein umtauschen?"),
    ("wie lasse ich das fahrzeug zu", "wie ich das fahrzeug zulassen"),
    ("wir melden den hund an, wo", "wir den hund anmelden, wo"),
    ("wo hole ich den personalausweis ab", "wo ich den personalausweis abholen"),
    ("hund melde ich an", "hund ich anmelden"),           # verb second: not "anhund"
    ("wie meldet man ein auto ab", "wie man ein auto abmelden"),  # -et → melden, not "meldeten"
])
def test_separable_verb_particle_rejoins_its_verb(text, expected):
    from finder.tokens import verbs

    assert verbs(text, verb_context()) == expected


@pytest.mark.parametrize("text", [
    "kita platz ab",              # no verb that takes the particle
    "auto ab",                    # "abauto…" is no catalogue verb
    "ab wann melde ich den hund",  # the particle does not end the clause
])
def test_particle_without_a_separable_verb_changes_nothing(text):
    from finder.tokens import verbs

    assert verbs(text, verb_context()) == text


@pytest.mark.parametrize(("word", "expected"), [
    ("abgemeldet", "abmelden"), ("angemeldet", "anmelden"), ("zugelassen", "zulassen"),
    ("geandert", "andern"), ("beantragt", "beantragen"),
    ("abgeschleppt", "abgeschleppt"),  # a catalogue word stays itself
    ("gestorben", "gestorben"),        # irregular: no known infinitive
])
def test_unknown_participle_reads_as_its_infinitive(word, expected):
    from finder.tokens import verbs

    assert verbs(f"gewerbe {word}", verb_context()) == f"gewerbe {expected}"


@pytest.mark.parametrize(("text", "want", "not_first"), [
    ("wie melde ich mein auto ab", {"99036008070003", "11036008070900", "99036008070002"}, "99036008014003"),
    ("wo melde ich meinen hund an", {"11102013002901"}, "11102013002902"),
    ("wie melde ich meinen hund ab?", {"11102013002902"}, "11102013002901"),
    ("wo tausche ich meinen führerschein um?", {"99023001051000"}, "99023001012004"),
    ("wo hole ich meinen personalausweis ab", {"11008001013900"}, "99008001012001"),
])
def test_questions_with_separable_verbs_find_the_right_verrichtung(finder, text, want, not_first):
    got = keys(finder, text, 3)
    assert got[0] in want and got[0] != not_first


def test_synonym_rule_written_with_the_participle_still_matches():
    """"abgemeldet" is read as "abmelden", and a rule whose left side has the participle fires too."""
    ctx = verb_context()
    ctx.synonyms = TinySynonyms({("auto", "abgemeldet"): ("kraftfahrzeug",)})
    tokens = by_text(analyse_query("auto abgemeldet", ctx))
    assert set(tokens) == {"auto", "abmelden"}
    assert ("kraftfahrzeug", "exact") in terms(tokens["abmelden"], "synonym")


def test_a_part_found_by_the_typo_stage_gets_its_synonyms(finder):
    """"abrissgenemigung": "abriss" is only a general noun (no service has it), "genemigung" a typo of
    Genehmigung; the synonym rule Abriss → Abbruchgenehmigung still applies to the part."""
    from finder.tokens import analyse_query

    tokens = by_text(analyse_query("abrissgenemigung", finder.analysis))
    assert ("abbruchgenehmigung", "exact") in terms(tokens["abriss"], "synonym")
    assert keys(finder, "abrissgenemigung", 2) == ["99012001000000", "99012001001000"]


def test_the_head_of_a_compound_takes_only_verrichtung_synonyms(finder):
    """"Ausweis" alone reads as Personalausweis, the head of "Sozialversicherungsausweis" does not; the head
    "antrag" of "krankengeldantrag" still reads as the Verrichtung (Bewilligung …)."""
    from finder.tokens import analyse_query

    tokens = by_text(analyse_query("sozialversicherungsausweis", finder.analysis))
    assert "ausweis" in tokens and "personalausweis" not in {r.term for r in tokens["ausweis"].readings}
    bare = by_text(analyse_query("ausweis", finder.analysis))
    assert "personalausweis" in {r.term for r in bare["ausweis"].readings}
    tokens = by_text(analyse_query("krankengeldantrag", finder.analysis))
    assert "bewilligung" in {r.term for r in tokens["antrag"].readings if r.source == "synonym"}


@pytest.mark.parametrize(("text", "first"), [
    ("wohnung melde ich an", "99115005104000"),          # verb second: "melde … an", not "anwohnungen"
    ("wie meldet man ein Gewerbe an", "99050012104000"),  # "meldet" → melden → anmelden
    ("Aufenthaltserlaubnis zur Studienvorbereitung Erfurt", "99010001001027"),  # no general key on top
    ("notification of death", "11101004012900"),         # "anzeige meldung melden" stay alternatives
])
def test_review_regressions(finder, text, first):
    assert keys(finder, text, 1) == [first]


@pytest.mark.parametrize("text", ["ich drucke das bild aus", "ich leihe das buch aus"])
def test_a_noun_is_no_verb_stem_for_a_particle(finder, text):
    """Verb second: "drucke" is the verb; "bild" + "aus" is no "ausbilden", "buch" + "aus" no "ausbuchen"."""
    from finder.tokens import verbs

    assert verbs(text, finder.analysis) == text


@pytest.mark.parametrize("text", ["Tod eines Angehörigen", "Pflege von Angehörigen"])
def test_a_catalogue_word_is_never_read_as_a_participle(finder, text):
    """"angehörigen" is a word of the catalogue, not a participle of "anhören"."""
    from finder.tokens import verbs
    from zufi.analysis import fold

    assert verbs(fold(text), finder.analysis) == fold(text)
    assert not any("Anhörung" in r.service.name for r in finder.search(text, limit=3).results)


def test_a_particle_rejoins_a_verb_a_synonym_rule_knows():
    # "rausfinden" is no catalogue word, but the rule "adresse rausfinden" names it: the verb is rejoined
    from finder.tokens import verbs

    ctx = toy_context(TinySynonyms({("adresse", "rausfinden"): ("grundbuch", "auszug")}))
    assert verbs("wie finde ich die adresse raus", ctx) == "wie ich die adresse rausfinden"
    assert verbs("wie finde ich die adresse raus", toy_context()) == "wie finde ich die adresse raus"


def test_an_ung_noun_matches_a_rule_written_with_the_verb():
    # the rule says "kühlschrank entsorgen"; the user types the noun
    ctx = toy_context(TinySynonyms({("kuhlschrank", "entsorgen"): ("grundbuch",)}))
    toks = by_text(analyse_query("Kühlschrank Entsorgung", ctx))
    assert ("grundbuch", "exact") in terms(toks["kuhlschrank"], "synonym")


def test_variants_of_one_word_are_alternatives_not_a_phrase():
    from finder.tokens import _variants

    assert _variants(("kraftfahrzeugkennzeichen", "kennzeichen"))
    assert _variants(("kind", "kinder"))
    assert not _variants(("fahrerlaubnis", "erweiterung"))
    assert not _variants(("grundsteuer", "erklarung", "festsetzung"))


def test_a_subordinate_clause_ends_the_main_clause_without_a_comma(finder):
    from finder.tokens import verbs

    # "um" ends the main clause before "wenn": "melde … um" is "ummelden"
    assert "ummelden" in verbs("wo melde ich mich um wenn ich nach bonn ziehe", finder.analysis)
