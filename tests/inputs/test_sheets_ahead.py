"""Linked stylesheets of pages checked by URL, fetched on the run's crawler when the check asks for them.

The pages go through the run's real pipeline (``fetch_ahead`` → ``runner.stream``, worker processes),
and everything is observed from a 127.0.0.1 server's log (``site_server``), as in ``test_crawl.py``:
which sheets were asked for, how often, and the spacing of every request to the host, sheets included.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest
from site_server import Route, SiteServer, spacing_violations

from compliance.inputs.crawl import Crawler, Politeness
from compliance.inputs.fetch import Fetched, FetchLimits
from compliance.inputs.sites import fetch_ahead
from compliance.inputs.sitesheets import SiteSheets
from compliance.inputs.sources import PageInput
from compliance.runner import Settings, load_policies, stream

pytestmark = pytest.mark.network
LIMITS = FetchLimits(timeout=5)
FAST = Politeness(delay=0.0, per_host=4, retries=0)
CSS = Route(b".partner-credit { display: none }", headers={"Content-Type": "text/css"})
CREDIT = ("<div class='partner-credit'><img src='/partners/dcnf-logo.png' alt='Daily Caller News Foundation' "
          "width='160' height='48'></div><p class='byline'>By Jane Doe, Daily Caller News Foundation</p>")


def story(n: int, links: str, credit: str = CREDIT) -> Route:
    html = (f"<!DOCTYPE html><html><head><title>Story {n}</title>{links}</head><body><article><h1>Story {n}</h1>"
            f"{credit}<p>Story text.</p></article></body></html>")
    return Route(html.encode())


def check(server: SiteServer, paths: list[str], polite: Politeness = FAST, jobs: int = 1) -> list:
    """Each page's DCNF result, checked by URL as a run checks it (``--author "Jane Doe"``)."""
    settings = Settings(policies=("dcnf",), authors=("Jane Doe",))
    with Crawler(LIMITS, polite) as crawler:
        items = fetch_ahead([(PageInput(server.url + p, "url"), None) for p in paths], crawler, window=4)
        return [results[0] for results in stream(items, settings, load_policies(settings.policies), jobs=jobs)]


def logo(result) -> tuple[str, str]:
    clause = next(c for c in result.clauses if c.id == "logo")
    return clause.status.value, clause.message


def test_a_sheet_many_pages_link_is_fetched_once_per_run_whichever_worker_checks_them() -> None:
    links = "<link rel='stylesheet' href='/css/site.css'><link rel='stylesheet' href='/css/gone.css'>"
    pages = [f"/story/{n}" for n in range(6)]
    with SiteServer({p: story(n, links) for n, p in enumerate(pages)} | {"/css/site.css": CSS}) as server:
        results = check(server, pages, jobs=2)
    for result in results:
        status, message = logo(result)
        assert status == "fail" and f"`.partner-credit {{ display: none }}` in {server.url}/css/site.css" in message
    assert server.paths().count("/css/site.css") == 1
    assert server.paths().count("/css/gone.css") == 1  # a missing sheet is not asked for again either


def test_sheets_obey_robots_txt() -> None:
    routes = {"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}),
              "/story": story(1, "<link rel='stylesheet' href='/private/site.css'>"), "/private/site.css": CSS}
    with SiteServer(routes) as server:
        (result,) = check(server, ["/story"])
    assert "/private/site.css" not in server.paths()  # so the rule hiding the credit is not known: it shows
    assert logo(result)[0] == "pass"
    assert server.paths().count("/robots.txt") == 1


def test_sheets_keep_the_per_host_limit_and_delay() -> None:
    # Pages and their sheets take turns at the host: with one request at a time and a 0.2 s delay, the server's
    # log shows every request (robots.txt, pages, sheets) spaced by causal bounds (see spacing_violations).
    routes = {f"/story/{n}": story(n, f"<link rel='stylesheet' href='/css/{n}.css'>") for n in range(3)}
    routes |= {f"/css/{n}.css": CSS for n in range(3)}
    with SiteServer(routes) as server:
        results = check(server, [f"/story/{n}" for n in range(3)], Politeness(delay=0.2, per_host=1, retries=0))
    assert [logo(r)[0] for r in results] == ["fail"] * 3
    assert sorted(server.paths()) == sorted(["/robots.txt", *routes])
    assert max(h.active for h in server.hits) == 1
    assert spacing_violations(server.hits, delay=0.2, per_host=1) == []


