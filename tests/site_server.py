"""A small web site on 127.0.0.1 for the whole-site tests: fixed routes, a request log, and gates.

Each route is a path mapped to ``Route`` (status, headers, body) or to a
callable taking the handler and returning one. Every request is logged with
its arrival time, the number of requests in progress at that moment, its
headers and the moment the server began to answer it, so tests can check what
the client did (per-host concurrency, the delay between requests, conditional
requests) from the server's side.
A ``gate`` (threading.Event) on a route holds its answer until the test
releases it; ``SiteServer.wait_until`` lets a route wait for a state of the
server (say, two requests in progress); every wait is bounded so that no test
can hang.

Times are ``time.monotonic()``, the clock the crawler spaces its requests by.
Causality gives bounds that hold on any machine, however loaded: the client
cannot start a request before it has the answer it waited for, and a request
reaches the server after it was started. ``spacing_violations`` checks the
delay that way, never against a duration.
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


@dataclass
class Hit:
    path: str
    at: float  # arrival
    active: int  # requests in progress at arrival, this one included
    headers: dict[str, str]
    answered: float | None = None  # when the first byte of the answer was about to be written


class SiteServer:
    def __init__(self, routes: dict[str, Route | Callable[["SiteServer", BaseHTTPRequestHandler], Route]]):
        self.routes = routes
        self.hits: list[Hit] = []
        self._active = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server._lock:
                    server._active += 1
                    hit = Hit(self.path, time.monotonic(), server._active, dict(self.headers))
                    server.hits.append(hit)
                    server._changed.notify_all()
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
                    hit.answered = time.monotonic()
                    self.send_response(route.status)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                finally:
                    with server._lock:
                        server._active -= 1
                        server._changed.notify_all()

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

    def wait_until(self, condition: Callable[["SiteServer"], bool], timeout: float = GATE_TIMEOUT) -> bool:
        """Block (a route handler, say) until ``condition(server)`` holds or ``timeout`` passes; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout)

    @property
    def active(self) -> int:
        """Requests in progress now (read it under ``wait_until``, which holds the lock)."""
        return self._active


def spacing_violations(hits: list[Hit], delay: float, per_host: int) -> list[str]:
    """Where the server's log proves the client started two requests to the host less than ``delay`` apart.

    Arrival times alone prove nothing (a request can be held up on the way and arrive just before the next),
    so the bounds come from causality. Every request after the first started after the first was answered
    (robots.txt comes first and the pages wait for it), and request starts are ``delay`` apart, so of the
    requests after the first, the k-th to arrive came at least ``(k - 1) * delay`` after that answer. With one request at a time (``per_host=1``)
    the client also starts each request after the previous answer, so each arrival is at least ``delay``
    after the answer two requests back. Only a client that broke the rule can fail these, never a slow machine.
    """
    slack = 1e-3  # asyncio may wake a sleeper a clock tick early; far below any delay a test uses
    ordered = sorted(hits, key=lambda h: h.at)
    first, rest = ordered[0], ordered[1:]
    problems = [f"{h.path} arrived {h.at - first.answered:.3f} s after the first answer, before {k} delays"
                for k, h in enumerate(rest) if h.at < first.answered + k * delay - slack]
    if per_host == 1:
        problems += [f"{h.path} arrived {h.at - two_back.answered:.3f} s after {two_back.path} was answered"
                     for two_back, h in zip(ordered, ordered[2:]) if h.at < two_back.answered + delay - slack]
    return problems


def page(title: str, body: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body or 'Some story text.'}</p></article></body></html>").encode()
