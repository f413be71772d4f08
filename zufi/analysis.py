"""German text analysis, one definition for index and query time and for every backend.

Pipeline: Unicode NFKC → case folding → ß/ss, ä/ae/a, ö/oe/o, ü/ue/u folding (the equivalence of
Lucene's GermanNormalizationFilter, so "Köln", "Koeln" and "Koln" meet) → word split → stop words →
Snowball German stem (PyStemmer). Backends receive the tokens ready-made and index them with a plain
whitespace tokenizer, so every backend ranks the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Letters and digits of any script (Latin after folding, but also Arabic, Cyrillic … for the
# curated translations); underscore is not a word character here.
_WORD_RE = re.compile(r"[^\W_]+")
# Latin letters and digits after folding: the words of a name key (place names, service-name prefixes).
_KEY_WORD_RE = re.compile(r"[a-z0-9]+")
_UMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss", "é": "e", "è": "e"})
# ae → a and oe → o always; ue → u only when not after a vowel or q ("Steuer", "neue", "Quelle" keep it),
# as Lucene's GermanNormalizationFilter does.
_DIGRAPH_RE = re.compile(r"([ao])e|(?<![aeiouq])(u)e")
# Gendered forms: "Bürger:innen", "Bürger*innen", "Bürger_innen", "BürgerInnen" → "Bürger".
_GENDER_RE = re.compile(r"(?<=[a-zäöüß])(?:[:*_/]in(?:nen)?|In(?:nen)?)\b")

#: Function words that carry no need: question words, pronouns, articles, prepositions, auxiliary and
#: "asking" verbs ("wo bekomme ich …", "was muss ich tun, wenn …", "wie kann ich …", "ich brauche …",
#: "was kostet …"). Source: own list from the hotline-style queries in ../shared/cases; every word was
#: checked against the catalogue vocabulary (name, Leistungsobjekt, Verrichtung, group, synonyms of all
#: 615 services): none of them is a service word there. Deliberately kept out: "kosten" (Bestattungs-
#: kosten), "nicht", "ohne", "nur", "mehr", "neu", "kein(e)" — they occur in service names with meaning.
STOP_WORDS = frozenset(
    ["a", "an", "auf", "aus", "bei", "beim", "bin", "bis", "da", "das", "dass", "de", "dem", "den", "der", "des", "die", "du", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "fur", "habe", "haben", "hat", "ich", "ihr", "im", "in", "ist", "ja", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit", "muss", "nach", "oder", "sie", "sind", "so", "uber", "um", "und", "von", "vom", "was", "welche", "welcher", "welches", "wer", "wie", "wir", "wo", "zu", "zum", "zur", "bekomme", "brauche", "kann", "konnen", "mochte", "will", "als", "aber", "auch", "bist", "bitte", "dann", "darf", "denn", "dich", "dir", "doch", "dort", "durfen", "eigentlich", "etwas", "gerne", "hier", "ihm", "ihn", "ihnen", "jemand", "jetzt", "mal", "mussen", "musst", "nem", "nen", "ne", "ner", "noch", "ob", "schon", "sein", "seine", "seinen", "ihre", "ihren", "ihrem", "uns", "unser", "unsere", "unseren", "unserem", "wann", "war", "warum", "wenn", "werden", "weshalb", "wieso", "wird", "woher", "wohin", "welchem", "welchen", "wollen", "mochten", "konnte", "soll", "sollen", "sollte", "bekommen", "bekommt", "kriege", "kriegen", "brauchen", "braucht", "benotige", "benotigen", "benotigt", "tun", "mache", "machen", "macht", "gibt", "geht", "kostet", "hilft", "wieder", "furs", "ins", "ans", "aufs", "wurde", "wurden", "worden", "geworden", "gewesen", "hatte",
     "hatten", "hast", "habt", "seid", "sei", "wollte", "musste",
     # prepositions that say how things relate, not what is needed ("Falschparker vor meiner Einfahrt",
     # "Kindergeld seit der Geburt"); "ohne" stays: rules read it ("Hund ohne Leine")
     "vor", "seit", "wegen", "durch", "zwischen", "gegen", "unter"]
)

#: Words that join the parts of an elliptical coordination ("An- und Ummeldung", "An-/Ummeldung",
#: "Hunde-, Katzen- oder Pferdehaltung"). Source: Duden, "Ergänzungsstrich".
ELLIPSIS_JOINERS = ("und", "oder", "bzw", "sowie")
_JOIN = r"(?:\s*[,/&+]\s*|\s+(?:" + "|".join(ELLIPSIS_JOINERS) + r")\.?\s+|\s*/\s*)"
_FORWARD_RE = re.compile(r"(?<![\w-])(\w+)-(?=" + _JOIN + ")")
_NEXT_WORD_RE = re.compile(r"(\w+)(-?)")
_BACKWARD_RE = re.compile(r"(?<![\w-])(\w+)(" + _JOIN + r")-(\w+)")


@lru_cache(maxsize=1)
def _stemmer():
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
    text = _DIGRAPH_RE.sub(lambda m: m.group(1) or m.group(2), text)
    # drop remaining combining marks (é typed as e + ´ etc.)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text


#: An English possessive "'s" after a letter, with any apostrophe people type ("citizen's", "driver’s",
#: "driver´s" on a German keyboard, "driver`s").
_POSSESSIVE_RE = re.compile(r"(?<=[^\W\d_])['’´`ʼ][sS]\b")


def drop_possessive(text: str) -> str:
    """``text`` (raw, before :func:`fold`, which would turn "´" into a space) without English
    possessives: "citizen's income" → "citizen income" (else its "s" would be a query word of its own
    and match "Berlin-Ticket S"). For query text and the left sides of synonym rules alike."""
    return _POSSESSIVE_RE.sub("", text)


def words(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Folded words of ``text`` (letters and digits), stop words removed unless asked to keep them."""
    out = _WORD_RE.findall(fold(text))
    if keep_stop_words:
        return out
    return [w for w in out if w not in STOP_WORDS]


