"""The query-time core: :class:`Finder` answers search, locate, places, service and office requests.

Search runs as a named pipeline — validate → split need/place → resolve place → analyse → backend
search → re-rank by coverage → attach offices → explain — each stage a small function of its own module.
Framework-free: the FastAPI layer (:mod:`finder.api`) and the CLI only call these methods.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
import time
from collections import Counter
from pathlib import Path

from finder import ranking
from finder.offices import OfficeAnswer, OfficeMatch, offices_for
from finder.params import SearchParams, clean_text, make_point
from finder.parse import ParsedQuery, PlaceParser, split_need_place
from finder.schemas import (
    CatalogueOut,
    Coverage,
    DescriptionSectionOut,
    LocateResponse,
    OfficeDetail,
    OfficeOut,
    PlacesResponse,
    QueryOut,
    ResponsibleResponse,
    Result,
    SearchResponse,
    ServiceDetail,
    ServiceOut,
    SuggestionOut,
    SuggestResponse,
    VariantOut,
)
from finder.suggest import BIG_PLACE, Suggester
from finder.tokens import AnalysisContext, QueryToken, SynonymSource, analyse_query
from finder.variants import HOME_LAND, MOVE_SCORE_RATIO, land_factor, prefer_variants
from gazetteer import Gazetteer
from zufi.analysis import stem, words
from zufi.backends import ServiceIndex, get_backend
from zufi.backends.base import TEXT_FIELDS
from zufi.catalog import Catalog, learning_services, splitter_lexicon
from zufi.compounds import document_fields, load_lexicon
from zufi.errors import DataFileError, IndexUnavailableError, NotFoundError
from zufi.model import SECTION_KINDS, Office, Place, Point, Service, parse_service_id
from zufi.settings import Settings
from zufi.thesaurus import load_thesaurus

log = logging.getLogger(__name__)

#: A Land's own service data counts as its catalogue (services it does not list are demoted, see
#: finder.variants.land_factor) from this many services on.
MIN_LAND_CATALOGUE = 300
#: Longest text ``suggest`` accepts (characters) and its largest ``limit``.
SUGGEST_MAX_CHARS = 100
SUGGEST_MAX_LIMIT = 20
#: Score factor for a service that matched a query only in its description text (no word in name,
#: Leistungsobjekt, Verrichtung, group, synonyms): it ranks below every service matching elsewhere.
DESCRIPTION_ONLY_FACTOR = 0.05


#: How many times more inhabitants the largest of several same-named Gemeinden must have to be assumed.
DOMINANT_FACTOR = 50


class Finder:
    """An opened index build: service index, catalogue and gazetteer, ready to answer.

    Open with :meth:`open`; one instance is safe to share between threads (read-only).
    """

    def __init__(self, settings: Settings, build_dir: Path, index: ServiceIndex, catalog: Catalog,
                 gazetteer: Gazetteer) -> None:
        self.settings = settings
        self.build_dir = build_dir
        self.index = index
        self.catalog = catalog
        self.gazetteer = gazetteer
        # derived once per build: how many services have each word (and stem) as their Verrichtung
        # (finder.ranking.is_verrichtung); query analysis (compound splitter, vocabulary, fuzzy index,
        # synonyms) learned from the catalogue exactly as the indexer learned it; the terms of each service
        # and of its name (for coverage); the catalogue's words (for the need/place split).
        self._verrichtung_df: Counter[str] = Counter()
        for s in catalog.services.values():
            vw = set(words(s.verrichtung))
            self._verrichtung_df.update(vw | {stem(w) for w in vw})
        self.analysis = AnalysisContext.build(
            learning_services(catalog.services.values()), synonyms=_synonym_table(settings),
            lexicon=splitter_lexicon(catalog.services.values(), load_lexicon(build_dir)),
            typo_services=catalog.services.values(), thesaurus=load_thesaurus(build_dir),
            verrichtung_terms=(t for t, n in self._verrichtung_df.items()
                               if n >= ranking.VERRICHTUNG_MIN_SERVICES))
        self._service_terms: dict[str, frozenset[str]] = {}
        self._name_terms: dict[str, frozenset[str]] = {}
        self._qualifiers: dict[str, frozenset[str]] = {}
        vocab: set[str] = set()
        for s in catalog.services.values():
            fields = document_fields(s, self.analysis.splitter, TEXT_FIELDS)
            self._service_terms[s.leika_key] = frozenset(t for ts in fields.values() for t in ts)
            name_parts = self.analysis.splitter.parts_of(s.name)
            self._name_terms[s.leika_key] = frozenset(
                [*fields["name"], *fields["name_exact"], *name_parts, *(stem(p) for p in name_parts)])
            self._qualifiers[s.leika_key] = ranking.name_qualifiers(s.name, self._name_terms[s.leika_key])
            for f in TEXT_FIELDS:
                if f != "parts":
                    vocab.update(fields[f"{f}_exact"])
        self._vocabulary = frozenset(vocab)
        # how many services hold each term: the token importance in coverage (finder.ranking)
        self._term_df: Counter[str] = Counter(t for terms in self._service_terms.values() for t in terms)
        self.office_ags = _office_ags(catalog, gazetteer)
        covered = set(self.office_ags.values())
        # Länder whose own service list is a catalogue (Berlin's d115 table: 615 services), not a few
        # pages (Hamburg: 50 mapped keys): only there does "not offered" say something (variants.land_factor)
        offered = Counter(x for s in catalog.services.values() for x in s.lands)
        self._lands_with_data = frozenset(x for x, n in offered.items() if n >= MIN_LAND_CATALOGUE)
        self.covered_ags = frozenset(covered)
        self.responsibility = _responsibility(build_dir, gazetteer)  # rule tables + town halls (issue 5)
        # need/place split (spaCy matchers, built on first use) and autocomplete over the same names
        place_names = list(gazetteer.names())
        self.place_parser = PlaceParser(((n.key, n.population) for n in place_names), self._vocabulary)
        self.suggester = Suggester(catalog.services.values(), place_names, gazetteer.postcodes(),
                                   {k: len(v) for k, v in catalog.offices_by_service.items()})

    @classmethod
    def open(cls, settings: Settings | None = None) -> Finder:
        """Open the serving build at ``settings.current_index``.

        Raises:
            IndexUnavailableError: when no build exists or it cannot be read.
        """
        settings = settings or Settings()
        link = settings.current_index
        if not link.exists():
            raise IndexUnavailableError(f"no index at {link}; run `zufi data fetch` and `zufi index` first")
        build_dir = link.resolve()
        index = get_backend(settings.backend).open(build_dir / "services")
        catalog = Catalog.load(build_dir / "catalog")
        gaz = Gazetteer.load(build_dir / "gazetteer", near_boundary_m=settings.near_boundary_m)
        return cls(settings, build_dir, index, catalog, gaz)

    # ------------------------------------------------------------------ search pipeline
    def search(
        self,
        text: str,
        where: str | None = None,
        point: Point | tuple[float, float] | None = None,
        limit: int | None = None,
        explain: bool = False,
    ) -> SearchResponse:
        """Rank services for ``text`` and attach the offices for the place.

        Args:
            text: free text, may hold need and place ("Hund anmelden Erfurt").
            where: a place name or PLZ; then the whole ``text`` is the need.
            point: WGS84 point, a :class:`Point` or ``(lon, lat)`` tuple in degrees.
            limit: number of services, 1 … ``settings.max_limit`` (None: 10, capped at the maximum).
            explain: add a trace of tokens and scores.

        Raises:
            UsageError: for invalid parameters (see :class:`SearchParams`).
        """
        params = SearchParams.build(self.settings, text, where, point, limit, explain)
        parsed = self._understand(params)
        place = self._resolve_place(params, parsed)
        tokens = self._analyse_need(parsed.need)
        ranked, trace = self._rank(tokens, params.limit, land=_land_of(place))
        results = [self._result(i + 1, key, score, place) for i, (key, score) in enumerate(ranked)]
        warnings = list(place.warnings)
        if parsed.place_source == "fuzzy":
            warnings.append("place_corrected")
        if not tokens:
            warnings.append("empty_need")
        return SearchResponse(
            query=QueryOut(text=params.text, need=parsed.need, place_text=parsed.place_text,
                           place_source=parsed.place_source,
                           lat=params.point.lat if params.point else None,
                           lon=params.point.lon if params.point else None),
            place=place,
            results=results,
            warnings=warnings,
            explain=({"tokens": [t.to_dict() for t in tokens], "candidates": trace,
                      "build": self.build_dir.name} if params.explain else None),
        )

    def _understand(self, params: SearchParams) -> ParsedQuery:
        if params.where is not None:
            return ParsedQuery(params.text, params.text, params.where, "where")
        if params.point is not None:
            return ParsedQuery(params.text, params.text, None, None)
        parsed = split_need_place(params.text, self.gazetteer.is_place_name, self._vocabulary,
                                  parser=self.place_parser)
        if parsed.place_text is None and self._is_only_a_place(params.text):
            # "Erfurt" or "Neukölln" alone: the line names a place and no service word at all
            return ParsedQuery(params.text, "", params.text, "whole")
        if parsed.place_text is None:
            return self._misspelt_place(parsed) or parsed
        return parsed

    def _misspelt_place(self, parsed: ParsedQuery) -> ParsedQuery | None:
        """"Hund anmelden Erfrut": a last word of five letters or more that is no place name, no word of
        the catalogue, of the lexicon or a typo of either, but within one or two typos of a town of
        :data:`finder.suggest.BIG_PLACE` inhabitants or more, is read as that town (``place_source``
        "fuzzy"; the search answer warns ``place_corrected``). None when nothing qualifies."""
        raw = parsed.need.split()
        if len(raw) < 2:
            return None
        last = words(raw[-1])
        w = last[0] if len(last) == 1 else ""
        a = self.analysis
        if (len(w) < 5 or not w.isalpha() or w in a.fuzzy or w in a.splitter.lexicon
                or a.fuzzy.lookup(w) or len(a.splitter.split(w)) > 1):
            return None
        if self.gazetteer.is_place_name(raw[-1]):
            return None  # spelt right: the parser has decided about it ("name change after wedding")
        found = self.suggester.fuzzy_places(w, BIG_PLACE)
        if not found:
            return None
        name = found[0].text.split(" (")[0]
        return ParsedQuery(parsed.text, " ".join(raw[:-1]), name, "fuzzy")

    def _is_only_a_place(self, text: str) -> bool:
        """True when ``text`` is a known place name and none of its words is a catalogue word."""
        return self.gazetteer.is_place_name(text) and not any(
            w in self._vocabulary for w in words(text, keep_stop_words=True))

    def _resolve_place(self, params: SearchParams, parsed: ParsedQuery) -> Place:
        if params.point is not None:
            return self.gazetteer.locate(params.point)
        if parsed.place_text:
            from gazetteer.geocode import parse_address

            geocoder = self._geocoder() if parse_address(parsed.place_text) else None
            return self._settle(self.gazetteer.resolve(parsed.place_text, geocoder=geocoder))
        return Place(status="none")

    def _settle(self, place: Place) -> Place:
        """An ambiguous name whose most populous Gemeinde outweighs the next by :data:`DOMINANT_FACTOR`
        ("Eisenach": 42,000 in Thüringen against 370 in Rheinland-Pfalz) is read as that Gemeinde, said
        openly: warning ``assumed_most_populous`` and the other candidates kept for the agent to switch.
        Anything closer ("Neustadt", "Frankfurt") stays ambiguous."""
        cands = place.candidates
        if place.status != "ambiguous" or len(cands) < 2:
            return place
        first, second = cands[0].population or 0, cands[1].population or 0
        if first < DOMINANT_FACTOR * max(second, 1):
            return place
        chosen = self.gazetteer.resolve(cands[0].ags)
        if chosen.status != "resolved":
            return place
        return chosen.model_copy(update={
            "query": place.query, "candidates": cands,
            "warnings": [*chosen.warnings, "assumed_most_populous"],
            "message": f"„{place.query or cands[0].name}“ ist mehrdeutig: gelesen als {cands[0].name} "
                       f"({cands[0].land}, {first:_} Einwohner); andere Orte siehe candidates.".replace("_", "."),
        })

    def _analyse_need(self, need: str) -> list[QueryToken]:
        """The need as query tokens with readings (see :mod:`finder.tokens`); synonym files changed on
        disk take effect here (one ``stat`` per file)."""
        if self.analysis.synonyms is not None:
            self.analysis.synonyms.reload_if_changed()
        return analyse_query(need, self.analysis)

    def _rank(self, tokens: list[QueryToken], limit: int,
              land: str | None = None) -> tuple[list[tuple[str, float]], list[dict]]:
        if not tokens:
            return [], []
        hits = self.index.search(ranking.backend_query(tokens, limit))
        importance = [ranking.token_importance(t, self._term_df, len(self._service_terms), self._verrichtung_df)
                      for t in tokens]
        scored = []
        compiled = [ranking.compile_token(t) for t in tokens]
        all_terms = frozenset(r.term for t in tokens for r in t.readings)
        # Hits come best BM25 first and no factor raises a score above BM25 × (1 + NAME_COVERAGE_BONUS).
        # A variant of another origin may move into the top `limit` whatever its score (finder.variants),
        # so the re-rank stops early (once the bound is below MOVE_SCORE_RATIO² of the limit-th score: two
        # moves among keys of one origin) only while no key of another Land than the place's has been
        # scored; after one, it reads the whole CANDIDATE_POOL.
        top: list[float] = []  # min-heap of the best `limit` final scores
        ceiling = (1.0 + ranking.NAME_COVERAGE_BONUS) / MOVE_SCORE_RATIO**2
        land_keys = False  # a key of another Land scored so far: its national variant must be seen
        own_origins = ("99", land or HOME_LAND)
        keep = max(limit, 1)
        for h in hits:
            if len(top) >= keep and h.score * ceiling < top[0] and not land_keys:
                break
            land_keys = land_keys or (len(h.key) == 14 and h.key[:2] not in own_origins)
            terms = self._service_terms.get(h.key, frozenset())
            cov = ranking.coverage(compiled, terms, importance)
            name_cov = ranking.coverage(compiled, self._name_terms.get(h.key, frozenset()), importance)
            final = ranking.final_score(h.score, cov, name_cov)
            final *= ranking.qualifier_factor(self._qualifiers.get(h.key, frozenset()), all_terms)
            if terms.isdisjoint(all_terms):
                final = h.score * DESCRIPTION_ONLY_FACTOR  # matched only in the description text
            svc = self.catalog.services.get(h.key)
            if svc is not None:
                final *= land_factor(svc, land, self._lands_with_data)
            scored.append((h.key, final, h.score, cov, name_cov, terms))
            if len(top) < keep:
                heapq.heappush(top, final)
            elif final > top[0]:
                heapq.heapreplace(top, final)
        scored.sort(key=lambda t: (-t[1], t[0]))
        order = {k: i for i, k in enumerate(prefer_variants([t[0] for t in scored], self.catalog.services, land,
                                                            {t[0]: t[1] for t in scored}))}
        scored.sort(key=lambda t: order[t[0]])
        trace = [{"leika_key": k, "score": round(f, 4), "bm25": round(b, 4), "coverage": round(c, 3),
                  "name_coverage": round(nc, 3),
                  "covered": {t.text: round(ranking.token_weight(t, terms), 3) for t in tokens}}
                 for k, f, b, c, nc, terms in scored[:limit]]
        return [(k, f) for k, f, *_ in scored[:limit] if k in self.catalog.services], trace

    def _result(self, rank: int, key: str, score: float, place: Place) -> Result:
        service = self.catalog.services[key]
        answer: OfficeAnswer = offices_for(service, self.catalog, place, self.covered_ags,
                                           self.settings.offices_per_service, self.office_ags)
        return Result(
            rank=rank, score=round(score, 4), service=service_out(service),
            offices=[office_out(m.office, m) for m in answer.offices],
            coverage=Coverage(status=answer.status, message=answer.message, offices_total=answer.total),
            responsible=self.responsibility.answer(key, service.name, place, answer.offices),
        )

    def responsible(self, leika_key: str, where: str | None = None,
                    point: Point | tuple[float, float] | None = None, ars: str | None = None) -> ResponsibleResponse:
        """Who is responsible for a LeiKa key (any key, in the catalogue or not) at a place given as a
        name/PLZ/AGS/ARS (``where``), as the Gemeinde's key (``ars``: 12-digit ARS or 8-digit AGS;
        responsibility is decided per Gemeinde) or as a WGS84 point ((lon, lat) degrees).

        Raises:
            UsageError: malformed key; not exactly one of ``where``, ``ars`` and ``point``; an ``ars``
                that is no 8- or 12-digit key.
            NotFoundError: a key the catalogue does not know and no rule covers; an ``ars`` no Gemeinde
                of the reference generation has.
        """
        from zufi.errors import UsageError
        from zufi.model import parse_leika_key

        key = parse_leika_key(leika_key)
        if sum(x is not None for x in (where, point, ars)) != 1:
            raise UsageError("give exactly one place: a name, PLZ, AGS or ARS, or a point (lat/lon)")
        if ars is not None:
            where = self._known_area_key(ars, (8, 12), "the Gemeinde's 12-digit ARS or 8-digit AGS "
                                         "(responsibility is decided per Gemeinde)")
        if point is not None:
            place = self.gazetteer.locate(point if isinstance(point, Point) else Point.checked(*point))
        else:
            place = self._settle(self.gazetteer.resolve(
                clean_text(where, what="where", max_chars=self.settings.max_query_chars, required=True) or ""))
        service = self.catalog.services.get(key)
        records = []
        if service is not None:
            records = offices_for(service, self.catalog, place, self.covered_ags,
                                  self.settings.offices_per_service, self.office_ags).offices
        answers = self.responsibility.answer(key, service.name if service else None, place, records)
        if service is None and all(a.level == "unknown" for a in answers):
            from zufi.errors import NotFoundError

            raise NotFoundError(f"no service with LeiKa-Schlüssel {key}, and no rule for its group")
        return ResponsibleResponse(leika_key=key, service_name=service.name if service else None, place=place,
                                   responsible=answers)

    # ------------------------------------------------------------------ other requests
    def locate(self, lat: float | None, lon: float | None, x: float | None = None, y: float | None = None,
               crs: str | None = None) -> LocateResponse:
        """Resolve a point to its chain of areas: WGS84 ``lat``/``lon`` degrees, or projected ``x``/``y``
        metres with ``crs`` (e.g. "EPSG:25832", see :data:`gazetteer.crs.SUPPORTED_CRS`).

        Raises:
            UsageError: missing or out-of-range coordinates; metres given as lat/lon (the message names
                the likely CRS); x/y without crs; unsupported crs.
        """
        from zufi.errors import UsageError

        point = make_point(lat, lon, x, y, crs)
        if point is None:
            raise UsageError("give lat and lon (WGS84 degrees), or x, y and crs")
        place = self.gazetteer.locate(point)
        return LocateResponse(place=place, warnings=list(place.warnings))

    def resolve_place(self, text: str) -> LocateResponse:
        """Resolve a place name, PLZ, AGS/ARS or street address (as ``zufi locate PLACE``); addresses
        go through the configured geocoder (settings ``geocoder*``)."""
        q = clean_text(text, what="place", max_chars=self.settings.max_query_chars, required=True) or ""
        place = self.gazetteer.resolve(q, geocoder=self._geocoder())
        return LocateResponse(place=place, warnings=list(place.warnings))

    def _geocoder(self):
        """The configured geocoder for street addresses, made on first use (settings ``geocoder*``)."""
        g = getattr(self, "_geocoder_obj", None)
        if g is None:
            from gazetteer.geocode import make_geocoder

            s = self.settings
            try:
                g = make_geocoder(self.gazetteer, s.geocoder, s.geocoder_url, s.geocoder_user_agent,
                                  s.geocoder_min_delay_s, s.geocoder_timeout_s)
            except ValueError as e:
                from zufi.errors import UsageError

                raise UsageError(f"geocoder settings: {e}") from e
            self._geocoder_obj = g
        return g

    def places(self, text: str, limit: int = 10) -> PlacesResponse:
        """The reading of a place text and the known names starting with it (for pickers)."""
        q = clean_text(text, what="q", max_chars=self.settings.max_query_chars, required=True) or ""
        return PlacesResponse(query=q, place=self.gazetteer.resolve(q),
                              matches=self.gazetteer.search_places(q, limit=limit))

    def suggest(self, text: str | None, limit: int = 8) -> SuggestResponse:
        """Autocomplete for a line being typed: services and places (see :mod:`finder.suggest`).

        Raises:
            UsageError: empty ``text``, more than :data:`SUGGEST_MAX_CHARS` characters, or ``limit``
                outside 1 … :data:`SUGGEST_MAX_LIMIT`.
        """
        q = clean_text(text, what="q", max_chars=SUGGEST_MAX_CHARS, required=True) or ""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= SUGGEST_MAX_LIMIT:
            from zufi.errors import UsageError

            raise UsageError(f"limit must be an integer from 1 to {SUGGEST_MAX_LIMIT}")
        return SuggestResponse(query=q, suggestions=[
            SuggestionOut(kind=s.kind, text=s.text, leika_key=s.leika_key, ags=s.ags, score=s.score, match=s.match)
            for s in self.suggester.suggest(q, limit)])

    def service(self, leika_key: str, where: str | None = None, ars: str | None = None) -> ServiceDetail:
        """One service by LeiKa-Schlüssel (or ``ozg-row-<n>`` for an OZG row without key) with all
        offices offering it, the catalogue fields, the structured description and — when ``where`` (a
        place name or PLZ) or ``ars`` (an ARS/AGS of any level; its first two digits are the Land) is
        given — the place's own variant of the service (see :mod:`finder.variants`).

        Raises:
            UsageError: malformed key, malformed ``ars``, both ``where`` and ``ars``, or a ``where`` that
                does not resolve to one place. NotFoundError: unknown key, or an ``ars`` no area of the
                reference generation has.
        """
        from zufi.errors import UsageError

        key = parse_service_id(leika_key)
        service = self.catalog.services.get(key)
        if service is None:
            raise NotFoundError(f"no service with LeiKa-Schlüssel {key}")
        if where is not None and ars is not None:
            raise UsageError("give either where or ars, not both")
        land = None
        if ars is not None:
            land = self._known_area_key(ars, (2, 3, 5, 8, 9, 12), "an ARS/AGS of 2, 3, 5, 8, 9 or 12 digits")[:2]
        elif where is not None:
            text = clean_text(where, what="where", max_chars=self.settings.max_query_chars, required=True) or ""
            place = self.gazetteer.resolve(text)
            if place.status != "resolved" or not place.ars:
                raise UsageError(f"place {where!r} is {place.status}; give a unique place name, PLZ or ars")
            land = place.ars[:2]
        ids = self.catalog.offices_by_service.get(key, [])
        offices = sorted((self.catalog.offices[i] for i in ids), key=lambda o: o.name)
        variant = None
        if land is not None:
            v = self._variant_for(service, land)
            if v is not None:
                variant = VariantOut(service=service_out(v), description=self._sections(v.leika_key, land),
                                     reason=f"Variante von Land {land} ({v.leika_key[:2]}…) derselben Leistung")
        return ServiceDetail(service=service_out(service), offices=[office_out(o) for o in offices],
                             catalogue=CatalogueOut(**{f: getattr(service, f) for f in CatalogueOut.model_fields}),
                             description=self._sections(key, land), land=land, variant=variant)

    def _sections(self, key: str, land: str | None) -> list[DescriptionSectionOut]:
        """Description sections of ``key`` in display order; with ``land``, that Land's sections first."""
        d = self.catalog.description(key)
        if d is None:
            return []
        kinds = {k: i for i, k in enumerate(SECTION_KINDS)}
        return sorted(d.sections, key=lambda s: (land is not None and s.land != land, kinds.get(s.kind, 99)))

    def _known_area_key(self, ars: str, lengths: tuple[int, ...], what: str) -> str:
        """``ars`` stripped, when it is a key of one of ``lengths`` digits that an area of the reference
        generation (VG5000 2021-01-01) has (8 digits: an AGS).

        Raises:
            UsageError: not digits of one of ``lengths`` (the message says ``ars`` must be ``what``).
            NotFoundError: no such area.
        """
        from zufi.errors import UsageError

        a = ars.strip()
        if not (a.isascii() and a.isdigit()) or len(a) not in lengths:
            raise UsageError(f"ars must be {what}, got {ars!r}")
        known = self.gazetteer.gemeinde(a) if len(a) == 8 else self.gazetteer.area(a)
        if known is None:
            raise NotFoundError(f"no area with ARS/AGS {a} (reference generation VG5000 2021-01-01)")
        return a

    def _variant_for(self, service: Service, land: str) -> Service | None:
        """The related service (finder.variants) the place's Land prefers over ``service``, or None."""
        from finder.variants import is_related, preference

        index = getattr(self, "_by_objekt", None)
        if index is None:
            index = {}
            for k in self.catalog.services:
                if len(k) == 14 and k.isascii() and k.isdigit():
                    index.setdefault(k[2:8], []).append(k)
            self._by_objekt = index
        own = preference(service, land)
        if own == 0 or len(service.leika_key) != 14:
            return None
        candidates = [self.catalog.services[k] for k in index.get(service.leika_key[2:8], [])]
        if service.national_key and service.national_key in self.catalog.services:
            candidates.append(self.catalog.services[service.national_key])
        best = [c for c in candidates if c.leika_key != service.leika_key and is_related(service, c)
                and preference(c, land) < own]
        best.sort(key=lambda c: (preference(c, land), c.leika_key[2:11] != service.leika_key[2:11], c.leika_key))
        return best[0] if best else None

    def office(self, office_id: str) -> OfficeDetail:
        """One office by id with the services it offers.

        Raises:
            NotFoundError: unknown id.
        """
        office = self.catalog.offices.get(office_id.strip())
        if office is None:
            raise NotFoundError(f"no office with id {office_id!r}")
        services = [service_out(self.catalog.services[k]) for k in office.services if k in self.catalog.services]
        return OfficeDetail(office=office_out(office), services=sorted(services, key=lambda s: s.name))


