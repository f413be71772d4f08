"""Query analysis as a named pipeline: the need becomes query tokens, each with weighted readings.

Stages (each a small function below, cf. Nominatim's ``search/query.py`` token model)::

    normalise   elliptical hyphens completed ("An- und Ummeldung"), folded (case, umlauts, gender)
    verbs       a separable verb's particle at the end of a clause rejoins its verb ("wie melde ich
                mein auto ab" → "abmelden"); an unknown participle reads as its infinitive
                ("abgemeldet" → "abmelden", "beantragt" → "beantragen")
    words       word split, question/stop words removed, duplicates dropped
    base        every word: its exact form and its Snowball stem, weight 1
    compounds   an unknown or rare word that splits into catalogue words becomes one token per part
                ("personalausweisantrag" → personalausweis | antrag), each keeping the whole word; a
                frequent one stays whole and also reads as its head (weight 0.4)
    joins       two neighbouring words that join into a catalogue word both read as it
                ("kinder geld" → "kindergeld", "fahrzeug brief" → "fahrzeugbrief")
    synonyms    readings from the synonym table (``finder.synonyms``), with the table's weight; rule
                words may stand apart or (German two-word rules) swapped; finite verbs and -ung nouns
                are matched in the form a rule names
    morphology  a verb also reads as its -ung noun and back ("erweitern" ↔ "erweiterung", weight 0.9)
    thesaurus   a word without a curated synonym gets its OpenThesaurus partners that are catalogue words
                ("firma" → unternehmen, betrieb; weight 0.5; :mod:`zufi.thesaurus`)
    derivations an unknown word gets catalogue words that extend it by a suffix ("unleserlich" →
                "unleserlichkeit", weight 0.8)
    fuzzy       an unknown word gets the catalogue words within 1–2 typos (weight 0.6 / 0.4);
                a misspelt compound is split around its misspelt part ("grundbuch" + "auzug"~"auszug")
    own Verrichtung  a Verrichtung the user says replaces one a phrase rule on other words implied
                ("lkw führerschein ce verlängern": the rule's "Erweiterung" is dropped)

A :class:`Reading` is a term for the backend: ``exact`` readings go to the ``*_exact`` fields, ``stem``
readings to the stem fields (incl. ``parts``). The backend stays a plain term matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, Protocol

from finder.fuzzy import FuzzyIndex, FuzzyMatch
from finder.synonyms import ENGLISH_FUNCTION_WORDS, ENGLISH_MIN_HITS, Expansion, longest_only
from finder.wordclasses import is_office_word
from zufi.analysis import STOP_WORDS, drop_possessive, expand_ellipses, fold, stem, words
from zufi.compounds import LINKERS, CompoundSplitter

#: Factor on a one- or two-letter word of a multi-word synonym right side (see :func:`synonyms`).
SHORT_TERM_FACTOR = 0.3

#: Weight of the verb ↔ -ung noun reading of a word (see :func:`morphology`).
MORPHOLOGY_WEIGHT = 0.9

#: Weight of a reading that extends the typed word by a derivational suffix (see finder.fuzzy).
DERIVATION_WEIGHT = 0.8

#: Weight of an OpenThesaurus partner reading (see :func:`thesaurus`): a general-language synonym is a
#: weaker hint than a curated rule (synonyms.tsv, 0.75–1.0).
THESAURUS_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a query token: ``term`` in the exact or stem fields, with a ``weight`` (1.0 for
    the word itself, less for fuzzy or synonym readings) and the ``source`` stage that added it
    ("word", "compound", "synonym", "fuzzy")."""

    term: str
    kind: Literal["exact", "stem"]
    weight: float
    source: str
    #: For a reading from a synonym whose left side is a phrase of several query words: every word of the
    #: right side as (exact, stem); a service covers the token through this reading only in the share of
    #: them it holds.
    group: tuple[tuple[str, str], ...] | None = None


@dataclass(slots=True)
class QueryToken:
    """One unit of the need that a service should cover, with all its readings.

    ``position`` is the index of the query word it comes from (several tokens share it when a compound
    was split); ``part_of`` is that whole word when this token is a compound part.
    """

    text: str
    readings: list[Reading] = field(default_factory=list)
    position: int = 0
    part_of: str | None = None
    #: the compound this word forms with the word before it (:func:`joins`: "ausweis" in
    #: "sozialversicherungs ausweis"); like a compound's last part, it then takes only Verrichtung synonyms
    head_of: str | None = None

    def add(self, reading: Reading) -> None:
        """Add ``reading``; for a term already read the same way, keep the higher weight. A reading from
        a several-word synonym (``group``) and a plain one of the same term are kept apart: the plain
        one covers on its own, the grouped one only with its phrase ("kfz" → Kraftfahrzeug alone, and
        "kfz ummelden" → Kraftfahrzeug Ummelden Umschreibung)."""
        for i, r in enumerate(self.readings):
            if r.term == reading.term and r.kind == reading.kind and (r.group is None) == (reading.group is None):
                if reading.weight > r.weight:
                    self.readings[i] = reading
                return
        self.readings.append(reading)

    def to_dict(self) -> dict:
        """The explain-trace shape: text, position, part_of and readings (term, kind, weight, source)."""
        return {"text": self.text, "position": self.position, "part_of": self.part_of,
                "readings": [{"term": r.term, "kind": r.kind, "weight": round(r.weight, 3), "source": r.source}
                             for r in self.readings]}


