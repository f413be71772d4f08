"""The search page in a real browser (Debian's chromium driven by Playwright) against a live server."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def base_url(settings):
    """A uvicorn server on a free loopback port, serving the session's index; stopped afterwards."""
    import uvicorn

    from finder.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is required (.ci/run installs it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        pg = browser.new_page()
        pg.goto(base_url + "/")
        yield pg
        browser.close()


def _search(page, text: str) -> None:
    page.evaluate("document.getElementById('out').replaceChildren()")  # no stale answer to wait for
    page.fill("input[name=q]", text)
    page.fill("input[name=where]", "")
    page.click("button")


def test_need_and_place_show_the_responsible_office(page):
    _search(page, "Hund anmelden Erfurt")
    page.wait_for_selector("li.result")
    body = page.inner_text("#out")
    assert "Ort: Erfurt (AGS 16051000)" in body
    assert "Zuständig: Steueramt der Stadt Erfurt" in body


def test_ambiguous_place_offers_candidates_and_a_click_picks_one(page):
    _search(page, "Personalausweis beantragen Neustadt")
    page.wait_for_selector("text=Mehrdeutig")
    page.click("text=Neustadt an der Weinstraße (Neustadt an der Weinstraße, Rheinland-Pfalz)")
    page.wait_for_selector("text=Ort: Neustadt an der Weinstraße")
    assert "Personalausweisbehörde der Stadt Neustadt an der Weinstraße" in page.inner_text("#out")


def test_markup_in_the_query_is_shown_as_text_never_run(page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _search(page, "<script>alert(1)</script> Hund anmelden")
    page.wait_for_selector("li.result")
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.inner_text("#out")
