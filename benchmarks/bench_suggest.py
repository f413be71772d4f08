"""Autocomplete and need/place parsing benchmark, pinned to one core (not a test; prints numbers).

Measures: building the Suggester and the place parser (the spaCy PhraseMatcher over every name key),
then ``Finder.suggest`` latency p50/p95/p99 over ≥ 2,000 calls with realistic prefixes (1–15
characters) of service names, place names, PLZ and typos, and ``PlaceParser.split`` latency over
search lines with and without a place.

    python benchmarks/bench_suggest.py [--mirror ../shared/data] [--home DIR] [--rounds 3]

Targets: suggest p99 ≤ 10 ms in-process; parser build ≤ 1.5 s.
"""

from __future__ import annotations

import random
import time

from common import arguments, one_core, percentiles, prepared_home


PLACES = ["Erfurt", "Neustadt", "Berlin", "München", "Köln", "Koeln", "Frankfurt (Oder)", "Halle (Saale)",
          "Bad Berka", "Hamburg-Altona", "Neukölln", "Weimar", "Jena", "Essen", "Kirchheim", "Dresden"]
NEEDS = ["Personalausweis", "Reisepass", "Hund anmelden", "Führerschein", "Fuehrerschein", "Wohngeld",
         "Meldebescheinigung", "Gewerbe anmelden", "Kfz Zulassung", "Geburtsurkunde", "Ummeldung"]
TYPOS = ["Persoanlausweis", "Fuhrerschien", "Reispass", "Meldebescheingung", "Wohngled", "Geburtsurkunde",
         "Gewrebe", "Persoanl", "Eheschliesung", "Kindergled"]
PLZ = ["1", "10", "101", "1011", "10115", "99", "994", "9942", "99423", "15537", "8033"]


def prefixes(text: str, longest: int = 15) -> list[str]:
    """Every prefix of ``text`` from 1 to ``longest`` characters (what a user types, key by key)."""
    return [text[:n] for n in range(1, min(longest, len(text)) + 1)]


def main() -> None:
    args = arguments(__doc__, rounds=3).parse_args()
    one_core()

    from finder.core import Finder
    from zufi.settings import Settings

    home, _ = prepared_home(args.mirror, args.home, rebuild=False)
    settings = Settings(home=home)

    t0 = time.perf_counter()
    finder = Finder.open(settings)
    open_s = time.perf_counter() - t0
    from finder.suggest import Suggester

    cat, gaz = finder.catalog, finder.gazetteer
    t0 = time.perf_counter()
    Suggester(cat.services.values(), list(gaz.names()), gaz.postcodes(),
              {k: len(v) for k, v in cat.offices_by_service.items()})
    suggester_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    import spacy  # noqa: F401 - the first build pays this import; measured apart

    spacy_import_s = time.perf_counter() - t0
    parser_s = finder.place_parser.warm()

    rng = random.Random(7)
    services = sorted(s.name for s in cat.services.values())
    texts: list[str] = []
    for name in rng.sample(services, 120):
        texts += prefixes(name)
    for name in PLACES:
        texts += prefixes(name)
    for need in NEEDS:
        texts += prefixes(need)
        for place in rng.sample(PLACES, 2):
            line = f"{need} {place}"
            texts += [line[:n] for n in range(len(need) + 2, len(line) + 1)]
    for typo in TYPOS:
        texts += prefixes(typo)
    texts += PLZ + [f"Ummeldung {p}" for p in PLZ]
    texts = [t for t in texts if t.strip()]
    assert len(texts) >= 2000, len(texts)

    for t in texts[:50]:  # warm-up
        finder.suggest(t)
    lat: list[float] = []
    by_len: dict[str, list[float]] = {"1-3": [], "4-8": [], "9-15": [], ">15": []}
    for _ in range(args.rounds):
        for text in texts:
            t = time.perf_counter()
            finder.suggest(text)
            ms = (time.perf_counter() - t) * 1000
            lat.append(ms)
            n = len(text)
            by_len["1-3" if n <= 3 else "4-8" if n <= 8 else "9-15" if n <= 15 else ">15"].append(ms)

    lines = [f"{n} {p}" for n in NEEDS for p in PLACES] + NEEDS + [f"{n} in der Nähe von {p}" for n in NEEDS for p in PLACES[:4]]
    split_lat = []
    for _ in range(args.rounds):
        for line in lines:
            t = time.perf_counter()
            finder.place_parser.split(line)
            split_lat.append((time.perf_counter() - t) * 1000)

    n_keys = len({n.key for n in gaz.names()})
    print(f"zufi suggest/parse benchmark — one core ({len(cat.services)} services, {n_keys:,} place name keys)")
    print(f"open index (Finder, incl. Suggester)  {open_s * 1000:.0f} ms")
    print(f"Suggester build                       {suggester_s * 1000:.0f} ms")
    print(f"place parser build (spaCy matchers)   {parser_s * 1000:.0f} ms, plus `import spacy` "
          f"{spacy_import_s * 1000:.0f} ms on first use")
    print(f"suggest, all ({len(lat)} calls, {len(texts)} distinct)  {percentiles(lat)}")
    for k, v in by_len.items():
        if v:
            print(f"suggest, {k:>5} chars ({len(v):5d})      {percentiles(v)}")
    print(f"split need/place ({len(split_lat)} calls)      {percentiles(split_lat)}")


if __name__ == "__main__":
    main()
