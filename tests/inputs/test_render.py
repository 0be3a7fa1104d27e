"""--render: pages as headless Chromium draws them, with scripts run, the network fenced and time bounded.

These drive Debian's chromium through Playwright (no browser download) and skip, saying why, where
either is missing; CI installs both (.ci/run).
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from conftest import REPO

from compliance.inputs.render import Renderer, shared_renderer, unavailable_reason
from compliance.inputs.sources import PageInput
from compliance.policy.load import load_policy
from compliance.runner import Settings, check_input

pytestmark = pytest.mark.slow

_WHY = unavailable_reason()
if _WHY:
    pytestmark = [pytest.mark.slow, pytest.mark.skip(reason=f"{_WHY} (the --render tests need both)")]

DRAWN = """<!doctype html><html><head><title>Story</title></head><body><article><h1>Hospitals in crisis</h1>
<div id="credit"></div>
<p>Hospitals across the state are facing a crisis, officials said on Monday, as wards filled up, beds ran
short, and staff worked double shifts for weeks.</p>
<p>Content created by the Daily Caller News Foundation is available without charge to any eligible news
publisher.</p>
<script>
document.getElementById('credit').innerHTML = '<img src="/partners/dcnf-logo.png" alt="Daily Caller News '
  + 'Foundation" width="160" height="48"><p class="byline">By Jane Doe, Daily Caller News Foundation</p>';