def _land_of(place: Place) -> str | None:
    """Two-digit Land code of a resolved place (first digits of its ARS), else None."""
    return place.ars[:2] if place.status == "resolved" and place.ars else None


def _office_ags(catalog: Catalog, gazetteer: Gazetteer) -> dict[str, str]:
    """Office id → AGS (8 digits) of the Gemeinde it stands in: located by its coordinates (WGS84), or,
    for offices without coordinates (e.g. Hamburg's, hamburg.de 2025-05), by its address city, each
    distinct city resolved once; offices whose place does not resolve to exactly one Gemeinde are left
    out. The Gemeinden with an office are the ones covered by office data."""
    out: dict[str, str] = {}
    by_city: dict[str, str | None] = {}
    for o in catalog.offices.values():
        if o.lat is not None and o.lon is not None:
            p = gazetteer.locate(Point(o.lon, o.lat))
            ags = p.ags if p.status == "resolved" else None
        elif o.address.city:
            if o.address.city not in by_city:
                p = gazetteer.resolve(o.address.city)
                by_city[o.address.city] = p.ags if p.status == "resolved" else None
            ags = by_city[o.address.city]
        else:
            ags = None
        if ags:
            out[o.id] = ags
    return out


def _responsibility(build_dir: Path, gazetteer: Gazetteer):
    """The responsibility resolver (:mod:`finder.responsibility`) with the build's town-hall contacts and
    NRW evidence (WSP.NRW)."""
    from finder.responsibility import Resolver, RuleBook
    from zufi.nrw_wsp import load_nrw_wsp
    from zufi.townhalls import load_townhalls

    return Resolver(RuleBook.load(), gazetteer, load_townhalls(build_dir / "catalog"),
                    nrw_wsp=load_nrw_wsp(build_dir / "catalog"))


