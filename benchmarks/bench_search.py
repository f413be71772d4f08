"""End-to-end benchmark on all of Germany, pinned to one core (not a test; prints numbers).

Measures: full index build time (fetch from the mirror, then `build_index`), search latency
p50/p95/p99 in-process over ≥ 200 mixed queries with and without a place, locate throughput
(points/s), and the serving process's RSS after loading and querying.

    python benchmarks/bench_search.py [--mirror ../shared/data] [--home DIR] [--rounds 5]

Targets (issue 2): search p50 ≤ 2 ms, p99 ≤ 10 ms; locate ≥ 20,000 points/s; build ≤ 30 s; RSS ≤ 500 MB.
"""

from __future__ import annotations

import random
import resource
import time

from common import arguments, one_core, percentiles, prepared_home


NEEDS = [
    "Personalausweis beantragen", "Wohnsitz anmelden", "Reisepass", "Hund anmelden", "Führerschein umtauschen",
    "Fuehrerschein", "Gewerbe anmelden", "Kfz Zulassung", "Geburtsurkunde", "Eheschließung", "Wohngeld",
    "Baugenehmigung", "Elterngeld", "Führungszeugnis", "Meldebescheinigung", "Anwohnerparkausweis",
    "Abmeldung Wohnung", "Kindergeld", "Sterbeurkunde", "Fischereischein", "Aufenthaltstitel verlängern",
    "Namensänderung", "Umzug", "Personalausweis verloren", "Fahrzeug abmelden", "Hundesteuer",
    "Wo bekomme ich einen Reisepass", "Lohnsteuer", "Schwerbehindertenausweis", "Einbürgerung",
]
PLACES = ["10115", "Erfurt", "Neukölln", "99084", "München", "Köln", "Neustadt", "Halle (Saale)", "12043",
          "Weimar", "Hamburg", "Jena", "Dresden", "15537", "Berlin"]


def main() -> None:
    args = arguments(__doc__, rounds=5).parse_args()
    one_core()

    from finder.core import Finder
    from zufi.model import Point
    from zufi.settings import Settings

    home, build_s = prepared_home(args.mirror, args.home, rebuild=True)
    settings = Settings(home=home, mirror=args.mirror)

    t0 = time.perf_counter()
    finder = Finder.open(settings)
    open_s = time.perf_counter() - t0

    rng = random.Random(42)
    queries: list[tuple[str, str | None, bool]] = []  # (text, where, has a place)
    for need in NEEDS:
        queries.append((need, None, False))
        for place in rng.sample(PLACES, 5):
            queries.append((need, place, True))
    for need in NEEDS[:20]:
        queries.append((f"{need} {rng.choice(PLACES)}", None, True))  # place inside the line
    assert len(queries) >= 200, len(queries)

    for text, where, _ in queries[:20]:  # warm-up
        finder.search(text, where=where)
    lat_with, lat_without = [], []
    for _ in range(args.rounds):
        for text, where, has_place in queries:
            t = time.perf_counter()
            finder.search(text, where=where)
            (lat_with if has_place else lat_without).append((time.perf_counter() - t) * 1000)
    all_lat = lat_with + lat_without

    pts = [Point(rng.uniform(5.9, 15.0), rng.uniform(47.3, 55.0)) for _ in range(50_000)]
    t = time.perf_counter()
    for p in pts:
        finder.gazetteer.locate(p)
    locate_s = time.perf_counter() - t

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"zufi benchmark — one core, all of Germany ({len(finder.catalog.services)} services, "
          f"{len(finder.catalog.offices)} offices)")
    print(f"build (full index)        {build_s:.1f} s")
    print(f"open index                {open_s * 1000:.0f} ms")
    print(f"search, all ({len(all_lat)} calls, {len(queries)} distinct)  {percentiles(all_lat)}")
    print(f"search, with place        {percentiles(lat_with)}")
    print(f"search, need only         {percentiles(lat_without)}")
    print(f"locate                    {len(pts) / locate_s:,.0f} points/s ({len(pts):,} random points in the bbox)")
    print(f"serving RSS (max)         {rss_mb:.0f} MB (this process: index open + queries + locate)")


if __name__ == "__main__":
    main()