def key_words(text: str) -> list[str]:
    """The folded Latin-letter/digit words of ``text``, for name keys and prefix matching.

    Unlike :func:`words`, stop words stay and every other character (hyphen, bracket, non-Latin letter)
    separates words: ``key_words("Halle (Saale)") == ["halle", "saale"]``.
    """
    return _KEY_WORD_RE.findall(fold(text))


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


def expand_ellipses(text: str, head: Callable[[str], str | None],
                    first: Callable[[str], str | None] | None = None) -> str:
    """Complete elliptical compounds (Ergänzungsstrich) before tokenising.

    Forward: "X- und YZ" → "XZ und YZ", where Z = ``head(YZ)`` is the last compound part of the next
    complete word ("An- und Ummeldung" → "Anmeldung und Ummeldung"; "An-/Ummeldung" → "Anmeldung
    Ummeldung"; chains "Hunde-, Katzen- und Pferdehaltung" work too). Backward: "XY und -Z" → "XY und
    XZ" with X = ``first(XY)`` ("Steuerberatung und -prüfung"). When ``head``/``first`` return ``None``
    the text is left as it is (the hyphen then just separates words). Never raises on any input.

    ``head`` and ``first`` come from :class:`zufi.compounds.CompoundSplitter` (``head``/``first``).
    """
    def forward(m: re.Match[str]) -> str:
        rest = text[m.end():]
        for w in _NEXT_WORD_RE.finditer(rest):
            word, hyphen = w.group(1), w.group(2)
            if hyphen or word.casefold() in ELLIPSIS_JOINERS:
                continue
            tail = head(word)
            return m.group(1) + tail if tail else m.group(1) + " "
        return m.group(1) + " "

    if "-" not in text:
        return text
    out = _FORWARD_RE.sub(forward, text)
    out = re.sub(r"(?<=\w)\s*/\s*(?=\w)", " ", out) if out != text else out
    if first is not None:
        def backward(m: re.Match[str]) -> str:
            lead = first(m.group(1))
            return m.group(0) if not lead else f"{m.group(1)}{m.group(2)}{lead}{m.group(3)}"

        out = _BACKWARD_RE.sub(backward, out)
    return out