class SynonymSource(Protocol):
    """What the synonyms stage needs from a table (``finder.synonyms.SynonymTable``)."""

    def expand(self, words: list[str], may_skip: Callable[[str], bool] | None = None,
               known: Callable[[str], bool] | None = None) -> Sequence[Expansion]:
        """Expansions for the folded query ``words``; a rule's words may stand apart across words
        ``may_skip`` allows; words ``known`` holds are never matched through a translation's stem."""
        ...

    def reload_if_changed(self) -> bool:
        """Re-read changed rule files; True when new rules took effect."""
        ...

    def has_word(self, word: str) -> bool:
        """Whether ``word`` is a word of some rule's left side."""
        ...


@dataclass
class AnalysisContext:
    """Everything query analysis needs, built once per Finder from its catalogue.

    ``vocabulary`` holds the folded catalogue words; ``splitter`` and ``fuzzy`` are built from the same
    catalogue as the index's ``parts`` field; ``synonyms`` is optional.
    """

    splitter: CompoundSplitter
    fuzzy: FuzzyIndex
    vocabulary: frozenset[str]
    synonyms: SynonymSource | None = None
    #: folded word → OpenThesaurus partners that are catalogue words (:func:`zufi.thesaurus.load_thesaurus`)
    thesaurus: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: folded words and stems that are the Verrichtung of many services ("anmeldung", "erteilung"): the
    #: head of a compound takes only synonym rules that read it as such (:func:`_part_synonyms`)
    verrichtung_terms: frozenset[str] = frozenset()

    @classmethod
    def build(cls, services: Iterable[object], synonyms: SynonymSource | None = None,
              lexicon: Iterable[str] = (), typo_services: Iterable[object] = (),
              thesaurus: Mapping[str, tuple[str, ...]] | None = None,
              verrichtung_terms: Iterable[str] = ()) -> AnalysisContext:
        """Learn splitter, vocabulary and fuzzy index from catalogue services (:class:`zufi.model.Service`);
        ``lexicon``: the splitter's second pass (:func:`zufi.catalog.splitter_lexicon`); ``typo_services``:
        further services whose words typos are corrected to as well (the national rows); ``thesaurus``:
        the build's OpenThesaurus partners (:func:`zufi.thesaurus.load_thesaurus`);
        ``verrichtung_terms``: see the attribute."""
        splitter = CompoundSplitter.from_services(services, lexicon)
        fuzzy = FuzzyIndex.from_splitter(splitter)
        extra = list(typo_services)
        if extra:  # frequencies over the larger set (typo matches of equal distance: most frequent first)
            more = CompoundSplitter.from_services(extra)
            fuzzy = FuzzyIndex({**splitter.word_df, **more.word_df}, {**splitter.stem_df, **more.stem_df})
        return cls(splitter=splitter, fuzzy=fuzzy, vocabulary=frozenset(splitter.word_df), synonyms=synonyms,
                   thesaurus=thesaurus or {}, verrichtung_terms=frozenset(verrichtung_terms))


# ---------------------------------------------------------------------- stages
def normalise(need: str, ctx: AnalysisContext) -> str:
    """Complete elliptical hyphens, then fold (``"An- und Ummeldung"`` → ``"anmeldung und ummeldung"``);
    an English possessive "'s" is dropped."""
    return fold(expand_ellipses(drop_possessive(need), ctx.splitter.head, ctx.splitter.first))


#: Particles of separable verbs (trennbare Verben): in a main clause or a question the particle stands
#: at the end of the clause, away from its verb ("Wie melde ich mein Auto ab?" = abmelden; "Wo tausche
#: ich meinen Führerschein um?" = umtauschen). Source: Duden – Die Grammatik, Verbpartikeln; only
#: particles of verbs the service catalogue uses (abmelden, anmelden, aufheben, ausstellen, eintragen,
#: umschreiben, nachreichen, vorlegen, wegziehen, zurückgeben, zulassen, mitteilen, feststellen,
#: freistellen, herausgeben …) — folded like query words.
VERB_PARTICLES = frozenset(["ab", "an", "auf", "aus", "ein", "um", "nach", "vor", "weg", "zuruck", "zu",
                            "mit", "fest", "frei", "heraus", "raus", "los", "weiter", "hin", "her"])

