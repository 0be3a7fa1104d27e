"""Whole sites from the command line, against a local server (127.0.0.1 only, every wait bounded).

Sitemaps (index, gzip, Google News), robots.txt, retries, per-host limits, feeds, URL lists, WARC
archives, streaming JSON Lines, --quiet, the progress display and Ctrl-C.
"""

from __future__ import annotations

import gzip
import json
import os
import pty
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_runner import run_cli
from site_server import Route, SiteServer, page, spacing_violations
from warc_kit import response_record, write_warc

pytestmark = pytest.mark.network
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
NAMES = sorted(p.name for p in EXAMPLES.glob("*.html"))
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
FAST = ("--delay", "0", "--per-host", "4")


def html_route(body: bytes) -> Route:
    return Route(body, headers={"Content-Type": "text/html; charset=utf-8"})


def urlset(locs: list[str], news: bool = False) -> bytes:
    if news:
        items = "".join(f"<url><loc>{u}</loc><news:news><news:publication_date>2024-05-01</news:publication_date>"
                        f"</news:news></url>" for u in locs)
        return (f'<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>'
                ).encode()
    return f'<urlset {NS}>{"".join(f"<url><loc>{u}</loc></url>" for u in locs)}</urlset>'.encode()


def site(extra: dict | None = None) -> SiteServer:
    routes: dict = {f"/articles/{n}": html_route((EXAMPLES / n).read_bytes()) for n in NAMES}
    routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n",
                                  headers={"Content-Type": "text/plain"})
    routes["/private/secret.html"] = html_route(page("secret"))
    routes.update(extra or {})
    return SiteServer(routes)


def jsonl(out: str) -> tuple[list[dict], dict]:
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[-1]["type"] == "summary" and all("type" not in line for line in lines[:-1])
    return lines[:-1], lines[-1]


def test_sitemap_index_with_gzipped_child_and_news_sitemap_checks_every_page() -> None:
    with site() as server:
        base = server.url
        server.routes.update({
            "/sitemap.xml": Route(f'<sitemapindex {NS}><sitemap><loc>{base}/a.xml.gz</loc></sitemap>'
                                  f'<sitemap><loc>{base}/news.xml</loc></sitemap></sitemapindex>'.encode(),
                                  headers={"Content-Type": "application/xml"}),
            "/a.xml.gz": Route(gzip.compress(urlset([f"{base}/articles/{n}" for n in NAMES[:3]])),
                               headers={"Content-Type": "application/x-gzip"}),
            "/news.xml": Route(urlset([f"{base}/articles/{n}" for n in NAMES[3:]] + [f"{base}/private/secret.html"],
                                      news=True), headers={"Content-Type": "application/xml"}),
        })
        ran = run_cli("check", "--sitemap", f"{base}/robots.txt", "-p", "dcnf", "-f", "jsonl", *FAST)
    pages, summary = jsonl(ran.out)
    by_source = {p["source"]: p for p in pages}
    assert set(by_source) == {f"{base}/articles/{n}" for n in NAMES} | {f"{base}/private/secret.html"}
    secret = by_source[f"{base}/private/secret.html"]
    assert secret["status"] == "error" and "robots.txt disallows this page" in secret["message"]
    assert "/private/secret.html" not in server.paths()
    assert by_source[f"{base}/articles/compliant.html"]["status"] == "pass"
    assert summary["summary"]["sources"] == len(NAMES) + 1 and ran.code == 1