def test_a_page_asks_for_its_own_sites_sheets_together_and_only_when_its_check_needs_them() -> None:
    links = ("<link rel='stylesheet' href='http://10.0.0.1/site.css'><link rel='stylesheet' href='/css/a.css'>"
             "<!-- <link rel='stylesheet' href='/css/old.css'> --><noscript><link rel='stylesheet' href='/css/ns.css'>"
             "</noscript><link rel='stylesheet' href='/css/b.css'>")

    def together(server, handler):  # answered once the other sheet is asked for too (a bounded wait)
        server.wait_until(lambda s: "/css/b.css" in s.paths(), timeout=5)
        return Route(b".x { color: red }", headers={"Content-Type": "text/css"})

    routes = {"/story": story(1, links), "/unrelated": story(2, links, credit="<p>By Sam Roe, staff</p>"),
              "/css/a.css": together, "/css/b.css": CSS}
    with SiteServer(routes) as server:
        story_result, unrelated = check(server, ["/story", "/unrelated"])
    assert logo(story_result)[0] == "fail" and unrelated.status.value == "not_applicable"
    # the page's two same-site sheets, nothing in a comment or <noscript>, nothing of another host; and
    # nothing for the page DCNF does not apply to: its check never reads its visibility
    assert sorted(server.paths()) == ["/css/a.css", "/css/b.css", "/robots.txt", "/story", "/unrelated"]
    a, b = (next(h for h in server.hits if h.path == p) for p in ("/css/a.css", "/css/b.css"))
    assert b.at < a.answered  # asked together: b while a was still unanswered, not after it


def test_without_the_service_the_page_carries_no_link() -> None:
    with SiteServer({"/story": story(1, "<link rel='stylesheet' href='/css/site.css'>")}) as server:
        with Crawler(LIMITS, FAST) as crawler:
            items = [(PageInput(server.url + "/story", "url"), None)]
            ((_, with_link),) = fetch_ahead(items, crawler)
            ((_, plain),) = fetch_ahead(items, crawler, sheets=False)  # --render: the browser reads them
    assert with_link.sheets is not None and plain.sheets is None


def test_a_run_by_url_leaves_no_thread_behind() -> None:
    # A thread left running (the sheet service's, a name look-up's) would make the next worker pool of the
    # process start its workers from the fork server, a fresh interpreter, instead of forking them.
    routes = {"/story": story(1, "<link rel='stylesheet' href='/css/site.css'>"), "/css/site.css": CSS}
    before = set(threading.enumerate())  # other tests' threads in this process are not this run's
    with SiteServer(routes) as server:
        (result,) = check(server, ["/story"])
        assert logo(result)[0] == "fail"
        left = [t.name for t in set(threading.enumerate()) - before if t.name.startswith(("compliance-", "asyncio_"))]
    assert left == []


class RecordingCrawler:
    """Answers at once and records what was fetched: for the decision when sheets are fetched ahead."""

    limits = FetchLimits(timeout=5)

    def __init__(self) -> None:
        self.fetched: list[str] = []

    def submit(self, url: str, limits=None, *, html: bool = True) -> Future:
        self.fetched.append(url)
        done: Future = Future()
        done.set_result(Fetched(b".x { color: red }", None, url, 200, "text/css"))
        return done


def arrived(sheets: SiteSheets, n: int, site: str = "https://news.example.org", unchecked: int = 2) -> None:
    """Page ``n`` of ``site`` is fetched; it links its own sheet, /css/``n``.css."""
    page: Future = Future()
    sheets.ahead(page, unchecked=unchecked)
    html = f"<html><head><link rel='stylesheet' href='/css/{n}.css'></head><body><p>Story {n}</p></body></html>"
    page.set_result(Fetched(html.encode(), "utf-8", f"{site}/story/{n}", 200, "text/html"))


def test_sheets_are_fetched_ahead_while_the_sites_pages_ask_for_theirs() -> None:
    crawler = RecordingCrawler()
    sheets = SiteSheets(crawler)
    arrived(sheets, 0)
    assert crawler.fetched == []  # no page of the site has asked: nothing is fetched on a guess
    sheets.fetch("https://news.example.org/story/0", ["/css/0.css"])  # its check asks
    for n in range(1, 6):
        arrived(sheets, n)
        assert crawler.fetched[-1] == f"https://news.example.org/css/{n}.css"  # before its check asks
        sheets.fetch(f"https://news.example.org/story/{n}", [f"/css/{n}.css"])
    assert len(crawler.fetched) == len(set(crawler.fetched)) == 6  # asked for once each: fetched once each
    arrived(sheets, 6, site="https://other.example.com")
    assert crawler.fetched[-1] == "https://news.example.org/css/5.css"  # another site's pages have not asked


