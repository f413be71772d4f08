"""German text analysis, one definition for index and query time and for every backend.

Pipeline: Unicode NFKC → case folding → ß/ss, ä/ae/a, ö/oe/o, ü/ue/u folding (the equivalence of
Lucene's GermanNormalizationFilter, so "Köln", "Koeln" and "Koln" meet) → word split → stop words →
Snowball German stem (PyStemmer). Backends receive the tokens ready-made and index them with a plain
whitespace tokenizer, so every backend ranks the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD_RE = re.compile(r"[a-z0-9]+")
_UMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss", "é": "e", "è": "e"})
# ae/oe/ue → a/o/u, but not "ue" after q ("Quelle") nor the e of "eue" etc. handled the same on both sides.
_DIGRAPH_RE = re.compile(r"(?<!q)([aou])e")
# Gendered forms: "Bürger:innen", "Bürger*innen", "Bürger_innen", "BürgerInnen" → "Bürger".
_GENDER_RE = re.compile(r"(?<=[a-zäöüß])(?:[:*_/]in(?:nen)?|In(?:nen)?)\b")

#: Function words that carry no need: question words, pronouns, articles, prepositions. Source: own
#: list from the hotline-style queries in tests/cases; deliberately short so no service word is lost.
STOP_WORDS = frozenset(
    """
    a an auf aus bei beim bin bis da das dass de dem den der des die du ein eine einem einen einer eines
    er es fur habe haben hat ich ihr im in ist ja man mein meine meinem meinen meiner mich mir mit
    muss nach oder sie sind so uber um und von vom was welche welcher welches wer wie wir wo zu zum zur
    bekomme brauche kann konnen mochte will
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer("german")


def fold(text: str) -> str:
    """Normalise ``text`` for matching: NFKC, gendered forms to the base word, case fold, umlaut folding.

    >>> fold("Bürger:innen-Büro Köln")
    'burger-buro koln'
    >>> fold("KOELN") == fold("Köln") == fold("Koln")
    True
    """
    text = unicodedata.normalize("NFKC", text)
    text = _GENDER_RE.sub("", text)
    text = text.casefold().translate(_UMLAUT)
    text = _DIGRAPH_RE.sub(r"\1", text)
    # drop remaining combining marks (é typed as e + ´ etc.)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text


def words(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Folded words of ``text`` (letters and digits), stop words removed unless asked to keep them."""
    out = _WORD_RE.findall(fold(text))
    if keep_stop_words:
        return out
    return [w for w in out if w not in STOP_WORDS]


def stem(word: str) -> str:
    """Snowball German stem of one already folded word."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """Stems of the non-stop words of ``text``, in order: ``stems("Personalausweise beantragen")``
    → ``['personalausweis', 'beantrag']``."""
    return [stem(w) for w in words(text)]


def analyse_field(text: str) -> tuple[list[str], list[str]]:
    """Index-side analysis of one field value: (exact folded words, stems)."""
    ws = words(text)
    return ws, [stem(w) for w in ws]