def test_urls_file_and_feed_with_retries_and_per_host_limits(tmp_path: Path) -> None:
    tries: list[int] = []

    def throttled(server, handler):
        tries.append(1)
        if len(tries) == 1:
            return Route(b"", 429, {"Retry-After": "1"})
        return html_route((EXAMPLES / "compliant.html").read_bytes())

    with site({"/busy": throttled}) as server:
        base = server.url
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# pages to audit\n{base}/busy\n\n{base}/articles/{NAMES[0]}\n", encoding="utf-8")
        server.routes["/feed.xml"] = Route(
            f'<rss version="2.0"><channel><item><link>{base}/articles/{NAMES[1]}</link></item>'
            f'<item><link>{base}/articles/{NAMES[2]}</link></item></channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"})
        ran = run_cli("check", "--urls", str(listing), "--feed", f"{base}/feed.xml", "-p", "dcnf", "-f", "jsonl",
                      "--per-host", "1", "--delay", "0.2")
    pages, _ = jsonl(ran.out)
    assert [p["source"] for p in pages] == [f"{base}/busy", f"{base}/articles/{NAMES[0]}",
                                            f"{base}/articles/{NAMES[1]}", f"{base}/articles/{NAMES[2]}"]
    assert pages[0]["status"] == "pass" and len(tries) == 2
    assert max(h.active for h in server.hits) == 1
    assert server.hits[0].path == "/robots.txt"
    assert spacing_violations(server.hits, delay=0.2, per_host=1) == []  # causal bounds, not durations


def test_urls_from_stdin_and_an_unreadable_listing_is_reported() -> None:
    with site() as server:
        ran = run_cli("check", "--urls", "-", "--sitemap", f"{server.url}/nothing.xml", "-p", "dcnf", "-f", "jsonl",
                      *FAST, stdin=f"{server.url}/articles/compliant.html\n".encode())
    pages, _ = jsonl(ran.out)
    assert pages[0]["status"] == "pass"
    assert pages[1]["source"] == f"{server.url}/nothing.xml" and "HTTP 404" in pages[1]["message"]


def test_a_warc_archive_gives_the_same_verdicts_as_the_same_pages_from_files(tmp_path: Path) -> None:
    archive = write_warc(tmp_path / "crawl.warc.gz", [
        response_record(f"https://republisher.test/{n}", (EXAMPLES / n).read_bytes()) for n in NAMES])
    from_files = run_cli("check", *(str(EXAMPLES / n) for n in NAMES), "-p", "dcnf", "-f", "jsonl")
    from_warc = run_cli("check", str(archive), "-p", "dcnf", "-f", "jsonl")

    def verdicts(out: str) -> list[tuple]:
        pages, _ = jsonl(out)
        return [(Path(p["source"]).name, p["status"], [(c["id"], c["status"]) for c in p["clauses"]])
                for p in pages]

    assert verdicts(from_warc.out) == verdicts(from_files.out)
    assert from_warc.code == from_files.code == 1
    assert jsonl(from_warc.out)[0][0]["source"].startswith("https://republisher.test/")


def test_quiet_prints_only_failing_pages_and_the_summary() -> None:
    ran = run_cli("check", str(EXAMPLES), "-p", "dcnf", "-q")
    heads = [line for line in ran.out.splitlines() if line and not line.startswith(" ")]
    assert heads and all(h.startswith(("FAIL", "ERROR", "Summary", "Failures by clause")) for h in heads)
    assert "compliant.html" not in ran.out and "unrelated.html" not in ran.out
    assert "Summary: 5 page(s) checked" in ran.out


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "compliance", "check", *args]


def test_jsonl_prints_the_first_page_before_the_last_page_is_fetched() -> None:
    gate = threading.Event()
    with site({"/last.html": Route(page("last"), gate=gate)}) as server:
        args = [f"{server.url}/articles/{n}" for n in NAMES] + [f"{server.url}/last.html"]
        with subprocess.Popen(_command(*args, "-p", "dcnf", "-f", "jsonl", *FAST), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=REPO) as proc:
            try:
                first = json.loads(proc.stdout.readline())  # the server holds /last.html until this line is read
                assert first["source"] == args[0]
            finally:
                gate.set()
            rest = proc.stdout.read().decode()
            proc.wait(timeout=60)
    assert json.loads(rest.splitlines()[-1])["type"] == "summary"


