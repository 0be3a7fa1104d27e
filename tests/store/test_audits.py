"""Audits over time, end to end: two runs of `compliance check --store` against sites on 127.0.0.1.

Between the runs one page loses its credit (its byline drops the DCNF affiliation) and another gains it;
`diff` must report exactly those two, `history` both sites' trend, and `evidence` a bundle whose WARC
record replays the very bytes that were checked.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import sqlite3
import threading
import zipfile
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest
from cli_runner import run_cli
from warcio.archiveiterator import ArchiveIterator

from compliance.resources import SCHEMA_DIR

REPO = Path(__file__).resolve().parents[2]
GOOD = (REPO / "examples" / "compliant.html").read_bytes()
BAD = (REPO / "examples" / "missing-affiliation.html").read_bytes()  # the byline lacks the DCNF affiliation


class Sites:
    """Two republishers' sites, each a server on 127.0.0.1 serving /1.html and /2.html from ``pages``."""

    def __init__(self) -> None:
        self.pages: dict[tuple[str, str], bytes] = {}
        self.servers = [self._serve(name) for name in ("a", "b")]

    def _serve(self, name: str) -> http.server.ThreadingHTTPServer:
        pages = self.pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                body = pages.get((name, self.path))
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return server

    def url(self, site: str, path: str) -> str:
        return f"http://127.0.0.1:{self.servers['ab'.index(site)].server_port}{path}"

    def host(self, site: str) -> str:
        return f"127.0.0.1:{self.servers['ab'.index(site)].server_port}"

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def sites() -> Iterator[Sites]:
    s = Sites()
    yield s
    s.close()


def audit(sites: Sites, store: str, tmp: Path, n: int):
    urls = [sites.url(site, path) for site in "ab" for path in ("/1.html", "/2.html")]
    return run_cli("check", *urls, "-p", "dcnf", "--author", "Jane Doe", "--store", store,
                   "--archive", str(tmp / f"run{n}.warc.gz"), "--timeout", "10", "-f", "json")


@pytest.fixture
def two_audits(sites: Sites, tmp_path: Path) -> tuple[Sites, str, Path]:
    store = str(tmp_path / "audits.db")
    sites.pages.update({("a", "/1.html"): GOOD, ("a", "/2.html"): GOOD, ("b", "/1.html"): BAD, ("b", "/2.html"): GOOD})
    assert audit(sites, store, tmp_path, 1).code == 1  # b/1 fails
    sites.pages[("a", "/1.html")] = BAD  # loses its credit
    sites.pages[("b", "/1.html")] = GOOD  # gains it
    sites.pages[("a", "/2.html")] = GOOD.replace(b"Lawmakers said", b"Lawmakers noted")  # same verdict, new bytes
    assert audit(sites, store, tmp_path, 2).code == 1  # a/1 fails
    return sites, store, tmp_path


