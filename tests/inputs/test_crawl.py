"""The polite crawler against a local server: retries, Retry-After, per-host limits and delay, robots.txt, cache.

Everything is observed from the server's side (its request log), on 127.0.0.1 only; every wait is bounded.
Delays are checked with causal bounds from the server's log (a slow machine cannot break them), never as durations.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from site_server import Hit, Route, SiteServer, page, spacing_violations

from compliance.inputs.crawl import Crawler, Politeness
from compliance.inputs.fetch import FetchError, FetchLimits

pytestmark = pytest.mark.network
LIMITS = FetchLimits(timeout=5)
FAST = Politeness(delay=0.0, per_host=4, retries=2)


def crawl(server: SiteServer, *paths: str, polite: Politeness = FAST):
    with Crawler(LIMITS, polite) as crawler:
        futures = [crawler.submit(server.url + p) for p in paths]
        out = []
        for f in futures:
            try:
                out.append(f.result(timeout=60))
            except FetchError as exc:
                out.append(str(exc))
        return out


def test_429_with_retry_after_is_retried() -> None:
    tries: list[int] = []

    def busy(server, handler):
        tries.append(1)
        if len(tries) == 1:
            return Route(b"slow down", 429, {"Retry-After": "1", "Content-Type": "text/plain"})
        return Route(page("ok"))

    with SiteServer({"/p": busy}) as server:
        (fetched,) = crawl(server, "/p")
    assert not isinstance(fetched, str), fetched
    assert b"ok" in fetched.data
    hits = [h for h in server.hits if h.path == "/p"]
    assert len(hits) == 2
    assert hits[1].at >= hits[0].answered + 1 - 1e-3  # Retry-After: 1 was honoured, counted from the answer


def test_503_retried_then_reported_and_a_long_retry_after_is_not_waited_for() -> None:
    routes = {"/down": Route(b"", 503, {"Retry-After": "0"}),
              "/later": Route(b"", 429, {"Retry-After": "3600"})}
    with SiteServer(routes) as server:
        down, later = crawl(server, "/down", "/later", polite=Politeness(delay=0.0, retries=2))
    assert down.startswith("HTTP 503") and server.paths().count("/down") == 3
    assert "asks to retry after 3600 s" in later and server.paths().count("/later") == 1


def test_connection_errors_are_retried_then_explained() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    with Crawler(LIMITS, Politeness(delay=0.0, retries=1, obey_robots=False)) as crawler:
        with pytest.raises(FetchError, match="could not connect"):
            crawler.get(f"http://127.0.0.1:{port}/x")


def test_per_host_limit_and_delay_hold_in_the_server_log() -> None:
    # The limit: each page is answered only once a second request is in progress (a bounded wait), then held a
    # little longer. A client keeping to two reaches exactly two; one ignoring the limit (no delay here, eight
    # connections allowed) would have every page in progress at once. A slow machine changes neither count.
    def paired(server, handler):
        server.wait_until(lambda s: s.active >= 2 or len(s.hits) == 7)  # 6 pages + robots.txt: the last may be alone
        return Route(page(handler.path), hold=0.2)

    pages = [f"/p{i}" for i in range(6)]
    with SiteServer(dict.fromkeys(pages, paired)) as server:
        results = crawl(server, *pages, polite=Politeness(per_host=2, delay=0.0, concurrency=8))
    assert all(not isinstance(r, str) for r in results), results
    assert sorted(h.path for h in server.hits if h.path.startswith("/p")) == pages
    assert max(h.active for h in server.hits) == 2

    # The delay, from the server's log with causal bounds only (see spacing_violations).
    pages = [f"/q{i}" for i in range(6)]
    with SiteServer({p: Route(page(p)) for p in pages}) as server:
        results = crawl(server, *pages, polite=Politeness(per_host=2, delay=0.2, concurrency=8))
    assert all(not isinstance(r, str) for r in results), results
    assert server.hits[0].path == "/robots.txt" and len(server.hits) == 7
    assert spacing_violations(server.hits, delay=0.2, per_host=2) == []


def test_spacing_check_catches_requests_closer_than_the_delay() -> None:
    # spacing_violations must be able to fail: logs of clients that did not wait (times in seconds).
    def log(*times: tuple[float, float]) -> list[Hit]:
        return [Hit(f"/r{i}", at, 1, {}, answered) for i, (at, answered) in enumerate(times)]

    kept = log((0.0, 0.01), (0.02, 0.03), (0.25, 0.26), (0.45, 0.46))
    assert spacing_violations(kept, delay=0.2, per_host=2) == []
    assert spacing_violations(log((0.0, 0.01), (0.02, 0.03), (0.05, 0.06)), delay=0.2, per_host=2)
    # One at a time: each start waits for the previous answer, so a gap after a slow answer is caught too.
    serial = log((0.0, 0.01), (0.02, 0.5), (0.51, 0.52), (0.65, 0.66))
    assert spacing_violations(serial, delay=0.2, per_host=2) == []
    assert spacing_violations(serial, delay=0.2, per_host=1) == ["/r3 arrived 0.150 s after /r1 was answered"]


def test_robots_txt_is_obeyed_read_once_and_can_be_ignored() -> None:
    routes = {"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
              "/private/a": Route(page("secret")), "/public/a": Route(page("open"))}
    with SiteServer(routes) as server:
        private, public, again = crawl(server, "/private/a", "/public/a", "/public/a")
        assert "robots.txt disallows this page" in private and "--ignore-robots" in private
        assert not isinstance(public, str)
        assert server.paths().count("/robots.txt") == 1 and "/private/a" not in server.paths()
        (ignored,) = crawl(server, "/private/a", polite=Politeness(delay=0.0, obey_robots=False))
        assert not isinstance(ignored, str)


def test_robots_txt_that_errors_blocks_the_site_as_rfc_9309_says() -> None:
    routes = {"/robots.txt": Route(b"", 500), "/a": Route(page("a"))}
    with SiteServer(routes) as server:
        (blocked,) = crawl(server, "/a", polite=Politeness(delay=0.0, retries=0))
    assert "RFC 9309" in blocked and "/a" not in server.paths()
    with SiteServer({"/a": Route(page("a"))}) as server:  # 404 robots.txt: everything allowed
        (fetched,) = crawl(server, "/a")
    assert not isinstance(fetched, str)


def test_user_agent_is_configurable_and_matched_by_robots() -> None:
    routes = {"/robots.txt": Route(b"User-agent: auditbot\nDisallow: /\n", headers={"Content-Type": "text/plain"}),
              "/a": Route(page("a"))}
    with SiteServer(routes) as server:
        (mine,) = crawl(server, "/a", polite=Politeness(delay=0.0, user_agent="auditbot/2 (+mailto:a@b.test)"))
        (default,) = crawl(server, "/a")
    assert "'auditbot'" in mine
    assert not isinstance(default, str)
    assert server.hits[0].headers["User-Agent"] == "auditbot/2 (+mailto:a@b.test)"


def test_cache_sends_conditional_requests_and_serves_304_from_disk(tmp_path: Path) -> None:
    def tagged(server, handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Route(b"", 304, {"ETag": '"v1"'})
        return Route(page("cached"), headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})

    polite = Politeness(delay=0.0, cache_dir=str(tmp_path / "cache"))
    with SiteServer({"/a": tagged}) as server:
        (first,) = crawl(server, "/a", polite=polite)
        (second,) = crawl(server, "/a", polite=polite)
    assert not first.from_cache and second.from_cache
    assert second.data == first.data and second.http_charset == "utf-8"
    assert [h.headers.get("If-None-Match") for h in server.hits if h.path == "/a"] == [None, '"v1"']


def test_fetching_pages_looks_up_no_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # An import inside a function run per request is a look-up of sys.modules at best and, for a module not
    # installed, a search of all of sys.path every time (httpcore's look-ups of sniffio once took a third of
    # the crawler's CPU on the corpus): after the first page, fetching imports nothing.
    looked_up: list[str] = []

    class Recorder:
        @staticmethod
        def find_spec(name, path=None, target=None):
            looked_up.append(name)
            return None

    pages = [f"/p{i}" for i in range(4)]
    with SiteServer({p: Route(page(p)) for p in pages}) as server:
        with Crawler(LIMITS, FAST) as crawler:
            crawler.get(server.url + pages[0])  # the first request may import what it needs once
            monkeypatch.setattr(sys, "meta_path", [Recorder, *sys.meta_path])
            for p in pages[1:]:
                assert b"<h1>" in crawler.get(server.url + p).data
    assert looked_up == []


def test_error_pages_and_redirects_keep_their_connection() -> None:
    # A 404 (a missing stylesheet, say) or a redirect whose small body is left unread would cost a new
    # connection for every next request; the server sees which connection each request came on.
    def route(path: str):
        def answer(server, handler):
            ports.append(handler.client_address[1])
            if path == "/gone":
                return Route(b"not here", 404, {"Content-Type": "text/plain"})
            if path == "/moved":
                return Route(b"see /p", 301, {"Location": "/p", "Content-Type": "text/plain"})
            return Route(page("p"))
        return answer

    ports: list[int] = []
    polite = Politeness(delay=0.0, per_host=1, concurrency=1, retries=0, obey_robots=False)
    with SiteServer({p: route(p) for p in ("/gone", "/moved", "/p")}) as server:
        results = crawl(server, "/gone", "/moved", "/gone", "/p", polite=polite)
    gone, moved, gone_again, fetched = results
    assert "HTTP 404" in gone and "HTTP 404" in gone_again
    assert b"<h1>p</h1>" in moved.data and b"<h1>p</h1>" in fetched.data
    assert len(ports) == 5  # the redirect was followed to /p
    assert len(set(ports)) == 1