def test_ctrl_c_keeps_the_results_so_far_and_exits_130(tmp_path: Path) -> None:
    gate = threading.Event()
    out = tmp_path / "results.jsonl"
    with site({"/slow.html": Route(page("slow"), gate=gate)}) as server:
        args = [f"{server.url}/articles/{NAMES[0]}", f"{server.url}/slow.html"]
        with subprocess.Popen(_command(*args, "-p", "dcnf", "-f", "jsonl", "-o", str(out), "--report",
                                       f"html={tmp_path / 'report.html'}", *FAST),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO) as proc:
            try:
                for _ in range(3000):  # until the first page is written and the slow one asked for (≤ 30 s)
                    part = list(tmp_path.glob(".results.jsonl.*.part"))
                    if "/slow.html" in server.paths() and part and part[0].read_bytes().endswith(b"\n"):
                        break
                    threading.Event().wait(0.01)
                assert part and not out.exists()  # written under a temporary name while running
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=30)
            finally:
                gate.set()
            err = proc.stderr.read().decode()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["source"] == args[0] and lines[-1]["type"] == "summary" and lines[-1]["interrupted"] is True
    assert not list(tmp_path.glob("*.part")) and "License compliance report" in (tmp_path / "report.html").read_text()


def test_progress_only_on_a_terminal() -> None:
    piped = subprocess.run(_command(str(EXAMPLES), "-p", "dcnf"), capture_output=True, cwd=REPO, timeout=60)
    assert piped.stderr == b""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(_command(str(EXAMPLES), "-p", "dcnf"), stdout=subprocess.PIPE, stderr=follower,
                              cwd=REPO, timeout=60, env={**os.environ, "COLUMNS": "120"})
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 1 and b"Summary:" in done.stdout
    assert b"pages/s" in shown and b"failing" in shown


def test_an_empty_or_all_old_listing_is_reported_once(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(urlset([]))
    old = tmp_path / "old.xml"
    old.write_bytes(f'<urlset {NS}><url><loc>https://r.test/a</loc><lastmod>2020-01-01</lastmod></url>'
                    f'</urlset>'.encode())
    ran = run_cli("check", "--sitemap", str(empty), "--sitemap", str(old), "--since", "2024-01-01", "-p", "dcnf",
                  "-f", "jsonl")
    pages, summary = jsonl(ran.out)
    assert [(p["source"], p["message"]) for p in pages] == [
        (str(empty), "the sitemap lists no pages dated on or after 2024-01-01 (--since)"),
        (str(old), "the sitemap lists no pages dated on or after 2024-01-01 (--since)")]
    assert ran.code == 1 and run_cli("check", "--sitemap", str(old), "--since", "soon", "-p", "dcnf").code == 2


def test_site_options_can_live_in_the_configuration_file(tmp_path: Path) -> None:
    # Files named in the configuration are read relative to its folder, wherever the command runs.
    (tmp_path / "maps").mkdir()
    (tmp_path / "src" / "deep").mkdir(parents=True)
    with site() as server:
        (tmp_path / "maps" / "sitemap.xml").write_bytes(urlset([f"{server.url}/articles/{n}" for n in NAMES[:3]]))
        (tmp_path / "maps" / "feed.xml").write_bytes(
            f'<rss version="2.0"><channel>{"".join(f"<item><link>{server.url}/articles/{n}</link></item>" for n in NAMES[3:])}'
            f'</channel></rss>'.encode())
        (tmp_path / "compliance.toml").write_text(
            'policies = ["dcnf"]\nsitemaps = ["maps/sitemap.xml"]\nfeeds = ["maps/feed.xml"]\n'
            'store = "sqlite:///audit.db"\ndelay = 0\nretries = 0\nper-host = 4\nquiet = true\n',
            encoding="utf-8")
        # a sitemap file names URLs nobody typed: loopback ones are fetched only with --allow-private
        ran = run_cli("check", "--allow-private", cwd=tmp_path / "src" / "deep")
    assert f"Summary: {len(NAMES)} page(s) checked" in ran.out, ran.err
    assert "compliant.html" not in ran.out  # quiet: failures only
    assert ran.code == 1
    assert (tmp_path / "audit.db").is_file() and not (tmp_path / "src" / "deep" / "audit.db").exists()
