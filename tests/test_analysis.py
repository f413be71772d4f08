"""German analysis: folding, gendered forms, stems — one definition for index and query."""

from __future__ import annotations

import pytest

from zufi.analysis import fold, stems, words


@pytest.mark.parametrize("a,b", [("Köln", "Koeln"), ("Köln", "KOLN"), ("Straße", "Strasse"),
                                 ("Führerschein", "Fuehrerschein"), ("Bürger:innen", "Bürger"),
                                 ("Bürger*innen", "bürger"), ("BürgerInnen", "Bürger")])
def test_fold_equivalences(a, b):
    assert fold(a) == fold(b)


def test_stems_meet_across_inflection():
    assert stems("Personalausweise beantragen") == stems("Personalausweis beantragt")[:1] + ["beantrag"]
    assert stems("Anmeldung") == stems("Anmeldungen")


def test_question_words_are_dropped():
    assert words("Wo bekomme ich einen Reisepass?") == ["reisepass"]


# ---------------------------------------------------------------- elliptical hyphens and question words
def _toy_heads():
    from zufi.compounds import CompoundSplitter

    s = CompoundSplitter.from_texts([["Anmeldung", "Meldung", "Ummeldung"], ["Hund", "Katze", "Haltung"],
                                     ["Steuer", "Beratung", "Prüfung"]])
    return s.head, s.first


@pytest.mark.parametrize("text,expanded", [
    ("An- und Ummeldung", "Anmeldung und Ummeldung"),
    ("An-/Ummeldung", "Anmeldung Ummeldung"),
    ("Hunde- und Katzenhaltung", "Hundehaltung und Katzenhaltung"),
    ("Hunde-, Katzen- oder Pferdehaltung", "Hundehaltung, Katzenhaltung oder Pferdehaltung"),
    ("Ab- bzw. Ummeldung", "Abmeldung bzw. Ummeldung"),
    ("Steuerberatung und -prüfung", "Steuerberatung und steuerprüfung"),
    ("P-Konto", "P-Konto"),  # an ordinary hyphenated word is left alone
    ("Hund anmelden", "Hund anmelden"),
])
def test_elliptical_hyphens_are_completed(text, expanded):
    from zufi.analysis import expand_ellipses

    head, first = _toy_heads()
    assert expand_ellipses(text, head, first) == expanded


@pytest.mark.parametrize("text", ["Hund AND (", "'; DROP TABLE leistung;--", "<script>alert(1)</script>",
                                  "- und -", "a- b- c-", "-/-", "x-/", "((((", "\\", "*:*", "Hund~2 OR title:x^3"])
def test_reserved_characters_never_break_analysis(text):
    from zufi.analysis import expand_ellipses

    head, first = _toy_heads()
    assert isinstance(words(expand_ellipses(text, head, first)), list)


@pytest.mark.parametrize("question,need", [
    ("Wo bekomme ich einen Reisepass?", ["reisepass"]),
    ("Was muss ich tun, wenn mein Hund gestorben ist?", ["hund", "gestorben"]),
    ("Wie kann ich meinen Wohnsitz ummelden?", ["wohnsitz", "ummelden"]),
    ("Ich brauche eine Meldebescheinigung", ["meldebescheinigung"]),
    ("Was kostet ein Führungszeugnis?", ["fuhrungszeugnis"]),
    ("Bestattungskosten: wer zahlt die Kosten?", ["bestattungskosten", "zahlt", "kosten"]),
])
def test_question_words_do_not_drown_the_need(question, need):
    assert words(question) == need


def test_stop_words_are_no_service_words(settings):
    """Every asking verb/particle added for questions is absent from the catalogue's service words."""
    from zufi.analysis import STOP_WORDS
    from zufi.catalog import Catalog

    catalog = Catalog.load(settings.current_index.resolve() / "catalog")
    vocab = {w for s in catalog.services.values()
             for w in words(" ".join([s.name, s.leistungsobjekt, *s.synonyms]), keep_stop_words=True)}
    added = {"bekomme", "bekommen", "brauche", "brauchen", "tun", "machen", "kostet", "hilft", "gibt", "wann",
             "warum", "bitte", "mussen", "konnte", "sollte", "wurde", "wurden", "geworden", "gewesen", "hatte",
             "musste", "wollte"}
    assert added <= STOP_WORDS
    assert not (added & vocab)
    assert {"kosten", "nicht", "ohne", "neu"}.isdisjoint(STOP_WORDS)