def _synonym_table(settings: Settings) -> SynonymSource | None:
    """The curated synonym table (:func:`finder.synonyms.default_table`). When an extra file of
    ``ZUFI_SYNONYM_FILES`` cannot be read or parsed, the shipped files alone, with a logged warning
    naming it; ``None``, with a logged warning, when the shipped files cannot be read — search then runs
    without synonyms rather than not at all."""
    from finder.synonyms import DATA_DIR, REPO_FILES, SynonymTable, default_table

    try:
        return default_table(settings)
    except DataFileError as exc:
        problem = exc
    if settings.synonym_files:
        try:
            table = SynonymTable.load([DATA_DIR / name for name in REPO_FILES])
        except DataFileError as exc:  # the shipped files themselves are broken
            problem = exc
        else:
            log.warning("extra synonym files not used (ZUFI_SYNONYM_FILES): %s", problem)
            return table
    log.warning("searching without synonyms: %s", problem)
    return None


def service_out(s: Service) -> ServiceOut:
    """The API shape of a service."""
    return ServiceOut(id=s.leika_key, leika_key=s.leika_key if s.in_leika else None, in_leika=s.in_leika,
                      name=s.name, legal_basis=s.legal_basis, leistungsobjekt=s.leistungsobjekt,
                      verrichtung=s.verrichtung, group=s.group, synonyms=s.synonyms, url=s.url,
                      description=s.description)


