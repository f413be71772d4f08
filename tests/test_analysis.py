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
