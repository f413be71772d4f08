"""Query-time synonym and translation tables: the shipped files, matching, errors and reloading."""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from finder.synonyms import (
    DATA_DIR,
    SYNONYM_WEIGHT,
    TRANSLATION_WEIGHT,
    Expansion,
    SynonymTable,
    default_paths,
    default_table,
)
from zufi.analysis import STOP_WORDS, drop_possessive, fold, words
from zufi.errors import DataFileError

SYNONYMS = DATA_DIR / "synonyms.tsv"
TRANSLATIONS = DATA_DIR / "translations.tsv"
_RULE_LINE = re.compile(r"^\s*(?:([a-z]{2,3})\s*:\s+)?[^#]*=>")


def _rule_lines(path: Path) -> list[tuple[int, str | None]]:
    """(line number, language tag) of every rule line of ``path``."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _RULE_LINE.match(line)
        if m:
            out.append((n, m.group(1)))
    return out


def _any_script_words(text: str) -> list[str]:
    """Folded words of any script: what ``zufi.analysis.words`` gives once its word pattern keeps
    non-Latin letters (the change proposed in finder/data/README.md)."""
    return [w for w in re.findall(r"[^\W_]+", fold(text)) if w not in STOP_WORDS]


def _write(tmp_path: Path, text: str, name: str = "extra.tsv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _bump_mtime(path: Path) -> None:
    """Move the file's mtime 10 s forward so the change is seen even on coarse-mtime file systems."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))


@pytest.fixture(scope="module")
def table() -> SynonymTable:
    return default_table()


# ------------------------------------------------------------------ the shipped files

def test_shipped_files_load_cleanly(table):
    assert default_paths()[:2] == [SYNONYMS, TRANSLATIONS]
    assert table.warnings == ()
    assert len(table) > 500  # (left alternative, right side) pairs


def test_rule_counts():
    syn = _rule_lines(SYNONYMS)
    tra = _rule_lines(TRANSLATIONS)
    assert len(syn) >= 80
    assert len(tra) >= 60
    assert all(tag is None for _, tag in syn)
    langs = Counter(tag for _, tag in tra)
    assert None not in langs, "every translations.tsv rule carries a language tag"
    assert langs["en"] >= 30
    for lang in ("tr", "ar", "uk", "pl"):
        assert langs[lang] >= 12, lang


def test_every_rule_line_names_its_source():
    for path in (SYNONYMS, TRANSLATIONS):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, _ in _rule_lines(path):
            comment = lines[n - 1].partition("#")[2].strip()
            assert len(comment) >= 3, f"{path.name}:{n} has no source/reason comment"


def test_right_sides_are_catalogue_words(finder, table):
    vocab: set[str] = set()
    for s in finder.catalog.services.values():
        vocab.update(words(" ".join([s.name, s.leistungsobjekt, s.verrichtung, s.group, *s.synonyms])))
    missing = sorted({(e.source, w) for _, e in table.rules() for w in e.terms if w not in vocab})
    assert not missing
    sources = {e.source.split(":")[0] for _, e in table.rules()}
    assert sources == {"synonyms.tsv", "translations.tsv"}


def test_translations_are_term_level(table):
    for left, e in table.rules():
        if e.source.startswith("translations.tsv"):
            assert len(left) <= 5, (left, e.source)
            assert len(e.terms) <= 4, (left, e.source)


# ------------------------------------------------------------------ matching

def test_perso_means_personalausweis(table):
    (e,) = table.expand(words("Perso"))
    assert (e.start, e.end, e.terms, e.weight) == (0, 1, ("personalausweis",), SYNONYM_WEIGHT)
    assert re.fullmatch(r"synonyms\.tsv:\d+", e.source)
    assert table.expand(words("Persi beantragen"))[0].terms == ("personalausweis",)


def test_multi_word_left_side_spans_two_words_and_wins(table):
    ws = words("Auto anmelden Neukölln")
    assert ws == ["auto", "anmelden", "neukolln"]
    exps = table.expand(ws)
    assert [(e.start, e.end) for e in exps] == [(0, 2)]  # "auto" alone is inside the longer match
    assert {"fahrzeug", "zulassung"} <= set(exps[0].terms)
    assert table.expand(words("Auto abmelden"))[0].terms == ("kraftfahrzeug", "ausserbetriebsetzung")
    # alone, "auto" reads as Fahrzeug
    assert table.expand(["auto"])[0].terms == ("fahrzeug", "kraftfahrzeug")