def test_diff_reports_exactly_the_page_that_lost_its_credit_and_the_one_that_gained_it(two_audits) -> None:
    sites, store, _ = two_audits
    ran = run_cli("diff", "--store", store, "-f", "json")
    assert ran.code == 0, ran.err
    d = ran.json()
    schema = json.loads((SCHEMA_DIR / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(d)
    assert [(e["source"], e["status_before"], e["status"], [(c["id"], c["before"], c["after"]) for c in e["clauses"]])
            for e in d["newly_failing"]] == [(sites.url("a", "/1.html"), "pass", "fail", [("affiliation", "pass", "fail")])]
    assert [(e["source"], [(c["id"], c["before"], c["after"]) for c in e["clauses"]]) for e in d["fixed"]] == [
        (sites.url("b", "/1.html"), [("affiliation", "fail", "pass")])]
    assert [e["source"] for e in d["changed"]] == [sites.url("a", "/2.html")]
    assert d["new"] == d["gone"] == d["verdict_changed"] == []
    assert d["summary"]["by_clause"] == {"dcnf/affiliation": {"newly_failing": 1, "fixed": 1}}
    assert (d["from"]["id"], d["to"]["id"]) == (1, 2)
    text = run_cli("diff", "--store", store)
    assert "Newly failing (1)" in text.out and "affiliation (error): pass → fail" in text.out
    assert run_cli("diff", "--store", store, "--exit-code").code == 1
    assert run_cli("diff", "1", "1", "--store", store, "--exit-code", "-f", "json").json()["summary"]["changed"] == 0


def test_the_sqlite_file_holds_both_runs_whole(two_audits) -> None:
    _, store, tmp = two_audits
    db = sqlite3.connect(store)
    assert db.execute("SELECT id, status, results FROM runs ORDER BY id").fetchall() == [(1, "complete", 4),
                                                                                          (2, "complete", 4)]
    assert db.execute("SELECT COUNT(*) FROM clause_results").fetchone() == (4 * 2 * 3,)  # dcnf has 3 clauses
    rows = db.execute("SELECT warc_file, warc_offset, content_sha256 FROM results WHERE run_id = 2").fetchall()
    assert {r[0] for r in rows} == {str(tmp / "run2.warc.gz")} and all(r[1] and r[2] for r in rows)


def test_history_shows_both_sites_trend(two_audits) -> None:
    sites, store, _ = two_audits
    h = run_cli("history", "--store", store, "-f", "json").json()
    trend = {s["site"]: [r["compliance"] for r in s["runs"]] for s in h["sites"]}
    assert trend == {sites.host("a"): [1.0, 0.5], sites.host("b"): [0.5, 1.0]}
    one = run_cli("history", "--store", store, "--site", sites.host("a"), "-f", "json").json()
    assert [(p["source"], [c["status"] for c in p["runs"]]) for p in one["pages"]] == [
        (sites.url("a", "/1.html"), ["pass", "fail"]), (sites.url("a", "/2.html"), ["pass", "pass"])]
    text = run_cli("history", "--store", store).out
    assert f"{sites.host('a')}    100%     50%" in text and f"{sites.host('b')}     50%    100%" in text


def test_evidence_replays_the_exact_bytes_that_were_checked(two_audits, tmp_path: Path) -> None:
    sites, store, _ = two_audits
    failing = sites.url("a", "/1.html")
    ran = run_cli("evidence", failing, "--store", store, "-o", str(tmp_path / "bundle.zip"), "--no-screenshot")
    assert ran.code == 0, ran.err
    bundle = zipfile.ZipFile(tmp_path / "bundle.zip")
    files = {name: bundle.read(name) for name in bundle.namelist()}
    manifest = json.loads(files["manifest.json"])
    [(record, replayed)] = [(r, r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(files["page.warc.gz"]))
                            if r.rec_type == "response"]
    assert hashlib.sha256(replayed).hexdigest() == manifest["page"]["sha256"] == hashlib.sha256(BAD).hexdigest()
    assert record.rec_headers.get_header("WARC-Target-URI") == failing
    assert files["page.html"] == BAD
    verdicts = json.loads(files["verdicts.json"])
    assert verdicts["run"]["id"] == 2 and verdicts["pages"][0]["status"] == "fail"
    assert [c["status"] for c in verdicts["pages"][0]["clauses"] if c["id"] == "affiliation"] == ["fail"]
    policy = files["policies/dcnf.yaml"]
    assert hashlib.sha256(policy).hexdigest() == manifest["policies"]["dcnf"]["sha256"]
    sums = dict(line.split("  ")[::-1] for line in files["SHA256SUMS"].decode().splitlines())
    assert all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in sums.items())
    assert manifest["tool"]["name"] == "compliance" and manifest["run"]["id"] == 2
    earlier = run_cli("evidence", failing, "--store", store, "--run", "1", "-o", str(tmp_path / "earlier"),
                      "--no-screenshot")
    assert earlier.code == 0 and (tmp_path / "earlier" / "page.html").read_bytes() == GOOD
    again = run_cli("evidence", failing, "--store", store, "-o", str(tmp_path / "again.zip"), "--no-screenshot")
    assert again.code == 0 and (tmp_path / "again.zip").read_bytes() == (tmp_path / "bundle.zip").read_bytes()


@pytest.mark.slow
def test_evidence_holds_a_screenshot_where_chromium_can_draw_the_page(two_audits, tmp_path: Path) -> None:
    from compliance.inputs.render import unavailable_reason

    if unavailable_reason():
        pytest.skip(unavailable_reason())
    sites, store, _ = two_audits
    ran = run_cli("evidence", sites.url("a", "/1.html"), "--store", store, "-o", str(tmp_path / "shot"))
    assert ran.code == 0, ran.err
    picture = (tmp_path / "shot" / "screenshot.png").read_bytes()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n") and len(picture) > 1000
    sums = (tmp_path / "shot" / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(picture).hexdigest()}  screenshot.png" in sums
    assert "screenshot.png" in json.loads((tmp_path / "shot" / "manifest.json").read_text())["files"]
    assert "screenshot.png the page as headless Chromium drew page.html" in (tmp_path / "shot" / "README.txt").read_text()


# -- runs that do not finish, runs at the same time -----------------------------------------------------------

def _compliance(log: Path, *args: str):
    """The installed tool in a process of its own (signals reach it as they would from a shell)."""
    import subprocess
    import sys

    with open(log, "wb") as err:
        return subprocess.Popen([sys.executable, "-m", "compliance", *args], stdout=subprocess.DEVNULL, stderr=err)


def _results_written(store: str) -> int:
    try:
        db = sqlite3.connect(store, timeout=5)
        row = db.execute("SELECT results FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        db.close()
    except sqlite3.Error:
        return 0
    return row[0] if row else 0


@pytest.mark.parametrize("stop", ["SIGINT", "SIGKILL"])
def test_an_interrupted_run_is_marked_incomplete_and_keeps_whole_rows(sites: Sites, tmp_path: Path, stop: str) -> None:
    import signal
    import time

    release = threading.Event()
    hang = sites.servers[1].RequestHandlerClass.do_GET

    def slow(handler) -> None:  # b's pages wait until the test lets them go
        release.wait(60)
        hang(handler)

    sites.servers[1].RequestHandlerClass.do_GET = slow
    sites.pages.update({("a", "/1.html"): GOOD, ("a", "/2.html"): BAD, ("b", "/1.html"): GOOD})
    store = str(tmp_path / "audits.db")
    urls = [sites.url("a", "/1.html"), sites.url("a", "/2.html"), sites.url("b", "/1.html")]
    log = tmp_path / "stderr.txt"
    proc = _compliance(log, "check", *urls, "-p", "dcnf", "--author", "Jane Doe", "--store", store, "--timeout", "60")
    try:
        for _ in range(600):  # until the first two pages are in the store (at most a minute)
            if _results_written(store) >= 2 or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert _results_written(store) == 2, log.read_text()
        proc.send_signal(getattr(signal, stop))
        code = proc.wait(timeout=60)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    db = sqlite3.connect(store)
    [(status, finished, written)] = db.execute("SELECT status, finished_at, results FROM runs").fetchall()
    if stop == "SIGINT":
        assert code == 130 and status == "interrupted" and finished is not None
    else:
        assert code == -9 and status == "running" and finished is None  # never finished: still incomplete
    assert written == 2
    assert db.execute("SELECT source, status FROM results ORDER BY position").fetchall() == [
        (urls[0], "pass"), (urls[1], "fail")]
    assert db.execute("SELECT COUNT(*) FROM clause_results").fetchone() == (6,)  # every row has its clauses
    history = run_cli("history", "--store", store, "-f", "json").json()
    assert history["runs"] == [] and [r["id"] for r in history["incomplete_runs"]] == [1]
    assert run_cli("diff", "--store", store).code == 2  # no two complete runs to compare


def test_two_runs_writing_one_store_at_once_lose_nothing(tmp_path: Path) -> None:
    pages = []
    for i in range(12):
        page = tmp_path / "site" / f"p{i}.html"
        page.parent.mkdir(exist_ok=True)
        page.write_bytes(GOOD if i % 2 else BAD)
        pages.append(str(page))
    store = str(tmp_path / "audits.db")
    logs = [tmp_path / f"stderr{i}.txt" for i in range(2)]
    procs = [_compliance(log, "check", *pages, "-p", "dcnf", "--store", store) for log in logs]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [1, 1], [log.read_text() for log in logs]
    db = sqlite3.connect(store)
    assert db.execute("SELECT status, results FROM runs").fetchall() == [("complete", 12), ("complete", 12)]
    for run_id in (1, 2):
        got = db.execute("SELECT source FROM results WHERE run_id = ? ORDER BY position", (run_id,)).fetchall()
        assert [g[0] for g in got] == pages
    assert db.execute("SELECT COUNT(*) FROM clause_results").fetchone() == (2 * 12 * 3,)


# -- the history chart, as a person sees it -------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_the_history_chart_renders_in_headless_chromium_from_the_file_alone(two_audits, tmp_path: Path) -> None:
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if chromium is None:
        pytest.skip("no Chromium: install Debian's chromium package (.ci/run does)")
    sites, store, _ = two_audits
    report = tmp_path / "history.html"
    assert run_cli("history", "--store", store, "-f", "html", "-o", str(report)).code == 0
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 900, "height": 900})
        try:
            page = context.new_page()
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri())
            chart = page.locator("#trend-chart")
            box = chart.bounding_box()
            lines = {g.get_attribute("data-site"): [(c.bounding_box()["x"], c.bounding_box()["y"])
                                                     for c in g.locator("circle").all()]
                     for g in chart.locator("g.series").all()}
            legend = page.locator(".legend li").all_inner_texts()
            rows = page.locator("#sites tbody tr").all_inner_texts()
            page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
        finally:
            context.close()
    assert problems == [] and requests == [report.as_uri()]  # nothing fetched from anywhere else
    assert box is not None and box["width"] > 300 and box["height"] > 150
    a, b = lines[sites.host("a")], lines[sites.host("b")]
    assert len(a) == len(b) == 2
    assert a[0][0] < a[1][0] and a[0][1] < a[1][1]  # a falls: the later point is lower on the screen
    assert b[0][1] > b[1][1]  # b rises
    assert legend == [sites.host("a"), sites.host("b")]  # worst latest rate first
    assert rows[0].startswith(sites.host("a")) and "50%" in rows[0] and "-50 pts" in rows[0]
