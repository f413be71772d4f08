"""Structured descriptions (issue 6): Berlin 2024 texts and complete pages, Hamburg pages; repairs only
where verifiable; low-weight search over description text. Real data through the mirror."""

from __future__ import annotations

from collections import Counter

from indexer.descriptions import GlueRepair, unescape_markdown


def test_glue_repair_splits_only_verified_words():
    g = GlueRepair(Counter({"Haltungsort": 3, "gefährliche": 4, "Berlin": 9, "Online": 9, "verziehen": 2, "oder": 9}),
                   clean=Counter({"BerlinOnline": 1}))
    assert g("Dauerhafter HaltungsortGefährliche Hunde") == "Dauerhafter Haltungsort\nGefährliche Hunde"
    assert g("verziehenoder") == "verziehenoder"          # no case boundary: kept raw
    assert g("BerlinOnline") == "BerlinOnline"            # written so on structured pages: kept
    assert g("HaltungsortXyzabc") == "HaltungsortXyzabc"  # right half not a known word: kept
    assert g.done == 1


def test_markdown_escapes_undone():
    assert unescape_markdown("bmg/\\_\\_18.html\xa0BMG") == "bmg/__18.html BMG"


def test_wohnsitz_anmeldung_description(client):
    body = client.get("/api/v1/services/99115005104000").json()
    sections = {}
    for s in body["description"]:
        sections.setdefault(s["kind"], s)
    assert sections["documents"]["items"][0]["titel"] == "Identitätsnachweis"
    assert sections["fees"]["text"] == "keine"
    assert sections["legal_basis"]["items"][0]["titel"] == "Bundesmeldegesetz (BMG)"
    assert sections["legal_basis"]["items"][0]["link"] == "https://www.gesetze-im-internet.de/bmg/"
    for s in body["description"]:
        assert s["source"] and s["date"]
    assert {s["land"] for s in body["description"]} == {"11", "02"}  # Berlin page and Hamburg's "Umzug"


def test_place_puts_its_lands_sections_first(client):
    hh = client.get("/api/v1/services/99115005104000", params={"where": "Hamburg"}).json()
    assert hh["land"] == "02" and hh["description"][0]["land"] == "02"
    assert "\\_" not in " ".join(s["text"] for s in hh["description"])


def test_berlin_text_export_repaired_in_the_description(client):
    body = client.get("/api/v1/services/99110009104001").json()   # gefährlicher Hund, text export only
    who = next(s for s in body["description"] if s["kind"] == "who")
    assert who["source"] == "service.berlin.de (text export)"
    assert "Haltungsort\nGefährliche Hunde" in who["text"] and "HaltungsortGefährliche" not in who["text"]


def test_description_mention_does_not_outrank_the_named_service(finder):
    # two Wohngeld pages mention Bürgergeld; no service is named so: Wohngeld must not come first
    first = finder.search("Bürgergeld").results[0].service
    assert "wohngeld" not in first.name.lower()
    # while a word found only in descriptions still finds the page that uses it
    keys = [r.service.leika_key for r in finder.search("Lastenzuschuss Eigenheim", limit=5).results]
    assert "11107023017901" in keys


def test_cli_service_prints_description(settings):
    from typer.testing import CliRunner

    from zufi.cli import app

    # the CLI reads its settings from the environment: CliRunner sets it for this invocation only
    out = CliRunner().invoke(app, ["service", "99115005104000"], env={"ZUFI_HOME": str(settings.home)})
    assert out.exit_code == 0, out.output
    assert "Gebühren" in out.output and "keine" in out.output and "Bundesmeldegesetz" in out.output
