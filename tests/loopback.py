"""A loopback HTTP server over a directory laid out like the publishers' servers (tests only: there is
no network here, so downloads are tested against files written from the mirror)."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


def served_path(url: str) -> str:
    """The path under the served directory that answers ``url`` (a trailing "/" serves index.html)."""
    path = urlsplit(url).path
    return path + "index.html" if path.endswith("/") else path


class Handler(SimpleHTTPRequestHandler):
    """Static files, plus per-path misbehaviour set in ``server.behaviour``: ``close`` (hang up without an
    answer), ``truncate`` (announce the full length, send half), ``503-once``, ``junk`` (200 with HTML)."""

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.hits[path] += 1
        mode = self.server.behaviour.get(path)
        if mode == "close":
            self.close_connection = True
            return
        if mode == "503-once" and self.server.hits[path] == 1:
            self.send_error(503, "busy")
            return
        if mode in ("truncate", "junk"):
            body = (Path(self.directory) / path.lstrip("/")).read_bytes() if mode == "truncate" else b"<html>x</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if mode == "truncate" else body)
            self.close_connection = True
            return
        super().do_GET()


class Server(ThreadingHTTPServer):
    """A threaded server that ignores clients hanging up early (expected in these tests)."""

    def handle_error(self, request, client_address) -> None:
        pass


@contextmanager
def serving(directory: Path) -> Iterator[Server]:
    """A :class:`Server` on 127.0.0.1 (random port) over ``directory``, with ``behaviour`` and ``hits``."""
    httpd = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    httpd.behaviour, httpd.hits = {}, Counter()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def fresh_url(httpd: Server) -> str:
    """The server's base URL, with its misbehaviour and hit counts reset."""
    httpd.behaviour.clear()
    httpd.hits.clear()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def server_fixtures(root: str, server_name: str = "server", url_name: str = "base_url"):
    """A module-scoped server fixture over the fixture ``root`` (a directory) and a per-test fixture with
    its fresh base URL, under the given names: ``server, base_url = server_fixtures("publisher_root")``."""
    import pytest

    @pytest.fixture(scope="module", name=server_name)
    def _server(request):
        with serving(request.getfixturevalue(root)) as httpd:
            yield httpd

    @pytest.fixture(name=url_name)
    def _url(request) -> str:
        return fresh_url(request.getfixturevalue(server_name))

    return _server, _url