def test_spans_in_a_longer_query_keep_their_positions(table):
    exps = table.expand(words("Hund anmelden und Perso verloren"))
    hundesteuer = words("Hundesteuer")[0]  # folded as the analysis folds it
    assert [(e.start, e.end, e.terms[0]) for e in exps] == [(0, 2, hundesteuer), (2, 4, "personalausweis")]
    assert exps[1].terms == ("personalausweis", "verlust")


def test_umlaut_spellings_meet(table, tmp_path):
    assert table.expand(words("Fuehrerschein")) == table.expand(words("Führerschein")) != []
    assert table.expand(words("Fuehrerschein umtauschen"))[0].terms[:2] == ("fuhrerschein", "umtausch")
    t = SynonymTable.load([_write(tmp_path, "Fuehrerschein => fahrerlaubnis   # test\n")])
    assert t.expand(words("FÜHRERSCHEIN"))[0].terms == ("fahrerlaubnis",)
    t = SynonymTable.load([_write(tmp_path, "Führerschein => fahrerlaubnis   # test\n")])
    assert t.expand(words("fuehrerschein"))[0].terms == ("fahrerlaubnis",)


def test_ummeldung_is_the_anmeldung_of_a_wohnung(table):
    assert table.expand(words("Ummeldung"))[0].terms == ("wohnsitz", "anmeldung")
    # ... but "Gewerbe ummelden" keeps to the Gewerbe
    (e,) = table.expand(words("Gewerbe ummelden"))
    assert e.terms == ("gewerbe", "ummeldung")


def test_translations_carry_language_and_weight(table):
    (e,) = table.expand(words("passport"))
    assert e.terms == ("reisepass",)
    assert e.weight == TRANSLATION_WEIGHT
    assert re.fullmatch(r"translations\.tsv:\d+ \(en\)", e.source)
    # the possessive "'s" is dropped from query and left side alike (zufi.analysis.drop_possessive)
    (e,) = table.expand(words(drop_possessive("driver's license")))
    assert words(drop_possessive("Driver´s License")) == words(drop_possessive("driver`s license")) == \
        ["driver", "license"]
    assert (e.start, e.end, e.terms) == (0, 2, ("fuhrerschein", "fahrerlaubnis"))
    # no 3-word rule, and without may_skip no gaps: the stray "s" breaks the two-word rule
    assert all(e.end - e.start == 1 for e in table.expand(["driver", "s", "license"]))
    # with may_skip it is a gap of the two-word match, not part of its reading
    (e,) = [e for e in table.expand(["driver", "s", "license"], lambda _w: True) if e.end - e.start == 3]
    assert e.gaps == (1,) and e.terms == ("fuhrerschein", "fahrerlaubnis")
    assert table.expand(words("ehliyet"))[0].source.endswith("(tr)")
    assert table.expand(words("prawo jazdy"))[0].terms == ("fuhrerschein", "fahrerlaubnis")
    assert table.expand(words("child benefit"))[0].weight == 0.6  # explicit weight column


def test_arabic_and_ukrainian_words_expand(table):
    # Passed in directly: zufi.analysis.words() may drop non-Latin letters (see finder/data/README.md).
    (e,) = table.expand(_any_script_words("جواز السفر"))
    assert (e.start, e.end, e.terms) == (0, 2, ("reisepass",))
    assert e.source.endswith("(ar)")
    # hamza on the alif is folded away on both sides: "إقامة" and "اقامة" meet
    assert _any_script_words("إقامة") == ["اقامة"]
    assert {e.terms for e in table.expand(["اقامة"])} == {("aufenthaltserlaubnis",), ("aufenthaltstitel",)}
    assert table.expand(_any_script_words("Водійське посвідчення"))[0].terms == ("fuhrerschein", "fahrerlaubnis")
    assert table.expand(["паспорт"])[0].source.endswith("(uk)")
    assert table.expand(_any_script_words("свідоцтво про народження"))[0].terms == ("geburtsurkunde",)


def test_no_match_gives_nothing(table):
    assert table.expand([]) == []
    assert table.expand(words("Baumfällgenehmigung Quittung")) == []


def test_same_span_and_overlapping_spans_all_apply(tmp_path):
    p = _write(tmp_path, "alpha beta => eins   # t\nbeta gamma => zwei   # t\n"
                         "alpha beta => drei ; 0.5   # t\nbeta => vier   # t\n")
    exps = SynonymTable.load([p]).expand(["alpha", "beta", "gamma"])
    assert [(e.start, e.end, e.terms, e.weight) for e in exps] == [
        (0, 2, ("eins",), 0.9), (0, 2, ("drei",), 0.5), (1, 3, ("zwei",), 0.9),
    ]  # "beta" alone lies inside both longer spans