_CLAUSE_END_RE = re.compile(r"[,;:.!?()]+")
#: Subordinating conjunctions open a clause even without the comma people leave out ("wo melde ich mich
#: um wenn ich nach bonn ziehe"): the main clause ends before them. Source: Duden grammar.
SUBORDINATORS = ("wenn", "weil", "dass", "ob", "falls", "nachdem", "damit", "obwohl", "sobald", "bevor", "da")
_SUBORDINATOR_RE = re.compile(r"\s+(?=(?:" + "|".join(SUBORDINATORS) + r")\b)")


def _infinitives(word: str) -> list[str]:
    """Candidate infinitives of a folded finite verb form, most likely first ("melde" → melden,
    "meldet" → melden, "meldest" → melden, "tauschst" → tauschen, "wechselt" → wechseln, "ziehen" →
    ziehen). Regular present tense only (Duden grammar: person endings -e, -st, -t, -en, with -e- after
    a stem in -d/-t); a stem-vowel change is undone by the umlaut folding."""
    out = []
    if word.endswith(("en", "ern", "eln")):
        out.append(word)
    if word.endswith("e"):
        out.append(word + "n")
    if word.endswith(("elt", "ert")):
        out.append(word[:-1] + "n")
    if word.endswith("est") and len(word) > 5:
        out.append(word[:-3] + "en")
    if word.endswith("st") and len(word) > 4:
        out.append(word[:-2] + "en")
    if word.endswith("et") and len(word) > 4:
        out.append(word[:-2] + "en")
    if word.endswith("t") and len(word) > 3:
        out.append(word[:-1] + "en")
    out.append(word + "en")
    return list(dict.fromkeys(out))


def verbs(text: str, ctx: AnalysisContext) -> str:
    """Verb forms the catalogue does not hold, read as the infinitive it does (``text`` is folded; the
    result is folded text again):

    * a separable verb whose particle ends a clause (:data:`VERB_PARTICLES`): the particle is dropped and
      the first earlier non-stop word of the clause that, read as an infinitive behind the particle, is a
      catalogue word (or whose -ung noun is: "abmelden" → Abmeldung) becomes that verb — "wie melde ich
      mein auto ab" → "wie abmelden ich mein auto"; clauses end at punctuation and before a
      subordinating conjunction (:data:`SUBORDINATORS`: "melde … um wenn ich …" → "ummelden");
    * an unknown participle whose infinitive is known (:func:`_participle_infinitives`): "abgemeldet" →
      "abmelden", "zugelassen" → "zulassen", "beantragt" → "beantragen".

    Nothing changes when no such verb is found ("kita platz ab"), nor for a known word ("Auto
    abgeschleppt" is a service name).
    """
    return _verbs(text, ctx)[0]


def _verbs(text: str, ctx: AnalysisContext) -> tuple[str, dict[str, str]]:
    """:func:`verbs`, and which infinitive stands for which participle (``{"kaufen": "gekauft"}``), so
    synonym rules written with the participle ("auto gekauft") still match."""
    out = []
    participles: dict[str, str] = {}
    text = _SUBORDINATOR_RE.sub(", ", text)
    for clause, end in zip(_CLAUSE_END_RE.split(text), [*_CLAUSE_END_RE.findall(text), ""]):
        ws = words(clause, keep_stop_words=True)
        if len(ws) >= 2 and ws[-1] in VERB_PARTICLES:
            joined = _separable_verb(ws[:-1], ws[-1], ctx)
            if joined is not None:  # the infinitive stands where the particle stood: "mein auto abmelden"
                i, verb = joined
                ws = [*ws[:i], *ws[i + 1:-1], verb]
        for i, w in enumerate(ws):
            inf = _participle(w, ctx)
            if inf != w:
                participles[inf] = w
                ws[i] = inf
        out.append(" ".join(ws) + end)
    return " ".join(p for p in out if p), participles


_PARTICIPLE_RE = re.compile(r"^(" + "|".join(sorted(VERB_PARTICLES, key=len, reverse=True)) + r")?ge([a-z]{3,}?)(et|t|en)$")
#: Inseparable verb prefixes: their participles have no ge- ("beantragt", "verlängert", "erteilt").
_INSEPARABLE_RE = re.compile(r"^(be|ver|er|ent|zer|emp|miss)[a-z]{3,}(t|et)$")


