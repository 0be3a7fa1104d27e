"""Fixtures for the server's tests: servers started once per session, and a site on 127.0.0.1 to fetch from."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Callable, Iterator

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed: pip install -e '.[serve]'")
pytest.importorskip("uvicorn", reason="the server extra is not installed: pip install -e '.[serve]'")

from helpers import loopback_server  # noqa: E402
from server.serving import EXAMPLES, Server, start_server  # noqa: E402


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., Server]]:
    """Start a server with these command-line options (once per set of options); all stop at the end."""
    started: dict[tuple[str, ...], Server] = {}

    def get(*args: str) -> Server:
        if args not in started:
            started[args] = start_server(*args)
        return started[args]

    yield get
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session")
def server(serve) -> Server:
    """A default server (loopback, no token) with --allow-private, so that tests can fetch from 127.0.0.1."""
    return serve("--allow-private")


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 serving the example pages (and a redirect), as a publisher's site would."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.startswith("/redirect?to="):
                self.send_response(302)
                self.send_header("Location", self.path.split("=", 1)[1])
                self.end_headers()
                return
            path = (EXAMPLES / self.path.lstrip("/")).resolve()
            if EXAMPLES not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        yield url