def test_expansion_is_frozen():
    e = Expansion(0, 1, ("a",), 0.9, "x:1")
    with pytest.raises(AttributeError):
        e.weight = 1.0  # type: ignore[misc]


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("line, reason", [
    ("perso personalausweis", "=>"),
    ("perso => personalausweis => reisepass", "=>"),
    ("perso => personalausweis ; viel", "not a number"),
    ("perso => personalausweis ; 0", "outside"),
    ("perso => personalausweis ; 1.5", "outside"),
    ("perso =>   # nothing", "right side"),
    ("perso => der die das", "right side"),
    (" => personalausweis", "left side is empty"),
    ("perso || persi => personalausweis", "empty alternative"),
    ("perso | => personalausweis", "empty alternative"),
    ("--- => personalausweis", "no letters"),
    ("personalausweis => personalausweis", "changes nothing"),
])
def test_malformed_line_names_file_and_line(tmp_path, line, reason):
    p = _write(tmp_path, "# header\n\nausweis => personalausweis   # fine\n" + line + "\n")
    with pytest.raises(DataFileError) as exc:
        SynonymTable.load([p])
    assert exc.value.path == str(p)
    assert exc.value.reason.startswith("line 4: ")
    assert reason in exc.value.reason


def test_missing_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError) as exc:
        SynonymTable.load([tmp_path / "nope.tsv"])
    assert exc.value.path == str(tmp_path / "nope.tsv")


def test_stop_word_left_side_is_skipped_with_a_warning(tmp_path):
    p = _write(tmp_path, "fuhrerschein mit 17 | bf17 => begleitetes fahren   # t\n")
    t = SynonymTable.load([p])
    assert t.expand(["bf17"])[0].terms == ("begleitetes", "fahren")
    assert t.expand(["fuhrerschein", "17"]) == []
    assert len(t.warnings) == 1 and "extra.tsv:1" in t.warnings[0] and "mit" in t.warnings[0]


def test_extra_files_from_settings(tmp_path):
    from zufi.settings import Settings

    extra = _write(tmp_path, "zufitestwort => personalausweis   # t\n")
    s = Settings(home=tmp_path, synonym_files=[extra])
    assert default_paths(s) == [SYNONYMS, TRANSLATIONS, extra]
    t = default_table(s)
    assert t.expand(["zufitestwort"])[0].source == "extra.tsv:1"
    assert t.expand(["perso"])[0].terms == ("personalausweis",)


def test_an_unreadable_extra_file_keeps_the_shipped_rules(tmp_path, caplog):
    from finder.core import _synonym_table
    from zufi.settings import Settings

    s = Settings(home=tmp_path, synonym_files=[tmp_path / "missing.tsv"])
    with caplog.at_level("WARNING", logger="finder.core"):
        t = _synonym_table(s)
    assert t is not None and t.expand(["perso"])[0].terms == ("personalausweis",)
    assert "missing.tsv" in caplog.text and "ZUFI_SYNONYM_FILES" in caplog.text


# ------------------------------------------------------------------ reloading

def test_reload_picks_up_an_edit_and_keeps_old_rules_on_a_bad_one(tmp_path, caplog):
    p = tmp_path / "synonyms.tsv"
    shutil.copy(SYNONYMS, p)
    t = SynonymTable.load([p])
    assert t.reload_if_changed() is False  # nothing changed
    assert t.expand(["zufitestwort"]) == []

    with p.open("a", encoding="utf-8") as f:
        f.write("zufitestwort => reisepass   # test edit\n")
    _bump_mtime(p)
    assert t.reload_if_changed() is True
    assert t.expand(["zufitestwort"])[0].terms == ("reisepass",)
    assert t.reload_if_changed() is False

    good = p.read_text(encoding="utf-8")
    p.write_text(good + "kaputt ohne pfeil\n", encoding="utf-8")
    _bump_mtime(p)
    with caplog.at_level(logging.WARNING, logger="finder.synonyms"):
        assert t.reload_if_changed() is False
        assert t.reload_if_changed() is False  # the bad version is not re-read on every request
    warned = [r for r in caplog.records if "not reloaded" in r.getMessage()]
    assert len(warned) == 1 and "line" in warned[0].getMessage()
    assert t.expand(["zufitestwort"])[0].terms == ("reisepass",)  # old table kept
    assert t.expand(["perso"])[0].terms == ("personalausweis",)

    p.write_text(good.replace("zufitestwort => reisepass", "zufitestwort => personalausweis"), encoding="utf-8")
    _bump_mtime(p)
    assert t.reload_if_changed() is True
    assert t.expand(["zufitestwort"])[0].terms == ("personalausweis",)


