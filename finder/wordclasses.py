"""Classes of query words that say who or how rather than what: office names.

Shared by the query analysis (:mod:`finder.tokens`: a rule's words may not stand apart across an office
name) and the ranking (:mod:`finder.ranking`: an office name weighs little). Pure data and one predicate,
no imports of the finder.
"""

from __future__ import annotations

#: Query words that name an office rather than a need ("Sozialamt", "Finanzamt", "Ausländerbehörde",
#: "Arbeitsagentur", "Jobcenter", "Rathaus", "Bürgerbüro"): who, not what. A word with one of these
#: endings, or one of :data:`OFFICE_WORDS`, unless in :data:`NOT_OFFICE_WORDS` ("Ehrenamt", "Fundbüro"
#: name services), counts — whole or as every part of such a compound — with ``finder.ranking.ASPECT_FACTOR`` of its
#: importance ("bestattungskosten sozialamt" is about the Bestattungskosten). Own list, after the
#: authority names of the rule tables.
OFFICE_WORD_ENDINGS = ("amt", "behorde", "agentur", "jobcenter", "rathaus")
OFFICE_WORDS = frozenset(["burgerburo", "burgerbuero", "stadtverwaltung", "gemeindeverwaltung", "kreisverwaltung",
                          "bezirksverwaltung", "zulassungsstelle", "fuhrerscheinstelle", "meldestelle",
                          "familienkasse", "krankenkasse", "pflegekasse"])
NOT_OFFICE_WORDS = frozenset(["ehrenamt"])


def is_office_word(word: str) -> bool:
    """Whether the folded ``word`` names an office (see :data:`OFFICE_WORD_ENDINGS`)."""
    if word in NOT_OFFICE_WORDS:
        return False
    return word in OFFICE_WORDS or word.endswith(OFFICE_WORD_ENDINGS)
