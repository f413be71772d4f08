"""Hamburg (issue 6): the reviewed Hamburg → LeiKa table, Hamburg's offices, coverage without
coordinates. Real data through the mirror."""

from __future__ import annotations

import csv
from pathlib import Path

from indexer.hamburg import MAPPING_CSV, read_hamburg_offices, read_mapping
from indexer.report import BuildReport
from zufi.model import is_leika_key


def test_mapping_table_is_reviewed_and_complete():
    with MAPPING_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 114
    assert {r["method"] for r in rows} <= {"exact name", "synonym", "manual reading", "no match"}
    for r in rows:
        assert bool(r["leika_key"]) == (r["method"] != "no match"), r
        assert not r["leika_key"] or is_leika_key(r["leika_key"])
        assert r["method"] == "exact name" or r["reviewer_note"], r
    assert read_mapping()["Meldebescheinigung beantragen"] == "11115004022000"


def test_hamburg_offices(mirror: Path):
    report = BuildReport()
    offices = {o.name: o for o in read_hamburg_offices(mirror, read_mapping(), report)}
    altona = offices["Altona Einwohnerangelegenheiten"]
    assert (altona.lat, altona.lon) == (53.5469, 9.9350)          # Bezirk Altona point (bezirke.csv)
    assert altona.address.city == "Hamburg" and altona.source.startswith("hamburg.de 2025-05")
    assert "11115004022000" in altona.services
    assert offices["Lurup Einwohnerangelegenheiten"].lat is None   # Lurup is no Bezirk: no coordinates
    assert offices["ARD ZDF Deutschlandradio Beitragsservice"].address.city == ""  # sits in Köln
    assert report.rejected["hamburg_links"]["service not mapped to LeiKa"] > 0


def test_meldebescheinigung_in_hamburg_lists_hamburg_offices(finder):
    res = finder.search("Meldebescheinigung beantragen", where="Hamburg")
    top = res.results[0]
    assert top.service.leika_key == "11115004022000"
    assert top.coverage.status == "offices"
    assert top.offices and all(o.city == "Hamburg" for o in top.offices)
    assert "hamburg.de 2025-05" in top.offices[0].reason


def test_hamburg_is_covered_by_office_data(finder):
    assert "02000000" in finder.covered_ags
    res = finder.search("Gewerbe anmelden", where="Hamburg")
    gewerbe = next(r for r in res.results if r.service.leika_key == "99050012104000")
    assert gewerbe.coverage.status == "offices"