def test_reload_keeps_rules_when_a_file_disappears(tmp_path):
    p = _write(tmp_path, "zufitestwort => reisepass   # t\n")
    t = SynonymTable.load([p])
    p.unlink()
    assert t.reload_if_changed() is False
    assert t.expand(["zufitestwort"])[0].terms == ("reisepass",)


def test_english_phrase_without_its_function_words_needs_two_words(tmp_path):
    """An ``en:`` alternative also loads without English function words ("power of attorney" → "power
    attorney"), but not when only one word is left: "had baby" must not make every German "Baby" read
    as the birth registration."""
    t = SynonymTable.load([_write(tmp_path, "en: had baby | power of attorney => geburt   # t\n")])
    assert t.expand(["baby"]) == []
    assert [e.terms for e in t.expand(["had", "baby"])] == [("geburt",)]
    assert [e.terms for e in t.expand(["power", "attorney"])] == [("geburt",)]


def test_translation_rules_match_inflected_forms_through_their_stems(table):
    # the rule lists "справка о регистрации"; the accusative "справку" is how people ask for it
    (e,) = table.expand(["справку", "о", "регистрации"])
    assert (e.start, e.end, e.terms) == (0, 3, ("meldebescheinigung",))
    assert e.source.endswith("(ru)")
    assert table.expand(["passports"])[0].terms == ("reisepass",)  # English plural, rule "passport"
    # a query word that is its own stem matches only as written: German "park" is not English "parking"
    assert table.expand(["park"]) == []


def test_rule_words_may_stand_apart_in_the_query(table):
    assert table.expand(words("kind kommt nächstes jahr schule")) == []  # only words may_skip allows
    anything = lambda _word: True
    (e,) = table.expand(words("mein kind kommt nächstes jahr in die schule"), anything)
    assert "grundschule" in e.terms
    assert e.gaps == (2, 3)  # "nachstes", "jahr" keep their own readings
    assert e.weight < SYNONYM_WEIGHT  # a match with gaps counts less than the contiguous one
    # three words between them are too many
    assert table.expand(words("kind kommt im nächsten jahr bestimmt schule"), anything) == []
    # a word may_skip refuses breaks the match
    assert table.expand(words("kind kommt nächstes jahr schule"), lambda w: w != "jahr") == []


def test_a_two_word_rule_matches_in_either_order(table):
    anything = lambda _word: True
    found = table.expand(words("ziehen ausland"), anything)  # rule "ausland ziehen"
    assert any(("wohnsitz", "abmeldung") == e.terms for e in found)
    assert all(e.weight < SYNONYM_WEIGHT for e in found if e.terms == ("wohnsitz", "abmeldung"))
    assert not any(e.terms == ("wohnsitz", "abmeldung") for e in table.expand(words("ziehen ausland")))


def test_german_words_are_not_read_as_a_translation_through_a_stem(table):
    # English rule "instalment(s)" → Ratenzahlung; the German "Installation" shares the Porter stem
    assert any("ratenzahlung" in e.terms for e in table.expand(["installation"]))
    assert table.expand(["installation"], known=lambda w: w == "installation") == []


def test_a_two_word_rule_is_not_swapped_onto_its_own_reverse(tmp_path):
    f = tmp_path / "pair.tsv"
    f.write_text("hund steuer => hundesteuer\nsteuer hund => gewerbe\nauto weg => verlust\n", encoding="utf-8")
    t = SynonymTable.load([f])
    anything = lambda _word: True
    assert [e.terms for e in t.expand(["steuer", "hund"], anything)] == [("gewerbe",)]
    assert [e.terms for e in t.expand(["weg", "auto"], anything)] == [("verlust",)]  # no reverse rule


def test_a_reload_during_expand_does_not_mix_rule_sets(tmp_path):
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    a.write_text("kind kommt schule => grundschule\n", encoding="utf-8")
    b.write_text("hund => hundesteuer\n", encoding="utf-8")
    t, other = SynonymTable.load([a]), SynonymTable.load([b])

    def swap(_word):  # another thread reloads while the gaps are being read
        t._state = other._state
        return True

    (e,) = t.expand(["kind", "kommt", "jahr", "schule"], swap)
    assert e.terms == ("grundschule",) and e.gaps == (2,)


def test_arabic_li_al_prefix_reads_as_the_article(table):
    # "للاجئين" (for the refugees) = li- + "اللاجئين"; the rule is written "جواز سفر اللاجئين"
    found = table.expand(words("جواز سفر للاجئين") or ["جواز", "سفر", "للاجيين"])
    assert any("reiseausweis" in e.terms and e.end - e.start == 3 for e in found)