</script></article></body></html>"""


def _check(path: Path, render: bool, policy: str = "dcnf", authors: tuple[str, ...] = ("Jane Doe",)):
    settings = Settings(policies=(policy,), authors=authors, render=render)
    return check_input(PageInput(str(path), "file"), [load_policy(policy)], settings)[0]


def test_a_page_drawn_by_a_script_fails_as_served_and_passes_rendered(tmp_path: Path) -> None:
    page = tmp_path / "drawn.html"
    page.write_text(DRAWN, encoding="utf-8")
    served = _check(page, render=False)
    statuses = {c.id: c.status.value for c in served.clauses}
    assert statuses == {"logo": "fail", "byline": "fail", "affiliation": "fail"}
    messages = {c.id: c.message for c in served.clauses}
    assert "--render" in messages["logo"] and "--render" in messages["byline"]
    assert "see the byline clause" in messages["affiliation"]  # it fails because the byline does, and says so
    rendered = _check(page, render=True)
    assert rendered.status.value == "pass", [c.message for c in rendered.clauses]


def _static(page: Path) -> bool:
    """No script that could draw anything: the page as served is the page as drawn."""
    text = page.read_text(encoding="utf-8", errors="replace").lower()
    return all("ld+json" in part.split(">", 1)[0] for part in text.split("<script")[1:])


def test_rendered_verdicts_on_static_example_pages_equal_the_static_ones() -> None:
    pages = sorted((REPO / "examples").glob("*.html")) + sorted((REPO / "rules" / "examples" / "dcnf").glob("*.html"))
    pages = [p for p in pages if _static(p)]
    assert len(pages) >= 8
    for page in pages:
        static = _check(page, render=False, authors=())
        rendered = _check(page, render=True, authors=())
        assert [(c.id, c.status) for c in rendered.clauses] == [(c.id, c.status) for c in static.clauses], page.name
        assert rendered.status == static.status, page.name


def test_rendered_verdicts_equal_the_static_ones_under_every_policy() -> None:
    """One passing and one failing static example page of each built-in policy, under that policy."""
    checked = 0
    for folder in sorted(p for p in (REPO / "rules" / "examples").iterdir() if p.is_dir() and p.name != "dcnf"):
        pages = [p for p in sorted(folder.glob("*.html")) if _static(p) and "original" not in p.name]
        chosen = [next((p for p in pages if p.name.startswith(kind)), None) for kind in ("pass-", "fail-")]
        for page in filter(None, chosen):
            static = _check(page, render=False, policy=folder.name, authors=())
            rendered = _check(page, render=True, policy=folder.name, authors=())
            assert [(c.id, c.status) for c in rendered.clauses] == [(c.id, c.status) for c in static.clauses], \
                f"{folder.name}/{page.name}"
            checked += 1
    assert checked >= 12


def test_visibility_comes_from_the_browser(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text(".sponsor { display: none }", encoding="utf-8")
    page = tmp_path / "styled.html"
    page.write_text('<html><head><link rel="stylesheet" href="site.css"></head><body><h1>Story</h1>'
                    '<div class="sponsor"><img src="/dcnf-logo.png" alt="DCNF" width="100" height="40"></div>'
                    '<p>By Jane Doe, DCNF</p></body></html>', encoding="utf-8")
    result = _check(page, render=True)
    logo = next(c for c in result.clauses if c.id == "logo")
    assert logo.status.value == "fail" and "not drawn in the rendered page" in logo.message


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen.append(f"{self.headers.get('Host')}{self.path}")
        data = self.body if self.path.endswith(".html") else b"/* ok */"
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.path.endswith(".html") else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    class Handler(_Recorder):
        seen: list[str] = []

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, Handler
    httpd.shutdown()
    httpd.server_close()


def test_a_file_page_makes_no_outside_request(tmp_path: Path, server) -> None:
    httpd, handler = server
    port = httpd.server_address[1]
    page = tmp_path / "leaky.html"
    page.write_text(f'<html><body><p>Text</p><img src="http://127.0.0.1:{port}/pixel.gif">'
                    f'<script src="http://127.0.0.1:{port}/tracker.js"></script>'
                    f'<script>fetch("http://127.0.0.1:{port}/beacon")</script></body></html>', encoding="utf-8")
    out = Renderer()
    try:
        rendered = out.render(page.read_bytes(), folder=tmp_path, timeout=3)
    finally:
        out.close()
    assert handler.seen == []
    assert any("refused" in note for note in rendered.notes)


def test_a_url_page_reaches_only_its_own_host(server) -> None:
    httpd, handler = server
    port = httpd.server_address[1]
    html = (f'<html><body><p>Text</p><script src="http://127.0.0.1:{port}/own.js"></script>'
            f'<img src="http://localhost:{port}/other-host.gif"></body></html>').encode()
    out = Renderer()
    try:
        out.render(html, url=f"http://127.0.0.1:{port}/story.html", timeout=3)
    finally:
        out.close()
    assert f"127.0.0.1:{port}/own.js" in handler.seen
    assert not any("other-host" in s for s in handler.seen)  # localhost is another host name
    assert not any(s.endswith("story.html") for s in handler.seen)  # the document comes from what was fetched


def test_load_time_is_bounded_and_a_busy_page_is_still_read(tmp_path: Path) -> None:
    out = Renderer()
    try:
        rendered = out.render(b"<html><body><p>Visible text</p><script>while (true) {}</script></body></html>",
                              folder=tmp_path, timeout=1.5)
    finally:
        out.close()
    assert b"Visible text" in rendered.html
    assert any("did not finish loading" in note for note in rendered.notes)


def test_one_browser_per_process_is_reused_across_pages(tmp_path: Path) -> None:
    pages = []
    for i in range(3):
        page = tmp_path / f"p{i}.html"
        page.write_text(f"<html><body><h1>Story {i}</h1><p>By Jane Doe</p></body></html>", encoding="utf-8")
        pages.append(page)
    renderer = shared_renderer()
    before = renderer.launches
    for page in pages:
        _check(page, render=True)
    assert renderer.launches - before <= 1


def test_the_rest_of_the_process_finds_no_event_loop_running_after_a_render(tmp_path: Path) -> None:
    """The browser's event loop lives on its own thread: fetching (asyncio.run) and other Playwright users
    in the same process keep working after --render pages."""
    import asyncio

    page = tmp_path / "p.html"
    page.write_text("<html><body><h1>Story</h1><p>By Jane Doe</p></body></html>", encoding="utf-8")
    _check(page, render=True)

    async def answer() -> int:
        return 42

    assert asyncio.run(answer()) == 42
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:  # a second driver, on this thread, starts
        assert driver.chromium is not None


def test_a_wrapper_that_draws_no_box_of_its_own_hides_nothing(tmp_path: Path) -> None:
    """``display: contents`` (Astro's <astro-island>, component wrappers) has no box, so the browser's
    checkVisibility() says false for it; what it holds is drawn all the same."""
    page = tmp_path / "island.html"
    page.write_text("""<html><head><style>astro-island, .wrap { display: contents }</style></head><body><article>
<h1>Hospitals in crisis</h1><astro-island><div class="wrap">
<img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" width="160" height="48">
<p class="byline">By Jane Doe, Daily Caller News Foundation</p></div></astro-island>
<p>Hospitals across the state are facing a crisis, officials said on Monday, as wards filled up.</p>
</article></body></html>""", encoding="utf-8")
    rendered = _check(page, render=True)
    assert {c.id: c.status.value for c in rendered.clauses} == {"logo": "pass", "byline": "pass", "affiliation": "pass"}
    assert rendered.status.value == _check(page, render=False).status.value == "pass"


@pytest.mark.corpus
def test_real_republications_get_the_same_verdicts_rendered_as_served(corpus_dir: Path) -> None:
    """Corpus pages that republish under a built-in license (their scripts run, nothing leaves the machine):
    the browser's view of what shows agrees with the stylesheet reading, clause by clause."""
    pairs = [("fundus/za_DailyMaverick_2026_01_06.html", "the-conversation"),
             ("fundus/ca_CanadaCom_2026_06_06.html", "the-conversation"),
             ("readability/google-sre-book-1.html", "cc-by-nc-nd-4.0"),
             ("trafilatura/creativecommons.ch.wie.html", "cc-by-4.0"),
             ("trafilatura/fluter.de.vorbild.html", "cc-by-nc-nd-4.0"),
             ("trafilatura/islamische-zeitung.de-Bundesprasident.html", "cc-by-4.0")]
    for name, policy in pairs:
        path = corpus_dir / name
        if not path.is_file():
            continue
        served, rendered = (_check(path, render=r, policy=policy, authors=()) for r in (False, True))
        assert {c.id: c.status.value for c in rendered.clauses} == {c.id: c.status.value for c in served.clauses}, name