def office_out(o: Office, match: OfficeMatch | None = None) -> OfficeOut:
    """The API shape of an office, with distance and reason when it answers a search."""
    return OfficeOut(
        id=o.id, name=o.name, authority=o.authority, category=o.category, address=o.address.one_line(),
        postal_code=o.address.postal_code or None, city=o.address.city or None, lat=o.lat, lon=o.lon,
        distance_m=round(match.distance_m) if match and match.distance_m is not None else None,
        opening_hours=o.opening_hours, phone=o.phone, email=o.email, url=o.url,
        appointment_url=(match.appointment_url if match else o.appointment_url),
        reason=match.reason if match else None,
    )


class FinderHolder:
    """Keeps one :class:`Finder` for a server and follows `zufi index`: when the ``current`` link points
    to a new build, the new build is opened (and its place parser warmed) in a background thread while
    requests go on being answered from the previous build, which the indexer keeps; then it is swapped
    in. Checking costs one ``readlink`` per request. If the new build cannot be opened, the old one
    keeps serving and the failure is logged once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._finder: Finder | None = None
        self._target: str | None = None
        self._loading: str | None = None  # target being opened in the background
        self._failed: str | None = None  # target that could not be opened

    def _current_target(self) -> str | None:
        try:
            return os.readlink(self.settings.current_index)
        except OSError:
            return None

    def get(self) -> Finder:
        """The Finder for the serving build (the previous one while a new build is being opened).

        Raises:
            IndexUnavailableError: when no build has been opened yet and none can be.
        """
        target = self._current_target()
        finder = self._finder
        if finder is not None and target == self._target:
            return finder
        if finder is None:
            with self._lock:
                if self._finder is None:
                    self._finder = Finder.open(self.settings)
                    self._target = target
                return self._finder
        with self._lock:
            if target not in (self._loading, self._failed):
                self._loading = target
                threading.Thread(target=self._reload, args=(target,), daemon=True,
                                 name="zufi-reload").start()
        return finder

    def wait_reloaded(self, timeout: float = 60.0) -> None:
        """Block until no background reload is running (for tests and for `zufi serve` start-up)."""
        deadline = time.monotonic() + timeout
        while self._loading is not None and time.monotonic() < deadline:
            time.sleep(0.01)

    def _reload(self, target: str | None) -> None:
        try:
            new = Finder.open(self.settings)
            new.place_parser.warm()
        except Exception as exc:  # noqa: BLE001 - keep serving the old build, say why once
            log.warning("new index build %s not opened, serving the previous one: %s", target, exc)
            with self._lock:
                self._failed, self._loading = target, None
            return
        with self._lock:
            self._finder, self._target, self._loading = new, target, None
        with self._lock:
            if self._finder is None or target != self._target:
                self._finder = Finder.open(self.settings)
                self._target = target
            return self._finder
