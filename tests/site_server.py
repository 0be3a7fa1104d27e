"""A small web site on 127.0.0.1 for the whole-site tests: fixed routes, a request log, and gates.

Each route is a path mapped to ``Route`` (status, headers, body) or to a
callable taking the handler and returning one. Every request is logged with
its arrival time, the number of requests in progress at that moment and its
headers, so tests can check what the client did (per-host concurrency, the
delay between requests, conditional requests) from the server's side.
A ``gate`` (threading.Event) on a route holds its answer until the test
releases it; every wait is bounded so that no test can hang.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

GATE_TIMEOUT = 20.0  # seconds a gated route waits at most


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    gate: threading.Event | None = None
    hold: float = 0.0  # seconds to keep the connection busy before answering (for concurrency checks)


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    active: int
    headers: dict[str, str]


class SiteServer:
    def __init__(self, routes: dict[str, Route | Callable[["SiteServer", BaseHTTPRequestHandler], Route]]):
        self.routes = routes
        self.hits: list[Hit] = []
        self._active = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server._lock:
                    server._active += 1
                    server.hits.append(Hit(self.path, time.monotonic(), server._active, dict(self.headers)))
                try:
                    route = server.routes.get(self.path.split("?", 1)[0])
                    if callable(route):
                        route = route(server, self)
                    if route is None:
                        route = Route(b"not found", 404, {"Content-Type": "text/plain"})
                    if route.gate is not None:
                        route.gate.wait(GATE_TIMEOUT)
                    if route.hold:
                        time.sleep(route.hold)
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                finally:
                    with server._lock:
                        server._active -= 1

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # a client that hung up is not news
                pass

        self._httpd = Quiet(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


def page(title: str, body: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body or 'Some story text.'}</p></article></body></html>").encode()