def _participle_infinitives(word: str) -> list[str]:
    """Candidate infinitives of a folded past participle (Duden grammar: weak verbs ge-…-t, strong verbs
    ge-…-en, a separable particle before the ge-, no ge- after an inseparable prefix): "abgemeldet" →
    abmelden, "geandert" → andern, "zugelassen" → zulassen, "beantragt" → beantragen, "verlangert" →
    verlangern. Irregular stems ("gestorben") give no known infinitive and stay as they are."""
    out = []
    m = _PARTICIPLE_RE.match(word)
    if m:
        particle, core, ending = m.group(1) or "", m.group(2), m.group(3)
        if ending != "en" and core.endswith(("er", "el")):
            out.append(particle + core + "n")
        out.append(particle + core + "en")
    if _INSEPARABLE_RE.match(word):
        core = word[:-2] if word.endswith("et") else word[:-1]
        out.append(core + ("n" if core.endswith(("er", "el")) else "en"))
    return out


def _participle(word: str, ctx: AnalysisContext) -> str:
    """``word`` read as its infinitive when it is an unknown participle of a catalogue verb; else itself.
    A word the catalogue or the lexicon holds stays ("abgeschleppt", "angehorigen", "erneut")."""
    if len(word) < 6 or not word.isalpha() or word in ctx.fuzzy or word in ctx.splitter.lexicon:
        return word
    for inf in _participle_infinitives(word):
        if _is_catalogue_verb(inf, ctx):
            return inf
    return word


def _is_catalogue_verb(verb: str, ctx: AnalysisContext) -> bool:
    """The catalogue holds ``verb`` or its -ung noun as a word (a stem alone is no evidence: Snowball
    stems of non-words collide with real ones, "anhorigen" → "anhor" as in Anhörung)."""
    noun = nominalisation(verb)
    return ctx.fuzzy.is_word(verb) or (noun is not None and ctx.fuzzy.is_word(noun))


def _separable_verb(ws: list[str], particle: str, ctx: AnalysisContext) -> tuple[int, str] | None:
    """The index in ``ws`` of the finite verb that ``particle`` belongs to, and the joined infinitive;
    None when no word qualifies. Words are tried in German main-clause order — the second word first
    (verb-second: "wie melde ich …", "wohnung melde ich an", "ich drucke das Bild aus"), then the first
    ("melde ich mich an?"), then the other content words. The joined verb must be a catalogue verb or a
    word of a synonym rule ("finde … raus" → "rausfinden" of "adresse rausfinden"); a catalogue word that is no infinitive
    ("wohnung", "teil", "hund") is no finite verb, and a noun of the lexicon is no bare verb stem
    ("bild" + aus is no "ausbilden")."""
    content = [i for i, w in enumerate(ws) if w.isalpha() and len(w) >= 3 and w not in STOP_WORDS]
    order = [i for i in (1, 0) if i in content] + [i for i in content if i > 1]
    for i in order:
        w = ws[i]
        if ctx.fuzzy.is_word(w) and not w.endswith("en"):
            continue
        candidates = _infinitives(w)
        if w in ctx.splitter.lexicon:
            candidates = [c for c in candidates if c != w + "en"]
        for inf in candidates:
            if _is_catalogue_verb(particle + inf, ctx) or (
                    ctx.synonyms is not None and ctx.synonyms.has_word(particle + inf)):
                return i, particle + inf
    return None


def query_words(text: str) -> list[str]:
    """Folded words without stop words and repeats, in order; English function words too when the
    query reads as English (:data:`finder.synonyms.ENGLISH_FUNCTION_WORDS`)."""
    ws = list(dict.fromkeys(words(text)))
    if len(ENGLISH_FUNCTION_WORDS.intersection(ws)) >= ENGLISH_MIN_HITS:
        ws = [w for w in ws if w not in ENGLISH_FUNCTION_WORDS] or ws
    return ws


def base_readings(ws: list[str]) -> list[QueryToken]:
    """One token per word with its exact form and its stem, both weight 1."""
    return [QueryToken(w, _readings(w, 1.0, "word"), position=i) for i, w in enumerate(ws)]


#: Reading weight of a frequent compound's head ("Geburtsurkunde" is an Urkunde): a service naming only
#: the head covers the word this much ("Apostille für Geburtsurkunde" → Beglaubigung von Urkunden).
FREQUENT_HEAD_WEIGHT = 0.4