def test_a_site_whose_pages_rarely_ask_gets_few_sheets_fetched_ahead() -> None:
    """A policy that rules most of a site's pages out never reads their visibility: fetching their sheets would
    be wasted, so after a few guesses that no check asked for, pages are not even read for their links."""
    crawler = RecordingCrawler()
    sheets = SiteSheets(crawler)
    sheets.fetch("https://news.example.org/story/0", ["/css/0.css"])
    for n in range(1, 40):
        arrived(sheets, n)
    ahead = len(crawler.fetched) - 1
    assert 0 < ahead <= 2 * 1 + 2 + 1  # up to twice the asks, past the pages fetched but not checked yet
    sheets.fetch("https://news.example.org/story/40", ["/css/40.css"])  # asks come again: so do the guesses
    arrived(sheets, 41)
    assert crawler.fetched[-1] == "https://news.example.org/css/41.css"


class LateCrawler:
    """Sheets arrive when the test says (``arrive``), each of ``size`` bytes."""

    limits = FetchLimits(timeout=5)

    def __init__(self) -> None:
        self.pending: dict[str, Future] = {}
        self.fetched: list[str] = []

    def submit(self, url: str, limits=None, *, html: bool = True) -> Future:
        self.fetched.append(url)
        self.pending[url] = Future()
        return self.pending[url]

    def arrive(self, url: str, size: int) -> None:
        self.pending[url].set_result(Fetched(b"x" * size, None, url, 200, "text/css"))


def test_kept_sheets_stay_within_their_count_and_bytes_the_oldest_dropped_first(monkeypatch) -> None:
    monkeypatch.setattr(SiteSheets, "MAX_KEPT", 3)
    monkeypatch.setattr(SiteSheets, "MAX_KEPT_BYTES", 1000)
    crawler = LateCrawler()
    sheets = SiteSheets(crawler)
    a, b, c, d, e = (f"https://news.example.org/css/{name}.css" for name in "abcde")

    sheets._future(a), sheets._future(b)
    crawler.arrive(a, 600)
    crawler.arrive(b, 600)  # 1,200 bytes: the oldest, a, is dropped
    assert list(sheets._kept) == [b] and sheets._kept_bytes == 600
    sheets._future(a)  # asked for again: fetched again
    assert crawler.fetched.count(a) == 2
    sheets._future(c), sheets._future(d)  # four by number: b goes, and its bytes with it
    assert list(sheets._kept) == [a, c, d] and sheets._kept_bytes == 0
    sheets._future(e)  # a goes while still on its way ...
    crawler.arrive(a, 900)  # ... so its arrival is not counted
    assert list(sheets._kept) == [c, d, e] and sheets._kept_bytes == 0
    crawler.arrive(c, 500)
    crawler.arrive(d, 400)
    assert sheets._kept_bytes == 900
    crawler.arrive(e, 200)  # 1,100 bytes: c goes
    assert list(sheets._kept) == [d, e] and sheets._kept_bytes == 600 == sum(sheets._sizes.values())


BY_URL = """
import json, multiprocessing.forkserver, sys, threading
from compliance.inputs.crawl import Crawler, Politeness
from compliance.inputs.fetch import FetchLimits
from compliance.inputs.sites import fetch_ahead
from compliance.inputs.sources import PageInput
from compliance.runner import Settings, load_policies, stream

settings = Settings(policies=("dcnf",), authors=("Jane Doe",))
with Crawler(FetchLimits(timeout=5), Politeness(delay=0.0, retries=0)) as crawler:
    idle = threading.active_count()
    items = fetch_ahead([(PageInput(url, "url"), None) for url in sys.argv[1:]], crawler, window=4)
    results = [r[0].status.value for r in stream(items, settings, load_policies(settings.policies))]
    fetching = threading.active_count()
print(json.dumps({"idle": idle, "fetching": fetching, "results": results,
                  "fork_server": multiprocessing.forkserver._forkserver._forkserver_pid is not None}))
"""


def test_a_run_by_url_forks_its_worker_before_the_crawler_starts_a_thread() -> None:
    """A worker started from the fork server is a fresh interpreter that imports everything and loads the
    policies again (a tenth of a second or more); forked, it starts in milliseconds with what the run loaded.
    Forking is safe only while no other thread runs, so the crawler starts its thread with its first fetch,
    and the run forks its worker before that. (A process of its own: this one runs the test server's thread.)"""
    import json
    import subprocess
    import sys

    with SiteServer({"/story": story(1, "<link rel='stylesheet' href='/css/site.css'>"), "/css/site.css": CSS}) as server:
        done = subprocess.run([sys.executable, "-c", BY_URL, server.url + "/story"], capture_output=True, timeout=60,
                              text=True)
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)
    assert run["results"] == ["fail"]  # checked, the credit hidden by the site's sheet
    assert run["idle"] == 1 and run["fetching"] > 1  # entering the crawler starts nothing; fetching does
    assert run["fork_server"] is False