def compounds(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """Replace a word that is not a frequent catalogue word but splits into catalogue words by one token
    per part; each part token keeps the whole word's readings. A frequent catalogue word stays one token
    and also reads as its head at :data:`FREQUENT_HEAD_WEIGHT`. (Splits with lexicon nouns come last, in
    :func:`fuzzy`: a typo in a compound is the likelier reading of "gewebeanmeldung".)"""
    out: list[QueryToken] = []
    for t in tokens:
        parts = ctx.splitter.split(t.text, lexicon=False)
        if ctx.splitter.is_frequent(t.text):
            if len(parts) >= 2:  # read as itself, and weakly as what it is a kind of
                for r in _readings(parts[-1], FREQUENT_HEAD_WEIGHT, "compound"):
                    t.add(r)
            out.append(t)
            continue
        out.extend(_part_tokens(t, parts) if len(parts) >= 2 else [t])
    return out


def _part_tokens(t: QueryToken, parts: list[str]) -> list[QueryToken]:
    """One token per compound part of ``t``, each keeping ``t``'s readings."""
    out = []
    for p in parts:
        tok = QueryToken(p, _readings(p, 1.0, "compound"), position=t.position, part_of=t.text)
        for r in t.readings:
            tok.add(r)
        out.append(tok)
    return out


def joins(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """Two neighbouring query words that, joined directly or with a linking element, form a catalogue
    word ("sozialversicherungs ausweis" → "sozialversicherungsausweis", "hund steuer" → "hundesteuer",
    "bau vorbescheid" → "bauvorbescheid") give that word's readings (weight 1, source ``"compound"``)
    to every token of both words — the word itself or, for a word split into parts, each part — so a
    service naming the compound covers both."""
    at: dict[int, list[QueryToken]] = {}
    for t in tokens:
        at.setdefault(t.position, []).append(t)
    surface = {}
    for pos, ts in at.items():
        word = next((t.part_of for t in ts if t.part_of is not None), None) or ts[0].text
        if word.isalpha():
            surface[pos] = word
    for pos, word in surface.items():
        nxt = surface.get(pos + 1)
        if nxt is None:
            continue
        for link in LINKERS:
            joined = word + link + nxt
            if joined in ctx.splitter.word_df or joined in ctx.splitter.lexicon:
                for t in at[pos] + at[pos + 1]:
                    for r in _readings(joined, 1.0, "compound"):
                        t.add(r)
                for t in at[pos + 1]:
                    if t.part_of is None:
                        t.head_of = joined
                break
    return tokens


def synonyms(tokens: list[QueryToken], ws: list[str], ctx: AnalysisContext,
             participles: Mapping[str, str] | None = None) -> list[QueryToken]:
    """Add, to every token of the words ``[start, end)`` of each expansion, the exact and stem readings
    of the expansion's terms with the expansion's weight (source ``"synonym"``); compound parts are looked
    up on their own as well. Where :func:`verbs` read a participle as its infinitive (``participles``:
    infinitive → participle), rules are matched against the participle too ("auto gekauft"), and a finite
    verb form or an -ung noun against the verb or noun a rule names (:func:`_rule_form`: "ich ziehe ins
    ausland" → "ausland ziehen", "entsorgung kühlschrank" → "kühlschrank entsorgen"). In a right
    side of
    several words, a word of one or two letters ("II" of "Arbeitslosengeld II", "EU") alone is weak
    evidence and weighs :data:`SHORT_TERM_FACTOR` as much."""
    if ctx.synonyms is None or not ws:
        return tokens
    skip = partial(_may_stand_between, ctx=ctx)
    known = partial(_is_german_word, ctx=ctx)
    expansions = list(ctx.synonyms.expand(ws, skip, known))
    if participles:
        typed = [participles.get(w, w) for w in ws]
        expansions += [e for e in ctx.synonyms.expand(typed, skip, known) if e not in expansions]
    finite = [_rule_form(w, ctx) for w in ws]
    if finite != ws:  # "ich ziehe ins ausland" matches the rule "ausland ziehen"
        expansions += [e for e in ctx.synonyms.expand(finite, skip, known) if e not in expansions]
    expansions = longest_only(expansions)  # across the passes too: "auto verschrottung" is one reading
    # a rule that starts at the second word of a joined compound reads that word on its own, which does
    # not hold: "ausweis (verloren)" → Personalausweis in "sozialversicherungs ausweis verloren"
    heads = {t.position for t in tokens if t.head_of is not None}
    parts_at: dict[int, set[str]] = {}
    for t in tokens:
        if t.part_of is not None:
            parts_at.setdefault(t.position, set()).update((t.text, stem(t.text)))
    for exp in expansions:
        if exp.start in heads and not all(_is_verrichtung_term(term, ctx) for term in exp.terms):
            continue
        # on the parts of a compound, a one-word rule reads as a phrase ("grundsteuererklärung" →
        # "grundsteuer erklärung"; "motorradführerschein" → "fahrerlaubnis erweiterung") unless its
        # right side lists variants of one word ("nummernschild" → "kraftfahrzeugkennzeichen kennzeichen")
        spelt = exp.end - exp.start == 1 and exp.start in parts_at and not _variants(exp.terms)
        for t in tokens:
            if exp.start <= t.position < exp.end and t.position not in exp.gaps:
                _add_expansion(t, exp, of_whole=spelt and t.part_of is not None)
    _part_synonyms([t for t in tokens if t.part_of is not None], ctx)
    return tokens


def _is_german_word(word: str, ctx: AnalysisContext) -> bool:
    """A word of the catalogue or of the German lexicon: never matched to a translation through a stem."""
    return ctx.fuzzy.is_word(word) or word in ctx.splitter.lexicon


def _variants(terms: tuple[str, ...]) -> bool:
    """Whether the words of a right side are forms of one word: one holds another ("kraftfahrzeug-
    kennzeichen", "kennzeichen") or they share a stem ("kind", "kinder")."""
    long_terms = [t for t in terms if len(t) > 2]
    return len(long_terms) > 1 and all(
        a in b or b in a or stem(a) == stem(b) for i, a in enumerate(long_terms) for b in long_terms[i + 1:])


def _rule_form(word: str, ctx: AnalysisContext) -> str:
    """The form of ``word`` a synonym rule names when no rule holds ``word`` itself: a finite verb as its
    infinitive ("ziehe" → "ziehen" of "ausland ziehen"), an -ung noun as its verb and a verb as its
    -ung noun ("entsorgung" → "entsorgen" of "kühlschrank entsorgen", :func:`nominalisation`); else
    ``word``. Catalogue words that are no verb or -ung noun stay as typed."""
    if ctx.synonyms is None or ctx.synonyms.has_word(word) or len(word) < 4:
        return word
    other = nominalisation(word)
    if other is not None and ctx.synonyms.has_word(other):
        return other
    if ctx.fuzzy.is_word(word):
        return word
    for inf in _infinitives(word):
        if inf != word and ctx.synonyms.has_word(inf):
            return inf
    return word


#: A catalogue word found in at most this many services names a service of its own ("Fahrzeugschein",
#: "Kopie"): a rule's words may not stand apart across it.
GAP_SPECIFIC_DF = 5


def _may_stand_between(word: str, ctx: AnalysisContext) -> bool:
    """Whether the folded query ``word`` may stand between the words of a synonym rule without breaking
    it (``SynonymTable.expand``): a filler ("nächstes", "jahr", "schnell"), not an office name ("firma
    beim finanzamt abmelden" is no Gewerbeabmeldung) nor a word naming a service of its own ("adresse im
    fahrzeugschein ändern" is not a change of address)."""
    if is_office_word(word):
        return False
    return not 0 < ctx.splitter.word_df.get(word, 0) <= GAP_SPECIFIC_DF


def _part_synonyms(parts: Iterable[QueryToken], ctx: AnalysisContext) -> None:
    """A compound part is a word of its own for the synonym table ("kfzabmeldung" → "kfz" →
    Kraftfahrzeug), also a part found only by the typo stage ("abriss|genehmigng" → Abbruch). The last
    part (the head, which names what the compound is) takes only rules that read it as a Verrichtung
    ("krankengeldantrag" → antrag → Bewilligung): a rule for the bare word ("Ausweis" → Personalausweis)
    does not hold for the compound ("Sozialversicherungsausweis" is no Personalausweis)."""
    if ctx.synonyms is None:
        return
    parts = list(parts)
    last: dict[tuple[int, str | None], QueryToken] = {}
    for t in parts:
        last[(t.position, t.part_of)] = t
    heads = {id(t) for t in last.values()}
    for t in parts:
        for exp in ctx.synonyms.expand([t.text]):
            if id(t) in heads and not all(_is_verrichtung_term(term, ctx) for term in exp.terms):
                continue
            _add_expansion(t, exp)


def _is_verrichtung_term(term: str, ctx: AnalysisContext) -> bool:
    return term in ctx.verrichtung_terms or stem(term) in ctx.verrichtung_terms


def _add_expansion(t: QueryToken, exp: Expansion, of_whole: bool = False) -> None:
    """Add the readings of ``exp`` to ``t`` (see :func:`synonyms`); ``of_whole``: ``t`` is a part of the
    compound the rule reads, and the rule's right side is a phrase, not variants of one word."""
    long_terms = [term for term in exp.terms if len(term) > 2]
    # a phrase replacing a phrase ("auto zulassen" → "fahrzeug zulassung"): its words belong together;
    # one word's right side lists alternatives ("tochter" → "kind kinder") and stays ungrouped — except
    # on a part of that word: "grundsteuererklärung" → "grundsteuer erklärung" must not let any
    # "Erklärung" cover the part "grundsteuer"
    phrase = (exp.end - exp.start > 1 or of_whole) and len(long_terms) > 1
    group = tuple((term, stem(term)) for term in long_terms) if phrase else None
    for term in exp.terms:
        short = len(exp.terms) > 1 and len(term) <= 2
        weight = exp.weight * (SHORT_TERM_FACTOR if short else 1.0)
        for r in _readings(term, weight, "synonym"):
            t.add(Reading(r.term, r.kind, r.weight, r.source, group))


def nominalisation(word: str) -> str | None:
    """The other member of a German verb/noun pair formed with -ung, or None: "erweiterung" →
    "erweitern", "andern" → "anderung", "anmelden" → "anmeldung" (Duden grammar: -ung nouns from the verb
    stem; verbs in -ern/-eln take -n, others -en)."""
    if len(word) > 6 and word.endswith("ung"):
        base = word[:-3]
        return base + ("n" if base.endswith(("er", "el")) else "en")
    if len(word) > 5 and word.endswith(("ern", "eln")):
        return word[:-1] + "ung"
    if len(word) > 5 and word.endswith("en"):
        return word[:-2] + "ung"
    return None


def morphology(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """A verb also reads as its -ung noun and a -ung noun as its verb, where the catalogue holds that
    form's stem (Snowball stems "erweitern" and "erweiterung" apart), at :data:`MORPHOLOGY_WEIGHT`."""
    for t in tokens:
        other = nominalisation(t.text) if t.text.isalpha() else None
        if other is None:
            continue
        st = stem(other)
        if st != stem(t.text) and st in ctx.fuzzy:
            t.add(Reading(st, "stem", MORPHOLOGY_WEIGHT, "morphology"))
    return tokens


def thesaurus(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """A whole query word without a curated synonym reading gets its OpenThesaurus partners that are
    catalogue words, at :data:`THESAURUS_WEIGHT` (source ``"thesaurus"``): "firma" → unternehmen,
    betrieb; "kita" → kindertagesstatte."""
    for t in tokens:
        if t.part_of is not None or any(r.source == "synonym" for r in t.readings):
            continue
        for term in ctx.thesaurus.get(t.text, ()):
            for r in _readings(term, THESAURUS_WEIGHT, "thesaurus"):
                t.add(r)
    return tokens


def derivations(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """An unknown word gets the catalogue words that extend it by a derivational suffix, at weight
    :data:`DERIVATION_WEIGHT` ("unleserlich" → "unleserlichkeit"); the fuzzy stage then leaves it alone."""
    for t in tokens:
        if t.part_of is not None or not t.text.isalpha() or ctx.splitter.is_known(t.text):
            continue
        for term in ctx.fuzzy.derivations(t.text):
            for r in _readings(term, DERIVATION_WEIGHT, "derivation"):
                t.add(r)
    return tokens


def fuzzy(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """Typo readings for words the catalogue does not know (never for known words, nor below 4 letters):
    the whole word's near matches (when the best is a compound, read as its parts, each part token
    keeping the whole-word readings), else a split around one misspelt part, else a split that uses
    lexicon nouns (:class:`zufi.compounds.CompoundSplitter`)."""
    out: list[QueryToken] = []
    for t in tokens:
        if (t.part_of is not None or len(t.text) < 4 or not t.text.isalpha() or ctx.splitter.is_known(t.text)
                or any(r.source in ("synonym", "derivation") for r in t.readings)):
            out.append(t)
            continue
        matches = ctx.fuzzy.lookup(t.text)
        if matches:
            for m in matches:
                for r in _fuzzy_readings(m):
                    t.add(r)
            parts = ctx.splitter.split(matches[0].term) if matches[0].kind == "word" else []
            if len(parts) < 2:
                out.append(t)
                continue
            # the best match is a compound ("gewerbeanmeldung"): one token per part, as in `compounds`
            for p in parts:
                tok = QueryToken(p, _readings(p, matches[0].weight, "fuzzy"), position=t.position,
                                 part_of=t.text)
                for r in t.readings:
                    tok.add(r)
                out.append(tok)
            continue
        split = ctx.fuzzy.split_lookup(t.text, ctx.splitter)
        if split is None:  # last resort: a compound with lexicon nouns ("gartenhaus|genehmigung")
            parts = ctx.splitter.split(t.text)
            out.extend(_part_tokens(t, parts) if len(parts) >= 2 else [t])
            continue
        for i, p in enumerate(split.parts):
            if i == split.fuzzy_at:
                tok = QueryToken(p, [], position=t.position, part_of=t.text)
                for m in split.matches:
                    for r in _fuzzy_readings(m):
                        tok.add(r)
            else:
                tok = QueryToken(p, _readings(p, 1.0, "compound"), position=t.position, part_of=t.text)
            for r in t.readings:
                tok.add(r)
            out.append(tok)
    given = {id(t) for t in tokens}
    _part_synonyms([t for t in out if t.part_of is not None and id(t) not in given], ctx)
    return out


#: Stages whose readings are the user's own words (a Verrichtung said, not implied by a rule).
_OWN_SOURCES = frozenset(["word", "morphology"])


#: Action words of service names that LeiKa's Verrichtung field does not list ("Fahrerlaubnis -
#: Erweiterung", "Neuerteilung", "Umschreibung einer ausländischen Fahrerlaubnis"); with the Verrichtung
#: terms they are what :func:`own_verrichtung` treats as implied. Own list from the catalogue's names.
NAME_VERRICHTUNGEN = frozenset(["erweiterung", "ersterteilung", "neuerteilung", "wiedererteilung",
                                "umschreibung", "umtausch"])


def own_verrichtung(tokens: list[QueryToken], ctx: AnalysisContext) -> list[QueryToken]:
    """When the query names its own Verrichtung ("verlängern" → Verlängerung), a several-word synonym
    reading on other words loses the Verrichtung words the rule implied (:data:`NAME_VERRICHTUNGEN`
    and the catalogue's Verrichtung terms, never object nouns such as "Eheschließung"): "lkw
    führerschein" → "fahrerlaubnis erweiterung" reads as "fahrerlaubnis" in "lkw führerschein ce
    verlängern", so the Verlängerung is not held back for lacking "Erweiterung". Readings without a
    group (alternatives) stay as they are."""
    def own(t: QueryToken) -> set[str]:
        return {r.term for r in t.readings if r.source in _OWN_SOURCES and _is_verrichtung_term(r.term, ctx)}

    owns = [own(t) for t in tokens]
    said = set().union(*owns)
    if not said:
        return tokens
    said_stems = {stem(x) for x in said}
    # a rule read on the words that say the Verrichtung translates them ("auto anmelden" → Zulassung): kept
    inside = {r.group for t, o in zip(tokens, owns) if o for r in t.readings if r.group}

    def implied(exact: str, st: str) -> bool:
        action = _is_verrichtung_term(exact, ctx) or exact in NAME_VERRICHTUNGEN
        return action and exact not in said and st not in said_stems

    for t in tokens:
        new: list[Reading] = []
        for r in t.readings:
            if r.group and r.group not in inside:
                dropped = [(e, st) for e, st in r.group if implied(e, st)]
                if dropped:
                    if any(r.term in pair for pair in dropped):
                        continue  # a reading of the implied Verrichtung itself (its word or its stem)
                    kept = tuple(pair for pair in r.group if pair not in dropped)
                    r = Reading(r.term, r.kind, r.weight, r.source, kept if len(kept) > 1 else None)
            new.append(r)
        t.readings = new
    return tokens


def merge_repeats(tokens: list[QueryToken]) -> list[QueryToken]:
    """One token per text (a part repeated by another word is counted once); readings merged."""
    by_text: dict[str, QueryToken] = {}
    for t in tokens:
        if t.text in by_text:
            for r in t.readings:
                by_text[t.text].add(r)
        else:
            by_text[t.text] = t
    return list(by_text.values())


def analyse_query(need: str, ctx: AnalysisContext) -> list[QueryToken]:
    """Run the pipeline on the need text; ``[]`` when nothing but stop words or symbols remain.

    Never raises on any text (reserved characters of any query syntax are just separators).
    """
    text, participles = _verbs(normalise(need, ctx), ctx)
    ws = query_words(text)
    tokens = base_readings(ws)
    tokens = compounds(tokens, ctx)
    tokens = joins(tokens, ctx)
    tokens = synonyms(tokens, ws, ctx, participles)
    tokens = morphology(tokens, ctx)
    tokens = thesaurus(tokens, ctx)
    tokens = derivations(tokens, ctx)
    tokens = fuzzy(tokens, ctx)
    tokens = own_verrichtung(tokens, ctx)
    return merge_repeats(tokens)


# ---------------------------------------------------------------------- helpers
def _readings(word: str, weight: float, source: str) -> list[Reading]:
    return [Reading(word, "exact", weight, source), Reading(stem(word), "stem", weight, source)]


def _fuzzy_readings(m: FuzzyMatch) -> list[Reading]:
    if m.kind == "word":
        return _readings(m.term, m.weight, "fuzzy")
    return [Reading(m.term, "stem", m.weight, "fuzzy")]
